/**
 * A library's state loaded through POST /api/import, then offline scans processed over it
 * (issue 13, "Proven by"): a checkin of an imported loan closes it; an imported hold is
 * captured; the limits and fines the imported policies and bills set are flagged at
 * checkout; payments pay imported bills oldest first. And the import's own time: its
 * changes take effect at the files' as-of time, so a scan made before it is stale.
 */
import { describe, it, expect } from 'vitest';
import {
  BRANCH_A, ITEMS, PATRONS, call, createSession, daysFromNow, itemStatus, loansOf, minutesAgo, processSession, results, tx, upload, useTestEnv,
  storedDetail, wordedAt, wordedDay,
} from './helpers.js';
import type { ImportBody, ImportReport, OfflineTransaction } from '../../shared/api.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');

const LOANS_HEADER = 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\n';
const HOLDS_HEADER = 'patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status\n';
const BILLS_HEADER = 'patron_barcode,amount_cents,reason,billed_at\n';
const POLICIES_HEADER = 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out\n';

/** The test library keeps UTC, so the dates below are the dates the rules count. */
const UTC_BRANCHES = 'code,name,parent,time_zone\nSYS,Test Library System,,UTC\n';

async function importFiles(body: ImportBody, cookie = cookies.sysadmin) {
  return call<ImportReport & { code?: string; message?: string }>(env.app, 'POST', '/api/import', cookie, body);
}

async function importOk(body: ImportBody): Promise<ImportReport> {
  const res = await importFiles(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function process(transactions: OfflineTransaction[], options: { override_policy?: boolean } = {}) {
  const session = await createSession(env.app, cookies.sysadmin, options);
  await upload(env.app, cookies.circA, session.id, transactions);
  await processSession(env.app, cookies.sysadmin, session.id);
  const page = await results(env.app, cookies.sysadmin, session.id, { limit: '100' });
  return (t: OfflineTransaction) => page.results.find((r) => r.id === t.id)!;
}

const noticesOf = (t: OfflineTransaction) =>
  (env.db.prepare('SELECT code, detail FROM result_notices WHERE txn_id = ? ORDER BY position').all(t.id) as { code: string; detail: string }[])
    .map((n) => ({ ...n, detail: storedDetail(n.detail) }));
const date = (iso: string) => iso.slice(0, 10);

describe('POST /api/import: the state files', () => {
  it('imports with an as-of time and complete; the audit trail and the import run say what it did', async () => {
    const asOf = minutesAgo(30);
    const report = await importOk({ loans: `${LOANS_HEADER}${ITEMS.onLoan},${PATRONS.adult},${daysFromNow(-5)},${daysFromNow(16)},0,${BRANCH_A}\n`,
      as_of: asOf, complete: true });
    // The other loan the test library had out (I-MAXREN) is not in the file: closed at the as-of time.
    expect(report).toEqual({ ok: true, as_of: asOf, errors: [], counts: { loans: { inserted: 0, updated: 1, unchanged: 0, removed: 1 } } });
    expect(loansOf(env.db, ITEMS.maxRenewed).at(-1)).toMatchObject({ checkin_at: asOf });
    expect(itemStatus(env.db, ITEMS.maxRenewed)).toBe('available');
    const audit = await call(env.app, 'GET', '/api/audit?action=library.import', cookies.sysadmin);
    expect(audit.body.entries).toEqual([expect.objectContaining({ staff: 'sysadmin', target: 'loans',
      details: expect.objectContaining({ as_of: asOf, complete: true, counts: report.counts }) })]);
    const runRow = env.db.prepare('SELECT id, staff, as_of, complete FROM import_runs').get() as { id: number };
    expect(runRow).toEqual({ id: expect.any(Number), staff: 'sysadmin', as_of: asOf, complete: 1 });
    expect(env.db.prepare('SELECT closed_by_import FROM loans WHERE checkin_at = ?').pluck().get(asOf)).toBe(runRow.id);
  });

  it('refuses a bad as-of time, no file, complete without a state file, bad rows, and callers who are not a system\'s admin', async () => {
    const loans = `${LOANS_HEADER}${ITEMS.book1},${PATRONS.adult},${daysFromNow(-1)},${daysFromNow(20)},0,\n`;
    expect((await importFiles({ loans, as_of: '2026-11-02 06:00' })).body).toMatchObject({ code: 'BAD_AS_OF',
      message: expect.stringContaining("the as-of time '2026-11-02 06:00' is not an ISO 8601 time") });
    expect((await importFiles({ loans, as_of: daysFromNow(1) })).body).toMatchObject({ code: 'BAD_AS_OF', message: expect.stringContaining('in the future') });
    expect(await importFiles({ as_of: minutesAgo(1) })).toMatchObject({ status: 400, body: { code: 'NO_FILES' } });
    expect(await importFiles({ branches: UTC_BRANCHES, complete: true })).toMatchObject({ status: 400, body: { code: 'NOTHING_COMPLETE' } });
    expect(await importFiles({ loans: `${LOANS_HEADER}${ITEMS.book1},P-NOBODY,${daysFromNow(-1)},${daysFromNow(20)},0,\n` })).toMatchObject({
      status: 400, body: { code: 'IMPORT_REJECTED', errors: [{ file: 'loans', line: 2, reason: "unknown patron_barcode 'P-NOBODY' (no patron has that card)" }] } });
    expect((await importFiles({ loans }, cookies.circA)).status).toBe(403);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('available');
    expect(env.db.prepare('SELECT count(*) FROM import_runs').pluck().get()).toBe(0);
  });

  it('moves the desks\' offline data: a new hold changes the library version', async () => {
    const version = () => env.db.prepare('SELECT version FROM library_version').pluck().get() as number;
    const before = version();
    await importOk({ holds: `${HOLDS_HEADER}${PATRONS.adult2},${ITEMS.book1},,${BRANCH_A},${daysFromNow(-1)},waiting\n` });
    expect(version()).toBeGreaterThan(before);
  });
});

describe('the stale rule: an import takes effect at its as-of time', () => {
  it('a scan made before the as-of time of an item the import changed is skipped; one made after is applied', async () => {
    const before = tx('checkin', { item_barcode: ITEMS.maxRenewed, occurred_at: minutesAgo(40) });
    const after = tx('checkin', { item_barcode: ITEMS.onLoan, occurred_at: minutesAgo(5) });
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [before, after]);
    // The library system's file, written 20 minutes ago, no longer has I-MAXREN out; I-ONLOAN is still out.
    const asOf = minutesAgo(20);
    await importOk({ as_of: asOf, complete: true,
      loans: `${LOANS_HEADER}${ITEMS.onLoan},${PATRONS.adult},${daysFromNow(-5)},${daysFromNow(16)},0,${BRANCH_A}\n` });
    expect(env.db.prepare('SELECT status_changed_at, status_changed_via FROM items WHERE barcode = ?').get(ITEMS.maxRenewed))
      .toEqual({ status_changed_at: asOf, status_changed_via: 'import' });
    await processSession(env.app, cookies.sysadmin, session.id);
    const page = await results(env.app, cookies.sysadmin, session.id);
    expect(page.results.find((r) => r.id === before.id)).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED',
      detail: expect.stringContaining('through a library data import') });
    expect(page.results.find((r) => r.id === after.id)).toMatchObject({ outcome: 'applied' });
    expect(loansOf(env.db, ITEMS.onLoan).at(-1)).toMatchObject({ checkin_txn: after.id });
  });
});

