import { describe, it, expect } from 'vitest';
import { parseTransactionFile } from '../file-formats/index.js';
import { validateTransaction } from '../transaction.js';

const device = { workstation: 'IMPORT-DESK', staff: 'kim' };
const now = new Date('2026-11-29T12:00:00Z');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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
      { line: 6, field: 'patron_barcode', reason: 'is required for a checkout' },
      { line: 7, field: 'backdate', reason: 'must not be in the future' },
      { line: 8, reason: 'due_date "next week" is not a date' },
      { line: 9, reason: 'user.card.barcode is required for a registration' },
      { line: 10, reason: 'user.first_given_name is required for a registration' },
      { line: 11, reason: 'a registration needs the user record (user)' },
      { line: 12, reason: 'count must be a whole number' },
      { line: 13, field: 'count', reason: 'must be a whole number from 1 to 99' },
    ]);
  });
});
