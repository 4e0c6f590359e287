/**
 * Library time in processing: each branch's zone and calendar decide due
 * dates, renewals, fines, expiry and book-drop dates. NORTH keeps Los
 * Angeles time and SOUTH Auckland's; the scans carry fixed times, and every
 * expected instant below was worked out by hand from the local dates.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { BRANCH_A, BRANCH_B, DESK_A1, ITEMS, PATRONS, createSession, loansOf, processSession, results, tx, upload, useTestEnv } from './helpers.js';
import type { OfflineTransaction } from '../../shared/transaction.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');
const DESK_B1 = 'SOUTH-DESK-1';

const branchId = (code: string): number => env.library.branchIds[code];
const itemId = (barcode: string): number => env.db.prepare('SELECT id FROM items WHERE barcode = ?').pluck().get(barcode) as number;
const patronId = (card: string): number => env.db.prepare('SELECT patron_id FROM patron_cards WHERE barcode = ?').pluck().get(card) as number;

beforeEach(() => {
  env.db.prepare('UPDATE branches SET time_zone = ? WHERE code = ?').run('America/Los_Angeles', BRANCH_A);
  env.db.prepare('UPDATE branches SET time_zone = ? WHERE code = ?').run('Pacific/Auckland', BRANCH_B);
  const desk = env.db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)');
  desk.run(DESK_A1, branchId(BRANCH_A), env.library.staffIds.sysadmin, '2020-01-01T00:00:00.000Z');
  desk.run(DESK_B1, branchId(BRANCH_B), env.library.staffIds.sysadmin, '2020-01-01T00:00:00.000Z');
  // The scans below carry fixed dates: the items' last changes must be older than any of them.
  env.db.prepare("UPDATE items SET status_changed_at = '2020-01-01T00:00:00.000Z'").run();
});

/** NORTH: closed on Sundays, and for Christmas (24–26 December 2026). */
function northCalendar(): void {
  const hours = env.db.prepare('INSERT INTO branch_hours (branch_id, weekday, hours) VALUES (?, ?, ?)');
  for (let weekday = 0; weekday < 7; weekday++) hours.run(branchId(BRANCH_A), weekday, weekday === 6 ? '' : '09:00-17:00');
  env.db.prepare('INSERT INTO branch_closures (branch_id, first_date, last_date, reason) VALUES (?, ?, ?, ?)')
    .run(branchId(BRANCH_A), '2026-12-24', '2026-12-26', 'Christmas');
}

function loan(item: string, card: string, checkoutAt: string, dueAt: string): void {
  env.db.prepare("UPDATE items SET status = 'checked_out' WHERE barcode = ?").run(item);
  env.db.prepare('INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, due_at, renewals) VALUES (?, ?, ?, ?, ?, 0)')
    .run(itemId(item), patronId(card), checkoutAt, branchId(BRANCH_A), dueAt);
}

async function run(transactions: OfflineTransaction[]) {
  const session = await createSession(env.app, cookies.sysadmin);
  await upload(env.app, cookies.circA, session.id, transactions);
  await processSession(env.app, cookies.sysadmin, session.id);
  const page = await results(env.app, cookies.sysadmin, session.id, { limit: '100' });
  const stored = new Map((env.db.prepare('SELECT id, due_at FROM transaction_outcomes WHERE session_id = ?').all(session.id) as { id: string; due_at: string | null }[])
    .map((r) => [r.id, r.due_at]));
  return (t: OfflineTransaction) => ({ ...page.results.find((r) => r.id === t.id)!, stored_due_at: stored.get(t.id) });
}

