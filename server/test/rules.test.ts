/**
 * The circulation rules of processing (SPEC §5–§6), one describe per rule:
 * each test uploads and processes a session through the API, then checks
 * both what staff read (outcome, code, detail) and what the circulation
 * database holds afterwards (loans, items, holds, transits, bills, notices).
 *
 * The data each test needs beyond the tiny test library (helpers.ts) is
 * built here with SQL, next to the test that relies on it.
 */
import { describe, it, expect } from 'vitest';
import {
  BRANCH_A, BRANCH_B, DESK_A1, DESK_A2, ITEMS, PATRONS, POLICY, call, countRows, createSession, daysFromNow, itemStatus,
  loansOf, minutesAgo, processSession, results, tx, upload, useTestEnv,
  storedDetail, wordedAt, wordedDay,
} from './helpers.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { SessionDetail, TransactionResult } from '../../shared/api.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');

const DAY = 86400_000;
const DESK_A3 = 'NORTH-DESK-3';
const DESK_B1 = 'SOUTH-DESK-1';
const OVERRIDE_OFF = "Not applied: the session's override policy is off.";

// ---------------------------------------------------------------------------------------------
// Building data with SQL, and reading the database back
// ---------------------------------------------------------------------------------------------

const branchId = (code: string): number => env.library.branchIds[code];
const patronId = (card: string): number =>
  env.db.prepare('SELECT patron_id FROM patron_cards WHERE barcode = ?').pluck().get(card) as number;
const itemId = (barcode: string): number => env.db.prepare('SELECT id FROM items WHERE barcode = ?').pluck().get(barcode) as number;
const titleOf = (barcode: string): string => env.db.prepare('SELECT title FROM items WHERE barcode = ?').pluck().get(barcode) as string;

/** The end of the day (UTC) `days` after the given time: how loans fall due. */
function dueDaysAfter(iso: string, days: number): string {
  const d = new Date(iso);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, 23, 59, 59)).toISOString();
}
const plus = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

function addItem(barcode: string, opts: { title?: string; type?: string; branch?: string; status?: string } = {}): number {
  const branch = branchId(opts.branch ?? BRANCH_A);
  return Number(env.db.prepare(`INSERT INTO items (barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
    VALUES (?, ?, 'An Author', 'X 2', ?, ?, ?, ?, ?)`)
    .run(barcode, opts.title ?? `Title of ${barcode}`, opts.type ?? 'book', branch, branch, opts.status ?? 'available', daysFromNow(-30)).lastInsertRowid);
}

function setItemStatus(barcode: string, status: string): void {
  env.db.prepare('UPDATE items SET status = ? WHERE barcode = ?').run(status, barcode);
}

/** A loan made online before the outage, and the item checked out. */
function addLoan(item: string, card: string, opts: { checkoutAt?: string; dueAt?: string; renewals?: number; status?: string } = {}): number {
  env.db.prepare('UPDATE items SET status = ? WHERE barcode = ?').run(opts.status ?? 'checked_out', item);
  return Number(env.db.prepare('INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, due_at, renewals) VALUES (?, ?, ?, ?, ?, ?)')
    .run(itemId(item), patronId(card), opts.checkoutAt ?? daysFromNow(-5), branchId(BRANCH_A), opts.dueAt ?? daysFromNow(16), opts.renewals ?? 0)
    .lastInsertRowid);
}

/** A hold on one item (`item`) or on any copy of a title (`title`). */
function addHold(card: string, opts: { item?: string; title?: string; pickup?: string; status?: string; createdAt?: string }): number {
  return Number(env.db.prepare('INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(patronId(card), opts.item ? itemId(opts.item) : null, opts.title ?? null, branchId(opts.pickup ?? BRANCH_A), opts.status ?? 'pending',
      opts.createdAt ?? daysFromNow(-3)).lastInsertRowid);
}

function addPatron(card: string, opts: { inactive?: boolean; profile?: string } = {}): number {
  const id = Number(env.db.prepare(`INSERT INTO patrons (first_name, last_name, profile, home_branch_id, expires_on, barred, inactive, created_at)
    VALUES ('Test', ?, ?, ?, '2099-12-31', 0, ?, ?)`).run(card, opts.profile ?? 'adult', branchId(BRANCH_A), opts.inactive ? 1 : 0, daysFromNow(-100)).lastInsertRowid);
  env.db.prepare('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, 1)').run(card, id);
  return id;
}

function addPolicy(itemType: string | null, profile: string | null, p: { days: number; renewals: number; fine: number; max: number }): void {
  env.db.prepare(`INSERT INTO loan_policies (item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents)
    VALUES (?, ?, ?, ?, ?, ?)`).run(itemType, profile, p.days, p.renewals, p.fine, p.max);
}

function registerWorkstation(name: string, branch: string): void {
  env.db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)')
    .run(name, branchId(branch), env.library.staffIds.sysadmin, daysFromNow(-60));
}

interface ItemState { status: string; current_branch: string; status_changed_at: string; status_changed_by_session: number | null }
function itemState(barcode: string): ItemState {
  return env.db.prepare(`SELECT i.status, b.code AS current_branch, i.status_changed_at, i.status_changed_by_session
    FROM items i JOIN branches b ON b.id = i.current_branch_id WHERE i.barcode = ?`).get(barcode) as ItemState;
}

interface HoldState { status: string; item: string | null; title: string | null; pickup: string; patron: string }
function hold(id: number): HoldState {
  return env.db.prepare(`SELECT h.status, i.barcode AS item, h.title, b.code AS pickup,
      (SELECT barcode FROM patron_cards c WHERE c.patron_id = h.patron_id AND c.active = 1) AS patron
    FROM holds h JOIN branches b ON b.id = h.pickup_branch_id LEFT JOIN items i ON i.id = h.item_id WHERE h.id = ?`).get(id) as HoldState;
}

interface TransitRow { from: string; to: string; reason: string; created_at: string; received_at: string | null; txn_id: string | null }
function transitsOf(barcode: string): TransitRow[] {
  return env.db.prepare(`SELECT f.code AS "from", t.code AS "to", tr.reason, tr.created_at, tr.received_at, tr.txn_id
    FROM transits tr JOIN items i ON i.id = tr.item_id JOIN branches f ON f.id = tr.from_branch_id JOIN branches t ON t.id = tr.to_branch_id
    WHERE i.barcode = ? ORDER BY tr.id`).all(barcode) as TransitRow[];
}

interface BillRow { patron: string; loan_id: number | null; amount_cents: number; reason: string; created_at: string; txn_id: string | null }
function bills(): BillRow[] {
  return env.db.prepare(`SELECT (SELECT barcode FROM patron_cards c WHERE c.patron_id = b.patron_id AND c.active = 1) AS patron,
    b.loan_id, b.amount_cents, b.reason, b.created_at, b.txn_id FROM bills b ORDER BY b.id`).all() as BillRow[];
}

interface NoticeRow { position: number; code: string; detail: string; branch: string | null; item: string | null; patron: string | null; to_branch: string | null }
function noticesOf(txnId: string): NoticeRow[] {
  return (env.db.prepare(`SELECT n.position, n.code, n.detail, b.code AS branch, i.barcode AS item,
      (SELECT barcode FROM patron_cards c WHERE c.patron_id = n.patron_id AND c.active = 1) AS patron, t.code AS to_branch
    FROM result_notices n LEFT JOIN branches b ON b.id = n.branch_id LEFT JOIN items i ON i.id = n.item_id
      LEFT JOIN branches t ON t.id = n.to_branch_id
    WHERE n.txn_id = ? ORDER BY n.position`).all(txnId) as NoticeRow[]).map((n) => ({ ...n, detail: storedDetail(n.detail)! }));
}

