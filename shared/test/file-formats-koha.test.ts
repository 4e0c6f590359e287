import { describe, it, expect } from 'vitest';
import { parseTransactionFile } from '../file-formats/index.js';
import { validateTransaction } from '../transaction.js';

const device = { workstation: 'IMPORT-DESK', staff: 'kim' };
const now = new Date('2026-11-29T12:00:00Z');

describe('Koha .koc', () => {
  const koc = [
    'Version=1.0\tGenerator=kocPHP\tGeneratorVersion=0.7',
    '2026-11-28 10:02:11 547\tissue\tP0251\tI02901',
    '2026-11-28 10:02:13 368\treturn\tI02955',
    '2026-11-28 10:02:14 327\tpayment\tP0251\t1.05',
    '2026-11-28 10:02:15\treturn\tI02956',
  ].join('\n') + '\n';

  it('maps issue, return and payment rows (payments in currency units to whole cents)', async () => {
    const parsed = await parseTransactionFile(koc, 'offline.koc', device, now);
    expect(parsed.format).toBe('koha');
    expect(parsed.transactions.map(({ id: _id, ...rest }) => rest)).toEqual([
      { type: 'checkout', occurred_at: '2026-11-28T10:02:11.547Z', seq: 2, workstation: 'IMPORT-DESK', staff: 'kim',
        patron_barcode: 'P0251', item_barcode: 'I02901' },
      { type: 'checkin', occurred_at: '2026-11-28T10:02:13.368Z', seq: 3, workstation: 'IMPORT-DESK', staff: 'kim',
        item_barcode: 'I02955' },
      { type: 'payment', occurred_at: '2026-11-28T10:02:14.327Z', seq: 4, workstation: 'IMPORT-DESK', staff: 'kim',
        patron_barcode: 'P0251', amount_cents: 105 },
      { type: 'checkin', occurred_at: '2026-11-28T10:02:15.000Z', seq: 5, workstation: 'IMPORT-DESK', staff: 'kim',
        item_barcode: 'I02956' },
    ]);
    expect(parsed.errors).toEqual([]);
    for (const tx of parsed.transactions) expect(validateTransaction(tx, now)).toMatchObject({ ok: true });
  });

  it('reads the zone-less times on the device clock', async () => {
    const parsed = await parseTransactionFile(koc, 'offline.koc', { ...device, timeZoneOffsetMinutes: -300 }, now);
    expect(parsed.transactions[0]!.occurred_at).toBe('2026-11-28T15:02:11.547Z');
  });

  it('reads each time by the zone rules in force then, on both sides of a clock change', async () => {
    // Central Europe: clocks go from 02:00 to 03:00 on 2026-03-29 (UTC+01:00 before, UTC+02:00 after).
    const change = Date.UTC(2026, 2, 29, 2, 0, 0);
    const berlin = (wall: number) => (wall < change ? 60 : 120);
    const text = ['Version=1.0\tGenerator=test', '2026-03-28 18:00:00 000\treturn\tI02901', '2026-03-29 10:00:00 000\treturn\tI02902'].join('\n');
    const parsed = await parseTransactionFile(text, 'offline.koc', { ...device, timeZoneOffsetAt: berlin }, new Date('2026-04-01T00:00:00Z'));
    expect(parsed.transactions.map((t) => t.occurred_at)).toEqual(['2026-03-28T17:00:00.000Z', '2026-03-29T08:00:00.000Z']);
  });

  it('reports bad rows by line number', async () => {
    const text = [
      'Version=2.0\tGenerator=x',
      '2026-11-28 10:02:11 547\tissue\tP0251',
      '2026-11-28 10:02:11 547\tlend\tP0251\tI02901',
      '2026-02-30 10:02:11 547\treturn\tI02901',
      '28/11/2026 10:02\treturn\tI02901',
      '2026-11-28 10:02:11 547\treturn',
      '2026-11-28 10:02:11 547\treturn\tI 02901',
      '2026-11-28 10:02:12 001\treturn\tI02902',
    ].join('\r\n');
    const parsed = await parseTransactionFile(text, 'x.koc', device, now);
    expect(parsed.transactions.map((t) => t.seq)).toEqual([8]);
    expect(parsed.transactions[0]!.occurred_at).toBe('2026-11-28T10:02:12.001Z');
    expect(parsed.errors).toEqual([
      { line: 1, reason: "unknown .koc version '2.0' (only 1.0 is known)" },
      { line: 2, reason: 'issue needs a card number and an item barcode' },
      { line: 3, reason: "unknown action 'lend'" },
      { line: 4, reason: "timestamp '2026-02-30 10:02:11 547' is not YYYY-MM-DD HH:MM:SS with optional milliseconds" },
      { line: 5, reason: "timestamp '28/11/2026 10:02' is not YYYY-MM-DD HH:MM:SS with optional milliseconds" },
      { line: 6, reason: 'return needs an item barcode' },
      { line: 7, field: 'item_barcode', reason: 'must be 1–64 printable characters without spaces' },
    ]);
  });

  it('handles a BOM and CRLF line ends', async () => {
    const parsed = await parseTransactionFile('\uFEFF' + koc.replace(/\n/g, '\r\n'), 'offline.koc', device, now);
    const plain = await parseTransactionFile(koc, 'offline.koc', device, now);
    expect(parsed).toEqual(plain);
  });
});
