import { describe, it, expect, beforeEach } from 'vitest';
import {
  BRANCH_A, BRANCH_B, DESK_A1, ITEMS, PATRONS, call, countRows, createSession, loansOf, minutesAgo,
  processSession, resultOf, results, tx, upload, useTestEnv,
} from './helpers.js';
import type { FollowUpBranch, TransactionDetail } from '../../shared/api.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');

beforeEach(async () => {
  env.db.prepare("INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, 1, '2026-01-01T00:00:00.000Z')")
    .run(DESK_A1, env.library.branchIds[BRANCH_A]);
});

async function processed(transactions: ReturnType<typeof tx>[]) {
  const session = await createSession(env.app, cookies.sysadmin);
  await upload(env.app, cookies.circA, session.id, transactions);
  await processSession(env.app, cookies.sysadmin, session.id);
  return session.id;
}

describe('fix and retry', () => {
  it('corrects a mistyped item barcode and retries it alone, at its original time, keeping the original in the history', async () => {
    const typo = tx('checkout', { item_barcode: 'I-B00K1', occurred_at: minutesAgo(50) });
    const sessionId = await processed([typo]);
    expect((await resultOf(env.app, cookies.sysadmin, sessionId, typo.id)).code).toBe('ASSET_COPY_NOT_FOUND');

    const res = await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${typo.id}/retry`, cookies.sysadmin, { item_barcode: ITEMS.book1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([expect.objectContaining({ checkout_at: typo.occurred_at, checkout_txn: typo.id })]);

    const detail = (await call<TransactionDetail>(env.app, 'GET', `/api/sessions/${sessionId}/transactions/${typo.id}`, cookies.sysadmin)).body;
    expect(detail.item_barcode).toBe(ITEMS.book1);
    expect(detail.history.map((h) => h.action)).toEqual(['fix', 'retry']);
    expect(detail.history[0]).toMatchObject({ staff: 'sysadmin', before: { item_barcode: 'I-B00K1' }, after: { item_barcode: ITEMS.book1 },
      previous_outcome: 'exception', previous_code: 'ASSET_COPY_NOT_FOUND' });
  });

  it('retries every exception of a code once the data behind them is fixed', async () => {
    const a = tx('in_house_use', { item_barcode: 'NEW-1' });
    const b = tx('in_house_use', { item_barcode: 'NEW-2' });
    const other = tx('checkout', { patron_barcode: 'NOBODY' });
    const sessionId = await processed([a, b, other]);
    // The missing items are catalogued afterwards.
    const insert = env.db.prepare(`INSERT INTO items (barcode, title, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
      VALUES (?, 'Late record', 'book', ?, ?, 'available', '2020-01-01T00:00:00.000Z')`);
    for (const code of ['NEW-1', 'NEW-2']) insert.run(code, env.library.branchIds[BRANCH_A], env.library.branchIds[BRANCH_A]);

    const res = await call(env.app, 'POST', `/api/sessions/${sessionId}/retry`, cookies.sysadmin, { code: 'ASSET_COPY_NOT_FOUND' });
    expect(res.body).toMatchObject({ retried: 2, applied: 2, exception: 0 });
    expect(countRows(env.db, 'in_house_uses')).toBe(2);
    expect((await resultOf(env.app, cookies.sysadmin, sessionId, other.id)).code).toBe('ACTOR_USER_NOT_FOUND');
  });

  it('refuses to retry what is not an exception, and refuses a correction of a field the type does not have', async () => {
    const ok = tx('checkout');
    const bad = tx('checkin', { item_barcode: 'NOPE' });
    const sessionId = await processed([ok, bad]);
    const again = await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${ok.id}/retry`, cookies.sysadmin, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('NOT_AN_EXCEPTION');
    const wrongField = await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${bad.id}/retry`, cookies.sysadmin, { patron_barcode: PATRONS.adult });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.message).toContain('patron_barcode');
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(1);
  });

  it('a circulation account cannot fix, retry or void', async () => {
    const bad = tx('checkin', { item_barcode: 'NOPE' });
    const sessionId = await processed([bad]);
    for (const [url, body] of [[`transactions/${bad.id}/retry`, {}], [`transactions/${bad.id}/void`, { reason: 'x' }], ['retry', { code: 'X' }]] as const) {
      const res = await call(env.app, 'POST', `/api/sessions/${sessionId}/${url}`, cookies.circA, body);
      expect(res.status, url).toBe(403);
    }
  });
});

describe('void, close and reopen', () => {
  it('voids an exception with a reason; applied transactions cannot be voided', async () => {
    const bad = tx('checkin', { item_barcode: 'NOPE' });
    const ok = tx('in_house_use');
    const sessionId = await processed([bad, ok]);
    for (const reason of ['   ', '\u200b\u200b']) {
      const blank = await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${bad.id}/void`, cookies.sysadmin, { reason });
      expect(blank.status).toBe(400);
      expect(blank.body.message).toContain('reason');
      expect(await resultOf(env.app, cookies.sysadmin, sessionId, bad.id)).toMatchObject({ outcome: 'exception' });
    }
    const res = await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${bad.id}/void`, cookies.sysadmin, { reason: 'Test scan of a shelf label' });
    expect(res.status).toBe(204);
    const voided = await resultOf(env.app, cookies.sysadmin, sessionId, bad.id);
    expect(voided).toMatchObject({ outcome: 'voided' });
    expect(voided.detail).toContain('Test scan of a shelf label');
    const refused = await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${ok.id}/void`, cookies.sysadmin, { reason: 'no' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CANNOT_VOID');
  });

  it('a closed session refuses uploads, retries and voids, and its results stay readable', async () => {
    const bad = tx('checkin', { item_barcode: 'NOPE' });
    const sessionId = await processed([bad]);
    expect((await call(env.app, 'POST', `/api/sessions/${sessionId}/close`, cookies.sysadmin)).status).toBe(200);
    expect((await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${bad.id}/retry`, cookies.sysadmin, {})).body.code).toBe('SESSION_CLOSED');
    expect((await call(env.app, 'POST', `/api/sessions/${sessionId}/transactions/${bad.id}/void`, cookies.sysadmin, { reason: 'x' })).status).toBe(409);
    expect((await call(env.app, 'POST', `/api/sessions/${sessionId}/uploads`, cookies.circA, {
      workstation: DESK_A1, device_time: new Date().toISOString(), transactions: [tx('in_house_use')],
    })).status).toBe(409);
    expect((await call(env.app, 'POST', `/api/sessions/${sessionId}/reopen`, cookies.sysadmin)).status).toBe(409);
    expect((await results(env.app, cookies.sysadmin, sessionId)).total).toBe(1);
  });
});

describe('results, counts, follow-ups and CSV', () => {
  it('filters by outcome, code (main or notice), workstation and type, and counts every code', async () => {
    const a = env.library.branchIds[BRANCH_A];
    const b = env.library.branchIds[BRANCH_B];
    // A hold at SOUTH on book2: checking it in at NORTH routes it there.
    env.db.prepare("INSERT INTO holds (patron_id, item_id, pickup_branch_id, status, created_at) SELECT patron_id, i.id, ?, 'pending', '2026-01-01T00:00:00.000Z' FROM patron_cards c, items i WHERE c.barcode = ? AND i.barcode = ?")
      .run(b, PATRONS.adult2, ITEMS.book2);
    const route = tx('checkin', { item_barcode: ITEMS.book2, occurred_at: minutesAgo(20) });
    const barred = tx('checkout', { patron_barcode: PATRONS.barred, item_barcode: ITEMS.book3, occurred_at: minutesAgo(19) });
    const missing = tx('checkout', { item_barcode: 'NOPE', occurred_at: minutesAgo(18) });
    const use = tx('in_house_use', { item_barcode: ITEMS.dvd, occurred_at: minutesAgo(17) });
    const sessionId = await processed([route, barred, missing, use]);
    void a;

    expect((await results(env.app, cookies.sysadmin, sessionId, { outcome: 'exception' })).results.map((r) => r.id)).toEqual([missing.id]);
    expect((await results(env.app, cookies.sysadmin, sessionId, { code: 'ROUTE_ITEM' })).results.map((r) => r.id)).toEqual([route.id]);
    expect((await results(env.app, cookies.sysadmin, sessionId, { type: 'in_house_use' })).results.map((r) => r.id)).toEqual([use.id]);
    expect((await results(env.app, cookies.sysadmin, sessionId, { workstation: 'ELSEWHERE' })).total).toBe(0);
    const detail = (await call(env.app, 'GET', `/api/sessions/${sessionId}`, cookies.sysadmin)).body;
    expect(detail.code_counts).toMatchObject({ ROUTE_ITEM: 1, PATRON_BARRED: 1, ASSET_COPY_NOT_FOUND: 1, SUCCESS: 1 });

    const followUps = (await call<FollowUpBranch[]>(env.app, 'GET', `/api/sessions/${sessionId}/follow-ups`, cookies.sysadmin)).body;
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({ branch: BRANCH_A });
    expect(followUps[0].route).toEqual([expect.objectContaining({ item_barcode: ITEMS.book2, to_branch: BRANCH_B })]);
    expect(followUps[0].overridden).toEqual([expect.objectContaining({ code: 'PATRON_BARRED', patron_card: PATRONS.barred })]);

    const csv = await env.app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/results.csv`, headers: { cookie: cookies.sysadmin } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('id,seq,workstation');
    expect(lines.find((l) => l.startsWith(missing.id))).toContain('ASSET_COPY_NOT_FOUND');
  });

  it('keeps spreadsheet formulas out of the CSV', async () => {
    const evil = tx('checkin', { item_barcode: '=HYPERLINK("x")' });
    const sessionId = await processed([evil]);
    const csv = await env.app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/results.csv`, headers: { cookie: cookies.sysadmin } });
    expect(csv.body).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('live progress', () => {
  it('streams progress events and a last one when the run ends', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const insert = env.db.prepare(`INSERT INTO items (barcode, title, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
      VALUES (?, 'Bulk', 'book', ?, ?, 'available', '2020-01-01T00:00:00.000Z')`);
    const a = env.library.branchIds[BRANCH_A];
    env.db.transaction(() => { for (let i = 0; i < 3000; i++) insert.run(`BULK-${i}`, a, a); })();
    for (let c = 0; c < 3; c++) {
      await upload(env.app, cookies.circA, session.id, Array.from({ length: 1000 }, (_, i) => tx('in_house_use', { item_barcode: `BULK-${c * 1000 + i}` })));
    }
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const address = env.app.server.address() as { port: number };
    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.sysadmin)).status).toBe(202);
    const res = await fetch(`http://127.0.0.1:${address.port}/api/sessions/${session.id}/progress`, { headers: { cookie: cookies.sysadmin } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const events = text.split('\n\n').filter((e) => e.startsWith('event: progress')).map((e) => JSON.parse(e.split('data: ')[1]));
    expect(events.length).toBeGreaterThan(0);
    const last = events.at(-1);
    expect(last).toMatchObject({ done: 3000, total: 3000, finished: true, state: 'processed' });
    expect(last.counts.applied).toBe(3000);
    for (let i = 1; i < events.length; i++) expect(events[i].done).toBeGreaterThanOrEqual(events[i - 1].done);
  });
});
