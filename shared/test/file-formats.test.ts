import { describe, it, expect } from 'vitest';
import { derivedTransactionId, exportJsonLines, localOffsetAt, parseTransactionFile } from '../file-formats.js';
import { validateTransaction, type OfflineTransaction } from '../transaction.js';

const device = { workstation: 'IMPORT-DESK', staff: 'kim' };
const now = new Date('2026-11-29T12:00:00Z');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ours: OfflineTransaction[] = [
  { id: '0b7f6c1e-3c1a-4d2b-9f7e-1a2b3c4d5e6f', type: 'checkout', occurred_at: '2026-11-28T10:00:00.000Z', seq: 1,
    workstation: 'CENTRAL-DESK-1', staff: 'kim', item_barcode: 'I02901', patron_barcode: 'P0250', due_at: '2026-12-19' },
  { id: '1c8e7d2f-4d2b-4e3c-8a8f-2b3c4d5e6f70', type: 'checkout', occurred_at: '2026-11-28T10:01:00.000Z', seq: 2,
    workstation: 'CENTRAL-DESK-1', staff: 'kim', patron_barcode: 'P0250', noncat_type: 'paperback', count: 3,
    acknowledged: ['PATRON_EXPIRED'] },
  { id: '2d9f8e3a-5e3c-4f4d-9b9a-3c4d5e6f7081', type: 'checkin', occurred_at: '2026-11-28T10:02:00.000Z', seq: 3,
    workstation: 'CENTRAL-DESK-1', staff: 'kim', item_barcode: 'I02902', backdate: '2026-11-27' },
  { id: '3e0a9f4b-6f4d-4a5e-ac0b-4d5e6f708192', type: 'register', occurred_at: '2026-11-28T10:03:00.000Z', seq: 4,
    workstation: 'CENTRAL-DESK-1', staff: 'kim',
    patron: { barcode: 'PNEW-2901', first_name: 'Ada', last_name: 'Birch', email: 'ada@example.org' } },
];

// web/tsconfig.json type-checks shared tests without Node's types, so fs is looked up by name at run time.
const NODE_FS = 'node:fs';
async function fixture(name: string): Promise<string> {
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as { readFileSync(path: URL, encoding: 'utf8'): string };
  return fs.readFileSync(new URL(`../../e2e/fixtures/${name}`, import.meta.url), 'utf8');
}

describe('our JSON lines', () => {
  it('exports one record a line with a trailing newline', () => {
    const text = exportJsonLines(ours);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(ours.length + 1);
    expect(JSON.parse(text.split('\n')[0]!)).toEqual(ours[0]);
    expect(exportJsonLines([])).toBe('');
  });

  it('round-trips: export then parse gives the same transactions, ids untouched', async () => {
    const parsed = await parseTransactionFile(exportJsonLines(ours), 'export.jsonl', device, now);
    expect(parsed).toEqual({ format: 'jsonl', transactions: ours, errors: [] });
  });

  it('reports bad lines by line number and keeps the good ones', async () => {
    const lines = exportJsonLines(ours.slice(0, 2)).split('\n');
    const text = [
      lines[0],
      '{not json',
      '',
      JSON.stringify({ ...ours[2], id: 'not-a-uuid' }),
      JSON.stringify({ ...ours[2], colour: 'red' }),
      '[1,2]',
      lines[1],
    ].join('\n');
    const parsed = await parseTransactionFile(text, 'x.jsonl', device, now);
    expect(parsed.format).toBe('jsonl');
    expect(parsed.transactions).toEqual([ours[0], ours[1]]);
    expect(parsed.errors).toEqual([
      { line: 2, reason: 'is not valid JSON' },
      { line: 4, reason: 'id must be a UUID v4' },
      { line: 5, reason: 'colour is not a field of a checkin transaction' },
      { line: 6, reason: 'must be a JSON object' },
    ]);
  });

  it('ignores a UTF-8 BOM, CRLF line ends and blank lines', async () => {
    const text = '\uFEFF' + exportJsonLines(ours).replace(/\n/g, '\r\n\r\n');
    const parsed = await parseTransactionFile(text, 'x.jsonl', device, now);
    expect(parsed.transactions).toEqual(ours);
    expect(parsed.errors).toEqual([]);
  });

  it('tells the format from the content, not the name', async () => {
    const parsed = await parseTransactionFile(exportJsonLines(ours), 'pending.xacts', device, now);
    expect(parsed.format).toBe('jsonl');
  });
});