/** Everything processing may write to, for "nothing was written" checks. */
function circulationSnapshot(): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['loans', 'items', 'holds', 'transits', 'bills', 'in_house_uses', 'noncat_circulations', 'patrons', 'patron_cards']) {
    out[table] = env.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running sessions through the API
// ---------------------------------------------------------------------------------------------

interface Batch { transactions: OfflineTransaction[]; workstation?: string; device_time?: string }
interface Run {
  session: SessionDetail;
  /** Every result, in the order the API lists them (the processing order). */
  list: TransactionResult[];
  result(t: OfflineTransaction): TransactionResult;
}

async function sessionResults(sessionId: number): Promise<Pick<Run, 'list' | 'result'>> {
  const page = await results(env.app, cookies.sysadmin, sessionId, { limit: '1000' });
  const byId = new Map(page.results.map((r) => [r.id, r]));
  return { list: page.results, result: (t) => { const r = byId.get(t.id); expect(r, `no result for ${t.type} ${t.id}`).toBeDefined(); return r!; } };
}

/** Creates a session, uploads each batch (one upload per batch, in the order given), processes it. */
async function runUploads(batches: Batch[], options: { override_policy?: boolean; branch?: string } = {}): Promise<Run> {
  const created = await createSession(env.app, cookies.sysadmin, options);
  for (const b of batches) {
    const reply = await upload(env.app, cookies.circA, created.id, b.transactions, { workstation: b.workstation, device_time: b.device_time });
    expect(reply.accepted).toHaveLength(b.transactions.length);
  }
  const session = await processSession(env.app, cookies.sysadmin, created.id);
  return { session, ...(await sessionResults(created.id)) };
}

const runSession = (transactions: OfflineTransaction[], options: { override_policy?: boolean; branch?: string } = {}): Promise<Run> =>
  runUploads([{ transactions }], options);

/** The transaction's skew-corrected time, as processing stamps it. */
function correctedAt(t: OfflineTransaction): string {
  const sortAt = env.db.prepare('SELECT sort_at FROM offline_transactions WHERE id = ?').pluck().get(t.id) as number;
  return new Date(sortAt).toISOString();
}

// ---------------------------------------------------------------------------------------------

describe('order of application', () => {
  it('applies registrations first, then by skew-corrected time, ties broken by workstation and then seq', async () => {
    // DESK_A2's clock is 30 minutes slow; DESK_A1 and DESK_A3 are right. Six desks lend the same book in turn:
    // each checkout closes the previous loan, so the chain of loans is the order processing applied them in.
    const reg = tx('register', { workstation: DESK_A2, occurred_at: minutesAgo(35), // really 5 minutes ago: the latest of all
      patron: { barcode: 'P-REG', first_name: 'Reggie', last_name: 'New' } });
    const t1 = tx('checkout', { workstation: DESK_A1, occurred_at: minutesAgo(40), patron_barcode: PATRONS.adult });
    const t2 = tx('checkout', { workstation: DESK_A2, occurred_at: minutesAgo(65), patron_barcode: PATRONS.juvenile }); // really 35 min ago
    const tie = minutesAgo(30);
    const t3 = tx('checkout', { workstation: DESK_A1, occurred_at: tie, patron_barcode: PATRONS.adult2 });
    // Same corrected time as t3 from another desk, with a card only registered (by the device's clock) 5 minutes ago.
    const t4 = tx('checkout', { workstation: DESK_A3, occurred_at: tie, patron_barcode: 'P-REG' });
    const sameTime = minutesAgo(20);
    const t5 = tx('checkout', { workstation: DESK_A3, occurred_at: sameTime, seq: 90_001, patron_barcode: PATRONS.adult });
    const t6 = tx('checkout', { workstation: DESK_A3, occurred_at: sameTime, seq: 90_000, patron_barcode: PATRONS.newCard });

    const run = await runUploads([
      { transactions: [t5, t4, t6], workstation: DESK_A3 },
      { transactions: [t2, reg], workstation: DESK_A2, device_time: minutesAgo(30) },
      { transactions: [t3, t1], workstation: DESK_A1 },
    ]);
    const offsetA2 = run.session.uploads.find((u) => u.workstation === DESK_A2)!.clock_offset_ms;
    expect(offsetA2).toBeGreaterThanOrEqual(30 * 60_000);
    expect(offsetA2).toBeLessThan(30 * 60_000 + 5000);
    expect(run.session.uploads.filter((u) => u.workstation !== DESK_A2).map((u) => u.clock_offset_ms)).toEqual([0, 0]);

    const order = [reg, t1, t2, t3, t4, t6, t5];
    expect(run.list.map((r) => r.id)).toEqual(order.map((t) => t.id));
    expect(run.result(reg)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(run.result(t1)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    for (const [t, previous] of [[t2, PATRONS.adult], [t3, PATRONS.juvenile], [t4, PATRONS.adult2], [t6, 'P-REG'], [t5, PATRONS.newCard]] as const) {
      expect(run.result(t), `${t.patron_barcode}`).toMatchObject({
        outcome: 'applied_with_notice', code: 'OPEN_CIRCULATION_EXISTS',
        detail: expect.stringContaining(`Item ${ITEMS.book1} was on loan to ${previous}; that loan was closed at ${wordedAt(correctedAt(t))}.`),
      });
    }

    const loans = loansOf(env.db, ITEMS.book1);
    expect(loans.map((l) => [l.patron_card, l.checkout_txn])).toEqual(
      [[PATRONS.adult, t1.id], [PATRONS.juvenile, t2.id], [PATRONS.adult2, t3.id], ['P-REG', t4.id], [PATRONS.newCard, t6.id], [PATRONS.adult, t5.id]]);
    // The slow desk's checkout is stamped with the corrected time, not the device's.
    expect(loans[1].checkout_at).toBe(new Date(Date.parse(t2.occurred_at) + offsetA2).toISOString());
    expect(loans[1].checkout_at).toBe(correctedAt(t2));
    // Each loan was closed by the next checkout, at that checkout's time; only the last is open.
    for (let i = 0; i < loans.length - 1; i++) {
      expect(loans[i]).toMatchObject({ checkin_at: loans[i + 1].checkout_at, checkin_txn: loans[i + 1].checkout_txn });
    }
    expect(loans[5].checkin_at).toBeNull();
    expect(itemState(ITEMS.book1)).toMatchObject({ status: 'checked_out', status_changed_at: correctedAt(t5) });
  });
});

describe('holds', () => {
  it('HOLD_CAPTURED: a checkin at the pickup branch puts the item on the hold shelf for the patron', async () => {
    const h = addHold(PATRONS.adult2, { item: ITEMS.onLoan, pickup: BRANCH_A });
    const checkin = tx('checkin', { item_barcode: ITEMS.onLoan });
    const run = await runSession([checkin]);

    expect(run.result(checkin)).toMatchObject({
      outcome: 'applied_with_notice', code: 'HOLD_CAPTURED',
      detail: `Put ${ITEMS.onLoan} “Title of ${ITEMS.onLoan}” on the hold shelf for Test ${PATRONS.adult2} (${PATRONS.adult2}).`,
    });
    expect(hold(h)).toMatchObject({ status: 'on_shelf', item: ITEMS.onLoan });
    expect(itemState(ITEMS.onLoan)).toMatchObject({ status: 'on_hold_shelf', current_branch: BRANCH_A });
    expect(loansOf(env.db, ITEMS.onLoan)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult, checkin_at: correctedAt(checkin), checkin_txn: checkin.id })]);
    expect(transitsOf(ITEMS.onLoan)).toEqual([]);
    expect(noticesOf(checkin.id)).toEqual([{ position: 0, code: 'HOLD_CAPTURED', detail: run.result(checkin).detail, branch: BRANCH_A,
      item: ITEMS.onLoan, patron: PATRONS.adult2, to_branch: null }]);
  });

  it('ROUTE_ITEM for a hold: a checkin away from the pickup branch captures the hold and sends the item there', async () => {
    registerWorkstation(DESK_B1, BRANCH_B);
    const h = addHold(PATRONS.adult2, { item: ITEMS.onLoan, pickup: BRANCH_B });
    const checkin = tx('checkin', { item_barcode: ITEMS.onLoan });
    const run = await runSession([checkin]);

    expect(run.result(checkin)).toMatchObject({
      outcome: 'applied_with_notice', code: 'ROUTE_ITEM',
      detail: `Send ${ITEMS.onLoan} “Title of ${ITEMS.onLoan}” to ${BRANCH_B} for Test ${PATRONS.adult2} (${PATRONS.adult2})'s hold.`,
    });
    expect(hold(h)).toMatchObject({ status: 'captured', item: ITEMS.onLoan, pickup: BRANCH_B });
    expect(itemState(ITEMS.onLoan)).toMatchObject({ status: 'in_transit', current_branch: BRANCH_A });
    expect(transitsOf(ITEMS.onLoan)).toEqual([
      { from: BRANCH_A, to: BRANCH_B, reason: 'hold', created_at: correctedAt(checkin), received_at: null, txn_id: checkin.id }]);
    expect(noticesOf(checkin.id)).toEqual([expect.objectContaining({ code: 'ROUTE_ITEM', item: ITEMS.onLoan, patron: PATRONS.adult2, to_branch: BRANCH_B })]);

    // It arrives: checked in at the pickup branch's desk, the transit ends and the hold goes on the shelf.
    const arrival = tx('checkin', { item_barcode: ITEMS.onLoan, workstation: DESK_B1, occurred_at: minutesAgo(1) });
    const second = await runUploads([{ transactions: [arrival], workstation: DESK_B1 }]);
    expect(second.result(arrival)).toMatchObject({ outcome: 'applied_with_notice', code: 'HOLD_CAPTURED',
      detail: expect.stringContaining(`hold shelf for Test ${PATRONS.adult2}`) });
    expect(noticesOf(arrival.id)[0]).toMatchObject({ code: 'HOLD_CAPTURED', branch: BRANCH_B, patron: PATRONS.adult2 });
    expect(hold(h)).toMatchObject({ status: 'on_shelf', item: ITEMS.onLoan });
    expect(itemState(ITEMS.onLoan)).toMatchObject({ status: 'on_hold_shelf', current_branch: BRANCH_B });
    expect(transitsOf(ITEMS.onLoan)).toEqual([expect.objectContaining({ reason: 'hold', received_at: correctedAt(arrival) })]);
  });

  it('fills title-level holds too: an item-level hold wins over a title-level one, and older holds go first', async () => {
    const title = 'Shared Title';
    for (const copy of ['I-COPY1', 'I-COPY2', 'I-COPY3', 'I-COPY4']) addItem(copy, { title });
    addItem('I-OTHER', { title: 'Another Title' });
    const cancelled = addHold(PATRONS.newCard, { title, status: 'cancelled', createdAt: daysFromNow(-9) });
    const oldest = addHold(PATRONS.adult, { title, createdAt: daysFromNow(-3) });
    const younger = addHold(PATRONS.juvenile, { title, createdAt: daysFromNow(-2) });
    const onCopy2 = addHold(PATRONS.adult2, { item: 'I-COPY2', createdAt: daysFromNow(-1) });

    const c1 = tx('checkin', { item_barcode: 'I-COPY1', occurred_at: minutesAgo(40) });
    const other = tx('checkin', { item_barcode: 'I-OTHER', occurred_at: minutesAgo(35) });
    const c2 = tx('checkin', { item_barcode: 'I-COPY2', occurred_at: minutesAgo(30) });
    const c3 = tx('checkin', { item_barcode: 'I-COPY3', occurred_at: minutesAgo(20) });
    const c4 = tx('checkin', { item_barcode: 'I-COPY4', occurred_at: minutesAgo(10) });
    const run = await runSession([c1, other, c2, c3, c4]);

    const shelved = (t: OfflineTransaction, card: string) => expect(run.result(t)).toMatchObject({ outcome: 'applied_with_notice',
      code: 'HOLD_CAPTURED', detail: expect.stringContaining(`on the hold shelf for Test ${card} (${card}).`) });
    shelved(c1, PATRONS.adult); // the oldest title-level hold (the cancelled one does not count)
    shelved(c2, PATRONS.adult2); // its own item-level hold, though younger than the title-level hold still waiting
    shelved(c3, PATRONS.juvenile); // the next title-level hold
    expect(run.result(c4)).toMatchObject({ code: 'ITEM_NOT_CHECKED_OUT' }); // nobody left waiting
    expect(run.result(other)).toMatchObject({ code: 'ITEM_NOT_CHECKED_OUT' });

    expect(hold(oldest)).toMatchObject({ status: 'on_shelf', item: 'I-COPY1', title });
    expect(hold(onCopy2)).toMatchObject({ status: 'on_shelf', item: 'I-COPY2' });
    expect(hold(younger)).toMatchObject({ status: 'on_shelf', item: 'I-COPY3', title });
    expect(hold(cancelled)).toMatchObject({ status: 'cancelled', item: null });
    expect(['I-COPY1', 'I-COPY2', 'I-COPY3', 'I-COPY4', 'I-OTHER'].map((b) => itemStatus(env.db, b)))
      .toEqual(['on_hold_shelf', 'on_hold_shelf', 'on_hold_shelf', 'available', 'available']);
  });

  it('a hold on a title\'s record waits for the items of that record only, whatever their title text', async () => {
    // Two editions share a title; the library system tells them apart by record.
    addItem('I-ED1', { title: 'Collected Poems' });
    addItem('I-ED2', { title: 'Collected Poems' });
    env.db.prepare("UPDATE items SET record_id = 'rec-1990' WHERE barcode = 'I-ED1'").run();
    env.db.prepare("UPDATE items SET record_id = 'rec-2020' WHERE barcode = 'I-ED2'").run();
    const wanted = addHold(PATRONS.adult2, { title: 'Collected Poems' });
    env.db.prepare("UPDATE holds SET record_id = 'rec-2020' WHERE id = ?").run(wanted);

    const old = tx('checkin', { item_barcode: 'I-ED1', occurred_at: minutesAgo(20) });
    const recent = tx('checkin', { item_barcode: 'I-ED2', occurred_at: minutesAgo(10) });
    const run = await runSession([old, recent]);
    expect(run.result(old)).toMatchObject({ code: 'ITEM_NOT_CHECKED_OUT' });
    expect(run.result(recent)).toMatchObject({ code: 'HOLD_CAPTURED' });
    expect(hold(wanted)).toMatchObject({ status: 'on_shelf', item: 'I-ED2' });
  });

  it('ROUTE_ITEM home: a checkin away from the owning branch with no hold sends the item home', async () => {
    registerWorkstation(DESK_B1, BRANCH_B);
    addLoan(ITEMS.southBook, PATRONS.adult);
    const atNorth = tx('checkin', { item_barcode: ITEMS.southBook, workstation: DESK_A1, occurred_at: minutesAgo(30) });
    // A desk registered at SOUTH takes back a NORTH book: the workstation's branch counts, not the session's.
    addLoan(ITEMS.book2, PATRONS.adult2);
    const atSouth = tx('checkin', { item_barcode: ITEMS.book2, workstation: DESK_B1, occurred_at: minutesAgo(20) });
    // A NORTH book back at NORTH: no routing.
    const atHome = tx('checkin', { item_barcode: ITEMS.onLoan, workstation: DESK_A1, occurred_at: minutesAgo(10) });
    const run = await runUploads([{ transactions: [atNorth, atHome] }, { transactions: [atSouth], workstation: DESK_B1 }]);

    expect(run.result(atNorth)).toMatchObject({ outcome: 'applied_with_notice', code: 'ROUTE_ITEM',
      detail: `Send ${ITEMS.southBook} “Title of ${ITEMS.southBook}” home to ${BRANCH_B}.` });
    expect(transitsOf(ITEMS.southBook)).toEqual([
      { from: BRANCH_A, to: BRANCH_B, reason: 'home', created_at: correctedAt(atNorth), received_at: null, txn_id: atNorth.id }]);
    expect(itemState(ITEMS.southBook)).toMatchObject({ status: 'in_transit', current_branch: BRANCH_A });
    expect(noticesOf(atNorth.id)).toEqual([expect.objectContaining({ code: 'ROUTE_ITEM', branch: BRANCH_A, to_branch: BRANCH_B, patron: null })]);

    expect(run.result(atSouth)).toMatchObject({ code: 'ROUTE_ITEM', detail: `Send ${ITEMS.book2} “Title of ${ITEMS.book2}” home to ${BRANCH_A}.` });
    expect(transitsOf(ITEMS.book2)).toEqual([expect.objectContaining({ from: BRANCH_B, to: BRANCH_A, reason: 'home' })]);
    expect(itemState(ITEMS.book2)).toMatchObject({ status: 'in_transit', current_branch: BRANCH_B });
    expect(loansOf(env.db, ITEMS.book2)[0]).toMatchObject({ checkin_txn: atSouth.id });

    expect(run.result(atHome)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(transitsOf(ITEMS.onLoan)).toEqual([]);
    expect(itemState(ITEMS.onLoan)).toMatchObject({ status: 'available', current_branch: BRANCH_A });
  });

  it('HOLD_FOR_OTHER_PATRON: lending or renewing while someone else’s hold waits leaves the hold waiting', async () => {
    const onItem = addHold(PATRONS.adult2, { item: ITEMS.book1 });
    const onTitle = addHold(PATRONS.juvenile, { title: titleOf(ITEMS.onLoan) });
    const checkout = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult });
    const renew = tx('renew', { item_barcode: ITEMS.onLoan, patron_barcode: PATRONS.adult });
    const run = await runSession([checkout, renew]);

    expect(run.result(checkout)).toMatchObject({ outcome: 'applied_with_notice', code: 'HOLD_FOR_OTHER_PATRON',
      detail: expect.stringContaining(`Test ${PATRONS.adult2} (${PATRONS.adult2}) has a hold waiting on “Title of ${ITEMS.book1}”; it waits for the next copy.`) });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult, checkout_txn: checkout.id, checkin_at: null })]);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('checked_out');
    expect(hold(onItem)).toMatchObject({ status: 'pending', item: ITEMS.book1 });
    expect(noticesOf(checkout.id)).toEqual([expect.objectContaining({ code: 'HOLD_FOR_OTHER_PATRON', item: ITEMS.book1, patron: PATRONS.adult2 })]);

    expect(run.result(renew)).toMatchObject({ outcome: 'applied_with_notice', code: 'HOLD_FOR_OTHER_PATRON',
      detail: expect.stringContaining(`Test ${PATRONS.juvenile} (${PATRONS.juvenile}) has a hold waiting`) });
    expect(loansOf(env.db, ITEMS.onLoan)[0]).toMatchObject({ renewals: 1, last_renew_txn: renew.id });
    expect(hold(onTitle)).toMatchObject({ status: 'pending', item: null });
  });

  it('ITEM_ON_HOLDS_SHELF / HOLD_FOR_OTHER_PATRON: an item set aside for another patron is lent anyway and their hold goes back to pending', async () => {
    setItemStatus(ITEMS.book1, 'on_hold_shelf');
    const shelved = addHold(PATRONS.adult2, { item: ITEMS.book1, status: 'on_shelf' });
    registerWorkstation(DESK_B1, BRANCH_B);
    setItemStatus(ITEMS.book2, 'in_transit');
    env.db.prepare(`INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, created_at) VALUES (?, ?, ?, 'hold', ?)`)
      .run(itemId(ITEMS.book2), branchId(BRANCH_A), branchId(BRANCH_B), daysFromNow(-1));
    const captured = addHold(PATRONS.juvenile, { item: ITEMS.book2, status: 'captured', pickup: BRANCH_B });

    const lendShelved = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(20) });
    const lendCaptured = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(10) });
    const run = await runSession([lendShelved, lendCaptured]);

    expect(run.result(lendShelved)).toMatchObject({ outcome: 'applied_with_notice', code: 'ITEM_ON_HOLDS_SHELF',
      detail: expect.stringContaining(`Item ${ITEMS.book1} waited on the hold shelf for Test ${PATRONS.adult2} (${PATRONS.adult2}); their hold stays, first in line for the next copy.`) });
    expect(noticesOf(lendShelved.id).map((n) => n.code)).toEqual(['ITEM_ON_HOLDS_SHELF']);
    expect(hold(shelved)).toMatchObject({ status: 'pending', item: ITEMS.book1 });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult, checkin_at: null })]);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('checked_out');

    expect(run.result(lendCaptured)).toMatchObject({ code: 'HOLD_FOR_OTHER_PATRON', detail: expect.stringContaining(`set aside for Test ${PATRONS.juvenile}`) });
    // It was travelling to the hold's branch: that is said, and the transit ends.
    expect(noticesOf(lendCaptured.id)).toEqual([
      expect.objectContaining({ code: 'HOLD_FOR_OTHER_PATRON' }),
      expect.objectContaining({ code: 'COPY_NOT_AVAILABLE', detail: `Item ${ITEMS.book2} was in transit from ${BRANCH_A} to ${BRANCH_B}; the transit was closed.`,
        to_branch: BRANCH_B }),
    ]);
    expect(hold(captured)).toMatchObject({ status: 'pending', item: ITEMS.book2 });
    // The desk has the book in hand: its transit ends.
    expect(transitsOf(ITEMS.book2)).toEqual([expect.objectContaining({ reason: 'hold', received_at: correctedAt(lendCaptured) })]);
  });

  it('a title-level hold set aside on a copy that is lent to someone else waits for any copy again', async () => {
    const title = 'Shared Title';
    addItem('I-COPY1', { title, status: 'on_hold_shelf' });
    addItem('I-COPY2', { title });
    const h = addHold(PATRONS.adult2, { title });
    env.db.prepare("UPDATE holds SET status = 'on_shelf', item_id = ? WHERE id = ?").run(itemId('I-COPY1'), h);

    const lend = tx('checkout', { item_barcode: 'I-COPY1', patron_barcode: PATRONS.adult, occurred_at: minutesAgo(20) });
    const otherCopyBack = tx('checkin', { item_barcode: 'I-COPY2', occurred_at: minutesAgo(10) });
    const run = await runSession([lend, otherCopyBack]);

    expect(run.result(lend)).toMatchObject({ code: 'ITEM_ON_HOLDS_SHELF', detail: expect.stringContaining('their hold stays, first in line for the next copy') });
    expect(run.result(otherCopyBack)).toMatchObject({ code: 'HOLD_CAPTURED', detail: expect.stringContaining(`for Test ${PATRONS.adult2}`) });
    expect(hold(h)).toMatchObject({ status: 'on_shelf', item: 'I-COPY2', title });
  });

  it('a checkout by the hold’s own patron fulfils the hold', async () => {
    setItemStatus(ITEMS.book1, 'on_hold_shelf');
    const shelved = addHold(PATRONS.adult2, { item: ITEMS.book1, status: 'on_shelf' });
    const waiting = addHold(PATRONS.adult, { title: titleOf(ITEMS.book2) });
    const pickUp = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult2 });
    const lendToWaiter = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.adult });
    const run = await runSession([pickUp, lendToWaiter]);

    expect(run.result(pickUp)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(hold(shelved)).toMatchObject({ status: 'fulfilled', item: ITEMS.book1 });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult2, checkout_txn: pickUp.id })]);
    expect(run.result(lendToWaiter)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(hold(waiting)).toMatchObject({ status: 'fulfilled', item: ITEMS.book2 });
    expect(noticesOf(pickUp.id)).toEqual([]);
  });

  it('a patron collecting the copy set aside for them gets it with no notice, though others queue on the title', async () => {
    setItemStatus(ITEMS.book1, 'on_hold_shelf');
    const shelved = addHold(PATRONS.adult2, { item: ITEMS.book1, status: 'on_shelf', createdAt: daysFromNow(-2) });
    // Older than the collected hold, still waiting for a copy of the same title.
    const queued = addHold(PATRONS.juvenile, { title: titleOf(ITEMS.book1), createdAt: daysFromNow(-9) });
    const pickUp = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult2 });
    // With the override policy off, a notice would have refused the loan.
    const run = await runSession([pickUp], { override_policy: false });

    expect(run.result(pickUp)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(hold(shelved)).toMatchObject({ status: 'fulfilled', item: ITEMS.book1 });
    expect(hold(queued)).toMatchObject({ status: 'pending', item: null });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult2, checkout_txn: pickUp.id })]);
  });
});

