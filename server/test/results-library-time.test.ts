/**
 * What the results show of library time and money: a loan's stored due instant beside its
 * local date in the branch's zone (list, detail, CSV), every time in the CSV with its UTC
 * offset there, and the payments taken in the follow-up list.
 */
import { describe, it, expect } from 'vitest';
import {
  BRANCH_A, BRANCH_B, DESK_A1, ITEMS, PATRONS, SYSTEM, call, createSession, processSession, results, tx, upload, useTestEnv,
} from './helpers.js';
import type { FollowUpBranch, TransactionDetail } from '../../shared/api.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import { localTimeWithOffset } from '../domain/results-csv.js';
import { addLocalDays, formatLocalDate, instantOfLocal, localDateOf, today } from '../../shared/library-time.js';

/** A local date as processing words it in English: "Due Dec 22, 2026." */
const dueSentence = (date: string): string => `Due ${formatLocalDate(date, 'UTC', 'en')}.`;

const { env, cookies } = useTestEnv('sysadmin', 'circA');

const DESK_B = 'SOUTH-DESK-1';

/** The latest past moment a zone's clocks read `time`: scans stay recent, so no item changed after them. */
function lastLocal(zone: string, time: string): string {
  const at = instantOfLocal(today(zone), time, zone);
  return Date.parse(at) <= Date.now() ? at : instantOfLocal(addLocalDays(today(zone), -1), time, zone);
}

/** NORTH keeps Los Angeles time, SOUTH (through its system) Auckland's; desks registered at each. */
function zonesAndDesks(): void {
  env.db.prepare('UPDATE branches SET time_zone = ? WHERE code = ?').run('Pacific/Auckland', SYSTEM);
  env.db.prepare('UPDATE branches SET time_zone = ? WHERE code = ?').run('America/Los_Angeles', BRANCH_A);
  const desk = env.db.prepare("INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, 1, '2026-01-01T00:00:00.000Z')");
  desk.run(DESK_A1, env.library.branchIds[BRANCH_A]);
  desk.run(DESK_B, env.library.branchIds[BRANCH_B]);
}

async function processed(transactions: OfflineTransaction[], branch = SYSTEM): Promise<number> {
  const session = await createSession(env.app, cookies.sysadmin, { branch });
  const byDesk = new Map<string, OfflineTransaction[]>();
  for (const t of transactions) byDesk.set(t.workstation, [...(byDesk.get(t.workstation) ?? []), t]);
  for (const [workstation, batch] of byDesk) await upload(env.app, cookies.sysadmin, session.id, batch, { workstation });
  await processSession(env.app, cookies.sysadmin, session.id);
  return session.id;
}

