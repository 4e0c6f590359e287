import { describe, it, expect, beforeEach } from 'vitest';
import {
  BRANCH_A, BRANCH_B, SYSTEM, call, countRows, createSession, processSession, tx, upload, useTestEnv,
} from './helpers.js';
import type { SessionSummary } from '../../shared/api.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA', 'adminB');

const sessionState = (id: number): string =>
  (env.db.prepare('SELECT state FROM offline_sessions WHERE id = ?').get(id) as { state: string }).state;

describe('creating sessions', () => {
  it('lets an admin create an open session (201) with override policy on by default', async () => {
    const res = await call<SessionSummary>(env.app, 'POST', '/api/sessions', cookies.sysadmin, { name: '  Internet Down 2026-11-29 ', branch: BRANCH_A });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Internet Down 2026-11-29', branch: BRANCH_A, state: 'open', override_policy: true, created_by: 'sysadmin', processed_at: null,
      counts: { total: 0, pending: 0, applied: 0, applied_with_notice: 0, exception: 0, skipped: 0, voided: 0 },
    });
    const row = env.db.prepare('SELECT name, branch_id, state, override_policy, created_by FROM offline_sessions WHERE id = ?').get(res.body.id);
    expect(row).toEqual({ name: 'Internet Down 2026-11-29', branch_id: env.library.branchIds[BRANCH_A], state: 'open', override_policy: 1,
      created_by: env.library.staffIds.sysadmin });
  });

  it('stores the override policy when it is turned off', async () => {
    const session = await createSession(env.app, cookies.sysadmin, { override_policy: false });
    expect(session.override_policy).toBe(false);
    expect(env.db.prepare('SELECT override_policy FROM offline_sessions WHERE id = ?').pluck().get(session.id)).toBe(0);
  });

  it('lets a system admin create a session for the whole system', async () => {
    const session = await createSession(env.app, cookies.sysadmin, { branch: SYSTEM });
    expect(session.branch).toBe(SYSTEM);
  });

  it('refuses a circulation account with 403 and creates nothing', async () => {
    const res = await call(env.app, 'POST', '/api/sessions', cookies.circA, { name: 'Mine', branch: BRANCH_A });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 'FORBIDDEN', message: expect.stringContaining('create sessions') });
    expect(countRows(env.db, 'offline_sessions')).toBe(0);
  });

  it("refuses a branch admin creating a session at another branch or at the system (403)", async () => {
    expect((await call(env.app, 'POST', '/api/sessions', cookies.adminB, { name: 'x', branch: BRANCH_A })).status).toBe(403);
    expect((await call(env.app, 'POST', '/api/sessions', cookies.adminB, { name: 'x', branch: SYSTEM })).status).toBe(403);
    expect((await call(env.app, 'POST', '/api/sessions', cookies.adminB, { name: 'x', branch: BRANCH_B })).status).toBe(201);
    expect(countRows(env.db, 'offline_sessions')).toBe(1);
  });

  it('answers 400 for an unknown branch, an empty or blank name, an unknown field or a wrong type', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', branch: 'NOWHERE' }, 'NOWHERE'],
      [{ name: '', branch: BRANCH_A }, 'name'],
      [{ name: '   ', branch: BRANCH_A }, 'name'],
      // Zero-width space, word joiner, left-to-right mark: nothing to see in a list.
      [{ name: '\u200b \u2060\u200e', branch: BRANCH_A }, 'name'],
      [{ name: 'x', branch: BRANCH_A, colour: 'red' }, 'colour'],
      [{ name: 'x', branch: BRANCH_A, override_policy: 'false' }, 'override_policy'],
    ];
    for (const [body, named] of cases) {
      const res = await call(env.app, 'POST', '/api/sessions', cookies.sysadmin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(named);
    }
    expect(countRows(env.db, 'offline_sessions')).toBe(0);
  });
});