describe('due dates', () => {
  it('honours the due date the desk recorded, else the loan policy for item type × patron profile', async () => {
    addItem('I-DVD2', { type: 'dvd' });
    addItem('I-MAG', { type: 'magazine' });
    // Added while the server runs: processing must use it.
    addPolicy('dvd', 'juvenile', { days: 3, renewals: 0, fine: 50, max: 200 });
    const given = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, due_at: '2031-02-03' });
    const givenInstant = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.juvenile, due_at: '2031-02-04T12:00:00.000Z' });
    const dvdJuvenile = tx('checkout', { item_barcode: 'I-DVD2', patron_barcode: PATRONS.juvenile });
    const dvdAdult = tx('checkout', { item_barcode: ITEMS.dvd, patron_barcode: PATRONS.adult });
    const bookJuvenile = tx('checkout', { item_barcode: ITEMS.book3, patron_barcode: PATRONS.juvenile });
    const magAdult = tx('checkout', { item_barcode: 'I-MAG', patron_barcode: PATRONS.adult }); // no magazine policy: the default
    const run = await runSession([given, givenInstant, dvdJuvenile, dvdAdult, bookJuvenile, magAdult]);

    const cases: [OfflineTransaction, string, string][] = [
      [given, ITEMS.book1, '2031-02-03T23:59:59.000Z'],
      [givenInstant, ITEMS.book2, '2031-02-04T12:00:00.000Z'],
      [dvdJuvenile, 'I-DVD2', dueDaysAfter(correctedAt(dvdJuvenile), 3)],
      [dvdAdult, ITEMS.dvd, dueDaysAfter(correctedAt(dvdAdult), POLICY.dvdDays)],
      [bookJuvenile, ITEMS.book3, dueDaysAfter(correctedAt(bookJuvenile), POLICY.juvenileBookDays)],
      [magAdult, 'I-MAG', dueDaysAfter(correctedAt(magAdult), POLICY.defaultDays)],
    ];
    for (const [t, item, due] of cases) {
      expect(run.result(t), item).toMatchObject({ outcome: 'applied', code: 'SUCCESS', detail: `Due ${wordedDay(due.slice(0, 10))}.` });
      expect(loansOf(env.db, item), item).toEqual([expect.objectContaining({ due_at: due, checkout_txn: t.id })]);
    }
  });

  it('renews from the later of the due date and the renewal time', async () => {
    // Not yet due: the new period starts at the old due date.
    const [current] = loansOf(env.db, ITEMS.onLoan);
    // Overdue by ten days: the new period starts at the renewal.
    addLoan(ITEMS.book1, PATRONS.adult, { checkoutAt: daysFromNow(-31), dueAt: daysFromNow(-10) });
    // The desk wrote a due date: it stands.
    addLoan(ITEMS.book2, PATRONS.adult);
    const early = tx('renew', { item_barcode: ITEMS.onLoan, patron_barcode: PATRONS.adult });
    const late = tx('renew', { item_barcode: ITEMS.book1 });
    const given = tx('renew', { item_barcode: ITEMS.book2, due_at: '2031-03-01' });
    const run = await runSession([early, late, given]);

    const expected: [OfflineTransaction, string, string][] = [
      [early, ITEMS.onLoan, dueDaysAfter(current.due_at, POLICY.defaultDays)],
      [late, ITEMS.book1, dueDaysAfter(correctedAt(late), POLICY.defaultDays)],
      [given, ITEMS.book2, '2031-03-01T23:59:59.000Z'],
    ];
    for (const [t, item, due] of expected) {
      expect(run.result(t), item).toMatchObject({ outcome: 'applied', code: 'SUCCESS', detail: `Due ${wordedDay(due.slice(0, 10))}.` });
      expect(loansOf(env.db, item), item).toEqual([expect.objectContaining({ due_at: due, renewals: 1, last_renew_txn: t.id, checkin_at: null })]);
    }
  });
});

