import { describe, it, expect } from 'vitest';
import { EVERGREEN_NEVER_CARRIES, toEvergreenFile } from '../file-formats/index.js';
import type { OfflineTransaction } from '../transaction.js';
import { BRANCH_ZONE, fixtureText, session } from './fixtures/export/files.js';

/**
 * The keys Evergreen's Open-ILS/src/offline/offline.pl reads of each line
 * type: ol_collect_commands (type, timestamp), ol_circ_args_from_command
 * (checkout and renew), ol_handle_checkin, ol_handle_inhouse. A key outside
 * these is one Evergreen would not read.
 */
const READ_BY_EVERGREEN: Record<string, string[]> = {
  checkout: ['timestamp', 'type', 'barcode', 'patron_barcode', 'due_date', 'checkout_time', 'noncat', 'noncat_type', 'noncat_count'],
  renew: ['timestamp', 'type', 'barcode', 'patron_barcode', 'due_date', 'checkout_time'],
  checkin: ['timestamp', 'type', 'barcode', 'backdate'],
  in_house_use: ['timestamp', 'type', 'barcode', 'count', 'use_time'],
};

const options = { timeZone: BRANCH_ZONE, noncatTypeIds: { paperback: 2 } };
const lines = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
const tx = (fields: Partial<OfflineTransaction> & Pick<OfflineTransaction, 'type' | 'occurred_at'>): OfflineTransaction =>
  ({ id: '2d9f8e3a-5e3c-4f4d-9b9a-3c4d5e6f7081', seq: 1, workstation: 'CENTRAL-DESK-1', staff: 'kim', ...fields });