describe('processing over imported state', () => {
  // Each file was written an hour ago, before the scans: the scans are not stale.
  const HOUR_AGO = { as_of: minutesAgo(60) };

  it('a checkin of an imported loan closes it, and fines it by the imported due date', async () => {
    await importOk({ ...HOUR_AGO, branches: UTC_BRANCHES,
      loans: `${LOANS_HEADER}${ITEMS.book2},${PATRONS.adult2},${date(daysFromNow(-30))},${date(daysFromNow(-10))},1,${BRANCH_A}\n` });
    expect(itemStatus(env.db, ITEMS.book2)).toBe('checked_out');
    const checkin = tx('checkin', { item_barcode: ITEMS.book2 });
    const result = await process([checkin]);
    expect(result(checkin)).toMatchObject({ outcome: 'applied_with_notice', code: 'OVERDUE_FINE' });
    expect(loansOf(env.db, ITEMS.book2)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult2, renewals: 1,
      due_at: `${date(daysFromNow(-10))}T23:59:59.000Z`, checkin_txn: checkin.id })]);
    expect(itemStatus(env.db, ITEMS.book2)).toBe('available');
    // 25 cents for each of the 10 open days late (9 when the scan, minutes ago, was still yesterday).
    const fine = env.db.prepare('SELECT amount_cents FROM bills WHERE txn_id = ?').pluck().get(checkin.id) as number;
    expect([225, 250]).toContain(fine);
  });

  it('an imported hold on an item, and one on a title by its record, are captured when their items come back', async () => {
    const items = 'barcode,title,author,call_number,item_type,owning_branch,status,record_id\n'
      + `${ITEMS.book3},Title of ${ITEMS.book3},An Author,X 1,book,${BRANCH_A},available,REC-3\n`;
    await importOk({ ...HOUR_AGO, items, holds: `${HOLDS_HEADER}`
      + `${PATRONS.adult2},${ITEMS.onLoan},,${BRANCH_A},${daysFromNow(-2)},waiting\n`
      + `${PATRONS.juvenile},,REC-3,SOUTH,${daysFromNow(-1)},\n` });
    const back = tx('checkin', { item_barcode: ITEMS.onLoan });
    const other = tx('checkin', { item_barcode: ITEMS.book3 });
    const result = await process([back, other]);
    expect(result(back)).toMatchObject({ outcome: 'applied_with_notice', code: 'HOLD_CAPTURED' });
    expect(itemStatus(env.db, ITEMS.onLoan)).toBe('on_hold_shelf');
    expect(result(other)).toMatchObject({ outcome: 'applied_with_notice', code: 'ROUTE_ITEM',
      detail: expect.stringContaining(`to SOUTH for Test ${PATRONS.juvenile}`) });
    expect(env.db.prepare('SELECT h.status, h.record_id, i.barcode FROM holds h JOIN items i ON i.id = h.item_id ORDER BY h.id').all()).toEqual([
      { status: 'on_shelf', record_id: null, barcode: ITEMS.onLoan }, { status: 'captured', record_id: 'REC-3', barcode: ITEMS.book3 },
    ]);
  });

  it('the imported items-out limit and imported bills are flagged at checkout; with the override policy off they stop it', async () => {
    await importOk({ ...HOUR_AGO,
      policies: `${POLICIES_HEADER},,21,2,25,1000,1\n`,
      loans: `${LOANS_HEADER}${ITEMS.book2},${PATRONS.adult2},${daysFromNow(-3)},${daysFromNow(18)},0,\n`,
      bills: `${BILLS_HEADER}${PATRONS.juvenile},1500,Lost item,${daysFromNow(-40)}\n`,
    });
    const overLimit = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult2 });
    const owes = tx('checkout', { item_barcode: ITEMS.book3, patron_barcode: PATRONS.juvenile });
    const result = await process([overLimit, owes]);
    expect(result(overLimit)).toMatchObject({ outcome: 'applied_with_notice', code: 'PATRON_EXCEEDS_CHECKOUT_COUNT' });
    expect(noticesOf(overLimit)[0].detail).toBe(`Test ${PATRONS.adult2} (${PATRONS.adult2}) had 1 item out; the limit for adult is 1.`);
    expect(result(owes)).toMatchObject({ outcome: 'applied_with_notice', code: 'PATRON_EXCEEDS_FINES' });
    expect(noticesOf(owes)[0].detail).toBe(`Test ${PATRONS.juvenile} (${PATRONS.juvenile}) owed 15.00, over the limit of 10.00.`);

    const stopped = tx('checkout', { item_barcode: ITEMS.dvd, patron_barcode: PATRONS.juvenile });
    const strict = await process([stopped], { override_policy: false });
    expect(strict(stopped)).toMatchObject({ outcome: 'exception', code: 'PATRON_EXCEEDS_FINES' });
    expect(itemStatus(env.db, ITEMS.dvd)).toBe('available');
  });

  it('a payment pays imported bills oldest first', async () => {
    await importOk({ ...HOUR_AGO, bills: `${BILLS_HEADER}${PATRONS.adult},300,Overdue: Emma,2026-10-01T10:00:00Z\n${PATRONS.adult},500,Lost: Kim,2026-09-01T10:00:00Z\n` });
    const payment = tx('payment', { patron_barcode: PATRONS.adult, amount_cents: 600, item_barcode: undefined });
    const result = await process([payment]);
    expect(result(payment)).toMatchObject({ outcome: 'applied', detail: `Paid 6.00 by ${PATRONS.adult}: 1 bill settled, 2.00 still owed.` });
    expect(env.db.prepare('SELECT reason, amount_cents, paid_cents FROM bills ORDER BY created_at').all()).toEqual([
      { reason: 'Lost: Kim', amount_cents: 500, paid_cents: 500 }, { reason: 'Overdue: Emma', amount_cents: 300, paid_cents: 100 },
    ]);
    // The library system's next file, written before the payment was processed, does not undo it.
    const again = await importOk({ as_of: minutesAgo(60), complete: true,
      bills: `${BILLS_HEADER}${PATRONS.adult},300,Overdue: Emma,2026-10-01T10:00:00Z\n${PATRONS.adult},500,Lost: Kim,2026-09-01T10:00:00Z\n` });
    expect(again.counts.bills).toEqual({ inserted: 0, updated: 0, unchanged: 0, removed: 0, kept_newer: 2 });
    expect(env.db.prepare('SELECT sum(amount_cents - paid_cents) FROM bills').pluck().get()).toBe(200);
  });
});
