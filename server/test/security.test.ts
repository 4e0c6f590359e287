/**
 * SPEC §9 as a user (or an attacker) meets it: the login cookie's flags, Helmet's
 * headers and the CSP, cross-site request refusal, login throttling per account and per
 * address, HTTPS start-up with a generated certificate (the real server process), the
 * rules for managing accounts, workstations and imports, and the audit trail.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import {
  BRANCH_A, BRANCH_B, DESK_A1, SYSTEM, USERS, call, countRows, createSession, login, loginAs, tx, upload,
  useTestEnv, waitForState,
} from './helpers.js';
import { buildApp } from '../build-app.js';
import { dumpTables } from './fixture-world.js';

const { env } = useTestEnv();

const inject = (opts: { method: 'GET' | 'POST'; url: string; cookie?: string; headers?: Record<string, string>; payload?: unknown; remoteAddress?: string }) =>
  env.app.inject({
    method: opts.method, url: opts.url, remoteAddress: opts.remoteAddress,
    headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    ...(opts.payload === undefined ? {} : { payload: opts.payload as object }),
  });

const loginAttempt = (username: string, password: string, remoteAddress = '127.0.0.1') =>
  inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });

describe('the login cookie', () => {
  it('is random, httpOnly, SameSite=Strict, path /, expiring, and not Secure over plain HTTP', async () => {
    const res = await loginAttempt(USERS.circA.username, USERS.circA.password);
    expect(res.statusCode).toBe(200);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^oc_session=[A-Za-z0-9_-]{43}; /);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Strict/);
    expect(header).toMatch(/; Path=\//);
    expect(header).not.toMatch(/Secure/);
    const cookie = res.cookies[0];
    expect(cookie.expires!.getTime()).toBeGreaterThan(Date.now());
    expect(cookie.expires!.getTime()).toBeLessThanOrEqual(Date.now() + 7 * 86400_000 + 1000);
    // Only its hash is stored.
    expect(countRows(env.db, 'auth_sessions', 'token_hash = ?', cookie.value)).toBe(0);
  });

  it('is cleared on logout, and the token stops working', async () => {
    const cookie = await loginAs(env.app, 'circA');
    const out = await inject({ method: 'POST', url: '/api/auth/logout', cookie });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^oc_session=; /);
    expect((await inject({ method: 'GET', url: '/api/auth/me', cookie })).statusCode).toBe(401);
  });
});

describe('security headers', () => {
  function expectHelmet(res: LightMyRequestResponse, where: string): void {
    const h = res.headers;
    const csp = String(h['content-security-policy']);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
      "base-uri 'self'", "form-action 'self'", "connect-src 'self'", "worker-src 'self'"]) {
      expect(csp, `${where}: ${directive}`).toContain(directive);
    }
    expect(csp, where).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp, `${where}: no upgrade over plain HTTP`).not.toContain('upgrade-insecure-requests');
    expect(h['x-content-type-options'], where).toBe('nosniff');
    expect(h['x-frame-options'], where).toBe('SAMEORIGIN');
    expect(h['referrer-policy'], where).toBe('no-referrer');
    expect(h['cross-origin-opener-policy'], where).toBe('same-origin');
    expect(h['cross-origin-resource-policy'], where).toBe('same-origin');
    expect(h['x-dns-prefetch-control'], where).toBe('off');
    expect(h['x-permitted-cross-domain-policies'], where).toBe('none');
    expect(h['strict-transport-security'], `${where}: HSTS only over HTTPS`).toBeUndefined();
    expect(h['x-powered-by'], where).toBeUndefined();
  }

  it('come with the app page, its client-side routes, the API, its errors and the API docs', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'offline-circ-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Offline Circulation</title><script type="module" src="/app.js"></script>');
    writeFileSync(join(staticDir, 'app.js'), 'console.log(1);');
    const web = await buildApp(env.services, { staticDir });
    try {
      const page = await web.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expectHelmet(page, 'the app page');
      const route = await web.inject({ method: 'GET', url: '/admin', headers: { accept: 'text/html' } });
      expect(route.statusCode).toBe(200);
      expectHelmet(route, 'a client-side route');
      expectHelmet(await web.inject({ method: 'GET', url: '/app.js' }), 'the script');

      expectHelmet(await web.inject({ method: 'GET', url: '/api/health' }), 'the API');
      const cookie = await loginAs(web, 'sysadmin');
      expectHelmet(await web.inject({ method: 'GET', url: '/api/sessions', headers: { cookie } }), 'an API list');
      expectHelmet(await web.inject({ method: 'GET', url: '/api/auth/me' }), 'a 401');
      expectHelmet(await web.inject({ method: 'GET', url: '/api/no-such-route' }), 'a 404');
      expectHelmet(await web.inject({ method: 'POST', url: '/api/sessions', headers: { cookie }, payload: { name: 1 } }), 'a 400');

      const docs = await web.inject({ method: 'GET', url: '/api/docs' });
      expect(docs.statusCode).toBe(200);
      expectHelmet(docs, 'the API docs page');
      // The docs page runs under the strict CSP: no inline script or style at all.
      expect(docs.body.match(/<script|<style|\sstyle=|\son[a-z]+=/gi)).toBeNull();
    } finally {
      await web.close();
      rmSync(staticDir, { recursive: true, force: true });
    }
  });
});

describe('cross-site requests', () => {
  let cookie: string;
  beforeEach(async () => { cookie = await loginAs(env.app, 'sysadmin'); });
  const create = (headers: Record<string, string>, payload: unknown = { name: 'Outage', branch: BRANCH_A }) =>
    inject({ method: 'POST', url: '/api/sessions', cookie, headers, payload });

  it('refuses a POST whose Origin is another site (403) and changes nothing', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:80.evil.example', 'https://localhost:80', 'http://localhost:8080']) {
      const res = await create({ origin });
      expect(res.statusCode, origin).toBe(403);
      expect(res.json()).toEqual({ code: 'CROSS_SITE_REQUEST', message: expect.any(String) });
    }
    expect(countRows(env.db, 'offline_sessions')).toBe(0);
  });

  it('refuses a POST the browser marks Sec-Fetch-Site: cross-site (403), even with a matching Origin', async () => {
    expect((await create({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await create({ 'sec-fetch-site': 'cross-site', origin: 'http://localhost:80' })).statusCode).toBe(403);
    // Login CSRF too: a cross-site page cannot log the victim in as someone else.
    const loginRes = await inject({ method: 'POST', url: '/api/auth/login', headers: { 'sec-fetch-site': 'cross-site' }, payload: USERS.circA });
    expect(loginRes.statusCode).toBe(403);
    expect(loginRes.headers['set-cookie']).toBeUndefined();
    expect(countRows(env.db, 'offline_sessions')).toBe(0);
  });

  it('takes the same POST from this origin, or from a script that sends no Origin', async () => {
    expect((await create({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
    expect((await create({})).statusCode).toBe(201);
    // Reading is not refused: GET never changes anything.
    expect((await inject({ method: 'GET', url: '/api/sessions', cookie, headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } })).statusCode).toBe(200);
  });

  it('refuses form-encoded, multipart and plain-text bodies with 415: HTML forms cannot send JSON', async () => {
    const session = await createSession(env.app, cookie);
    const before = dumpTables(env.db);
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', 'name=Outage&branch=NORTH'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nOutage\r\n--b--\r\n'],
      ['text/plain', '{"name":"Outage","branch":"NORTH"}'],
    ] as const) {
      const res = await create({ 'content-type': type }, payload);
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) });
      // Routes without a body too: a text/plain form post must not start processing.
      const process = await inject({ method: 'POST', url: `/api/sessions/${session.id}/process`, cookie, headers: { 'content-type': type }, payload });
      expect(process.statusCode, `process with ${type}`).toBe(415);
    }
    expect(dumpTables(env.db)).toBe(before);
  });
});

describe('login throttling', () => {
  it('refuses an account with 429 and Retry-After after 5 failed logins, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await loginAttempt(USERS.circA.username, `wrong-${i}`)).statusCode).toBe(401);
    const locked = await loginAttempt(USERS.circA.username, USERS.circA.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Too many failed logins; try again in 15 minutes', message_key: 'tooManyAttempts', params: { minutes: 15 } });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(locked.headers['set-cookie']).toBeUndefined();
    // The username's case does not give five more tries.
    expect((await loginAttempt(USERS.circA.username.toUpperCase(), 'x')).statusCode).toBe(429);
    // Another account from the same address still logs in.
    expect((await loginAttempt(USERS.sysadmin.username, USERS.sysadmin.password)).statusCode).toBe(200);
    expect(countRows(env.db, 'auth_sessions', 'staff_id = ?', env.library.staffIds.circA)).toBe(0);
  });

  it('refuses an address with 429 after 20 failed logins across accounts; other addresses are unaffected', async () => {
    const address = '10.0.0.7';
    // Twenty failures spread over five usernames: four each, under the per-account limit.
    for (let i = 0; i < 20; i++) {
      const res = await loginAttempt(`guess-${i % 5}`, 'password-guess', address);
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const blocked = await loginAttempt(USERS.circA.username, USERS.circA.password, address);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await loginAttempt('guess-new', 'x', address)).statusCode).toBe(429);
    // The same account from another address is fine.
    expect((await loginAttempt(USERS.circA.username, USERS.circA.password, '10.0.0.8')).statusCode).toBe(200);
  });

  it('starts the account count again after a successful login', async () => {
    for (let i = 0; i < 4; i++) expect((await loginAttempt(USERS.circA.username, 'wrong')).statusCode).toBe(401);
    expect((await loginAttempt(USERS.circA.username, USERS.circA.password)).statusCode).toBe(200);
    // Without the reset the next failure would be the fifth and lock the account.
    for (let i = 0; i < 5; i++) expect((await loginAttempt(USERS.circA.username, 'wrong')).statusCode, `failure ${i + 1} after the reset`).toBe(401);
    expect((await loginAttempt(USERS.circA.username, USERS.circA.password)).statusCode).toBe(429);
  });
});

describe('HTTPS start-up with a generated certificate', () => {
  it('serves the API over TLS with HSTS, and the login cookie is Secure, HttpOnly and SameSite=Strict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offline-circ-tls-'));
    let child: ChildProcess | undefined;
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const port = await freePort();
      const password = 'tls-admin-password-1';
      mkdirSync(join(dir, 'data'));
      const output: string[] = [];
      child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: {
          ...process.env, TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem'), PORT: String(port), HOST: '127.0.0.1',
          DATA_DIR: join(dir, 'data'), STATIC_DIR: join(dir, 'no-static'), OFFLINE_CIRC_ADMIN_PASSWORD: password, OFFLINE_CIRC_SEED_DEMO: 'false', LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const started = new Promise<void>((resolveStarted, reject) => {
        const onData = (chunk: Buffer) => {
          output.push(chunk.toString());
          if (output.join('').includes(`https://127.0.0.1:${port}/`)) resolveStarted();
        };
        child!.stdout!.on('data', onData);
        child!.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
        child!.on('exit', (code) => reject(new Error(`server exited (${code}) before it started:\n${output.join('')}`)));
        setTimeout(() => reject(new Error(`server did not start in 20 s:\n${output.join('')}`)), 20_000);
      });
      await started;

      const health = await httpsCall(port, 'GET', '/api/health');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ ok: true });
      expect(health.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect(String(health.headers['content-security-policy'])).toContain('upgrade-insecure-requests');

      const loggedIn = await httpsCall(port, 'POST', '/api/auth/login', { username: 'admin', password });
      expect(loggedIn.status, loggedIn.body).toBe(200);
      const setCookie = String(loggedIn.headers['set-cookie']);
      expect(setCookie).toMatch(/^oc_session=[A-Za-z0-9_-]+;/);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; HttpOnly/);
      expect(setCookie).toMatch(/; SameSite=Strict/);
      const cookie = setCookie.split(';')[0];

      const me = await httpsCall(port, 'GET', '/api/auth/me', undefined, { cookie });
      expect(me.status).toBe(200);
      expect(JSON.parse(me.body)).toMatchObject({ username: 'admin' });
      // The origin check knows it is served over HTTPS: this origin passes, its http:// twin does not.
      const self = `https://127.0.0.1:${port}`;
      expect((await httpsCall(port, 'POST', '/api/auth/logout', undefined, { cookie: 'oc_session=x', origin: self })).status).toBe(204);
      expect((await httpsCall(port, 'POST', '/api/auth/logout', undefined, { cookie, origin: `http://127.0.0.1:${port}` })).status).toBe(403);
    } finally {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('accounts', () => {
  let sysadmin: string;
  let adminB: string;
  beforeEach(async () => {
    sysadmin = await loginAs(env.app, 'sysadmin');
    adminB = await loginAs(env.app, 'adminB');
  });
  const newAccount = (password: string, branch: string = BRANCH_A, username = 'new-clerk') =>
    ({ username, display_name: 'New Clerk', password, branch, role: 'circulation' });

  it('refuses a password shorter than 10 characters (400), at creation and at a reset', async () => {
    const short = await call(env.app, 'POST', '/api/staff', sysadmin, newAccount('123456789'));
    expect(short.status).toBe(400);
    expect(short.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('password') });
    expect(countRows(env.db, 'staff', 'username = ?', 'new-clerk')).toBe(0);
    const blankName = await call(env.app, 'POST', '/api/staff', sysadmin, { ...newAccount('1234567890'), display_name: ' \u200b ' });
    expect(blankName.status).toBe(400);
    expect(blankName.body.message).toContain('display_name');
    expect(countRows(env.db, 'staff', 'username = ?', 'new-clerk')).toBe(0);
    expect((await call(env.app, 'POST', '/api/staff', sysadmin, newAccount('1234567890'))).status).toBe(201);
    expect((await call(env.app, 'POST', `/api/staff/${USERS.circA.username}/password`, sysadmin, { password: 'short' })).status).toBe(400);
    expect((await call(env.app, 'POST', `/api/staff/${USERS.circA.username}/password`, sysadmin, { password: '123456789' })).status).toBe(400);
    // The old password still works: nothing was changed.
    await loginAs(env.app, 'circA');
  });

  it('locks a disabled account out at once: no new login, and its existing cookie stops working', async () => {
    const cookie = await loginAs(env.app, 'circA');
    const disabled = await call(env.app, 'POST', `/api/staff/${USERS.circA.username}/disable`, sysadmin);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ username: USERS.circA.username, active: false });
    expect((await call(env.app, 'GET', '/api/auth/me', cookie)).status).toBe(401);
    expect((await call(env.app, 'GET', '/api/sessions', cookie)).status).toBe(401);
    expect((await loginAttempt(USERS.circA.username, USERS.circA.password)).statusCode).toBe(401);
    // Enabled again, the account logs in (the old cookie stays dead).
    expect((await call(env.app, 'POST', `/api/staff/${USERS.circA.username}/enable`, sysadmin)).body).toMatchObject({ active: true });
    expect((await call(env.app, 'GET', '/api/auth/me', cookie)).status).toBe(401);
    await loginAs(env.app, 'circA');
  });

  it('ends every login of an account when its password is reset', async () => {
    const first = await loginAs(env.app, 'circA');
    const second = await loginAs(env.app, 'circA');
    const res = await call(env.app, 'POST', `/api/staff/${USERS.circA.username}/password`, sysadmin, { password: 'a-brand-new-password' });
    expect(res.status).toBe(204);
    expect((await call(env.app, 'GET', '/api/auth/me', first)).status).toBe(401);
    expect((await call(env.app, 'GET', '/api/auth/me', second)).status).toBe(401);
    expect(countRows(env.db, 'auth_sessions', 'staff_id = ?', env.library.staffIds.circA)).toBe(0);
    expect((await loginAttempt(USERS.circA.username, USERS.circA.password)).statusCode).toBe(401);
    await login(env.app, USERS.circA.username, 'a-brand-new-password');
    // The admin's own login is untouched.
    expect((await call(env.app, 'GET', '/api/auth/me', sysadmin)).status).toBe(200);
  });

  it('keeps a branch admin inside their branches', async () => {
    const before = dumpTables(env.db);
    // No accounts at another branch, nor at the system above.
    const north = await call(env.app, 'POST', '/api/staff', adminB, newAccount('long-enough-password', BRANCH_A));
    expect(north.status).toBe(403);
    expect(north.body.code).toBe('FORBIDDEN');
    expect((await call(env.app, 'POST', '/api/staff', adminB, newAccount('long-enough-password', SYSTEM))).status).toBe(403);
    // No managing an account with roles outside their branches: not the system admin, not NORTH's desk.
    for (const action of ['disable', 'enable']) {
      const res = await call(env.app, 'POST', `/api/staff/${USERS.sysadmin.username}/${action}`, adminB);
      expect(res.status, action).toBe(403);
      expect(res.body.message).toContain('outside the branches you administer');
    }
    expect((await call(env.app, 'POST', `/api/staff/${USERS.sysadmin.username}/password`, adminB, { password: 'taken-over-password' })).status).toBe(403);
    expect((await call(env.app, 'POST', `/api/staff/${USERS.circA.username}/disable`, adminB)).status).toBe(403);
    expect((await call(env.app, 'POST', `/api/staff/${USERS.circA.username}/roles`, adminB, { branch: BRANCH_A, role: 'admin' })).status).toBe(403);
    // No changing their own roles (not even at their own branch), nor disabling themselves.
    const own = await call(env.app, 'POST', `/api/staff/${USERS.adminB.username}/roles`, adminB, { branch: BRANCH_B, role: 'circulation' });
    expect(own.status).toBe(409);
    expect(own.body.code).toBe('OWN_ACCOUNT');
    expect((await call(env.app, 'POST', `/api/staff/${USERS.adminB.username}/roles`, adminB, { branch: BRANCH_A, role: 'admin' })).status).toBe(403);
    expect((await call(env.app, 'POST', `/api/staff/${USERS.adminB.username}/disable`, adminB)).status).toBe(409);
    expect(dumpTables(env.db)).toBe(before);
    // Within SOUTH they do administer.
    expect((await call(env.app, 'POST', '/api/staff', adminB, newAccount('long-enough-password', BRANCH_B, 'south-clerk'))).status).toBe(201);
    expect((await call(env.app, 'POST', '/api/staff/south-clerk/disable', adminB)).status).toBe(200);
    // The staff list shows only their branches' accounts.
    const list = await call<{ username: string }[]>(env.app, 'GET', '/api/staff', adminB);
    expect(list.body.map((s) => s.username).sort()).toEqual([USERS.adminB.username, 'south-clerk']);
  });

  it('never registers a retired workstation name again (409)', async () => {
    expect((await call(env.app, 'POST', '/api/workstations', sysadmin, { name: DESK_A1, branch: BRANCH_A })).status).toBe(201);
    expect((await call(env.app, 'POST', `/api/workstations/${DESK_A1}/retire`, sysadmin)).status).toBe(200);
    const again = await call(env.app, 'POST', '/api/workstations', sysadmin, { name: DESK_A1, branch: BRANCH_A });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('WORKSTATION_RETIRED');
    expect((await call(env.app, 'POST', '/api/workstations', await loginAs(env.app, 'circA'), { name: DESK_A1, branch: BRANCH_A })).status).toBe(409);
    // Nor can another workstation take the name by renaming, and retiring twice is refused.
    expect((await call(env.app, 'POST', '/api/workstations', sysadmin, { name: 'NORTH-DESK-2', branch: BRANCH_A })).status).toBe(201);
    expect((await call(env.app, 'POST', '/api/workstations/NORTH-DESK-2/rename', sysadmin, { name: DESK_A1 })).status).toBe(409);
    expect((await call(env.app, 'POST', `/api/workstations/${DESK_A1}/retire`, sysadmin)).status).toBe(409);
  });

  it('lets only a system admin import; a bad file changes nothing and lists its bad rows, a good one loads', async () => {
    const files = {
      branches: 'code,name,parent\nEAST,East Branch,SYS\n',
      items: 'barcode,title,author,call_number,item_type,owning_branch,status\nI-EAST-1,East Book,An Author,E 1,book,EAST,available\n',
    };
    const denied = await call(env.app, 'POST', '/api/import', adminB, files);
    expect(denied.status).toBe(403);
    expect((await call(env.app, 'POST', '/api/import', await loginAs(env.app, 'circA'), files)).status).toBe(403);

    const before = dumpTables(env.db);
    const bad = await call(env.app, 'POST', '/api/import', sysadmin, {
      ...files,
      patrons: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred\nP-NEW,Ann,Lee,adult,NOWHERE,2030-01-01,0\nP-NEW2,Bo,Ng,adult,EAST,2030-02-30,0\n',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'IMPORT_REJECTED', message: expect.any(String) });
    expect(bad.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ file: 'patrons', line: 2, reason: expect.any(String) }),
      expect.objectContaining({ file: 'patrons', line: 3, reason: expect.stringContaining('2030-02-30') }),
    ]));
    // All or nothing, to the byte: not even the good branch and item went in.
    expect(dumpTables(env.db)).toBe(before);

    const good = await call(env.app, 'POST', '/api/import', sysadmin, files);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ ok: true, counts: { branches: { inserted: 1 }, items: { inserted: 1 } }, errors: [] });
    expect(countRows(env.db, 'items', 'barcode = ?', 'I-EAST-1')).toBe(1);
    const again = await call(env.app, 'POST', '/api/import', sysadmin, files);
    expect(again.body).toMatchObject({ ok: true, counts: { branches: { inserted: 0, unchanged: 1 }, items: { inserted: 0, unchanged: 1 } } });
  });
});

describe('the audit trail', () => {
  const WS = 'ADMIN-PC-1';

  it('records every administrative action with who, what, on what, and from which workstation', async () => {
    const sysadmin = await loginAs(env.app, 'sysadmin');
    const circA = await loginAs(env.app, 'circA');
    const as = async (method: 'GET' | 'POST', url: string, payload?: unknown, workstation: string | undefined = WS) => {
      const res = await env.app.inject({ method, url, headers: { cookie: sysadmin, ...(workstation ? { 'x-workstation': workstation } : {}) },
        ...(payload === undefined ? {} : { payload: payload as object }) });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.statusCode === 204 ? undefined : res.json();
    };

    // The administrator's own PC, registered as a workstation like any desk.
    env.db.prepare(`INSERT INTO workstations (name, branch_id, registered_by, registered_at)
      SELECT ?, ?, id, '2026-01-01T00:00:00Z' FROM staff WHERE username = 'sysadmin'`).run(WS, env.library.branchIds[BRANCH_A]);
    await as('POST', '/api/workstations', { name: DESK_A1, branch: BRANCH_A });
    await as('POST', '/api/staff', { username: 'new-clerk', display_name: 'New Clerk', password: 'long-enough-password', branch: BRANCH_A, role: 'circulation' });
    await as('POST', '/api/staff/new-clerk/disable');
    await as('POST', '/api/staff/new-clerk/enable');
    await as('POST', '/api/staff/new-clerk/password', { password: 'another-long-password' });
    await as('POST', '/api/staff/new-clerk/roles', { branch: BRANCH_A, role: 'admin' });
    const session = (await as('POST', '/api/sessions', { name: 'Internet Down', branch: BRANCH_A })) as { id: number };
    const [t1, t2, t3] = [tx('checkout', { item_barcode: 'NO-SUCH-1' }), tx('checkout', { item_barcode: 'NO-SUCH-2' }), tx('checkout', { item_barcode: 'NO-SUCH-3' })];
    await upload(env.app, circA, session.id, [t1, t2, t3]);
    await as('POST', `/api/sessions/${session.id}/process`);
    await waitForState(env.app, sysadmin, session.id, 'processed');
    await as('POST', `/api/sessions/${session.id}/transactions/${t1.id}/retry`, { item_barcode: 'I-BOOK1' });
    await as('POST', `/api/sessions/${session.id}/transactions/${t2.id}/retry`, {});
    await as('POST', `/api/sessions/${session.id}/transactions/${t2.id}/void`, { reason: 'mis-scan' });
    await as('POST', `/api/sessions/${session.id}/retry`, { code: 'ASSET_COPY_NOT_FOUND' });
    await as('POST', `/api/sessions/${session.id}/reopen`);
    await as('POST', `/api/sessions/${session.id}/process`);
    await waitForState(env.app, sysadmin, session.id, 'processed');
    await as('POST', `/api/sessions/${session.id}/close`);
    await as('POST', `/api/workstations/${DESK_A1}/rename`, { name: 'NORTH-DESK-9' });
    await as('POST', '/api/workstations/NORTH-DESK-9/retire');
    await as('POST', '/api/import', { branches: 'code,name,parent\nEAST,East Branch,SYS\n' });
    // A header that is not a workstation name is not recorded as one; a well-formed name no desk is registered
    // under (or a retired one) is kept only as what the client claimed.
    await as('POST', '/api/sessions', { name: 'Second', branch: BRANCH_A }, 'not a name; DROP TABLE audit_log');
    await as('POST', '/api/sessions', { name: 'Third', branch: BRANCH_A }, 'FORGED-DESK-1');
    await as('POST', '/api/sessions', { name: 'Fourth', branch: BRANCH_A }, 'NORTH-DESK-9');
    // Retiring the very PC one works at: it was registered when the request came in.
    await as('POST', `/api/workstations/${WS}/retire`);

    const s = `session ${session.id}`;
    const expected: [string, string][] = [
      ['workstation.register', DESK_A1], ['staff.create', 'new-clerk'], ['staff.disable', 'new-clerk'], ['staff.enable', 'new-clerk'],
      ['staff.password_reset', 'new-clerk'], ['staff.role', 'new-clerk'], ['session.create', s], ['session.process', s],
      ['transaction.fix', t1.id], ['transaction.retry', t2.id], ['transaction.void', t2.id], ['transaction.retry_all', s],
      ['session.reopen', s], ['session.process', s], ['session.close', s], ['workstation.rename', DESK_A1], ['workstation.retire', 'NORTH-DESK-9'],
      ['library.import', 'branches'],
    ];
    const rows = env.db.prepare('SELECT staff, workstation, action, target, details FROM audit_log ORDER BY id').all() as
      { staff: string; workstation: string | null; action: string; target: string; details: string | null }[];
    expect(rows.slice(0, -4).map((r) => [r.action, r.target])).toEqual(expected);
    for (const row of rows.slice(0, -4)) expect(row, row.action).toMatchObject({ staff: 'sysadmin', workstation: WS });
    const [malformed, forged, retired, ownRetired] = rows.slice(-4);
    expect(ownRetired).toMatchObject({ action: 'workstation.retire', target: WS, workstation: WS });
    expect(malformed).toMatchObject({ action: 'session.create', workstation: null });
    expect(JSON.parse(malformed.details!)).not.toHaveProperty('claimed_workstation');
    expect(forged).toMatchObject({ action: 'session.create', workstation: null });
    expect(JSON.parse(forged.details!)).toMatchObject({ name: 'Third', claimed_workstation: 'FORGED-DESK-1' });
    expect(retired).toMatchObject({ action: 'session.create', workstation: null });
    expect(JSON.parse(retired.details!)).toMatchObject({ claimed_workstation: 'NORTH-DESK-9' });
    // Details say what changed.
    expect(JSON.parse(rows.find((r) => r.action === 'transaction.fix')!.details!)).toMatchObject({ session: session.id, correction: { item_barcode: 'I-BOOK1' } });
    expect(JSON.parse(rows.find((r) => r.action === 'transaction.void')!.details!)).toMatchObject({ reason: 'mis-scan' });
    expect(JSON.parse(rows.find((r) => r.action === 'workstation.rename')!.details!)).toMatchObject({ to: 'NORTH-DESK-9' });
    expect(JSON.parse(rows.find((r) => r.action === 'staff.role')!.details!)).toMatchObject({ branch: BRANCH_A, role: 'admin' });

    // GET /api/audit: newest first, every entry, filterable.
    const page = await call(env.app, 'GET', '/api/audit?limit=1000', sysadmin);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(rows.length);
    expect(page.body.entries.map((e: { action: string; target: string }) => [e.action, e.target]).reverse().slice(0, -4)).toEqual(expected);
    expect(page.body.entries[4]).toMatchObject({ staff: 'sysadmin', workstation: WS, action: 'library.import', target: 'branches', details: expect.any(Object) });
    const processed = await call(env.app, 'GET', '/api/audit?action=session.process', sysadmin);
    expect(processed.body.total).toBe(2);
    expect((await call(env.app, 'GET', '/api/audit?staff=circ-north', sysadmin)).body.total).toBe(0);

    // GET /api/audit.csv: the same entries, oldest first, with the workstation.
    const csv = await env.app.inject({ method: 'GET', url: '/api/audit.csv', headers: { cookie: sysadmin } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,at,staff,workstation,action,target,details');
    expect(lines).toHaveLength(rows.length + 1);
    // The export is the whole (filtered) trail: paging it is refused, not silently ignored.
    const paged = await env.app.inject({ method: 'GET', url: '/api/audit.csv?limit=5', headers: { cookie: sysadmin } });
    expect(paged.statusCode).toBe(400);
    expect(paged.json().message).toContain('limit');
    expected.forEach(([action, target], i) => {
      expect(lines[i + 1]).toContain(`,sysadmin,${WS},${action},${target},`);
    });

    // Circulation staff may not read it; nobody may without a login.
    for (const url of ['/api/audit', '/api/audit.csv']) {
      const res = await call(env.app, 'GET', url, circA);
      expect(res.status, url).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect((await call(env.app, 'GET', url)).status).toBe(401);
    }
    // Refused actions leave no trace.
    const count = countRows(env.db, 'audit_log');
    expect((await call(env.app, 'POST', '/api/sessions', circA, { name: 'x', branch: BRANCH_A })).status).toBe(403);
    expect((await call(env.app, 'POST', '/api/import', sysadmin, { branches: 'code,name,parent\nX,X,NOPE\n' })).status).toBe(400);
    expect(countRows(env.db, 'audit_log')).toBe(count);
  });
});

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function httpsCall(port: number, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}):
  Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolveCall, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpsRequest({
      host: '127.0.0.1', port, method, path, rejectUnauthorized: false,
      headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveCall({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(payload);
  });
}

