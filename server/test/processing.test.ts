import { describe, it, expect, beforeEach } from 'vitest';
import {
  BRANCH_A, DESK_A1, DESK_A2, ITEMS, PATRONS, POLICY, USERS, call, countRows, createSession, getSession, itemStatus,
  daysFromNow, loansOf, minutesAgo, processSession, results, tx, upload, useTestEnv, waitForState, tempDatabase,
  wordedDay,
} from './helpers.js';
import { openDatabase, type Db } from '../db/open.js';
import { Processor } from '../domain/processor.js';
import { TransactionApplier } from '../domain/applier.js';
import { SessionsRepo } from '../repo/sessions-repo.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { SessionDetail, TransactionResult } from '../../shared/api.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');

/** The end of the day (UTC) `days` after the given time: how loans fall due. */
function dueDaysAfter(iso: string, days: number): string {
  const d = new Date(iso);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, 23, 59, 59)).toISOString();
}

/** Creates a session, uploads the batch from one desk, processes it, and returns each transaction's result by id. */
async function runSession(batch: OfflineTransaction[], options: { override_policy?: boolean } = {}) {
  const session = await createSession(env.app, cookies.sysadmin, options);
  const reply = await upload(env.app, cookies.circA, session.id, batch);
  expect(reply.accepted).toHaveLength(batch.length);
  const detail = await processSession(env.app, cookies.sysadmin, session.id);
  const page = await results(env.app, cookies.sysadmin, session.id, { limit: '1000' });
  const byId = new Map(page.results.map((r) => [r.id, r]));
  return { session: detail, results: page.results, result: (t: OfflineTransaction): TransactionResult => byId.get(t.id)! };
}

describe('POST /api/sessions/:id/process', () => {
  it('answers 202 at once, and the session ends processed with every transaction resolved', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [tx('checkout'), tx('in_house_use', { item_barcode: ITEMS.book2 })]);

    const res = await call<SessionDetail>(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.sysadmin);
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('processing');
    expect(res.body.progress.total).toBe(2);

    const done = await waitForState(env.app, cookies.sysadmin, session.id, 'processed');
    expect(done.counts).toMatchObject({ total: 2, pending: 0, applied: 2 });
    expect(done.progress).toEqual({ done: 2, total: 2 });
    expect(done.processed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const row = env.db.prepare('SELECT state, processing_started_at, processed_at FROM offline_sessions WHERE id = ?').get(session.id) as Record<string, string>;
    expect(row.state).toBe('processed');
    expect(row.processing_started_at <= row.processed_at).toBe(true);
    expect(countRows(env.db, 'offline_transactions', "outcome = 'pending'")).toBe(0);
  });

  it('processes an empty session', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const done = await processSession(env.app, cookies.sysadmin, session.id);
    expect(done.counts.total).toBe(0);
  });

  it('answers 409 to a second POST while the session is processing', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [tx('checkout')]);
    expect(env.services.sessions.lockForProcessing(session.id)).toBe(true);
    const res = await call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.sysadmin);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'SESSION_NOT_OPEN', message: expect.stringContaining('already being processed'), message_key: 'sessionAlreadyProcessing',
      params: { name: expect.any(String) } });
    // Nothing was applied by the refused request.
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(0);
  });

  it('answers 409 to a POST after the session was processed, applying nothing again', async () => {
    const t = tx('checkout');
    const { session } = await runSession([t]);
    const res = await call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.sysadmin);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('processed');
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(1);
  });

  it('runs once when two admins click Process at the same moment', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [tx('checkout'), tx('checkout', { item_barcode: ITEMS.book2 })]);
    const replies = await Promise.all([1, 2].map(() => call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.sysadmin)));
    expect(replies.map((r) => r.status).sort()).toEqual([202, 409]);
    await waitForState(env.app, cookies.sysadmin, session.id, 'processed');
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(1);
    expect(loansOf(env.db, ITEMS.book2)).toHaveLength(1);
  });

  it('refuses a circulation account (403)', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.circA)).status).toBe(403);
  });
});