describe('listing sessions', () => {
  let northOpen: SessionSummary;
  let northProcessed: SessionSummary;
  let south: SessionSummary;
  let system: SessionSummary;

  beforeEach(async () => {
    northOpen = await createSession(env.app, cookies.sysadmin, { name: 'North open', branch: BRANCH_A });
    northProcessed = await createSession(env.app, cookies.sysadmin, { name: 'North processed', branch: BRANCH_A });
    await processSession(env.app, cookies.sysadmin, northProcessed.id);
    south = await createSession(env.app, cookies.adminB, { name: 'South open', branch: BRANCH_B });
    system = await createSession(env.app, cookies.sysadmin, { name: 'System-wide', branch: SYSTEM });
  });

  const names = (list: SessionSummary[]): string[] => list.map((s) => s.name);

  it('shows a system admin every session, newest first', async () => {
    const res = await call<SessionSummary[]>(env.app, 'GET', '/api/sessions', cookies.sysadmin);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['System-wide', 'South open', 'North processed', 'North open']);
  });

  it('filters by state', async () => {
    const open = await call<SessionSummary[]>(env.app, 'GET', '/api/sessions?state=open', cookies.sysadmin);
    expect(names(open.body)).toEqual(['System-wide', 'South open', 'North open']);
    const processed = await call<SessionSummary[]>(env.app, 'GET', '/api/sessions?state=processed', cookies.sysadmin);
    expect(names(processed.body)).toEqual(['North processed']);
  });

  it("filters by branch: the branch's own sessions and its system's", async () => {
    const res = await call<SessionSummary[]>(env.app, 'GET', `/api/sessions?branch=${BRANCH_A}&state=open`, cookies.sysadmin);
    expect(names(res.body)).toEqual(['System-wide', 'North open']);
  });

  it("shows a desk at branch A the open sessions it can upload to: its branch's and its system's, not branch B's", async () => {
    const res = await call<SessionSummary[]>(env.app, 'GET', `/api/sessions?branch=${BRANCH_A}&state=open`, cookies.circA);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['System-wide', 'North open']);
    const all = await call<SessionSummary[]>(env.app, 'GET', '/api/sessions', cookies.circA);
    expect(names(all.body)).not.toContain('South open');
  });

  it("hides branch A's sessions from branch B's admin", async () => {
    const res = await call<SessionSummary[]>(env.app, 'GET', '/api/sessions', cookies.adminB);
    expect(names(res.body)).toContain('South open');
    expect(names(res.body)).not.toContain('North open');
    expect(names(res.body)).not.toContain('North processed');
  });

  it('rejects an unknown state with 400', async () => {
    const res = await call(env.app, 'GET', '/api/sessions?state=done', cookies.sysadmin);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('state');
  });

  it("answers 404 to branch B's admin for every route of a branch-A session, and changes nothing", async () => {
    for (const [method, path] of [['GET', ''], ['GET', '/results'], ['POST', '/process'], ['POST', '/close'], ['POST', '/reopen']] as const) {
      const res = await call(env.app, method, `/api/sessions/${northOpen.id}${path}`, cookies.adminB);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    const res = await call(env.app, 'POST', `/api/sessions/${northOpen.id}/uploads`, cookies.adminB,
      { workstation: 'SOUTH-DESK-1', device_time: new Date().toISOString(), transactions: [tx('checkin')] });
    expect(res.status).toBe(404);
    expect(sessionState(northOpen.id)).toBe('open');
    expect(countRows(env.db, 'uploads')).toBe(0);
  });

  it("shows branch B's admin the details of a session at branch B", async () => {
    const res = await call(env.app, 'GET', `/api/sessions/${south.id}`, cookies.adminB);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: south.id, branch: BRANCH_B, uploads: [], progress: { done: 0, total: 0 } });
  });

  it('lets a circulation account upload to a system-wide session but not administer it', async () => {
    const reply = await upload(env.app, cookies.circA, system.id, [tx('checkin')]);
    expect(reply.accepted).toHaveLength(1);
    expect((await call(env.app, 'GET', `/api/sessions/${system.id}`, cookies.circA)).status).toBe(403);
    expect((await call(env.app, 'POST', `/api/sessions/${system.id}/process`, cookies.circA)).status).toBe(403);
    expect(sessionState(system.id)).toBe('open');
  });

  it("shows branch B's admin the system-wide session covering branch B, which only a system admin may process (403)", async () => {
    const list = await call<SessionSummary[]>(env.app, 'GET', `/api/sessions?branch=${BRANCH_B}`, cookies.adminB);
    expect(names(list.body)).toEqual(['System-wide', 'South open']);
    const res = await call(env.app, 'POST', `/api/sessions/${system.id}/process`, cookies.adminB);
    expect(res.status).toBe(403);
    expect(sessionState(system.id)).toBe('open');
  });

  it('answers 404 for a session that does not exist and 400 for an id that is not a number', async () => {
    expect((await call(env.app, 'GET', '/api/sessions/9999', cookies.sysadmin)).status).toBe(404);
    const bad = await call(env.app, 'GET', '/api/sessions/abc', cookies.sysadmin);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_REQUEST');
  });
});