describe('Evergreen pending.xacts', () => {
  const ts = 1795857900; // 2026-11-28T09:25:00Z
  const line = (o: object) => JSON.stringify(o);

  it('maps each transaction type', async () => {
    const text = [
      line({ timestamp: ts, type: 'checkout', delta: 0, patron_barcode: 'P0272', barcode: 'I02931',
        due_date: '2026-12-19T09:25:00.000Z', checkout_time: '2026-11-28T09:25:00.000Z' }),
      line({ timestamp: ts + 1, type: 'checkout', patron_barcode: 'P0272', due_date: '2026-12-19',
        noncat: 1, noncat_type: 3, noncat_count: 2 }),
      line({ timestamp: ts + 2, type: 'renew', barcode: 'I02940', due_date: '2026-12-19 17:00:00' }),
      line({ timestamp: ts + 3, type: 'checkin', barcode: 'I02905', backdate: '2026-11-27' }),
      line({ timestamp: ts + 4, type: 'checkin', barcode: 'I02906', backdate: '2026-11-28 09:25:04' }),
      line({ timestamp: ts + 5, type: 'in_house_use', barcode: 'I02988', count: 2 }),
      line({ timestamp: ts + 6, type: 'register', delta: 0, user: {
        usrname: 'dlark', passwd: '1234', first_given_name: 'Dana', family_name: 'Lark', email: 'dana@example.org',
        day_phone: '555-0100', profile: 2, home_ou: 4, card: { id: -2, barcode: 'PNEW-2950', isnew: true },
        billing_address: { street1: '1 Elm St', city: 'Springfield' } } }),
    ].join('\n');
    const parsed = await parseTransactionFile(text, 'pending.xacts', device, now);
    expect(parsed.errors).toEqual([]);
    expect(parsed.format).toBe('evergreen');
    const common = (seq: number) => ({ seq, workstation: 'IMPORT-DESK', staff: 'kim' });
    expect(parsed.transactions.map(({ id: _id, ...rest }) => rest)).toEqual([
      { type: 'checkout', occurred_at: '2026-11-28T09:25:00.000Z', ...common(1), item_barcode: 'I02931',
        patron_barcode: 'P0272', due_at: '2026-12-19T09:25:00.000Z' },
      { type: 'checkout', occurred_at: '2026-11-28T09:25:01.000Z', ...common(2), patron_barcode: 'P0272',
        noncat_type: '3', count: 2, due_at: '2026-12-19' },
      { type: 'renew', occurred_at: '2026-11-28T09:25:02.000Z', ...common(3), item_barcode: 'I02940',
        due_at: '2026-12-19T17:00:00.000Z' },
      { type: 'checkin', occurred_at: '2026-11-28T09:25:03.000Z', ...common(4), item_barcode: 'I02905', backdate: '2026-11-27' },
      { type: 'checkin', occurred_at: '2026-11-28T09:25:04.000Z', ...common(5), item_barcode: 'I02906', backdate: '2026-11-28' },
      { type: 'in_house_use', occurred_at: '2026-11-28T09:25:05.000Z', ...common(6), item_barcode: 'I02988', count: 2 },
      { type: 'register', occurred_at: '2026-11-28T09:25:06.000Z', ...common(7),
        patron: { barcode: 'PNEW-2950', first_name: 'Dana', last_name: 'Lark', email: 'dana@example.org', phone: '555-0100' } },
    ]);
    for (const tx of parsed.transactions) {
      expect(tx.id).toMatch(UUID_V4);
      expect(validateTransaction(tx, now)).toMatchObject({ ok: true });
    }
  });

  it('reads zone-less and zoned times on the device clock', async () => {
    const text = [
      line({ timestamp: ts, type: 'renew', barcode: 'I02940', due_date: '2026-12-19 17:00:00' }),
      // Midnight in Berlin is still the previous day in UTC; the backdate is the Berlin date.
      line({ timestamp: ts, type: 'checkin', barcode: 'I02905', backdate: '2026-11-26T23:00:00.000Z' }),
      line({ timestamp: ts, type: 'renew', barcode: 'I02941', due_date: '2026-12-19T23:59:59-0500' }),
    ].join('\n');
    const parsed = await parseTransactionFile(text, 'pending.xacts', { ...device, timeZoneOffsetMinutes: 60 }, now);
    expect(parsed.errors).toEqual([]);
    expect(parsed.transactions.map((t) => t.due_at ?? t.backdate)).toEqual([
      '2026-12-19T16:00:00.000Z', '2026-11-27', '2026-12-20T04:59:59.000Z',
    ]);
  });

  it('reports bad lines with reasons and keeps the good ones', async () => {
    const text = [
      line({ timestamp: ts, type: 'checkin', barcode: 'I02905' }),
      line({ timestamp: ts, type: 'hold', barcode: 'I02905' }),
      line({ type: 'checkin', barcode: 'I02905' }),
      line({ timestamp: ts * 1000, type: 'checkin', barcode: 'I02905' }),
      '{"timestamp": 1795857900, "type": "checkin"',
      line({ timestamp: ts, type: 'checkout', barcode: 'I02931' }),
      line({ timestamp: ts, type: 'checkin', barcode: 'I02905', backdate: '2099-01-01' }),
      line({ timestamp: ts, type: 'checkout', patron_barcode: 'P0272', barcode: 'I02931', due_date: 'next week' }),
      line({ timestamp: ts, type: 'register', user: { first_given_name: 'Dana', family_name: 'Lark' } }),
      line({ timestamp: ts, type: 'register', user: { card: { barcode: 'PNEW-2951' }, family_name: 'Lark' } }),
      line({ timestamp: ts, type: 'register' }),
      line({ timestamp: ts, type: 'in_house_use', barcode: 'I02988', count: 'many' }),
      line({ timestamp: ts, type: 'in_house_use', barcode: 'I02988', count: 500 }),
      line({ timestamp: ts, type: 'in_house_use', barcode: 'I02988' }),
    ].join('\n');
    const parsed = await parseTransactionFile(text, 'pending.xacts', device, now);
    expect(parsed.format).toBe('evergreen');
    expect(parsed.transactions.map((t) => t.seq)).toEqual([1, 14]);
    expect(parsed.errors).toEqual([
      { line: 2, reason: 'unknown transaction type "hold"' },
      { line: 3, reason: 'timestamp must be a time in epoch seconds' },
      { line: 4, reason: 'timestamp must be a time in epoch seconds' },
      { line: 5, reason: 'is not valid JSON' },
      { line: 6, reason: 'patron_barcode is required for a checkout' },
      { line: 7, reason: 'backdate must not be in the future' },
      { line: 8, reason: 'due_date "next week" is not a date' },
      { line: 9, reason: 'user.card.barcode is required for a registration' },
      { line: 10, reason: 'user.first_given_name is required for a registration' },
      { line: 11, reason: 'a registration needs the user record (user)' },
      { line: 12, reason: 'count must be a whole number' },
      { line: 13, reason: 'count must be a whole number from 1 to 99' },
    ]);
  });
});

