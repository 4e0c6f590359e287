/**
 * Processing you can trust: one rule of time for every path (runs, reopen and
 * late uploads, retries), uploads acknowledged only once on disk, a checkout
 * that is really a renewal, the item's status checked before lending, and a
 * run that fails leaving the session resumable. Each test reads back the
 * result staff see and the circulation database after.
 */
import { describe, it, expect, vi } from 'vitest';
import {
  BRANCH_A, BRANCH_B, DESK_A1, DESK_A2, ITEMS, PATRONS, call, countRows, createSession, getSession, itemStatus, loansOf, minutesAgo,
  processSession, resultOf, tx, upload, useTestEnv, waitForState,
  storedDetail, wordedAt, wordedDay,
} from './helpers.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');

const sortAt = (id: string): string =>
  new Date(env.db.prepare('SELECT sort_at FROM offline_transactions WHERE id = ?').pluck().get(id) as number).toISOString();

async function reopen(sessionId: number): Promise<void> {
  expect((await call(env.app, 'POST', `/api/sessions/${sessionId}/reopen`, cookies.sysadmin)).status).toBe(200);
}

describe('one rule of time, whatever the path', () => {
  it('a checkout uploaded late, after a later checkin of the item was processed, is skipped: the item stays returned', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const lent = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult2, occurred_at: minutesAgo(12), workstation: DESK_A1 });
    const returned = tx('checkin', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(10), workstation: DESK_A2 });
    // Desk C's checkin arrives and is processed first; desk B uploads its earlier checkout only after a reopen.
    await upload(env.app, cookies.circA, session.id, [returned], { workstation: DESK_A2 });
    await processSession(env.app, cookies.sysadmin, session.id);
    await reopen(session.id);
    await upload(env.app, cookies.circA, session.id, [lent], { workstation: DESK_A1 });
    await processSession(env.app, cookies.sysadmin, session.id);

    expect(await resultOf(env.app, cookies.sysadmin, session.id, lent.id)).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED',
      detail: `Item ${ITEMS.book1} became available by a checkin from ${DESK_A2} already applied in this session (an earlier run or a retry) at ${wordedAt(sortAt(returned.id))}, after this scan at ${wordedAt(sortAt(lent.id))}.` });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([]);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('available');
  });

  it('a fixed exception is retried at its own time: a later checkin of the real item makes the old checkout stale', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const typo = tx('checkout', { item_barcode: `${ITEMS.book1}X`, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(12) });
    const back = tx('checkin', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(10) });
    await upload(env.app, cookies.circA, session.id, [typo, back]);
    await processSession(env.app, cookies.sysadmin, session.id);
    expect(await resultOf(env.app, cookies.sysadmin, session.id, typo.id)).toMatchObject({ outcome: 'exception', code: 'ASSET_COPY_NOT_FOUND' });

    const retry = await call(env.app, 'POST', `/api/sessions/${session.id}/transactions/${typo.id}/retry`, cookies.sysadmin, { item_barcode: ITEMS.book1 });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ outcome: 'skipped', code: 'SKIP_ASSET_CHANGED',
      detail: expect.stringContaining(`became available by a checkin from ${DESK_A1} already applied in this session`) });
    // Not on loan again: it was returned after that checkout.
    expect(loansOf(env.db, ITEMS.book1)).toEqual([]);
    expect(itemStatus(env.db, ITEMS.book1)).toBe('available');
    const detail = await call(env.app, 'GET', `/api/sessions/${session.id}/transactions/${typo.id}`, cookies.sysadmin);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['fix', 'retry']);
  });

  it('a fixed exception with nothing later on its item applies at its own time', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const typo = tx('checkout', { item_barcode: `${ITEMS.book1}X`, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(12) });
    await upload(env.app, cookies.circA, session.id, [typo]);
    await processSession(env.app, cookies.sysadmin, session.id);
    const retry = await call(env.app, 'POST', `/api/sessions/${session.id}/transactions/${typo.id}/retry`, cookies.sysadmin, { item_barcode: ITEMS.book1 });
    expect(retry.body).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult, checkout_at: sortAt(typo.id), checkin_at: null })]);
  });
});