describe('backdated checkins', () => {
  /**
   * An overdue loan to `adult`, due at the end of the day ten days ago, as loans fall due (the test library keeps
   * UTC), so a checkin a few minutes ago is 10 local days late.
   */
  function overdueLoan(item: string = ITEMS.book1): { loanId: number; due: string; checkout: string } {
    const due = `${daysFromNow(-10).slice(0, 10)}T23:59:59.000Z`;
    const checkout = plus(due, -21 * DAY);
    return { loanId: addLoan(item, PATRONS.adult, { checkoutAt: checkout, dueAt: due }), due, checkout };
  }

  it('closes the loan at the backdate and bills the fine for each local day late (OVERDUE_FINE)', async () => {
    const { loanId, due } = overdueLoan();
    const backdate = plus(due, 3 * DAY + 3600_000); // 3 days and an hour after the end of the due day: the 4th day after it
    const checkin = tx('checkin', { item_barcode: ITEMS.book1, backdate });
    const run = await runSession([checkin]);

    expect(run.result(checkin)).toMatchObject({ outcome: 'applied_with_notice', code: 'OVERDUE_FINE',
      detail: `Returned 4 days late: 1.00 billed to ${PATRONS.adult}.` });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ checkin_at: backdate, checkin_txn: checkin.id })]);
    expect(bills()).toEqual([{ patron: PATRONS.adult, loan_id: loanId, amount_cents: 4 * 25, reason: `Overdue 4 day(s): ${ITEMS.book1}`,
      created_at: correctedAt(checkin), txn_id: checkin.id }]);
    expect(noticesOf(checkin.id)).toEqual([expect.objectContaining({ code: 'OVERDUE_FINE', item: ITEMS.book1, patron: PATRONS.adult })]);
    expect(itemState(ITEMS.book1)).toMatchObject({ status: 'available', status_changed_at: correctedAt(checkin) });
  });

  it('reads a date-only backdate as the start of that day, and caps the fine at the policy maximum', async () => {
    addPolicy('book', 'adult', { days: 21, renewals: 2, fine: 50, max: 300 });
    const { due } = overdueLoan(ITEMS.book1);
    const day = plus(due, 2 * DAY).slice(0, 10); // midnight two days after the due day: between 1 and 2 days late, so 2 started days
    const small = tx('checkin', { item_barcode: ITEMS.book1, backdate: day });
    const { due: due2 } = overdueLoan(ITEMS.book2);
    const capped = tx('checkin', { item_barcode: ITEMS.book2 }); // ten days late at 0.50 a day, capped at 3.00
    const run = await runSession([small, capped]);

    expect(loansOf(env.db, ITEMS.book1)[0].checkin_at).toBe(`${day}T00:00:00.000Z`);
    expect(run.result(small)).toMatchObject({ code: 'OVERDUE_FINE', detail: `Returned 2 days late: 1.00 billed to ${PATRONS.adult}.` });
    expect(run.result(capped)).toMatchObject({ code: 'OVERDUE_FINE', detail: `Returned 10 days late: 3.00 billed to ${PATRONS.adult}.` });
    expect(loansOf(env.db, ITEMS.book2)[0].checkin_at).toBe(correctedAt(capped));
    expect(Date.parse(correctedAt(capped)) - Date.parse(due2)).toBeGreaterThan(9 * DAY);
    expect(bills().map((b) => [b.txn_id, b.amount_cents])).toEqual([[small.id, 100], [capped.id, 300]]);
  });

  it('bills nothing for a backdate before the due date, and never closes a loan before it began', async () => {
    const { due } = overdueLoan(ITEMS.book1);
    const beforeDue = plus(due, -2 * DAY);
    const inTime = tx('checkin', { item_barcode: ITEMS.book1, backdate: beforeDue });
    const { checkout } = overdueLoan(ITEMS.book2);
    const tooEarly = tx('checkin', { item_barcode: ITEMS.book2, backdate: plus(checkout, -5 * DAY) });
    const run = await runSession([inTime, tooEarly]);

    expect(run.result(inTime)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.book1)[0]).toMatchObject({ checkin_at: beforeDue, checkin_txn: inTime.id });
    expect(run.result(tooEarly)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.book2)[0]).toMatchObject({ checkin_at: checkout, checkin_txn: tooEarly.id });
    expect(bills()).toEqual([]);
    expect(noticesOf(inTime.id)).toEqual([]);
  });
});