describe('due dates in each branch’s own time', () => {
  it('one session, two zones: each loan falls due at the end of its local day, 21 days on', async () => {
    // 20:00 on 24 November in Los Angeles (UTC−8), and 08:00 on 25 November in Auckland (UTC+13).
    const evening = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: '2026-11-25T04:00:00.000Z', workstation: DESK_A1 });
    const morning = tx('checkout', { item_barcode: ITEMS.southBook, patron_barcode: PATRONS.adult2, occurred_at: '2026-11-24T19:00:00.000Z', workstation: DESK_B1 });
    const result = await run([evening, morning]);

    expect(result(evening)).toMatchObject({ outcome: 'applied', detail: 'Due Dec 15, 2026.', stored_due_at: '2026-12-16T07:59:59.000Z' });
    expect(loansOf(env.db, ITEMS.book1)[0].due_at).toBe('2026-12-16T07:59:59.000Z');
    expect(result(morning)).toMatchObject({ outcome: 'applied', detail: 'Due Dec 16, 2026.', stored_due_at: '2026-12-16T10:59:59.000Z' });
    expect(loansOf(env.db, ITEMS.southBook)[0].due_at).toBe('2026-12-16T10:59:59.000Z');
  });

  it('moves a due date off closed days: a holiday run and the Sunday after it', async () => {
    northCalendar();
    // Thursday 3 December, noon: 21 days on is Christmas Eve; the branch reopens on Monday the 28th.
    const lend = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: '2026-12-03T20:00:00.000Z', workstation: DESK_A1 });
    const result = await run([lend]);
    expect(result(lend)).toMatchObject({ detail: 'Due Dec 28, 2026.', stored_due_at: '2026-12-29T07:59:59.000Z' });
  });

  it('moves a renewal that lands on a closed Sunday to the Monday', async () => {
    northCalendar();
    // A DVD (7 days) due at the end of Sunday 6 December; renewed before: 7 days on is Sunday the 13th.
    loan(ITEMS.dvd, PATRONS.adult, '2026-11-29T18:00:00.000Z', '2026-12-07T07:59:59.000Z');
    const renew = tx('renew', { item_barcode: ITEMS.dvd, occurred_at: '2026-12-04T18:00:00.000Z', workstation: DESK_A1 });
    const result = await run([renew]);
    expect(result(renew)).toMatchObject({ outcome: 'applied', detail: 'Due Dec 14, 2026.', stored_due_at: '2026-12-15T07:59:59.000Z' });
    expect(loansOf(env.db, ITEMS.dvd)[0]).toMatchObject({ due_at: '2026-12-15T07:59:59.000Z', renewals: 1 });
  });

  it('a due date the desk gave as a day means the end of that local day', async () => {
    const lend = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.adult, occurred_at: '2026-11-25T04:00:00.000Z', workstation: DESK_A1,
      due_at: '2026-12-20' });
    const result = await run([lend]);
    expect(result(lend)).toMatchObject({ detail: 'Due Dec 20, 2026.', stored_due_at: '2026-12-21T07:59:59.000Z' });
  });
});

describe('fines, expiry and book-drop dates in local days', () => {
  it('counts only open days late', async () => {
    northCalendar();
    // Due at the end of Friday 18 December; back at noon on Tuesday the 29th. Open days late: 19, 21, 22, 23, 28, 29 (not the
    // Sundays 20 and 27, nor Christmas 24–26).
    loan(ITEMS.book1, PATRONS.adult, '2026-11-27T18:00:00.000Z', '2026-12-19T07:59:59.000Z');
    const back = tx('checkin', { item_barcode: ITEMS.book1, occurred_at: '2026-12-29T20:00:00.000Z', workstation: DESK_A1 });
    const result = await run([back]);
    expect(result(back)).toMatchObject({ code: 'OVERDUE_FINE', detail: `Returned 6 days late: 1.50 billed to ${PATRONS.adult}.` });
    expect(env.db.prepare('SELECT amount_cents FROM bills').pluck().all()).toEqual([150]);
  });

  it('judges an expiry date by the desk’s own date, not UTC’s', async () => {
    env.db.prepare("UPDATE patrons SET expires_on = '2026-11-24' WHERE id = ?").run(patronId(PATRONS.adult));
    // 20:00 on the 24th in Los Angeles, already the 25th in UTC: the card is still good that evening.
    const lend = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: '2026-11-25T04:00:00.000Z', workstation: DESK_A1 });
    const result = await run([lend]);
    expect(result(lend)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
  });

  it('reads a book-drop date as the start of that day where the item came back', async () => {
    loan(ITEMS.southBook, PATRONS.adult, '2026-11-01T00:00:00.000Z', '2026-12-30T10:59:59.000Z');
    const back = tx('checkin', { item_barcode: ITEMS.southBook, backdate: '2026-12-01', occurred_at: '2026-12-02T01:00:00.000Z', workstation: DESK_B1 });
    await run([back]);
    // Midnight on 1 December in Auckland (UTC+13).
    expect(loansOf(env.db, ITEMS.southBook)[0].checkin_at).toBe('2026-11-30T11:00:00.000Z');
  });
});