describe('durable acknowledgement', () => {
  it('stores uploads through a connection that syncs every commit to disk; processing keeps its own', async () => {
    // 2 = FULL: in WAL mode the log is synced at each commit. 1 = NORMAL.
    expect(env.services.ingestDb.pragma('synchronous', { simple: true })).toBe(2);
    expect(env.services.ingestDb.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(env.services.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(env.services.ingestDb).not.toBe(env.services.db);

    const session = await createSession(env.app, cookies.sysadmin);
    const spy = vi.spyOn(env.services.ingestDb, 'transaction');
    const t = tx('checkin', { item_barcode: ITEMS.onLoan });
    expect((await upload(env.app, cookies.circA, session.id, [t])).accepted).toEqual([t.id]);
    expect(spy).toHaveBeenCalledTimes(1);
    // Committed: another connection reads it.
    expect(countRows(env.db, 'offline_transactions', 'id = ?', t.id)).toBe(1);
  });
});

describe('a checkout to the patron who already has the item', () => {
  it('is recorded as a renewal of the same loan, with a notice', async () => {
    const again = tx('checkout', { item_barcode: ITEMS.onLoan, patron_barcode: PATRONS.adult, due_at: '2099-01-15' });
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [again]);
    await processSession(env.app, cookies.sysadmin, session.id);
    expect(await resultOf(env.app, cookies.sysadmin, session.id, again.id)).toMatchObject({ outcome: 'applied_with_notice', code: 'RENEWED_AT_CHECKOUT',
      detail: `${PATRONS.adult} already had item ${ITEMS.onLoan}; the checkout was recorded as renewal 1. Due Jan 15, 2099.` });
    expect(loansOf(env.db, ITEMS.onLoan)).toEqual([expect.objectContaining({ patron_card: PATRONS.adult, renewals: 1, last_renew_txn: again.id,
      due_at: '2099-01-15T23:59:59.000Z', checkin_at: null, checkout_txn: null })]);
  });

  it('counts toward the renewal limit: MAX_RENEWALS_REACHED as a notice, or as an exception that changes nothing with the override policy off', async () => {
    const off = tx('checkout', { item_barcode: ITEMS.maxRenewed, patron_barcode: PATRONS.adult });
    const strict = await createSession(env.app, cookies.sysadmin, { override_policy: false });
    await upload(env.app, cookies.circA, strict.id, [off]);
    await processSession(env.app, cookies.sysadmin, strict.id);
    expect(await resultOf(env.app, cookies.sysadmin, strict.id, off.id)).toMatchObject({ outcome: 'exception', code: 'MAX_RENEWALS_REACHED' });
    expect(loansOf(env.db, ITEMS.maxRenewed)).toEqual([expect.objectContaining({ renewals: 2, checkin_at: null, last_renew_txn: null })]);

    const on = tx('checkout', { item_barcode: ITEMS.maxRenewed, patron_barcode: PATRONS.adult });
    const lenient = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, lenient.id, [on]);
    await processSession(env.app, cookies.sysadmin, lenient.id);
    const result = await resultOf(env.app, cookies.sysadmin, lenient.id, on.id);
    // The limit is what staff must look at first; that it was a checkout is said too.
    expect(result).toMatchObject({ outcome: 'applied_with_notice', code: 'MAX_RENEWALS_REACHED' });
    expect(result.notice_codes).toEqual(['MAX_RENEWALS_REACHED', 'RENEWED_AT_CHECKOUT']);
    expect(loansOf(env.db, ITEMS.maxRenewed)).toEqual([expect.objectContaining({ renewals: 3, last_renew_txn: on.id, checkin_at: null })]);
  });
});

describe('items lent despite their status', () => {
  it('are listed for staff in the follow-up list, with the branch they were travelling to', async () => {
    env.db.prepare("UPDATE items SET status = 'non_circulating' WHERE barcode = ?").run(ITEMS.book1);
    env.db.prepare("UPDATE items SET status = 'in_transit' WHERE barcode = ?").run(ITEMS.book2);
    env.db.prepare(`INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, created_at)
      SELECT id, ?, ?, 'home', ? FROM items WHERE barcode = ?`).run(env.library.branchIds[BRANCH_B], env.library.branchIds[BRANCH_A], minutesAgo(600), ITEMS.book2);
    const a = tx('checkout', { item_barcode: ITEMS.book1 });
    const b = tx('checkout', { item_barcode: ITEMS.book2 });
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [a, b]);
    await processSession(env.app, cookies.sysadmin, session.id);
    const followUps = (await call(env.app, 'GET', `/api/sessions/${session.id}/follow-ups`, cookies.circA)).body;
    expect(followUps).toEqual([expect.objectContaining({ branch: BRANCH_A, lent: [
      expect.objectContaining({ txn_id: a.id, code: 'COPY_CIRC_NOT_ALLOWED', item_barcode: ITEMS.book1 }),
      expect.objectContaining({ txn_id: b.id, code: 'COPY_NOT_AVAILABLE', item_barcode: ITEMS.book2,
        detail: `Item ${ITEMS.book2} was in transit from ${BRANCH_B} to ${BRANCH_A}; the transit was closed.` }),
    ] })]);
    expect(env.db.prepare('SELECT count(*) FROM transits WHERE received_at IS NULL').pluck().get()).toBe(0);
  });
});