describe('stale scans', () => {
  it('SKIP_ASSET_CHANGED: skips each scan older than an online change; scans after it apply, as in time order', async () => {
    const before = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(40) });
    const alsoBefore = tx('checkin', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(30) });
    const after = tx('in_house_use', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(10) });
    const unrelated = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(35) });
    const unrelatedLater = tx('in_house_use', { item_barcode: ITEMS.book2, occurred_at: minutesAgo(5) });
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [before, alsoBefore, after, unrelated, unrelatedLater]);

    // Meanwhile, online, someone marked the book missing.
    const changedAt = minutesAgo(20);
    env.db.prepare('UPDATE items SET status = ?, status_changed_at = ?, status_changed_by_session = NULL WHERE barcode = ?')
      .run('missing', changedAt, ITEMS.book1);
    const detail = await processSession(env.app, cookies.sysadmin, session.id);
    const run = await sessionResults(session.id);

    expect(detail.counts).toMatchObject({ total: 5, skipped: 2, applied: 3 });
    for (const t of [before, alsoBefore]) {
      expect(run.result(t)).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED',
        detail: `Item ${ITEMS.book1} became missing online at ${wordedAt(changedAt)}, after this scan at ${wordedAt(correctedAt(t))}.` });
      expect(noticesOf(t.id)).toEqual([]);
    }
    expect(loansOf(env.db, ITEMS.book1)).toEqual([]);
    expect(itemState(ITEMS.book1)).toEqual({ status: 'missing', current_branch: BRANCH_A, status_changed_at: changedAt, status_changed_by_session: null });
    // Made after the change, the in-house use stands on its own.
    expect(run.result(after)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(countRows(env.db, 'in_house_uses', 'txn_id = ?', after.id)).toBe(1);

    expect(run.result(unrelated)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(run.result(unrelatedLater)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.book2)).toEqual([expect.objectContaining({ checkout_txn: unrelated.id })]);

    // A late upload into the same session, processed in a second run: older than the change, still skipped;
    // newer, it applies to the item as it is now (missing, and back).
    await call(env.app, 'POST', `/api/sessions/${session.id}/reopen`, cookies.sysadmin);
    const lateOld = tx('renew', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(25) });
    const lateNew = tx('checkin', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(2) });
    await upload(env.app, cookies.circA, session.id, [lateOld, lateNew]);
    await processSession(env.app, cookies.sysadmin, session.id);
    const second = await sessionResults(session.id);
    expect(second.result(lateOld)).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED' });
    expect(second.result(lateNew)).toMatchObject({ outcome: 'applied_with_notice', code: 'COPY_STATUS_MISSING' });
    expect(itemState(ITEMS.book1)).toMatchObject({ status: 'available', status_changed_at: correctedAt(lateNew), status_changed_by_session: session.id });
  });

  it('a change made by an earlier run of the same session makes an older late scan stale too, and says which', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const checkout = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(10) });
    await upload(env.app, cookies.circA, session.id, [checkout]);
    await processSession(env.app, cookies.sysadmin, session.id);
    // A late upload of a scan made before that checkout: the item changed after it, in this session's first run.
    await call(env.app, 'POST', `/api/sessions/${session.id}/reopen`, cookies.sysadmin);
    const earlier = tx('in_house_use', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(30) });
    await upload(env.app, cookies.circA, session.id, [earlier]);
    await processSession(env.app, cookies.sysadmin, session.id);
    expect((await sessionResults(session.id)).result(earlier)).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED',
      detail: `Item ${ITEMS.book1} became checked out by a checkout from ${DESK_A1} already applied in this session (an earlier run or a retry) at ${wordedAt(correctedAt(checkout))}, after this scan at ${wordedAt(correctedAt(earlier))}.` });
    expect(countRows(env.db, 'in_house_uses', 'txn_id = ?', earlier.id)).toBe(0);
    expect(itemState(ITEMS.book1)).toMatchObject({ status: 'checked_out', status_changed_at: correctedAt(checkout), status_changed_by_session: session.id });

    // Another session's scan from before that checkout is stale, and names the session and the transaction that changed the item.
    const other = await createSession(env.app, cookies.sysadmin);
    const stale = tx('in_house_use', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(20) });
    await upload(env.app, cookies.circA, other.id, [stale]);
    await processSession(env.app, cookies.sysadmin, other.id);
    expect((await sessionResults(other.id)).result(stale)).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED',
      detail: `Item ${ITEMS.book1} became checked out by a checkout from ${DESK_A1} in offline session ${session.id} at ${wordedAt(correctedAt(checkout))}, after this scan at ${wordedAt(correctedAt(stale))}.` });
  });

  it('an item status changed by an import makes older scans stale, naming the import', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const before = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(10) });
    await upload(env.app, cookies.circA, session.id, [before]);
    const items = `barcode,title,author,call_number,item_type,owning_branch,status\n${ITEMS.book1},Title of ${ITEMS.book1},An Author,X 1,book,${BRANCH_A},damaged\n`;
    expect((await call(env.app, 'POST', '/api/import', cookies.sysadmin, { items })).status).toBe(200);
    const importedAt = itemState(ITEMS.book1).status_changed_at;
    await processSession(env.app, cookies.sysadmin, session.id);
    expect((await sessionResults(session.id)).result(before)).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED',
      detail: `Item ${ITEMS.book1} became damaged through a library data import at ${wordedAt(importedAt)}, after this scan at ${wordedAt(correctedAt(before))}.` });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([]);
  });
});