describe('session states', () => {
  it('refuses a circulation account processing a session (403), leaving it open', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const res = await call(env.app, 'POST', `/api/sessions/${session.id}/process`, cookies.circA);
    expect(res.status).toBe(403);
    expect(sessionState(session.id)).toBe('open');
  });

  it('closes a processed session, which keeps its results readable', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    await upload(env.app, cookies.circA, session.id, [tx('in_house_use', { count: 2 })]);
    await processSession(env.app, cookies.sysadmin, session.id);

    const res = await call<SessionSummary>(env.app, 'POST', `/api/sessions/${session.id}/close`, cookies.sysadmin);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('closed');
    const row = env.db.prepare('SELECT state, closed_at FROM offline_sessions WHERE id = ?').get(session.id) as { state: string; closed_at: string };
    expect(row.state).toBe('closed');
    expect(row.closed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const results = await call(env.app, 'GET', `/api/sessions/${session.id}/results`, cookies.sysadmin);
    expect(results.status).toBe(200);
    expect(results.body.total).toBe(1);
    expect(countRows(env.db, 'offline_transactions', 'session_id = ?', session.id)).toBe(1);
  });

  it('reopens a processed session for late uploads', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    await processSession(env.app, cookies.sysadmin, session.id);
    const res = await call<SessionSummary>(env.app, 'POST', `/api/sessions/${session.id}/reopen`, cookies.sysadmin);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('open');
    expect(sessionState(session.id)).toBe('open');
    expect((await upload(env.app, cookies.circA, session.id, [tx('checkin')])).accepted).toHaveLength(1);
  });

  it('answers 409 BAD_SESSION_STATE closing or reopening an open session, or reopening a closed one', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    for (const action of ['close', 'reopen']) {
      const res = await call(env.app, 'POST', `/api/sessions/${session.id}/${action}`, cookies.sysadmin);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ code: 'BAD_SESSION_STATE', message: expect.stringContaining('open'), message_key: action === 'close' ? 'sessionCannotClose' : 'sessionCannotReopen',
        params: { name: 'Internet Down', state: 'open' } });
      expect(sessionState(session.id)).toBe('open');
    }
    await processSession(env.app, cookies.sysadmin, session.id);
    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/close`, cookies.sysadmin)).status).toBe(200);
    const reopen = await call(env.app, 'POST', `/api/sessions/${session.id}/reopen`, cookies.sysadmin);
    expect(reopen.status).toBe(409);
    expect(reopen.body.message).toContain('closed');
    const closeAgain = await call(env.app, 'POST', `/api/sessions/${session.id}/close`, cookies.sysadmin);
    expect(closeAgain.status).toBe(409);
    expect(sessionState(session.id)).toBe('closed');
  });

  it('refuses a circulation account closing or reopening (403)', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    await processSession(env.app, cookies.sysadmin, session.id);
    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/close`, cookies.circA)).status).toBe(403);
    expect((await call(env.app, 'POST', `/api/sessions/${session.id}/reopen`, cookies.circA)).status).toBe(403);
    expect(sessionState(session.id)).toBe('processed');
  });
});