describe('a run that fails', () => {
  it('leaves the session waiting with the reason; "resume" finishes it, applying each transaction once', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const batch = [
      tx('checkout', { item_barcode: ITEMS.book1, occurred_at: minutesAgo(9) }),
      tx('checkout', { item_barcode: ITEMS.book2, occurred_at: minutesAgo(8) }),
      tx('checkout', { item_barcode: 'NO-SUCH', occurred_at: minutesAgo(7) }),
      tx('checkout', { item_barcode: ITEMS.book3, occurred_at: minutesAgo(6) }),
      tx('checkin', { item_barcode: ITEMS.onLoan, occurred_at: minutesAgo(5) }),
    ];
    await upload(env.app, cookies.circA, session.id, batch);
    // A failure outside any one transaction, once the first two are committed.
    const applier = env.services.processor.transactionApplier;
    const real = applier.applySlice.bind(applier);
    const spy = vi.spyOn(applier, 'applySlice').mockImplementation((rows, settings) => {
      real(rows.slice(0, 2), settings);
      throw new Error('the disk went away');
    });
    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.sysadmin)).status).toBe(202);
    await vi.waitFor(async () => expect((await getSession(env.app, cookies.sysadmin, session.id)).processing_error).toBe('the disk went away'));
    spy.mockRestore();

    const stopped = await getSession(env.app, cookies.sysadmin, session.id);
    expect(stopped).toMatchObject({ state: 'processing', counts: { applied: 2, pending: 3 } });
    // Nothing is stuck behind it: the reason is given, and the way on.
    const fix = await call(env.app, 'POST', `/api/sessions/${session.id}/transactions/${batch[2].id}/void`, cookies.sysadmin, { reason: 'x' });
    expect(fix.status).toBe(409);
    expect(fix.body.message).toBe('Processing of the session stopped (the disk went away); resume it from the session page first');
    const progress = await env.app.inject({ method: 'GET', url: `/api/sessions/${session.id}/progress`, headers: { cookie: cookies.sysadmin } });
    expect(progress.body).toContain('"error":"the disk went away"');
    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.sysadmin)).status).toBe(409);

    const resumed = await call(env.app, 'POST', `/api/sessions/${session.id}/resume`, cookies.sysadmin);
    expect(resumed.status).toBe(202);
    expect(resumed.body.processing_error).toBeNull();
    const done = await waitForState(env.app, cookies.sysadmin, session.id, 'processed');
    expect(done.counts).toMatchObject({ total: 5, applied: 4, exception: 1, pending: 0 });
    expect(done.processing_error).toBeNull();
    for (const item of [ITEMS.book1, ITEMS.book2, ITEMS.book3]) expect(loansOf(env.db, item)).toHaveLength(1);
    expect(loansOf(env.db, ITEMS.onLoan)).toEqual([expect.objectContaining({ checkin_txn: batch[4].id })]);
    const audit = env.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'session.%' ORDER BY id").pluck().all();
    expect(audit).toEqual(['session.create', 'session.process', 'session.resume']);
  });

  it('refuses to resume a session that is not waiting to be', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const reply = await call(env.app, 'POST', `/api/sessions/${session.id}/resume`, cookies.sysadmin);
    expect(reply).toMatchObject({ status: 409, body: { code: 'BAD_SESSION_STATE' } });
  });
});

describe('where a workstation may be registered', () => {
  it('offers only the branches (not systems) where the account may register a desk, by name, and refuses a system', async () => {
    const sys = await call(env.app, 'GET', '/api/branches?for=workstation', cookies.sysadmin);
    expect(sys.body.map((b: { code: string }) => b.code)).toEqual([BRANCH_A, BRANCH_B]);
    const clerk = await call(env.app, 'GET', '/api/branches?for=workstation', cookies.circA);
    expect(clerk.body).toEqual([{ code: BRANCH_A, name: 'North Branch', parent: 'SYS' }]);
    const refused = await call(env.app, 'POST', '/api/workstations', cookies.sysadmin, { name: 'SYS-DESK', branch: 'SYS' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'NOT_A_BRANCH' } });
  });
});