describe('what processing does to the circulation database', () => {
  it('checks out: a loan with the policy due date, and the item checked out', async () => {
    const adultBook = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult });
    const juvenileBook = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.juvenile });
    const adultDvd = tx('checkout', { item_barcode: ITEMS.dvd, patron_barcode: PATRONS.adult });
    const { result } = await runSession([adultBook, juvenileBook, adultDvd]);

    for (const [t, item, days, card] of [
      [adultBook, ITEMS.book1, POLICY.defaultDays, PATRONS.adult],
      [juvenileBook, ITEMS.book2, POLICY.juvenileBookDays, PATRONS.juvenile],
      [adultDvd, ITEMS.dvd, POLICY.dvdDays, PATRONS.adult],
    ] as const) {
      const due = dueDaysAfter(t.occurred_at, days);
      expect(result(t)).toMatchObject({ outcome: 'applied', code: 'SUCCESS', detail: `Due ${wordedDay(due.slice(0, 10))}.` });
      const loans = loansOf(env.db, item);
      expect(loans).toEqual([expect.objectContaining({
        patron_card: card, checkout_at: t.occurred_at, due_at: due, renewals: 0, checkin_at: null, checkout_txn: t.id,
      })]);
      expect(itemStatus(env.db, item)).toBe('checked_out');
    }
    const loan = env.db.prepare(`SELECT checkout_workstation, checkout_staff, checkout_branch_id FROM loans WHERE checkout_txn = ?`).get(adultBook.id);
    expect(loan).toEqual({ checkout_workstation: DESK_A1, checkout_staff: USERS.circA.username, checkout_branch_id: env.library.branchIds[BRANCH_A] });
  });

  it('checks out with the due date the desk gave the patron', async () => {
    const dayOnly = tx('checkout', { item_barcode: ITEMS.book1, due_at: '2030-01-15' });
    const instant = tx('checkout', { item_barcode: ITEMS.book2, due_at: '2030-02-01T12:00:00.000Z' });
    await runSession([dayOnly, instant]);
    expect(loansOf(env.db, ITEMS.book1)[0].due_at).toBe('2030-01-15T23:59:59.000Z');
    expect(loansOf(env.db, ITEMS.book2)[0].due_at).toBe('2030-02-01T12:00:00.000Z');
  });

  it('records a non-cataloged checkout', async () => {
    const t = tx('checkout', { item_barcode: undefined, noncat_type: 'paperback', count: 3 });
    const { result } = await runSession([t]);
    expect(result(t).outcome).toBe('applied');
    expect(env.db.prepare('SELECT noncat_type, count, occurred_at FROM noncat_circulations WHERE txn_id = ?').get(t.id))
      .toEqual({ noncat_type: 'paperback', count: 3, occurred_at: t.occurred_at });
  });

  it('renews: the renewal count goes up and the due date moves a loan period past the old one', async () => {
    const before = loansOf(env.db, ITEMS.onLoan)[0];
    const t = tx('renew', { item_barcode: ITEMS.onLoan, patron_barcode: PATRONS.adult });
    const { result } = await runSession([t]);
    const due = dueDaysAfter(before.due_at, POLICY.defaultDays);
    expect(result(t)).toMatchObject({ outcome: 'applied', code: 'SUCCESS', detail: `Due ${wordedDay(due.slice(0, 10))}.` });
    const after = loansOf(env.db, ITEMS.onLoan);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, renewals: 1, due_at: due, last_renew_txn: t.id, checkin_at: null });
  });

  it('renews with the due date the desk gave', async () => {
    const t = tx('renew', { item_barcode: ITEMS.onLoan, due_at: '2031-03-03' });
    await runSession([t]);
    expect(loansOf(env.db, ITEMS.onLoan)[0]).toMatchObject({ renewals: 1, due_at: '2031-03-03T23:59:59.000Z' });
  });

  it("renews without a patron barcode by the borrower's loan policy", async () => {
    // A juvenile's book: 28 days, three renewals (the default is 21 days, two renewals).
    const checkout = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.juvenile, occurred_at: minutesAgo(40) });
    const renewals = [1, 2, 3].map((n) => tx('renew', { item_barcode: ITEMS.book2, occurred_at: minutesAgo(40 - n) }));
    const { result } = await runSession([checkout, ...renewals], { override_policy: false });
    for (const r of renewals) expect(result(r)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    const firstDue = dueDaysAfter(checkout.occurred_at, POLICY.juvenileBookDays);
    const expectedDue = [1, 2, 3].reduce((due) => dueDaysAfter(due, POLICY.juvenileBookDays), firstDue);
    expect(loansOf(env.db, ITEMS.book2)[0]).toMatchObject({ renewals: 3, due_at: expectedDue });
  });

  it('checks in: the loan closes at the scan time and the item is available', async () => {
    const t = tx('checkin', { item_barcode: ITEMS.onLoan, workstation: DESK_A2 });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.onLoan)[0]).toMatchObject({ checkin_at: t.occurred_at, checkin_txn: t.id });
    expect(env.db.prepare('SELECT checkin_workstation, checkin_staff FROM loans WHERE checkin_txn = ?').get(t.id))
      .toEqual({ checkin_workstation: DESK_A2, checkin_staff: USERS.circA.username });
    expect(itemStatus(env.db, ITEMS.onLoan)).toBe('available');
  });

  it('checks in at the backdate when one is given', async () => {
    const day = new Date(Date.now() - 3 * 86400_000).toISOString().slice(0, 10);
    const dated = tx('checkin', { item_barcode: ITEMS.onLoan, backdate: day });
    const instantAt = new Date(Date.now() - 2 * 86400_000).toISOString();
    const instant = tx('checkin', { item_barcode: ITEMS.maxRenewed, backdate: instantAt });
    await runSession([dated, instant]);
    expect(loansOf(env.db, ITEMS.onLoan)[0].checkin_at).toBe(`${day}T00:00:00.000Z`);
    expect(loansOf(env.db, ITEMS.maxRenewed)[0].checkin_at).toBe(instantAt);
    expect(itemStatus(env.db, ITEMS.onLoan)).toBe('available');
    expect(itemStatus(env.db, ITEMS.maxRenewed)).toBe('available');
  });

  it('never closes a loan before it began, whatever the backdate', async () => {
    const early = tx('checkin', { item_barcode: ITEMS.onLoan, backdate: '2020-05-05T10:00:00.000Z' });
    const checkoutAt = loansOf(env.db, ITEMS.onLoan)[0].checkout_at;
    await runSession([early]);
    expect(loansOf(env.db, ITEMS.onLoan)[0].checkin_at).toBe(checkoutAt);
  });

  it('records an in-house use with its count', async () => {
    const t = tx('in_house_use', { item_barcode: ITEMS.book3, count: 4 });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(env.db.prepare(`SELECT i.barcode, u.count, u.occurred_at FROM in_house_uses u JOIN items i ON i.id = u.item_id WHERE u.txn_id = ?`).get(t.id))
      .toEqual({ barcode: ITEMS.book3, count: 4, occurred_at: t.occurred_at });
    expect(itemStatus(env.db, ITEMS.book3)).toBe('available');
  });

  it('registers a patron with a card, and a checkout to that card in the same session applies', async () => {
    // The registration is applied first, even though the desk recorded the checkout to the new card earlier.
    const checkout = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: 'P-FRESH', occurred_at: minutesAgo(20) });
    const register = tx('register', { occurred_at: minutesAgo(5), patron: {
      barcode: 'P-FRESH', first_name: 'Fresh', last_name: 'Reader', profile: 'juvenile', email: 'fresh@example.org',
    } });
    const { result } = await runSession([checkout, register]);
    expect(result(register)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(result(checkout)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });

    const patron = env.db.prepare(`SELECT p.first_name, p.last_name, p.profile, p.email, p.home_branch_id, p.created_by_txn, c.active
      FROM patrons p JOIN patron_cards c ON c.patron_id = p.id WHERE c.barcode = 'P-FRESH'`).get();
    expect(patron).toEqual({ first_name: 'Fresh', last_name: 'Reader', profile: 'juvenile', email: 'fresh@example.org',
      home_branch_id: env.library.branchIds[BRANCH_A], created_by_txn: register.id, active: 1 });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({
      patron_card: 'P-FRESH', due_at: dueDaysAfter(checkout.occurred_at, POLICY.juvenileBookDays) })]);
  });
});

