import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { call, countRows, login, loginAs, useTestEnv, USERS, BRANCH_A } from './helpers.js';

const { env } = useTestEnv();

describe('POST /api/auth/login', () => {
  it('logs in with the right password, setting an httpOnly SameSite=Strict cookie, and answers who is logged in', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: USERS.circA });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: 'circ-north', display_name: 'North Desk', roles: [{ branch: BRANCH_A, role: 'circulation' }], installation_admin: false });

    const cookie = res.cookies.find((c) => c.name === 'oc_session');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Strict');
    expect(cookie!.path).toBe('/');
    expect(cookie!.value.length).toBeGreaterThanOrEqual(32);
    expect(cookie!.expires!.getTime()).toBeGreaterThan(Date.now());

    // Only the token's hash is stored, never the token itself.
    const rows = env.db.prepare('SELECT token_hash, staff_id FROM auth_sessions').all() as { token_hash: string; staff_id: number }[];
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(cookie!.value).digest('hex'), staff_id: env.library.staffIds.circA }]);
  });

  it('gives each login its own random token', async () => {
    const first = await loginAs(env.app, 'circA');
    const second = await loginAs(env.app, 'circA');
    expect(first).not.toBe(second);
    expect(countRows(env.db, 'auth_sessions')).toBe(2);
  });

  it('refuses a wrong password with 401 {code, message} and sets no cookie', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: USERS.circA.username, password: 'wrong' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ code: 'BAD_CREDENTIALS', message: 'Wrong username or password', message_key: 'badCredentials' });
    expect(res.cookies).toHaveLength(0);
    expect(countRows(env.db, 'auth_sessions')).toBe(0);
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const res = await call(env.app, 'POST', '/api/auth/login', undefined, { username: 'nobody', password: 'whatever' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('BAD_CREDENTIALS');
  });

  it('refuses a deactivated account even with the right password', async () => {
    env.db.prepare('UPDATE staff SET active = 0 WHERE username = ?').run(USERS.circA.username);
    const res = await call(env.app, 'POST', '/api/auth/login', undefined, USERS.circA);
    expect(res.status).toBe(401);
    expect(countRows(env.db, 'auth_sessions')).toBe(0);
  });

  it('rejects an unknown body field with 400 naming the field', async () => {
    const res = await call(env.app, 'POST', '/api/auth/login', undefined, { ...USERS.circA, remember_me: true });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_REQUEST');
    expect(res.body.message).toContain('remember_me');
    expect(countRows(env.db, 'auth_sessions')).toBe(0);
  });

  it('rejects a wrong type with 400 instead of coercing it', async () => {
    env.db.prepare("UPDATE staff SET username = '5' WHERE username = ?").run(USERS.circA.username);
    // A number where a string belongs must not be turned into the string "5" and logged in.
    const res = await call(env.app, 'POST', '/api/auth/login', undefined, { username: 5, password: USERS.circA.password });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('username') });
    expect(countRows(env.db, 'auth_sessions')).toBe(0);
  });

  it('rejects a missing field with 400 naming it', async () => {
    const res = await call(env.app, 'POST', '/api/auth/login', undefined, { username: USERS.circA.username });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("'password'");
  });
});

describe('GET /api/auth/me', () => {
  it('answers 401 NOT_LOGGED_IN without a cookie', async () => {
    const res = await call(env.app, 'GET', '/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'NOT_LOGGED_IN', message: 'Log in to continue', message_key: 'notLoggedIn' });
  });

  it('answers 401 for a forged cookie', async () => {
    const res = await call(env.app, 'GET', '/api/auth/me', 'oc_session=not-a-real-token');
    expect(res.status).toBe(401);
  });

  it('names the staff member and their roles with a valid cookie', async () => {
    const cookie = await loginAs(env.app, 'sysadmin');
    const res = await call(env.app, 'GET', '/api/auth/me', cookie);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ username: 'sysadmin', display_name: 'System Admin', roles: [{ branch: 'SYS', role: 'admin' }], installation_admin: false });
  });

  it('refuses an expired login session and removes it', async () => {
    const cookie = await loginAs(env.app, 'circA');
    env.db.prepare('UPDATE auth_sessions SET expires_at = ?').run(Date.now() - 1000);
    expect((await call(env.app, 'GET', '/api/auth/me', cookie)).status).toBe(401);
    expect(countRows(env.db, 'auth_sessions')).toBe(0);
  });

  it('refuses a login session idle for longer than the idle timeout', async () => {
    const cookie = await loginAs(env.app, 'circA');
    env.db.prepare('UPDATE auth_sessions SET last_seen_at = ?').run(Date.now() - 13 * 3600_000);
    expect((await call(env.app, 'GET', '/api/auth/me', cookie)).status).toBe(401);
  });

  it('stops accepting the cookie of an account that was deactivated', async () => {
    const cookie = await loginAs(env.app, 'circA');
    env.db.prepare('UPDATE staff SET active = 0 WHERE username = ?').run(USERS.circA.username);
    expect((await call(env.app, 'GET', '/api/auth/me', cookie)).status).toBe(401);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the login: the same cookie no longer works, and the row is gone', async () => {
    const cookie = await login(env.app, USERS.circA.username, USERS.circA.password);
    const other = await loginAs(env.app, 'sysadmin');
    expect((await call(env.app, 'GET', '/api/auth/me', cookie)).status).toBe(200);

    const res = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((c) => c.name === 'oc_session');
    expect(cleared?.value).toBe('');

    expect((await call(env.app, 'GET', '/api/auth/me', cookie)).status).toBe(401);
    expect((await call(env.app, 'GET', '/api/sessions', cookie)).status).toBe(401);
    // Another staff member's login is untouched.
    expect(countRows(env.db, 'auth_sessions')).toBe(1);
    expect((await call(env.app, 'GET', '/api/auth/me', other)).status).toBe(200);
  });

  it('is harmless without a cookie', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/logout' });
    expect(res.statusCode).toBe(204);
  });
});

describe('every API route needs a login', () => {
  it.each([
    ['GET', '/api/branches'],
    ['GET', '/api/sessions'],
    ['GET', '/api/sessions/1'],
    ['GET', '/api/sessions/1/results'],
    ['POST', '/api/sessions/1/process'],
    ['POST', '/api/sessions/1/close'],
  ] as const)('%s %s answers 401 without a cookie', async (method, url) => {
    const res = await call(env.app, method, url);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('NOT_LOGGED_IN');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await call(env.app, 'GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
  });
});