describe('a loan’s due date in the results', () => {
  it('is the stored instant (UTC) beside its local date in the branch where it was lent, in the list and the detail', async () => {
    zonesAndDesks();
    // The desk gave a local date: the end of that day in Los Angeles is 07:59:59 the next day in UTC.
    const north = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, due_at: '2026-12-22' });
    const south = tx('checkout', { item_barcode: ITEMS.southBook, patron_barcode: PATRONS.adult2, due_at: '2026-12-22', workstation: DESK_B });
    const use = tx('in_house_use', { item_barcode: ITEMS.book2 });
    const sessionId = await processed([north, south, use]);

    const page = await results(env.app, cookies.sysadmin, sessionId, { limit: '100' });
    const result = (t: OfflineTransaction) => page.results.find((r) => r.id === t.id)!;
    expect(result(north)).toMatchObject({ branch: BRANCH_A, time_zone: 'America/Los_Angeles', due_at: '2026-12-23T07:59:59.000Z', due_date: '2026-12-22' });
    expect(result(south)).toMatchObject({ branch: BRANCH_B, time_zone: 'Pacific/Auckland', due_at: '2026-12-22T10:59:59.000Z', due_date: '2026-12-22' });
    expect(result(use)).toMatchObject({ branch: BRANCH_A, due_at: null, due_date: null });
    // What is stored on the loan, and what processing told staff.
    expect(env.db.prepare('SELECT due_at FROM loans WHERE checkout_txn = ?').pluck().get(north.id)).toBe('2026-12-23T07:59:59.000Z');
    expect(result(north).detail).toBe(dueSentence('2026-12-22'));

    const detail = (await call<TransactionDetail>(env.app, 'GET', `/api/sessions/${sessionId}/transactions/${north.id}`, cookies.sysadmin)).body;
    expect(detail).toMatchObject({ due_at: '2026-12-23T07:59:59.000Z', due_date: '2026-12-22', time_zone: 'America/Los_Angeles', transaction: { due_at: '2026-12-22' } });
  });

  it('is worked out by the loan policy on the branch’s calendar when the desk gave none, and a renewal’s too', async () => {
    zonesAndDesks();
    // 20:30 in Los Angeles: already the next day in UTC.
    const evening = lastLocal('America/Los_Angeles', '20:30');
    const lent = tx('checkout', { item_barcode: ITEMS.book3, patron_barcode: PATRONS.adult, occurred_at: evening });
    const renewed = tx('renew', { item_barcode: ITEMS.onLoan });
    const sessionId = await processed([lent, renewed], BRANCH_A);
    const page = await results(env.app, cookies.sysadmin, sessionId, { limit: '100' });
    const result = (t: OfflineTransaction) => page.results.find((r) => r.id === t.id)!;
    // The default policy's 21 days, counted from that evening's local date.
    const due = addLocalDays(localDateOf(evening, 'America/Los_Angeles'), 21);
    expect(result(lent)).toMatchObject({ due_at: instantOfLocal(due, '23:59:59', 'America/Los_Angeles'), due_date: due, detail: dueSentence(due) });
    expect(env.db.prepare('SELECT due_at FROM loans WHERE checkout_txn = ?').pluck().get(lent.id)).toBe(result(lent).due_at);
    const renewedDue = env.db.prepare('SELECT due_at FROM loans WHERE last_renew_txn = ?').pluck().get(renewed.id) as string;
    expect(result(renewed)).toMatchObject({ due_at: renewedDue, due_date: localDateOf(renewedDue, 'America/Los_Angeles') });
    expect(result(renewed).detail).toBe(dueSentence(result(renewed).due_date!));

  });
});