describe('result codes', () => {
  it('ASSET_COPY_NOT_FOUND: an unknown item barcode is an exception and changes nothing', async () => {
    const checkout = tx('checkout', { item_barcode: 'I-TYPO' });
    const checkin = tx('checkin', { item_barcode: 'I-TYPO2' });
    const { result } = await runSession([checkout, checkin]);
    expect(result(checkout)).toMatchObject({ outcome: 'exception', code: 'ASSET_COPY_NOT_FOUND', detail: expect.stringContaining('I-TYPO') });
    expect(result(checkin)).toMatchObject({ outcome: 'exception', code: 'ASSET_COPY_NOT_FOUND' });
    expect(countRows(env.db, 'loans', 'checkout_txn IS NOT NULL OR checkin_txn IS NOT NULL')).toBe(0);
  });

  it('ACTOR_USER_NOT_FOUND: an unknown patron barcode is an exception, and the item stays on the shelf', async () => {
    const t = tx('checkout', { patron_barcode: 'P-NOBODY' });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'exception', code: 'ACTOR_USER_NOT_FOUND', detail: expect.stringContaining('P-NOBODY') });
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(0);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('available');
  });

  it("PATRON_CARD_INACTIVE: an old card is an exception naming the patron's current card", async () => {
    const t = tx('checkout', { patron_barcode: PATRONS.oldCard });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'exception', code: 'PATRON_CARD_INACTIVE' });
    expect(result(t).detail).toContain(PATRONS.newCard);
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(0);
  });

  it('PATRON_BARCODE_EXISTS: a registration with a card already in use is an exception and creates nobody', async () => {
    const before = countRows(env.db, 'patrons');
    const t = tx('register', { patron: { barcode: PATRONS.adult, first_name: 'Dup', last_name: 'Licate' } });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'exception', code: 'PATRON_BARCODE_EXISTS' });
    expect(countRows(env.db, 'patrons')).toBe(before);
  });

  it('ACTION_CIRCULATION_NOT_FOUND: renewing an item not on loan is an exception', async () => {
    const t = tx('renew', { item_barcode: ITEMS.book3 });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'exception', code: 'ACTION_CIRCULATION_NOT_FOUND' });
    expect(loansOf(env.db, ITEMS.book3)).toHaveLength(0);
  });

  it('ACTION_CIRCULATION_NOT_FOUND: renewing for a patron who does not have the item is an exception', async () => {
    const before = loansOf(env.db, ITEMS.onLoan);
    const t = tx('renew', { item_barcode: ITEMS.onLoan, patron_barcode: PATRONS.adult2 });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'exception', code: 'ACTION_CIRCULATION_NOT_FOUND' });
    expect(loansOf(env.db, ITEMS.onLoan)).toEqual(before);
  });

  it('OPEN_CIRCULATION_EXISTS: lending an item on loan to someone else closes the old loan at the offline time', async () => {
    const [old] = loansOf(env.db, ITEMS.onLoan);
    const t = tx('checkout', { item_barcode: ITEMS.onLoan, patron_barcode: PATRONS.adult2 });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'applied_with_notice', code: 'OPEN_CIRCULATION_EXISTS' });
    expect(result(t).detail).toContain(PATRONS.adult);

    const loans = loansOf(env.db, ITEMS.onLoan);
    expect(loans).toHaveLength(2);
    expect(loans[0]).toMatchObject({ id: old.id, patron_card: PATRONS.adult, checkin_at: t.occurred_at, checkin_txn: t.id });
    expect(loans[1]).toMatchObject({ patron_card: PATRONS.adult2, checkout_at: t.occurred_at, checkin_at: null, checkout_txn: t.id });
    expect(itemStatus(env.db, ITEMS.onLoan)).toBe('checked_out');
  });

  it('ITEM_NOT_CHECKED_OUT: checking in an item that was not on loan is a notice; it stays available', async () => {
    const t = tx('checkin', { item_barcode: ITEMS.book1 });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'applied_with_notice', code: 'ITEM_NOT_CHECKED_OUT' });
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(0);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('available');
  });

  it('PATRON_BARRED: with the override policy on, the item is lent and the block reported as a notice', async () => {
    const t = tx('checkout', { patron_barcode: PATRONS.barred });
    const { result } = await runSession([t], { override_policy: true });
    expect(result(t)).toMatchObject({ outcome: 'applied_with_notice', code: 'PATRON_BARRED' });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ patron_card: PATRONS.barred, checkin_at: null })]);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('checked_out');
  });

  it('PATRON_BARRED: with the override policy off, it is an exception and nothing is lent', async () => {
    const t = tx('checkout', { patron_barcode: PATRONS.barred });
    const { result } = await runSession([t], { override_policy: false });
    expect(result(t)).toMatchObject({ outcome: 'exception', code: 'PATRON_BARRED' });
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(0);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('available');
  });

  it('PATRON_ACCOUNT_EXPIRED: lent with a notice while the override policy is on', async () => {
    const t = tx('checkout', { patron_barcode: PATRONS.expired });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'applied_with_notice', code: 'PATRON_ACCOUNT_EXPIRED' });
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(1);
  });

  it('MAX_RENEWALS_REACHED: with the override policy on, renewed beyond the limit with a notice', async () => {
    const [before] = loansOf(env.db, ITEMS.maxRenewed);
    const t = tx('renew', { item_barcode: ITEMS.maxRenewed, patron_barcode: PATRONS.adult });
    const { result } = await runSession([t]);
    expect(result(t)).toMatchObject({ outcome: 'applied_with_notice', code: 'MAX_RENEWALS_REACHED' });
    expect(loansOf(env.db, ITEMS.maxRenewed)[0]).toMatchObject({
      renewals: 3, due_at: dueDaysAfter(before.due_at, POLICY.defaultDays), last_renew_txn: t.id,
    });
  });

  it('MAX_RENEWALS_REACHED: with the override policy off, an exception and the loan unchanged', async () => {
    const before = loansOf(env.db, ITEMS.maxRenewed);
    const t = tx('renew', { item_barcode: ITEMS.maxRenewed, patron_barcode: PATRONS.adult });
    const { result } = await runSession([t], { override_policy: false });
    expect(result(t)).toMatchObject({ outcome: 'exception', code: 'MAX_RENEWALS_REACHED' });
    expect(loansOf(env.db, ITEMS.maxRenewed)).toEqual(before);
  });

  it("keeps one exception from stopping the rest of the session", async () => {
    const bad = tx('checkout', { item_barcode: 'I-NOPE' });
    const good = tx('checkout', { item_barcode: ITEMS.book2 });
    const { session, result } = await runSession([bad, good]);
    expect(result(bad).outcome).toBe('exception');
    expect(result(good).outcome).toBe('applied');
    expect(session.counts).toMatchObject({ total: 2, applied: 1, exception: 1, pending: 0 });
  });
});

