import { describe, it, expect } from 'vitest';
import { KOC_NEVER_CARRIES, parseTransactionFile, toKocFile, zoneOffsetAt } from '../file-formats/index.js';
import { formatKocAmount, parseKocAmount } from '../file-formats/koc-amount.js';
import { kocPaymentAmount } from '../file-formats/koha-export.js';
import { kocPayment } from '../file-formats/koha.js';
import type { OfflineTransaction } from '../transaction.js';
import { BRANCH_ZONE, fixtureText, session } from './fixtures/export/files.js';

/**
 * What Koha's "Upload offline circulation file" makes of a .koc, by the facts
 * of offline_circ/enqueue_koc.pl (and process_koc.pl): parse_header_line
 * splits the first line on tabs, then each pair on '='; parse_command_line
 * splits a row on tabs into timestamp, command and arguments, the timestamp
 * on white space into date, time and an ignored id, and names the arguments
 * by arguments_for_command; the queued operation's time is "date time".
 */
function asKohaQueuesIt(text: string) {
  const [header = '', ...rows] = text.replace(/\n$/, '').split('\n');
  const info = Object.fromEntries(header.split('\t').map((pair) => pair.split('=')));
  const argumentsFor: Record<string, string[]> = { issue: ['cardnumber', 'barcode'], return: ['barcode'], payment: ['cardnumber', 'amount'] };
  const operations = rows.map((row) => {
    const [timestamp = '', command = '', ...args] = row.split('\t');
    const [date, time] = timestamp.split(/\s/);
    const names = argumentsFor[command];
    // Koha has no argument names for any other command: such a row breaks the whole upload.
    if (!names) throw new Error(`Koha cannot read the command '${command}'`);
    expect(args).toHaveLength(names.length);
    return { timestamp: `${date} ${time}`, action: command, ...Object.fromEntries(names.map((n, i) => [n, args[i]])) };
  });
  return { version: info.Version, operations };
}

const tx = (fields: Partial<OfflineTransaction> & Pick<OfflineTransaction, 'type' | 'occurred_at'>): OfflineTransaction =>
  ({ id: '2d9f8e3a-5e3c-4f4d-9b9a-3c4d5e6f7081', seq: 1, workstation: 'CENTRAL-DESK-1', staff: 'kim', ...fields });