describe('override policy', () => {
  interface OverrideCase {
    code: string;
    setup(): void;
    make(): OfflineTransaction;
    /** What the database holds once the transaction was applied with a notice. */
    applied(t: OfflineTransaction): void;
  }
  const lentTo = (item: string, card: string) => (t: OfflineTransaction) => {
    expect(loansOf(env.db, item).at(-1)).toMatchObject({ patron_card: card, checkout_txn: t.id, checkin_at: null });
    expect(itemStatus(env.db, item)).toBe('checked_out');
  };
  const returned = (item: string) => (t: OfflineTransaction) => {
    expect(loansOf(env.db, item).at(-1)).toMatchObject({ checkin_txn: t.id });
    expect(itemStatus(env.db, item)).toBe('available');
  };
  const checkout = (item: string, card: string) => () => tx('checkout', { item_barcode: item, patron_barcode: card });
  const none = () => undefined;
  const cases: OverrideCase[] = [
    { code: 'PATRON_BARRED', setup: none, make: checkout(ITEMS.book1, PATRONS.barred), applied: lentTo(ITEMS.book1, PATRONS.barred) },
    { code: 'PATRON_ACCOUNT_EXPIRED', setup: none, make: checkout(ITEMS.book1, PATRONS.expired), applied: lentTo(ITEMS.book1, PATRONS.expired) },
    { code: 'PATRON_INACTIVE', setup: () => { addPatron('P-INACTIVE', { inactive: true }); }, make: checkout(ITEMS.book1, 'P-INACTIVE'),
      applied: lentTo(ITEMS.book1, 'P-INACTIVE') },
    { code: 'MAX_RENEWALS_REACHED', setup: none, make: () => tx('renew', { item_barcode: ITEMS.maxRenewed }),
      applied: (t) => expect(loansOf(env.db, ITEMS.maxRenewed)[0]).toMatchObject({ renewals: 3, last_renew_txn: t.id }) },
    { code: 'HOLD_FOR_OTHER_PATRON', setup: () => { addHold(PATRONS.adult2, { item: ITEMS.book1, status: 'pending' }); },
      make: checkout(ITEMS.book1, PATRONS.adult),
      applied: (t) => { lentTo(ITEMS.book1, PATRONS.adult)(t); expect(env.db.prepare('SELECT status FROM holds').pluck().all()).toEqual(['pending']); } },
    { code: 'ITEM_ON_HOLDS_SHELF', setup: () => { setItemStatus(ITEMS.book1, 'on_hold_shelf'); addHold(PATRONS.adult2, { item: ITEMS.book1, status: 'on_shelf' }); },
      make: checkout(ITEMS.book1, PATRONS.adult),
      applied: (t) => { lentTo(ITEMS.book1, PATRONS.adult)(t); expect(env.db.prepare('SELECT status FROM holds').pluck().all()).toEqual(['pending']); } },
    { code: 'ITEM_ON_HOLDS_SHELF', setup: () => setItemStatus(ITEMS.book1, 'on_hold_shelf'), make: checkout(ITEMS.book1, PATRONS.adult),
      applied: lentTo(ITEMS.book1, PATRONS.adult) },
    { code: 'COPY_CIRC_NOT_ALLOWED', setup: () => setItemStatus(ITEMS.book1, 'non_circulating'), make: checkout(ITEMS.book1, PATRONS.adult),
      applied: lentTo(ITEMS.book1, PATRONS.adult) },
    { code: 'COPY_NOT_AVAILABLE', setup: () => setItemStatus(ITEMS.book1, 'damaged'), make: checkout(ITEMS.book1, PATRONS.adult),
      applied: lentTo(ITEMS.book1, PATRONS.adult) },
    { code: 'COPY_NOT_AVAILABLE', setup: () => {
      setItemStatus(ITEMS.book1, 'in_transit');
      env.db.prepare(`INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, created_at) VALUES (?, ?, ?, 'home', ?)`)
        .run(itemId(ITEMS.book1), branchId(BRANCH_B), branchId(BRANCH_A), daysFromNow(-1));
    }, make: checkout(ITEMS.book1, PATRONS.adult),
    applied: (t) => { lentTo(ITEMS.book1, PATRONS.adult)(t); expect(transitsOf(ITEMS.book1).at(-1)?.received_at).toBe(correctedAt(t)); } },
    { code: 'COPY_NOT_AVAILABLE', setup: () => setItemStatus(ITEMS.onLoan, 'damaged'), make: () => tx('renew', { item_barcode: ITEMS.onLoan }),
      applied: (t) => expect(loansOf(env.db, ITEMS.onLoan)[0]).toMatchObject({ renewals: 1, last_renew_txn: t.id }) },
    { code: 'HOLD_FOR_OTHER_PATRON', setup: () => { addHold(PATRONS.adult2, { title: titleOf(ITEMS.onLoan) }); },
      make: () => tx('renew', { item_barcode: ITEMS.onLoan }),
      applied: (t) => expect(loansOf(env.db, ITEMS.onLoan)[0]).toMatchObject({ renewals: 1, last_renew_txn: t.id }) },
    { code: 'COPY_STATUS_LOST', setup: () => setItemStatus(ITEMS.book1, 'lost'), make: checkout(ITEMS.book1, PATRONS.adult), applied: lentTo(ITEMS.book1, PATRONS.adult) },
    { code: 'COPY_STATUS_LOST', setup: () => { addLoan(ITEMS.book1, PATRONS.adult, { status: 'lost' }); },
      make: () => tx('checkin', { item_barcode: ITEMS.book1 }), applied: returned(ITEMS.book1) },
    { code: 'COPY_STATUS_MISSING', setup: () => setItemStatus(ITEMS.book1, 'missing'), make: () => tx('checkin', { item_barcode: ITEMS.book1 }),
      applied: (t) => { expect(itemStatus(env.db, ITEMS.book1)).toBe('available'); expect(noticesOf(t.id).map((n) => n.code)).toEqual(['COPY_STATUS_MISSING']); } },
    { code: 'COPY_STATUS_MISSING', setup: () => setItemStatus(ITEMS.book1, 'missing'), make: checkout(ITEMS.book1, PATRONS.adult2), applied: lentTo(ITEMS.book1, PATRONS.adult2) },
    { code: 'CIRC_CLAIMS_RETURNED', setup: () => { addLoan(ITEMS.book1, PATRONS.adult, { status: 'claims_returned' }); },
      make: () => tx('checkin', { item_barcode: ITEMS.book1 }), applied: returned(ITEMS.book1) },
  ];

  it.each(cases.map((c) => [`${c.code} (${c.make().type})`, c] as const))('%s: a notice with the policy on, an exception writing nothing with it off',
    async (_name, c) => {
      c.setup();
      const before = circulationSnapshot();
      const off = c.make();
      const offRun = await runSession([off], { override_policy: false });
      expect(offRun.session.override_policy).toBe(false);
      expect(offRun.result(off)).toMatchObject({ outcome: 'exception', code: c.code, detail: expect.stringContaining(OVERRIDE_OFF) });
      expect(circulationSnapshot()).toEqual(before);
      expect(noticesOf(off.id)).toEqual([]);

      const on = c.make();
      const onRun = await runSession([on]);
      expect(onRun.session.override_policy).toBe(true);
      expect(onRun.result(on)).toMatchObject({ outcome: 'applied_with_notice', code: c.code });
      expect(onRun.result(on).detail).not.toContain(OVERRIDE_OFF);
      expect(noticesOf(on.id).map((n) => n.code)).toContain(c.code);
      c.applied(on);
    });

  it('with the policy off, names every block in the exception and leaves a waiting hold untouched', async () => {
    const h = addHold(PATRONS.adult2, { item: ITEMS.book1, status: 'pending' });
    const t = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.barred });
    const run = await runSession([t], { override_policy: false });
    expect(run.result(t)).toMatchObject({ outcome: 'exception', code: 'PATRON_BARRED',
      detail: `Test ${PATRONS.barred} (${PATRONS.barred}) is barred. Test ${PATRONS.adult2} (${PATRONS.adult2}) has a hold waiting on “Title of ${ITEMS.book1}”; it waits for the next copy. ${OVERRIDE_OFF}` });
    expect(hold(h)).toMatchObject({ status: 'pending', item: ITEMS.book1 });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([]);
  });
});