describe('order of application', () => {
  it('applies transactions from two workstations in skew-corrected time order', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    // True order: desk 1 (clock right) lends the book 20 minutes ago; 10 minutes ago desk 2, whose clock
    // is 30 minutes slow, takes it back. Desk 2's own clock says the checkin happened 40 minutes ago.
    const checkout = tx('checkout', { item_barcode: ITEMS.book1, workstation: DESK_A1, occurred_at: minutesAgo(20) });
    const checkin = tx('checkin', { item_barcode: ITEMS.book1, workstation: DESK_A2, occurred_at: minutesAgo(40) });
    await upload(env.app, cookies.circA, session.id, [checkin], { workstation: DESK_A2, device_time: minutesAgo(30) });
    await upload(env.app, cookies.circA, session.id, [checkout], { workstation: DESK_A1 });
    await processSession(env.app, cookies.sysadmin, session.id);

    const page = await results(env.app, cookies.sysadmin, session.id);
    expect(page.results.map((r) => [r.id, r.outcome, r.code])).toEqual([
      [checkout.id, 'applied', 'SUCCESS'],
      [checkin.id, 'applied', 'SUCCESS'],
    ]);
    const [loan] = loansOf(env.db, ITEMS.book1);
    expect(loan).toMatchObject({ checkout_txn: checkout.id, checkin_txn: checkin.id });
    expect(itemStatus(env.db, ITEMS.book1)).toBe('available');
  });

  it('breaks ties of the same time by workstation, then seq', async () => {
    const at = minutesAgo(15);
    // Listed out of order; seq says the checkout came first.
    const checkin = tx('checkin', { item_barcode: ITEMS.book2, occurred_at: at, seq: 11 });
    const checkout = tx('checkout', { item_barcode: ITEMS.book2, occurred_at: at, seq: 10 });
    const { results: list, result } = await runSession([checkin, checkout]);
    expect(list.map((r) => r.id)).toEqual([checkout.id, checkin.id]);
    expect(result(checkin).code).toBe('SUCCESS');
    expect(itemStatus(env.db, ITEMS.book2)).toBe('available');
  });
});