describe('Koha .koc writer', () => {
  it('writes the golden file for the sample session', () => {
    expect(toKocFile(session(), { timeZone: BRANCH_ZONE }).text).toBe(fixtureText('session.America-Chicago.koc'));
  });

  it('gives Koha a version 1.0 file whose rows it queues as issues and returns at the branch\'s local times', () => {
    const queued = asKohaQueuesIt(toKocFile(session(), { timeZone: BRANCH_ZONE }).text);
    expect(queued.version).toBe('1.0');
    expect(queued.operations).toEqual([
      // Before the clocks went back (CDT, UTC−5)…
      { timestamp: '2026-10-31 10:02:11', action: 'issue', cardnumber: 'P0251', barcode: 'I02901' },
      { timestamp: '2026-10-31 10:02:19', action: 'issue', cardnumber: 'P0251', barcode: 'I02902' },
      // …a renewal is an issue of the item to the card that has it, which Koha applies as a renewal…
      { timestamp: '2026-10-31 11:10:00', action: 'issue', cardnumber: 'P0281', barcode: 'I02940' },
      // …and after (CST, UTC−6).
      { timestamp: '2026-11-02 08:40:03', action: 'return', barcode: 'I02955' },
      { timestamp: '2026-11-02 08:41:00', action: 'return', barcode: 'I02956' },
      { timestamp: '2026-11-02 08:42:00', action: 'return', barcode: 'I02957' },
      { timestamp: '2026-11-02 09:06:00', action: 'issue', cardnumber: 'PNEW-2901', barcode: 'I02917' },
    ]);
  });

  it('lists whatever has no row, and what a written row leaves out, with what to do', () => {
    const { notCarried, neverCarried } = toKocFile(session(), { timeZone: BRANCH_ZONE });
    expect(notCarried.map(({ id, type, field }) => [id.slice(-3), type, field])).toEqual([
      ['e01', 'checkout', 'due_at'],
      ['e01', 'checkout', 'acknowledged'],
      ['e03', 'checkout', undefined],
      ['e04', 'checkout', undefined],
      ['e05', 'renew', 'due_at'],
      ['e06', 'renew', undefined],
      ['f08', 'checkin', 'backdate'],
      ['f09', 'checkin', 'backdate'],
      ['f10', 'in_house_use', undefined],
      ['f11', 'in_house_use', undefined],
      ['f12', 'register', undefined],
      ['f14', 'checkout', undefined],
    ]);
    const reason = (suffix: string, field?: string) => notCarried.find((n) => n.id.endsWith(suffix) && n.field === field)!.reason;
    expect(reason('e01', 'due_at')).toContain('the patron was told 2026-11-21');
    expect(reason('e05', 'due_at')).toContain('the patron was told 2026-11-21 23:59');
    expect(reason('e01', 'acknowledged')).toContain('PATRON_ACCOUNT_EXPIRED');
    expect(reason('e03')).toContain('no non-cataloged checkouts');
    expect(reason('e06')).toContain("needs the patron's card");
    expect(reason('f08', 'backdate')).toContain('came back on 2026-10-31');
    expect(reason('f09', 'backdate')).toContain('came back on 2026-11-01 14:30');
    expect(reason('f10')).toContain('no in-house uses');
    expect(reason('f12')).toContain('register the patron (card PNEW-2901) in Koha before uploading');
    expect(neverCarried).toBe(KOC_NEVER_CARRIES);
    expect(neverCarried.map((n) => n.field)).toEqual(['workstation', 'staff']);
  });

  it('writes the same instant on each branch\'s own clock', () => {
    const at = [tx({ type: 'checkin', occurred_at: '2026-07-01T22:30:05.009Z', item_barcode: 'I02955' })];
    expect(toKocFile(at, { timeZone: 'Europe/Berlin' }).text.split('\n')[1]).toBe('2026-07-02 00:30:05 009\treturn\tI02955');
    expect(toKocFile(at, { timeZone: 'America/Chicago' }).text.split('\n')[1]).toBe('2026-07-01 17:30:05 009\treturn\tI02955');
    expect(toKocFile(at, { timeZone: 'UTC' }).text.split('\n')[1]).toBe('2026-07-01 22:30:05 009\treturn\tI02955');
  });

  it('writes the two instants of the hour the clocks repeat alike, which the zone-less format cannot tell apart', async () => {
    // 01:30 on 2026-11-01 in Chicago is 06:30Z (CDT) and 07:30Z (CST): both rows say 01:30, and our reader takes the first.
    const repeated = [
      tx({ type: 'checkin', occurred_at: '2026-11-01T06:30:00.000Z', item_barcode: 'I02955' }),
      tx({ type: 'checkin', occurred_at: '2026-11-01T07:30:00.000Z', item_barcode: 'I02956' }),
    ];
    const { text } = toKocFile(repeated, { timeZone: BRANCH_ZONE });
    expect(text.split('\n').slice(1, 3)).toEqual(['2026-11-01 01:30:00 000\treturn\tI02955', '2026-11-01 01:30:00 000\treturn\tI02956']);
    const read = await parseTransactionFile(text, 'x.koc', { workstation: 'W', staff: 's', timeZoneOffsetAt: zoneOffsetAt(BRANCH_ZONE) },
      new Date('2026-11-02T00:00:00Z'));
    expect(read.transactions.map((t) => t.occurred_at)).toEqual(['2026-11-01T06:30:00.000Z', '2026-11-01T06:30:00.000Z']);
  });

  it('writes only the header for an empty session, and refuses an unknown zone before writing anything', () => {
    expect(toKocFile([], { timeZone: BRANCH_ZONE })).toEqual({ text: 'Version=1.0\tGenerator=offline-circulation\n', notCarried: [], neverCarried: KOC_NEVER_CARRIES });
    expect(() => toKocFile(session(), { timeZone: 'Chicago' })).toThrow("unknown time zone 'Chicago'");
  });

  it('leaves out, rather than breaks the file with, a barcode a tab-separated row cannot hold', () => {
    const bad = tx({ type: 'checkin', occurred_at: '2026-11-02T14:40:03.015Z', item_barcode: 'I02\t955' });
    const { text, notCarried } = toKocFile([bad], { timeZone: BRANCH_ZONE });
    expect(text).toBe('Version=1.0\tGenerator=offline-circulation\n');
    expect(notCarried).toEqual([{ id: bad.id, type: 'checkin', reason: expect.stringContaining('tab or line break') }]);
  });

  it('lists a transaction of a type it does not know rather than writing it', () => {
    const unknown = { ...tx({ type: 'checkin', occurred_at: '2026-11-02T14:40:03.015Z' }), type: 'hold_request' };
    const { text, notCarried } = toKocFile([unknown as unknown as OfflineTransaction], { timeZone: BRANCH_ZONE });
    expect(text).toBe('Version=1.0\tGenerator=offline-circulation\n');
    expect(notCarried).toEqual([{ id: unknown.id, type: 'hold_request', reason: expect.stringContaining("does not know the type 'hold_request'") }]);
  });

  it('writes a payment row in currency units, listing the note it cannot carry', () => {
    const base = tx({ type: 'checkin', occurred_at: '2026-11-02T14:40:03.015Z' });
    const { item_barcode: _item, ...rest } = base;
    const payment = { ...rest, type: 'payment', patron_barcode: 'P0251', amount_cents: 505, note: 'cash' } as unknown as OfflineTransaction;
    const { text, notCarried } = toKocFile([payment], { timeZone: BRANCH_ZONE });
    expect(text.split('\n')[1]).toBe('2026-11-02 08:40:03 015\tpayment\tP0251\t5.05');
    expect(notCarried).toEqual([{ id: payment.id, type: 'payment', field: 'note', reason: 'Koha\'s payment row has no note ("cash")' }]);
  });
});