describe('Koha .koc', () => {
  const koc = [
    'Version=1.0\tGenerator=kocPHP\tGeneratorVersion=0.7',
    '2026-11-28 10:02:11 547\tissue\tP0251\tI02901',
    '2026-11-28 10:02:13 368\treturn\tI02955',
    '2026-11-28 10:02:14 327\tpayment\tP0251\t1.05',
    '2026-11-28 10:02:15\treturn\tI02956',
  ].join('\n') + '\n';

  it('maps issue and return, and reports payments instead of dropping them', async () => {
    const parsed = await parseTransactionFile(koc, 'offline.koc', device, now);
    expect(parsed.format).toBe('koha');
    expect(parsed.transactions.map(({ id: _id, ...rest }) => rest)).toEqual([
      { type: 'checkout', occurred_at: '2026-11-28T10:02:11.547Z', seq: 2, workstation: 'IMPORT-DESK', staff: 'kim',
        patron_barcode: 'P0251', item_barcode: 'I02901' },
      { type: 'checkin', occurred_at: '2026-11-28T10:02:13.368Z', seq: 3, workstation: 'IMPORT-DESK', staff: 'kim',
        item_barcode: 'I02955' },
      { type: 'checkin', occurred_at: '2026-11-28T10:02:15.000Z', seq: 5, workstation: 'IMPORT-DESK', staff: 'kim',
        item_barcode: 'I02956' },
    ]);
    expect(parsed.errors).toEqual([{ line: 4, reason: 'payments are not imported; record this payment in the library system' }]);
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

  it('localOffsetAt follows the device zone, summer and winter', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Europe/Berlin';
      expect(localOffsetAt(Date.UTC(2026, 0, 15, 12))).toBe(60);
      expect(localOffsetAt(Date.UTC(2026, 6, 15, 12))).toBe(120);
      process.env.TZ = 'America/New_York';
      expect(localOffsetAt(Date.UTC(2026, 0, 15, 12))).toBe(-300);
      expect(localOffsetAt(Date.UTC(2026, 6, 15, 12))).toBe(-240);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('detects the format from the header even under another name', async () => {
    const parsed = await parseTransactionFile(koc, 'export.jsonl', device, now);
    expect(parsed.format).toBe('koha');
    expect(parsed.transactions).toHaveLength(3);
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
      { line: 7, reason: 'item_barcode must be 1–64 printable characters without spaces' },
    ]);
  });

  it('handles a BOM and CRLF line ends', async () => {
    const parsed = await parseTransactionFile('\uFEFF' + koc.replace(/\n/g, '\r\n'), 'offline.koc', device, now);
    const plain = await parseTransactionFile(koc, 'offline.koc', device, now);
    expect(parsed).toEqual(plain);
  });
});

describe('derived ids', () => {
  const xacts = [
    '{"timestamp":1795857900,"type":"checkin","barcode":"I02905"}',
    '{"timestamp":1795857900,"type":"checkin","barcode":"I02905"}',
  ].join('\n');

  it('are the same when the same file is loaded twice, or under another name', async () => {
    const a = await parseTransactionFile(xacts, 'pending.xacts', device, now);
    const b = await parseTransactionFile(xacts, 'renamed copy.txt', { workstation: 'OTHER', staff: 'lee' }, now);
    expect(a.transactions.map((t) => t.id)).toEqual(b.transactions.map((t) => t.id));
  });

  it('differ for the same content at another line number', async () => {
    const parsed = await parseTransactionFile(xacts, 'pending.xacts', device, now);
    const [first, second] = parsed.transactions;
    expect(first!.id).not.toBe(second!.id);
  });

  it('differ between formats and are UUID v4 shaped', async () => {
    const a = await derivedTransactionId('koha', 2, 'same text');
    const b = await derivedTransactionId('evergreen', 2, 'same text');
    expect(a).not.toBe(b);
    expect(a).toMatch(UUID_V4);
    expect(b).toMatch(UUID_V4);
    expect(await derivedTransactionId('koha', 2, 'same text')).toBe(a);
  });

  it('keep the ids of earlier lines when a file grows', async () => {
    const before = await parseTransactionFile(await fixture('sample.koc'), 'sample.koc', device, now);
    const grown = (await fixture('sample.koc')) + '2026-11-28 11:20:00 000\treturn\tI02917\n';
    const after = await parseTransactionFile(grown, 'sample.koc', device, now);
    expect(after.transactions.slice(0, before.transactions.length)).toEqual(before.transactions);
    expect(after.transactions).toHaveLength(before.transactions.length + 1);
  });
});

describe('fixture files', () => {
  it.each([
    ['sample.koc', 'koha', 4],
    ['pending.xacts', 'evergreen', 5],
  ] as const)('%s parses without errors', async (name, format, count) => {
    const parsed = await parseTransactionFile(await fixture(name), name, device);
    expect(parsed.errors).toEqual([]);
    expect(parsed.format).toBe(format);
    expect(parsed.transactions).toHaveLength(count);
    for (const tx of parsed.transactions) {
      expect(validateTransaction(tx)).toMatchObject({ ok: true });
      for (const code of [tx.item_barcode, tx.patron_barcode].filter(Boolean)) {
        expect(code).toMatch(/^(I029[0-8]\d|I02990|P02[5-8]\d|P0290)$/);
      }
    }
  });
});