describe('the results CSV', () => {
  it('writes every time in its branch’s local time with the UTC offset then, and adds branch, zone, due date and a payment’s amount and note', async () => {
    zonesAndDesks();
    const north = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, due_at: '2026-12-22' });
    // 08:30 in Auckland: still the day before in UTC.
    const morning = lastLocal('Pacific/Auckland', '08:30');
    const payment = tx('payment', { patron_barcode: PATRONS.adult2, amount_cents: 550, note: 'cash, till 2', workstation: DESK_B, occurred_at: morning });
    delete (payment as Partial<OfflineTransaction>).item_barcode;
    const sessionId = await processed([north, payment]);
    const csv = await env.app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/results.csv`, headers: { cookie: cookies.sysadmin } });
    const [head, ...rows] = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    const columns = head.split(',');
    expect(columns.slice(0, 16)).toEqual(['id', 'seq', 'workstation', 'staff', 'type', 'occurred_at', 'item_barcode', 'patron_barcode', 'outcome', 'code',
      'all_codes', 'explanation', 'detail', 'notices', 'what_to_do', 'processed_at']);
    const cell = (row: string, name: string) => parseRow(row)[columns.indexOf(name)];
    const northRow = rows.find((r) => r.startsWith(north.id))!;
    expect(cell(northRow, 'branch')).toBe(BRANCH_A);
    expect(cell(northRow, 'time_zone')).toBe('America/Los_Angeles');
    expect(cell(northRow, 'due_date')).toBe('2026-12-22');
    expect(cell(northRow, 'due_at')).toBe('2026-12-22T23:59:59-08:00');
    expect(cell(northRow, 'processed_at')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/);
    const paymentRow = rows.find((r) => r.startsWith(payment.id))!;
    expect(cell(paymentRow, 'occurred_at')).toMatch(new RegExp(`^${localDateOf(morning, 'Pacific/Auckland')}T08:30:00\\+1[23]:00$`));
    expect(cell(paymentRow, 'amount_cents')).toBe('550');
    expect(cell(paymentRow, 'note')).toBe('cash, till 2');
    expect(cell(paymentRow, 'due_at')).toBe('');
  });

  it('names the same instant, to the second, in zones behind, ahead, at quarter hours, and across a change of offset', () => {
    expect(localTimeWithOffset('2026-12-23T07:59:59.000Z', 'America/Los_Angeles')).toBe('2026-12-22T23:59:59-08:00');
    expect(localTimeWithOffset('2026-07-01T06:59:59.000Z', 'America/Los_Angeles')).toBe('2026-06-30T23:59:59-07:00');
    expect(localTimeWithOffset('2026-12-22T10:59:59.000Z', 'Pacific/Auckland')).toBe('2026-12-22T23:59:59+13:00');
    expect(localTimeWithOffset('2026-12-22T18:14:59.000Z', 'Asia/Kathmandu')).toBe('2026-12-22T23:59:59+05:45');
    expect(localTimeWithOffset('2026-12-22T12:00:00.000Z', 'UTC')).toBe('2026-12-22T12:00:00+00:00');
    expect(localTimeWithOffset(null, 'UTC')).toBeNull();
    for (const [text, iso] of [['2026-12-22T23:59:59-08:00', '2026-12-23T07:59:59.000Z'], ['2026-12-22T23:59:59+05:45', '2026-12-22T18:14:59.000Z']]) {
      expect(new Date(text).toISOString()).toBe(iso);
    }
  });
});

describe('the follow-up list', () => {
  it('lists the payments taken, by the branch where they were taken: card, name, amount, credit left and note', async () => {
    zonesAndDesks();
    const patron = env.db.prepare('SELECT patron_id FROM patron_cards WHERE barcode = ?').pluck().get(PATRONS.adult) as number;
    env.db.prepare("INSERT INTO bills (patron_id, amount_cents, reason, created_at) VALUES (?, 300, 'Overdue', '2026-01-01T00:00:00.000Z')").run(patron);
    const paid = tx('payment', { patron_barcode: PATRONS.adult, amount_cents: 500, note: 'cash' });
    const exact = tx('payment', { patron_barcode: PATRONS.adult2, amount_cents: 100, workstation: DESK_B });
    const unknown = tx('payment', { patron_barcode: 'P-NOBODY', amount_cents: 100 });
    for (const t of [paid, exact, unknown]) delete (t as Partial<OfflineTransaction>).item_barcode;
    const sessionId = await processed([paid, exact, unknown]);
    const groups = (await call<FollowUpBranch[]>(env.app, 'GET', `/api/sessions/${sessionId}/follow-ups`, cookies.sysadmin)).body;
    expect(groups.map((g) => g.branch)).toEqual([BRANCH_A, BRANCH_B]);
    expect(groups[0].payments).toEqual([{ txn_id: paid.id, patron_card: PATRONS.adult, patron_name: `Test ${PATRONS.adult}`, amount_cents: 500, credit_cents: 200, note: 'cash' }]);
    expect(groups[1].payments).toEqual([{ txn_id: exact.id, patron_card: PATRONS.adult2, patron_name: `Test ${PATRONS.adult2}`, amount_cents: 100, credit_cents: 100, note: null }]);
  });
});

/** One CSV row's cells (RFC 4180 quotes). */
function parseRow(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (quoted) {
      if (c === '"' && row[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
  }
  cells.push(cell);
  return cells;
}