describe('Evergreen offline transactions writer', () => {
  it('writes the golden file for the sample session', () => {
    expect(toEvergreenFile(session(), options).text).toBe(fixtureText('session.America-Chicago.xacts'));
  });

  it('writes only the types and keys offline.pl reads, with timestamps in whole epoch seconds', () => {
    for (const line of lines(toEvergreenFile(session(), options).text)) {
      const keys = READ_BY_EVERGREEN[line.type as string];
      expect(keys, JSON.stringify(line)).toBeDefined();
      for (const key of Object.keys(line)) expect(keys, `${line.type} ${key}`).toContain(key);
      expect(Number.isSafeInteger(line.timestamp)).toBe(true);
    }
  });

  it('lists whatever has no line, and what a written line leaves out, with what to do', () => {
    const { notCarried, neverCarried } = toEvergreenFile(session(), options);
    expect(notCarried.map(({ id, type, field }) => [id.slice(-3), type, field])).toEqual([
      ['e01', 'checkout', 'acknowledged'],
      ['e04', 'checkout', undefined],
      ['f09', 'checkin', 'backdate'],
      ['f12', 'register', undefined],
    ]);
    expect(notCarried[1]!.reason).toContain("non-cataloged type 'magazine'");
    expect(notCarried[2]!.reason).toBe('Evergreen keeps only the date of a backdate (2026-11-01), not the time 14:30');
    expect(notCarried[3]!.reason).toContain('register the patron (card PNEW-2901) in Evergreen before processing');
    expect(neverCarried).toBe(EVERGREEN_NEVER_CARRIES);
    expect(neverCarried.map((n) => n.field)).toEqual(['workstation', 'staff']);
  });

  it('gives a loan due on a date its last second at the branch, in summer time and in winter time', () => {
    const due = (due_at: string) => lines(toEvergreenFile(
      [tx({ type: 'checkout', occurred_at: '2026-10-01T15:00:00.000Z', item_barcode: 'I02901', patron_barcode: 'P0251', due_at })],
      { timeZone: BRANCH_ZONE }).text)[0]!.due_date;
    expect(due('2026-10-31')).toBe('2026-11-01T04:59:59.000Z'); // 23:59:59 CDT
    expect(due('2026-11-21')).toBe('2026-11-22T05:59:59.000Z'); // 23:59:59 CST
    expect(due('2026-11-21T18:00:00.000Z')).toBe('2026-11-21T18:00:00.000Z'); // a time stays that time
  });

  it('gives a backdate as the branch\'s date, which is all Evergreen keeps of it', () => {
    const backdate = (value: string, timeZone: string) => lines(toEvergreenFile(
      [tx({ type: 'checkin', occurred_at: '2026-11-02T14:40:00.000Z', item_barcode: 'I02955', backdate: value })],
      { timeZone }).text)[0]!.backdate;
    expect(backdate('2026-10-31', BRANCH_ZONE)).toBe('2026-10-31');
    // 03:30Z on 2 November is still the evening of 1 November in Chicago, already 2 November in Berlin.
    expect(backdate('2026-11-02T03:30:00.000Z', BRANCH_ZONE)).toBe('2026-11-01');
    expect(backdate('2026-11-02T03:30:00.000Z', 'Europe/Berlin')).toBe('2026-11-02');
    // Local midnight, the way some desks store a date, loses nothing.
    expect(toEvergreenFile([tx({ type: 'checkin', occurred_at: '2026-11-02T14:40:00.000Z', item_barcode: 'I02955',
      backdate: '2026-11-01T05:00:00.000Z' })], { timeZone: BRANCH_ZONE }).notCarried).toEqual([]);
  });

  it('writes a non-cataloged type as Evergreen\'s id: from noncatTypeIds, or a code that is already one', () => {
    const noncat = (noncat_type: string, ids?: Record<string, number>) => toEvergreenFile(
      [tx({ type: 'checkout', occurred_at: '2026-10-01T15:00:00.000Z', patron_barcode: 'P0251', noncat_type, count: 2,
        due_at: '2026-10-15' })], { timeZone: BRANCH_ZONE, noncatTypeIds: ids });
    expect(lines(noncat('paperback', { paperback: 7 }).text)).toEqual([{ timestamp: 1790866800, type: 'checkout',
      patron_barcode: 'P0251', noncat: 1, noncat_type: 7, noncat_count: 2, checkout_time: '2026-10-01T15:00:00.000Z' }]);
    expect(lines(noncat('12').text)[0]!.noncat_type).toBe(12);
    expect(lines(noncat('12', { 12: 3 }).text)[0]!.noncat_type).toBe(3);
    // Evergreen gives a non-cataloged loan its type's period, so the due date the desk gave is listed.
    expect(noncat('12').notCarried).toEqual([expect.objectContaining({ field: 'due_at' })]);
    for (const [code, ids] of [['paperback', undefined], ['paperback', { paperback: 0 }], ['toString', {}]] as const) {
      const result = noncat(code, ids);
      expect(result.text, code).toBe('');
      expect(result.notCarried.map((n) => [n.field, n.reason.includes(`'${code}'`)]), code).toEqual([[undefined, true]]);
    }
  });

  it('writes nothing for an empty session, and refuses an unknown zone before writing anything', () => {
    expect(toEvergreenFile([], { timeZone: BRANCH_ZONE })).toEqual({ text: '', notCarried: [], neverCarried: EVERGREEN_NEVER_CARRIES });
    expect(() => toEvergreenFile(session(), { timeZone: 'Central Time' })).toThrow(RangeError);
  });

  it('lists a transaction of a type it does not know rather than writing it', () => {
    const unknown = { ...tx({ type: 'checkin', occurred_at: '2026-11-02T14:40:03.015Z' }), type: 'hold_request' };
    const { text, notCarried } = toEvergreenFile([unknown as unknown as OfflineTransaction], { timeZone: BRANCH_ZONE });
    expect(text).toBe('');
    expect(notCarried).toEqual([{ id: unknown.id, type: 'hold_request', reason: expect.stringContaining("does not know the type 'hold_request'") }]);
  });

  it('lists payments, which Evergreen\'s offline file cannot hold, with what to do by hand', () => {
    const payment = { ...tx({ type: 'checkin', occurred_at: '2026-11-02T14:40:03.015Z' }), type: 'payment', patron_barcode: 'P0251', amount_cents: 500 };
    delete (payment as Partial<typeof payment>).item_barcode;
    const { text, notCarried } = toEvergreenFile([payment as unknown as OfflineTransaction], { timeZone: BRANCH_ZONE });
    expect(text).toBe('');
    expect(notCarried).toEqual([{ id: payment.id, type: 'payment', reason: "Evergreen's offline file has no payments: take 5.00 from card P0251 in Evergreen by hand" }]);
  });
});
