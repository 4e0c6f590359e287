import { describe, it, expect } from 'vitest';
import { parseTransactionFile, toEvergreenFile, toJsonLinesFile, toKocFile, zoneOffsetAt, type ExportedFile } from '../file-formats/index.js';
import type { OfflineTransaction } from '../transaction.js';
import { BRANCH_ZONE, fixtureText, session } from './fixtures/export/files.js';

// The desk (or server) that loads the exported file back, in the branch's zone.
const reader = { workstation: 'IMPORT-DESK', staff: 'ana', timeZoneOffsetAt: zoneOffsetAt(BRANCH_ZONE) };
const now = new Date('2026-11-03T12:00:00Z');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the file says of a transaction: everything but who, where and which (the reader supplies those). */
function content({ id: _id, seq: _seq, workstation: _w, staff: _s, ...rest }: OfflineTransaction) {
  return rest;
}

/** The session's transactions that have a row or line in the file. */
function written(file: ExportedFile): OfflineTransaction[] {
  return session().filter((t) => !file.notCarried.some((n) => n.id === t.id && n.field === undefined));
}

describe('round trips through our own importers', () => {
  it('our JSON lines: the golden file, read back to the very same transactions, nothing listed', async () => {
    const file = toJsonLinesFile(session());
    expect(file.text).toBe(fixtureText('session.jsonl'));
    expect(file.notCarried).toEqual([]);
    const read = await parseTransactionFile(file.text, 'session.jsonl', reader, now);
    expect(read).toEqual({ format: 'jsonl', transactions: session(), errors: [] });
  });

  it('Koha: every issue and return comes back at its exact time; a renewal comes back as the issue Koha reads it as', async () => {
    const file = toKocFile(session(), { timeZone: BRANCH_ZONE });
    const read = await parseTransactionFile(file.text, 'session.koc', reader, now);
    expect(read.errors).toEqual([]);
    expect(read.format).toBe('koha');
    expect(read.transactions.map(content)).toEqual(written(file).map((t) => ({
      type: t.type === 'renew' ? 'checkout' : t.type,
      occurred_at: t.occurred_at,
      ...(t.type === 'checkin' ? {} : { patron_barcode: t.patron_barcode }),
      item_barcode: t.item_barcode,
    })));
    expect(read.transactions.map((t) => t.occurred_at)).toContain('2026-10-31T15:02:11.547Z');
  });

  it('Evergreen: each line comes back with what it carries, in Evergreen\'s terms', async () => {
    const file = toEvergreenFile(session(), { timeZone: BRANCH_ZONE, noncatTypeIds: { paperback: 2 } });
    const read = await parseTransactionFile(file.text, 'pending.xacts', reader, now);
    expect(read.errors).toEqual([]);
    expect(read.format).toBe('evergreen');
    expect(read.transactions.map((t) => t.type)).toEqual(written(file).map((t) => t.type));
    expect(read.transactions.map(content)).toEqual([
      { type: 'checkout', occurred_at: '2026-10-31T15:02:11.000Z', item_barcode: 'I02901', patron_barcode: 'P0251', due_at: '2026-11-22T05:59:59.000Z' },
      { type: 'checkout', occurred_at: '2026-10-31T15:02:19.000Z', item_barcode: 'I02902', patron_barcode: 'P0251' },
      { type: 'checkout', occurred_at: '2026-10-31T15:03:00.000Z', patron_barcode: 'P0251', noncat_type: '2', count: 3 },
      { type: 'renew', occurred_at: '2026-10-31T16:10:00.000Z', item_barcode: 'I02940', patron_barcode: 'P0281', due_at: '2026-11-22T05:59:59.000Z' },
      { type: 'renew', occurred_at: '2026-10-31T16:11:00.000Z', item_barcode: 'I02941' },
      { type: 'checkin', occurred_at: '2026-11-02T14:40:03.000Z', item_barcode: 'I02955' },
      { type: 'checkin', occurred_at: '2026-11-02T14:41:00.000Z', item_barcode: 'I02956', backdate: '2026-10-31' },
      { type: 'checkin', occurred_at: '2026-11-02T14:42:00.000Z', item_barcode: 'I02957', backdate: '2026-11-01' },
      { type: 'in_house_use', occurred_at: '2026-11-02T15:00:00.000Z', item_barcode: 'I02988', count: 2 },
      { type: 'in_house_use', occurred_at: '2026-11-02T15:00:30.000Z', item_barcode: 'I02989' },
      { type: 'checkout', occurred_at: '2026-11-02T15:06:00.000Z', item_barcode: 'I02917', patron_barcode: 'PNEW-2901' },
      { type: 'checkout', occurred_at: '2026-11-02T15:07:00.000Z', patron_barcode: 'PNEW-2901', noncat_type: '4', count: 1 },
    ]);
    // Evergreen's timestamp is whole seconds; the due date given as a date is its last second at the branch.
    for (const [back, original] of read.transactions.map((t, i) => [t, written(file)[i]!] as const)) {
      expect(Date.parse(original.occurred_at) - Date.parse(back.occurred_at)).toBeLessThan(1000);
    }
  });

  it.each([
    ['Koha', 'session.koc', () => toKocFile(session(), { timeZone: BRANCH_ZONE }).text],
    ['Evergreen', 'pending.xacts', () => toEvergreenFile(session(), { timeZone: BRANCH_ZONE }).text],
  ] as const)('%s: loading the exported file twice gives the same ids, so the second load adds nothing', async (_name, fileName, exportText) => {
    const text = exportText();
    const first = await parseTransactionFile(text, fileName, reader, now);
    const again = await parseTransactionFile(exportText(), `copy of ${fileName}`, { ...reader, workstation: 'OTHER-DESK' }, now);
    expect(first.transactions.length).toBeGreaterThan(0);
    expect(again.transactions.map((t) => t.id)).toEqual(first.transactions.map((t) => t.id));
    expect(new Set(first.transactions.map((t) => t.id)).size).toBe(first.transactions.length);
    for (const t of first.transactions) expect(t.id).toMatch(UUID_V4);
  });
});