describe('Koha payment rows (ready for SPEC §4 payment)', () => {
  it('writes whole cents as Koha\'s currency units', () => {
    expect(kocPaymentAmount(500)).toBe('5.00');
    expect(kocPaymentAmount(105)).toBe('1.05');
    expect(kocPaymentAmount(1)).toBe('0.01');
    expect(kocPaymentAmount(123456)).toBe('1234.56');
    for (const bad of [0, -100, 1.5, Number.NaN]) expect(() => kocPaymentAmount(bad)).toThrow(RangeError);
  });

  it('reads a payment row\'s card number and amount exactly, and refuses what is not whole cents above zero', () => {
    expect(kocPayment(['P0251', '1.05'])).toEqual({ ok: true, fields: { patron_barcode: 'P0251', amount_cents: 105 } });
    expect(kocPayment(['P0251', '5'])).toEqual({ ok: true, fields: { patron_barcode: 'P0251', amount_cents: 500 } });
    expect(kocPayment(['P0251', '5.5'])).toEqual({ ok: true, fields: { patron_barcode: 'P0251', amount_cents: 550 } });
    for (const amount of ['0.00', '-1.00', '1,05', '1.005', 'five', '']) {
      expect(kocPayment(['P0251', amount]), amount).toMatchObject({ ok: false });
    }
    expect(kocPayment(['P0251'])).toEqual({ ok: false, reason: 'payment needs a card number and an amount' });
  });

  it('reads back every amount it writes', () => {
    for (const cents of [1, 9, 10, 99, 100, 101, 1999, 250000]) expect(parseKocAmount(formatKocAmount(cents)!)).toBe(cents);
  });
});