describe('registration', () => {
  it('creates the patron and the card; later transactions use the card even when recorded earlier by the device', async () => {
    const register = tx('register', { workstation: DESK_A2, occurred_at: minutesAgo(5), patron: {
      barcode: 'P-REG', first_name: 'Reggie', last_name: 'New', profile: 'juvenile', home_branch: BRANCH_B, email: 'reg@example.org', phone: '555-0100' } });
    const lend = tx('checkout', { workstation: DESK_A1, occurred_at: minutesAgo(30), item_barcode: ITEMS.book1, patron_barcode: 'P-REG' });
    const run = await runUploads([{ transactions: [lend] }, { transactions: [register], workstation: DESK_A2 }]);

    expect(run.list.map((r) => r.id)).toEqual([register.id, lend.id]);
    expect(run.result(register)).toMatchObject({ outcome: 'applied', code: 'SUCCESS', detail: 'Patron Reggie New registered with card P-REG.' });
    expect(run.result(lend)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    const at = correctedAt(register);
    const expires = `${Number(at.slice(0, 4)) + 3}${at.slice(4, 10)}`;
    expect(env.db.prepare(`SELECT p.first_name, p.last_name, p.profile, b.code AS home, p.expires_on, p.email, p.phone, p.barred, p.inactive,
        p.created_at, p.created_by_txn, c.active FROM patrons p JOIN patron_cards c ON c.patron_id = p.id JOIN branches b ON b.id = p.home_branch_id
        WHERE c.barcode = 'P-REG'`).get()).toEqual({ first_name: 'Reggie', last_name: 'New', profile: 'juvenile', home: BRANCH_B,
      expires_on: expires, email: 'reg@example.org', phone: '555-0100', barred: 0, inactive: 0, created_at: at, created_by_txn: register.id, active: 1 });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ patron_card: 'P-REG', checkout_txn: lend.id,
      due_at: dueDaysAfter(correctedAt(lend), POLICY.juvenileBookDays) })]);
  });

  it('PATRON_BARCODE_EXISTS: a registration with a card already in use creates nobody', async () => {
    const taken = tx('register', { occurred_at: minutesAgo(30), patron: { barcode: PATRONS.adult, first_name: 'Dup', last_name: 'Licate' } });
    const first = tx('register', { occurred_at: minutesAgo(20), patron: { barcode: 'P-TWICE', first_name: 'First', last_name: 'Comer' } });
    const second = tx('register', { occurred_at: minutesAgo(10), patron: { barcode: 'P-TWICE', first_name: 'Second', last_name: 'Comer' } });
    const patronsBefore = countRows(env.db, 'patrons');
    const run = await runSession([taken, first, second]);

    expect(run.result(taken)).toMatchObject({ outcome: 'exception', code: 'PATRON_BARCODE_EXISTS', detail: `Card ${PATRONS.adult} already belongs to a patron.` });
    expect(run.result(first)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(run.result(second)).toMatchObject({ outcome: 'exception', code: 'PATRON_BARCODE_EXISTS', detail: 'Card P-TWICE already belongs to a patron.' });
    expect(countRows(env.db, 'patrons')).toBe(patronsBefore + 1);
    expect(env.db.prepare("SELECT p.first_name FROM patrons p JOIN patron_cards c ON c.patron_id = p.id WHERE c.barcode = 'P-TWICE'").pluck().all()).toEqual(['First']);
    expect(countRows(env.db, 'patrons', "first_name = 'Dup'")).toBe(0);
  });

  it('PATRON_CARD_INACTIVE: an old card is refused, naming the patron’s current card', async () => {
    addLoan(ITEMS.book2, PATRONS.newCard);
    const lend = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.oldCard });
    const renew = tx('renew', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.oldCard });
    const run = await runSession([lend, renew]);
    const detail = `Card ${PATRONS.oldCard} is inactive; the patron's current card is ${PATRONS.newCard}.`;
    expect(run.result(lend)).toMatchObject({ outcome: 'exception', code: 'PATRON_CARD_INACTIVE', detail });
    expect(run.result(renew)).toMatchObject({ outcome: 'exception', code: 'PATRON_CARD_INACTIVE', detail });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([]);
    expect(loansOf(env.db, ITEMS.book2)[0]).toMatchObject({ renewals: 0, last_renew_txn: null });
  });
});