describe('processing more than once', () => {
  it('never applies a transaction twice: process, reopen, upload one more, process again', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const first = tx('checkout', { item_barcode: ITEMS.book1 });
    const renew = tx('renew', { item_barcode: ITEMS.onLoan });
    await upload(env.app, cookies.circA, session.id, [first, renew]);
    await processSession(env.app, cookies.sysadmin, session.id);
    const loansBefore = { book1: loansOf(env.db, ITEMS.book1), onLoan: loansOf(env.db, ITEMS.onLoan) };
    expect(loansBefore.onLoan[0].renewals).toBe(1);

    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/reopen`, cookies.sysadmin)).status).toBe(200);
    const late = tx('checkout', { item_barcode: ITEMS.book2 });
    // A desk that re-sends what it already uploaded only adds the new one.
    const reply = await upload(env.app, cookies.circA, session.id, [first, renew, late]);
    expect(reply.accepted).toEqual([late.id]);
    expect(reply.duplicates).toEqual([first.id, renew.id]);

    const done = await processSession(env.app, cookies.sysadmin, session.id);
    expect(done.counts).toMatchObject({ total: 3, applied: 3, pending: 0 });
    expect(loansOf(env.db, ITEMS.book1)).toEqual(loansBefore.book1);
    expect(loansOf(env.db, ITEMS.onLoan)).toEqual(loansBefore.onLoan);
    expect(loansOf(env.db, ITEMS.book2)).toEqual([expect.objectContaining({ checkout_txn: late.id, checkin_at: null })]);
  });
});

describe('GET /api/sessions/:id/results', () => {
  let sessionId: number;
  let all: OfflineTransaction[];

  beforeEach(async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    sessionId = session.id;
    const desk1 = [
      tx('checkout', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(50) }),
      tx('checkout', { item_barcode: 'I-TYPO', occurred_at: minutesAgo(49) }),
      tx('checkin', { item_barcode: ITEMS.book3, occurred_at: minutesAgo(48) }),
    ];
    const desk2 = [
      tx('in_house_use', { item_barcode: ITEMS.book2, workstation: DESK_A2, occurred_at: minutesAgo(47) }),
      tx('checkout', { item_barcode: ITEMS.dvd, patron_barcode: 'P-NOBODY', workstation: DESK_A2, occurred_at: minutesAgo(46) }),
    ];
    all = [...desk1, ...desk2];
    await upload(env.app, cookies.circA, sessionId, desk1, { workstation: DESK_A1 });
    await upload(env.app, cookies.circA, sessionId, desk2, { workstation: DESK_A2 });
    await processSession(env.app, cookies.sysadmin, sessionId);
  });

  it('lists every result in processing order with its outcome, code and detail', async () => {
    const page = await results(env.app, cookies.sysadmin, sessionId);
    expect(page.total).toBe(5);
    expect(page.results.map((r) => r.id)).toEqual(all.map((t) => t.id));
    expect(page.results.map((r) => [r.outcome, r.code])).toEqual([
      ['applied', 'SUCCESS'], ['exception', 'ASSET_COPY_NOT_FOUND'], ['applied_with_notice', 'ITEM_NOT_CHECKED_OUT'],
      ['applied', 'SUCCESS'], ['exception', 'ACTOR_USER_NOT_FOUND'],
    ]);
    for (const r of page.results) expect(r.processed_at).toMatch(/^\d{4}-/);
  });

  it('filters by outcome, code, workstation and type', async () => {
    expect((await results(env.app, cookies.sysadmin, sessionId, { outcome: 'exception' })).results.map((r) => r.id)).toEqual([all[1].id, all[4].id]);
    expect((await results(env.app, cookies.sysadmin, sessionId, { code: 'ACTOR_USER_NOT_FOUND' })).results.map((r) => r.id)).toEqual([all[4].id]);
    expect((await results(env.app, cookies.sysadmin, sessionId, { workstation: DESK_A2 })).results.map((r) => r.id)).toEqual([all[3].id, all[4].id]);
    expect((await results(env.app, cookies.sysadmin, sessionId, { type: 'checkout' })).total).toBe(3);
    const combined = await results(env.app, cookies.sysadmin, sessionId, { type: 'checkout', outcome: 'exception', workstation: DESK_A1 });
    expect(combined).toEqual({ total: 1, results: [expect.objectContaining({ id: all[1].id, item_barcode: 'I-TYPO' })] });
    expect((await results(env.app, cookies.sysadmin, sessionId, { outcome: 'voided' }))).toEqual({ total: 0, results: [] });
  });

  it('pages with limit and offset, the total counting every match', async () => {
    const first = await results(env.app, cookies.sysadmin, sessionId, { limit: '2' });
    const second = await results(env.app, cookies.sysadmin, sessionId, { limit: '2', offset: '2' });
    const third = await results(env.app, cookies.sysadmin, sessionId, { limit: '2', offset: '4' });
    expect([first.total, second.total, third.total]).toEqual([5, 5, 5]);
    expect([...first.results, ...second.results, ...third.results].map((r) => r.id)).toEqual(all.map((t) => t.id));
    expect(third.results).toHaveLength(1);
  });

  it('rejects unknown filters and malformed values with 400', async () => {
    for (const qs of ['outcome=great', 'limit=-1', 'limit=ten', 'colour=red', 'type=borrow']) {
      const res = await call(env.app, 'GET', `/api/sessions/${sessionId}/results?${qs}`, cookies.sysadmin);
      expect(res.status, qs).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
    }
  });
});

describe('resuming an interrupted run', () => {
  /** Polls the database (as a restarted server would see it) until the session is processed. */
  async function waitProcessed(db: Db, sessionId: number): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      if (db.prepare('SELECT state FROM offline_sessions WHERE id = ?').pluck().get(sessionId) === 'processed') return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`session ${sessionId} was not processed in time`);
  }

  it('finishes a half-applied session on a new connection, applying each transaction exactly once', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const items = [ITEMS.book1, ITEMS.book2, ITEMS.book3, ITEMS.dvd, ITEMS.southBook];
    const batch = items.map((item, i) => tx('checkout', { item_barcode: item, occurred_at: minutesAgo(30 - i) }));
    await upload(env.app, cookies.circA, session.id, batch);

    // The server took the lock and applied the first two, each with its result, the way the processor does; then it died.
    const repo = new SessionsRepo(env.db);
    expect(repo.lockForProcessing(session.id)).toBe(true);
    const applier = new TransactionApplier(env.db);
    const settings = { sessionId: session.id, branchId: env.library.branchIds[BRANCH_A], overridePolicy: true };
    for (const t of batch.slice(0, 2)) {
      const row = env.db.prepare('SELECT payload, sort_at FROM offline_transactions WHERE id = ?').get(t.id) as { payload: string; sort_at: number };
      applier.apply(row, settings);
    }

    // A restart: a new connection to the same file, and a fresh processor picking up what was left.
    const db2 = openDatabase(env.file);
    try {
      const resumed = new Processor(db2, { error: () => undefined }).resumeInterrupted();
      expect(resumed).toEqual([session.id]);
      await waitProcessed(db2, session.id);
    } finally {
      db2.close();
    }

    for (const [i, item] of items.entries()) {
      expect(loansOf(env.db, item), item).toEqual([expect.objectContaining({ checkout_txn: batch[i].id, checkin_at: null })]);
    }
    const detail = await getSession(env.app, cookies.sysadmin, session.id);
    expect(detail.state).toBe('processed');
    expect(detail.counts).toMatchObject({ total: 5, applied: 5, pending: 0 });
  });

  it('stops between two transactions and a fresh processor finishes the rest exactly once', async () => {
    const total = 6000;
    const insertItem = env.db.prepare(`INSERT INTO items (barcode, title, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
      VALUES (?, 'Bulk', 'book', ?, ?, 'available', ?)`);
    const a = env.library.branchIds[BRANCH_A];
    env.db.transaction(() => {
      for (let i = 0; i < total; i++) insertItem.run(`BULK-${i}`, a, a, daysFromNow(-30));
    })();
    const session = await createSession(env.app, cookies.sysadmin);
    for (let chunk = 0; chunk < total; chunk += 1000) {
      const batch = Array.from({ length: 1000 }, (_, i) => tx('checkout', { item_barcode: `BULK-${chunk + i}`, patron_barcode: PATRONS.adult }));
      expect((await upload(env.app, cookies.circA, session.id, batch)).accepted).toHaveLength(1000);
    }

    // Run with the app's own processor, stopping it at its first progress report (end of the first slice).
    const { sessions, processor } = env.services;
    expect(sessions.lockForProcessing(session.id)).toBe(true);
    let stoppedAt = -1;
    const unsubscribe = processor.onProgress((p) => {
      if (stoppedAt < 0) { stoppedAt = p.done; processor.stop(); }
    });
    // The server keeps answering while it processes.
    const [, health] = await Promise.all([processor.run(session.id), call(env.app, 'GET', '/api/health')]);
    unsubscribe();
    expect(health.status).toBe(200);

    const applied = (): number => env.db.prepare(`SELECT count(*) FROM loans WHERE checkout_txn IN
      (SELECT id FROM offline_transactions WHERE session_id = ?)`).pluck().get(session.id) as number;
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(total);
    expect(applied()).toBe(stoppedAt);
    expect(countRows(env.db, 'offline_transactions', "session_id = ? AND outcome = 'pending'", session.id)).toBe(total - stoppedAt);
    expect(env.db.prepare('SELECT state FROM offline_sessions WHERE id = ?').pluck().get(session.id)).toBe('processing');

    const db2 = openDatabase(env.file);
    try {
      expect(new Processor(db2, { error: () => undefined }).resumeInterrupted()).toEqual([session.id]);
      await waitProcessed(db2, session.id);
    } finally {
      db2.close();
    }

    expect(applied()).toBe(total);
    // Exactly one loan per item, each made by its own transaction.
    expect(env.db.prepare(`SELECT count(*) FROM (SELECT item_id FROM loans l JOIN items i ON i.id = l.item_id
      WHERE i.barcode LIKE 'BULK-%' GROUP BY item_id HAVING count(*) != 1)`).pluck().get()).toBe(0);
    expect(env.db.prepare("SELECT count(DISTINCT checkout_txn) FROM loans WHERE checkout_txn IS NOT NULL").pluck().get()).toBe(total);
    expect(countRows(env.db, 'offline_transactions', "session_id = ? AND outcome = 'applied'", session.id)).toBe(total);
    expect(countRows(env.db, 'items', "barcode LIKE 'BULK-%' AND status = 'checked_out'")).toBe(total);
  });

  it('resumes nothing when no session was left processing', async () => {
    const { db, dir } = tempDatabase();
    try {
      expect(new Processor(db).resumeInterrupted()).toEqual([]);
    } finally {
      db.close();
      (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
    }
  });
});