describe('a transaction that fails inside its rule', () => {
  it('PROCESSING_FAILED: ends as an exception with the message; the rest of the session still processes', async () => {
    env.db.exec("CREATE TRIGGER boom BEFORE INSERT ON in_house_uses BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const use = tx('in_house_use', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(30) });
    const lend = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(20) });
    const useAgain = tx('in_house_use', { item_barcode: ITEMS.book3, occurred_at: minutesAgo(10) });
    const run = await runSession([use, lend, useAgain]);

    expect(run.session).toMatchObject({ state: 'processed', counts: expect.objectContaining({ total: 3, exception: 2, applied: 1, pending: 0 }) });
    for (const t of [use, useAgain]) {
      expect(run.result(t)).toMatchObject({ outcome: 'exception', code: 'PROCESSING_FAILED', detail: expect.stringContaining('disk says no') });
      expect(noticesOf(t.id)).toEqual([]);
    }
    expect(countRows(env.db, 'in_house_uses')).toBe(0);
    expect(run.result(lend)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.book2)).toEqual([expect.objectContaining({ checkout_txn: lend.id })]);
  });

  it('rolls back every change the failing transaction made before it failed', async () => {
    // The checkin closes the loan, bills the fine, ends old transits and then fails writing its route home.
    addLoan(ITEMS.southBook, PATRONS.adult, { checkoutAt: daysFromNow(-40), dueAt: daysFromNow(-10) });
    env.db.prepare("INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, created_at) VALUES (?, ?, ?, 'home', ?)")
      .run(itemId(ITEMS.southBook), branchId(BRANCH_B), branchId(BRANCH_A), daysFromNow(-41));
    env.db.exec("CREATE TRIGGER boom BEFORE INSERT ON transits BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const before = circulationSnapshot();
    const checkin = tx('checkin', { item_barcode: ITEMS.southBook });
    const run = await runSession([checkin]);

    expect(run.result(checkin)).toMatchObject({ outcome: 'exception', code: 'PROCESSING_FAILED', detail: expect.stringContaining('disk says no') });
    expect(circulationSnapshot()).toEqual(before);
    expect(loansOf(env.db, ITEMS.southBook)[0]).toMatchObject({ checkin_at: null, checkin_txn: null });
    expect(bills()).toEqual([]);
    expect(noticesOf(checkin.id)).toEqual([]);
  });
});

describe('result notices', () => {
  it('keeps every notice of a transaction; the result carries the most actionable one', async () => {
    // A lost book, overdue, comes back at NORTH while a patron's hold waits for it at SOUTH. It was marked lost 6 days after it fell due.
    const due = daysFromNow(-10);
    const loanId = addLoan(ITEMS.book1, PATRONS.adult, { checkoutAt: plus(due, -21 * DAY), dueAt: due, status: 'lost' });
    const lostAt = plus(due, 6 * DAY);
    env.db.prepare('UPDATE items SET status_changed_at = ? WHERE barcode = ?').run(lostAt, ITEMS.book1);
    const h = addHold(PATRONS.adult2, { item: ITEMS.book1, pickup: BRANCH_B });
    const checkin = tx('checkin', { item_barcode: ITEMS.book1 });
    const run = await runSession([checkin]);

    const route = `Send ${ITEMS.book1} “Title of ${ITEMS.book1}” to ${BRANCH_B} for Test ${PATRONS.adult2} (${PATRONS.adult2})'s hold.`;
    const lost = `Item ${ITEMS.book1} was marked lost and is back (borrower ${PATRONS.adult}); review the account. Overdue fines count only until it was marked lost, at ${wordedAt(lostAt)}.`;
    // Fines stop when it was marked lost: 6 days, not 10.
    const fine = `Returned 6 days late (counted until it was marked lost): 1.50 billed to ${PATRONS.adult}.`;
    expect(run.result(checkin)).toMatchObject({ outcome: 'applied_with_notice', code: 'ROUTE_ITEM', detail: `${route} ${lost} ${fine}` });
    expect(noticesOf(checkin.id)).toEqual([
      { position: 0, code: 'ROUTE_ITEM', detail: route, branch: BRANCH_A, item: ITEMS.book1, patron: PATRONS.adult2, to_branch: BRANCH_B },
      { position: 1, code: 'COPY_STATUS_LOST', detail: lost, branch: BRANCH_A, item: ITEMS.book1, patron: PATRONS.adult, to_branch: null },
      { position: 2, code: 'OVERDUE_FINE', detail: fine, branch: BRANCH_A, item: ITEMS.book1, patron: PATRONS.adult, to_branch: null },
    ]);
    expect(bills()).toEqual([expect.objectContaining({ loan_id: loanId, amount_cents: 150, txn_id: checkin.id })]);
    expect(hold(h)).toMatchObject({ status: 'captured', item: ITEMS.book1 });
    expect(transitsOf(ITEMS.book1)).toEqual([expect.objectContaining({ to: BRANCH_B, reason: 'hold', txn_id: checkin.id })]);
    expect(itemState(ITEMS.book1)).toMatchObject({ status: 'in_transit', current_branch: BRANCH_A });
    expect(loansOf(env.db, ITEMS.book1)[0]).toMatchObject({ checkin_txn: checkin.id, checkin_at: correctedAt(checkin) });
  });

  it('orders a checkout’s notices by what staff must do first', async () => {
    // A barred patron borrows a claims-returned book that is on loan to someone else while another patron's hold waits.
    addLoan(ITEMS.book1, PATRONS.adult, { status: 'claims_returned' });
    addHold(PATRONS.juvenile, { item: ITEMS.book1 });
    const t = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.barred });
    const run = await runSession([t]);
    expect(run.result(t)).toMatchObject({ outcome: 'applied_with_notice', code: 'HOLD_FOR_OTHER_PATRON' });
    expect(noticesOf(t.id).map((n) => [n.position, n.code, n.patron])).toEqual([
      [0, 'HOLD_FOR_OTHER_PATRON', PATRONS.juvenile],
      [1, 'OPEN_CIRCULATION_EXISTS', PATRONS.adult],
      [2, 'CIRC_CLAIMS_RETURNED', PATRONS.adult], // the previous borrower, whose account staff review
      [3, 'PATRON_BARRED', PATRONS.barred],
    ]);
    expect(run.result(t).detail).toBe(`${noticesOf(t.id).map((n) => n.detail).join(' ')} Due ${wordedDay(dueDaysAfter(correctedAt(t), POLICY.defaultDays).slice(0, 10))}.`);
  });

  it('records no notice for a plain success, nor for an exception', async () => {
    const ok = tx('checkout', { item_barcode: ITEMS.book1 });
    const bad = tx('checkout', { item_barcode: 'I-TYPO' });
    const run = await runSession([ok, bad]);
    expect(run.result(ok).code).toBe('SUCCESS');
    expect(run.result(bad).code).toBe('ASSET_COPY_NOT_FOUND');
    expect(countRows(env.db, 'result_notices')).toBe(0);
  });
});
