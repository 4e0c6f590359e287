/**
 * Every route in the OpenAPI document, called as four identities, with the status each
 * must get. A route without a row here fails the test, and so does a row for a route that
 * is gone: adding a route means deciding, in this table, who may call it.
 *
 *   anonymous  no cookie
 *   circA      circ-north: circulation at NORTH (branch A)
 *   adminB     admin-south: admin at SOUTH (branch B)
 *   sysadmin   admin at SYS, the library system above both
 *
 * Each route gets a fresh copy of the same small library (fixture-world.ts), and the
 * identities call it in the order above, with the same request. The first three are
 * mostly refused, which changes nothing, so the system admin sees the starting state;
 * where circA legitimately succeeds (an upload, registering a workstation at NORTH) the
 * later calls see that change, and the table says what they then get.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { app as appPlugin, fastifyOptions } from '../app.js';
import { createServices } from '../services.js';
import { openDatabase } from '../db/open.js';
import { accessControl } from '../plugins/access-control.js';
import { BRANCH_A, BRANCH_B, DESK_A1, USERS, tx } from './helpers.js';
import { buildWorld, cloneWorld, CLERK, type World, type WorldIds } from './fixture-world.js';

type Identity = 'anonymous' | 'circA' | 'adminB' | 'sysadmin';
const IDENTITIES: readonly Identity[] = ['anonymous', 'circA', 'adminB', 'sysadmin'];

type Expected = Record<Identity, number>;

/** Who gets what, route by route (paths in OpenAPI's `{param}` form). */
const EXPECTED: Record<string, Expected> = {
  'GET /api/health': { anonymous: 200, circA: 200, adminB: 200, sysadmin: 200 },
  // Logging in needs no cookie: every identity logs in as circ-north with the right password.
  'POST /api/auth/login': { anonymous: 200, circA: 200, adminB: 200, sysadmin: 200 },
  'POST /api/auth/logout': { anonymous: 204, circA: 204, adminB: 204, sysadmin: 204 },
  'GET /api/auth/me': { anonymous: 401, circA: 200, adminB: 200, sysadmin: 200 },
  'GET /api/branches': { anonymous: 401, circA: 200, adminB: 200, sysadmin: 200 },
  'GET /api/snapshot': { anonymous: 401, circA: 200, adminB: 200, sysadmin: 200 },
  // Registers NEW-DESK at NORTH: circA may (201); adminB has no role at NORTH; sysadmin finds it registered there (200).
  'POST /api/workstations': { anonymous: 401, circA: 201, adminB: 403, sysadmin: 200 },
  'GET /api/workstations': { anonymous: 401, circA: 403, adminB: 200, sysadmin: 200 },
  'GET /api/sessions': { anonymous: 401, circA: 200, adminB: 200, sysadmin: 200 },
  'POST /api/sessions': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 201 },
  // Session routes act on a NORTH session: circA sees it but is not an admin (403); it is hidden from adminB (404).
  'GET /api/sessions/{id}': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'POST /api/sessions/{id}/uploads': { anonymous: 401, circA: 200, adminB: 404, sysadmin: 200 },
  'POST /api/sessions/{id}/process': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 202 },
  // The processed NORTH session has no stopped run to resume: the sysadmin passes every check and is told so (409).
  'POST /api/sessions/{id}/resume': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 409 },
  'POST /api/sessions/{id}/close': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'POST /api/sessions/{id}/reopen': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'GET /api/sessions/{id}/results': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'GET /api/sessions/{id}/results.csv': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'GET /api/sessions/{id}/transactions/{txid}': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'POST /api/sessions/{id}/transactions/{txid}/retry': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'POST /api/sessions/{id}/retry': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'POST /api/sessions/{id}/transactions/{txid}/void': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 204 },
  // The follow-up list is for the desk: circulation staff of the branch read it.
  'GET /api/sessions/{id}/follow-ups': { anonymous: 401, circA: 200, adminB: 404, sysadmin: 200 },
  'GET /api/sessions/{id}/progress': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'GET /api/staff': { anonymous: 401, circA: 403, adminB: 200, sysadmin: 200 },
  // A new account at NORTH: adminB administers only SOUTH.
  'POST /api/staff': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 201 },
  // The target, north-clerk, has a role at NORTH, outside adminB's branches.
  'POST /api/staff/{username}/disable': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 200 },
  'POST /api/staff/{username}/enable': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 200 },
  'POST /api/staff/{username}/password': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 204 },
  'POST /api/staff/{username}/roles': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 200 },
  // NORTH-DESK-1: adminB administers no NORTH workstation, so it is not found for them.
  'POST /api/workstations/{name}/rename': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'POST /api/workstations/{name}/retire': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'GET /api/audit': { anonymous: 401, circA: 403, adminB: 200, sysadmin: 200 },
  'GET /api/audit.csv': { anonymous: 401, circA: 403, adminB: 200, sysadmin: 200 },
  // Library data spans branches: only an admin of a whole library system loads it.
  'POST /api/import': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 200 },
  // Calendars: an admin sees the branches they administer; a closure at NORTH is changed by NORTH's admins (the system's).
  'GET /api/calendars': { anonymous: 401, circA: 403, adminB: 200, sysadmin: 200 },
  'POST /api/calendars/{code}/closures': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 201 },
  'POST /api/calendars/{code}/closures/{id}/remove': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 200 },
  // Loan policies are library-wide: any admin reads them, an admin of a library system changes them.
  'GET /api/policies': { anonymous: 401, circA: 403, adminB: 200, sysadmin: 200 },
  'POST /api/policies': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 201 },
  'POST /api/policies/{id}': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 200 },
  'POST /api/policies/{id}/remove': { anonymous: 401, circA: 403, adminB: 403, sysadmin: 204 },
  // Exporting a NORTH session, like its results.
  'GET /api/sessions/{id}/export': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
  'GET /api/sessions/{id}/export-summary': { anonymous: 401, circA: 403, adminB: 404, sysadmin: 200 },
};

/** Routes kept out of the OpenAPI document on purpose: the document itself and its page. */
const HIDDEN = new Set(['GET /api/openapi.json', 'GET /api/docs']);

interface Req { method: 'GET' | 'POST'; url: string; payload?: unknown }

/** A valid request for each route, against the world's ids. */
function requestFor(key: string, ids: WorldIds): Req {
  const n = ids.northProcessed;
  const post = (url: string, payload?: unknown): Req => ({ method: 'POST', url, payload });
  const get = (url: string): Req => ({ method: 'GET', url });
  const batch = [tx('checkout', { id: '0b0b0b0b-0000-4000-8000-000000000001', occurred_at: '2026-01-01T10:00:00.000Z', seq: 1 })];
  const requests: Record<string, Req> = {
    'GET /api/health': get('/api/health'),
    'POST /api/auth/login': post('/api/auth/login', USERS.circA),
    'POST /api/auth/logout': post('/api/auth/logout'),
    'GET /api/auth/me': get('/api/auth/me'),
    'GET /api/branches': get('/api/branches'),
    'GET /api/snapshot': get('/api/snapshot'),
    'POST /api/workstations': post('/api/workstations', { name: 'NEW-DESK', branch: BRANCH_A }),
    'GET /api/workstations': get('/api/workstations'),
    'GET /api/sessions': get('/api/sessions'),
    'POST /api/sessions': post('/api/sessions', { name: 'Power cut', branch: BRANCH_A }),
    'GET /api/sessions/{id}': get(`/api/sessions/${n}`),
    'POST /api/sessions/{id}/uploads': post(`/api/sessions/${ids.northOpen}/uploads`, { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: batch }),
    'POST /api/sessions/{id}/process': post(`/api/sessions/${ids.northOpen}/process`),
    'POST /api/sessions/{id}/resume': post(`/api/sessions/${n}/resume`),
    'POST /api/sessions/{id}/close': post(`/api/sessions/${n}/close`),
    'POST /api/sessions/{id}/reopen': post(`/api/sessions/${n}/reopen`),
    'GET /api/sessions/{id}/results': get(`/api/sessions/${n}/results?outcome=exception`),
    'GET /api/sessions/{id}/results.csv': get(`/api/sessions/${n}/results.csv`),
    'GET /api/sessions/{id}/transactions/{txid}': get(`/api/sessions/${n}/transactions/${ids.exceptionTx}`),
    'POST /api/sessions/{id}/transactions/{txid}/retry': post(`/api/sessions/${n}/transactions/${ids.exceptionTx}/retry`, {}),
    'POST /api/sessions/{id}/retry': post(`/api/sessions/${n}/retry`, { code: 'ASSET_COPY_NOT_FOUND' }),
    'POST /api/sessions/{id}/transactions/{txid}/void': post(`/api/sessions/${n}/transactions/${ids.exceptionTx}/void`, { reason: 'mis-scan' }),
    'GET /api/sessions/{id}/follow-ups': get(`/api/sessions/${n}/follow-ups`),
    'GET /api/sessions/{id}/progress': get(`/api/sessions/${n}/progress`),
    'GET /api/staff': get('/api/staff'),
    'POST /api/staff': post('/api/staff', { username: 'new-north', display_name: 'New North', password: 'a-long-password', branch: BRANCH_A, role: 'circulation' }),
    'POST /api/staff/{username}/disable': post(`/api/staff/${CLERK.username}/disable`),
    'POST /api/staff/{username}/enable': post(`/api/staff/${CLERK.username}/enable`),
    'POST /api/staff/{username}/password': post(`/api/staff/${CLERK.username}/password`, { password: 'another-long-password' }),
    'POST /api/staff/{username}/roles': post(`/api/staff/${CLERK.username}/roles`, { branch: BRANCH_A, role: 'admin' }),
    'POST /api/workstations/{name}/rename': post(`/api/workstations/${DESK_A1}/rename`, { name: 'NORTH-DESK-9' }),
    'POST /api/workstations/{name}/retire': post(`/api/workstations/${DESK_A1}/retire`),
    'GET /api/audit': get('/api/audit'),
    'GET /api/audit.csv': get('/api/audit.csv'),
    'POST /api/import': post('/api/import', { branches: 'code,name,parent\nEAST,East Branch,SYS\n' }),
    'GET /api/calendars': get('/api/calendars'),
    'POST /api/calendars/{code}/closures': post(`/api/calendars/${BRANCH_A}/closures`, { first_date: '2026-12-31', reason: 'Stocktaking' }),
    'POST /api/calendars/{code}/closures/{id}/remove': post(`/api/calendars/${BRANCH_A}/closures/${ids.northClosure}/remove`),
    'GET /api/policies': get('/api/policies'),
    'POST /api/policies': post('/api/policies', { item_type: 'magazine', patron_profile: null, loan_days: 7, max_renewals: 0, daily_fine_cents: 10,
      max_fine_cents: 200, max_items_out: null }),
    'POST /api/policies/{id}': post(`/api/policies/${ids.dvdPolicy}`, { item_type: 'dvd', patron_profile: null, loan_days: 14, max_renewals: 1,
      daily_fine_cents: 100, max_fine_cents: 1500, max_items_out: 3 }),
    'POST /api/policies/{id}/remove': post(`/api/policies/${ids.dvdPolicy}/remove`),
    'GET /api/sessions/{id}/export': get(`/api/sessions/${n}/export?format=koc`),
    'GET /api/sessions/{id}/export-summary': get(`/api/sessions/${n}/export-summary?format=evergreen&outcome=applied`),
  };
  const req = requests[key];
  if (!req) throw new Error(`no request for ${key}: add one to requestFor`);
  return req;
}

let world: World;
let operations: string[];

beforeAll(async () => {
  world = await buildWorld();
  const env = await cloneWorld(world);
  try {
    const res = await env.app.inject({ method: 'GET', url: '/api/openapi.json', headers: { cookie: world.cookies.sysadmin } });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
  } finally {
    await env.close();
  }
});
afterAll(() => world?.dispose());

describe('route × identity matrix', () => {
  it('has a row for every operation in the OpenAPI document, and no row for a route that is not there', () => {
    expect(operations.length).toBeGreaterThanOrEqual(34);
    expect(operations.filter((op) => !(op in EXPECTED)), 'routes without a row in EXPECTED').toEqual([]);
    expect(Object.keys(EXPECTED).filter((row) => !operations.includes(row)), 'rows for routes not in the OpenAPI document').toEqual([]);
  });

  it('documents every route the app serves, except the document and its page', async () => {
    // The app built again with a hook that sees every route as it is added: a route hidden
    // from the document (schema.hide) would escape the table above, so only these two may.
    const db = openDatabase(':memory:');
    const fastify = Fastify(fastifyOptions);
    const served: string[] = [];
    fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') served.push(`${method} ${route.url.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
      }
    });
    try {
      await fastify.register(appPlugin, { services: createServices(db) });
      await fastify.ready();
      expect(served.filter((r) => !operations.includes(r) && !HIDDEN.has(r))).toEqual([]);
      expect(served.length).toBe(operations.length + HIDDEN.size);
    } finally {
      await fastify.close();
      db.close();
    }
  });

  it('refuses to start when a route declares no access', async () => {
    const fastify = Fastify(fastifyOptions);
    const start = async () => {
      await fastify.register(async (api) => {
        accessControl(api);
        api.get('/declared', { config: { access: 'public' } }, async () => 'ok');
        // @ts-expect-error the type of a route's config requires the declaration too
        api.get('/forgotten', { config: {} }, async () => 'ok');
      }, { prefix: '/api' });
      await fastify.ready();
    };
    await expect(start()).rejects.toThrow('GET /api/forgotten declares no access');
    await fastify.close();
  });

  // One test per row, so a failure names the route; routes the table lists but the
  // document lacks are caught by the first test.
  for (const key of Object.keys(EXPECTED)) {
    it(`${key}: ${IDENTITIES.map((who) => `${who} ${EXPECTED[key][who]}`).join(', ')}`, async () => {
      const env = await cloneWorld(world);
      try {
        const request = requestFor(key, world.ids);
        const got: Partial<Expected> = {};
        for (const who of IDENTITIES) {
          const cookie = who === 'anonymous' ? undefined : world.cookies[who];
          const res = await env.app.inject({
            method: request.method, url: request.url,
            headers: cookie ? { cookie } : {},
            ...(request.payload === undefined ? {} : { payload: request.payload as object }),
          });
          got[who] = res.statusCode;
          if (res.statusCode >= 400) {
            // Every refusal is the API's JSON error.
            expect(res.json(), `${who}: ${res.body}`).toMatchObject({ code: expect.any(String), message: expect.any(String) });
            expect(Object.keys(res.json()).filter((k) => !['code', 'message', 'message_key', 'params'].includes(k)), res.body).toEqual([]);
          }
        }
        expect(got).toEqual(EXPECTED[key]);
      } finally {
        await env.close();
      }
    });
  }
});

/** The routes anyone may call: logging in and out, health, and the document itself. */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout', ...HIDDEN]);

describe('access is checked on arrival, before the request is read', () => {
  it('answers an anonymous caller 401 NOT_LOGGED_IN on every other route, whatever the body, query or path says', async () => {
    const env = await cloneWorld(world);
    try {
      const guarded = Object.keys(EXPECTED).filter((key) => !PUBLIC.has(key));
      expect(guarded.length).toBeGreaterThanOrEqual(30);
      for (const key of guarded) {
        const { method, url } = requestFor(key, world.ids);
        // A path parameter no schema accepts, an unknown query parameter, and a body that is not even JSON.
        const bad = `${url.replace(/\/(\d+|[0-9a-f-]{36}|north-clerk|NORTH-DESK-1)(?=\/|$)/g, "/'%20OR%201=1")}${url.includes('?') ? '&' : '?'}is_admin=1`;
        for (const target of [url, bad]) {
          const res = await env.app.inject({ method, url: target, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { payload: '{"unterminated' } : {}) });
          expect({ key, target, status: res.statusCode, body: res.json() }).toEqual({ key, target, status: 401, body: { code: 'NOT_LOGGED_IN', message: 'Log in to continue', message_key: 'notLoggedIn' } });
        }
      }
    } finally {
      await env.close();
    }
  });

  it('keeps the public routes public', async () => {
    const env = await cloneWorld(world);
    try {
      for (const url of ['/api/health', '/api/openapi.json', '/api/docs']) expect((await env.app.inject({ method: 'GET', url })).statusCode).toBe(200);
      expect((await env.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
      // Validation still speaks for public routes: the login's schema refuses a body without a password.
      const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
      expect(login.json()).toEqual({ code: 'BAD_REQUEST', message: "Invalid body: missing field 'password'" });
    } finally {
      await env.close();
    }
  });
});

describe('the same routes at the branch admin\'s own branch', () => {
  it('lets admin-south administer a SOUTH session, which circ-north cannot even see', async () => {
    const env = await cloneWorld(world);
    try {
      const { adminB, circA, sysadmin } = world.cookies;
      const south = world.ids.southOpen;
      const status = async (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
        (await env.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) })).statusCode;

      expect(await status(adminB, 'GET', `/api/sessions/${south}`)).toBe(200);
      expect(await status(adminB, 'GET', `/api/sessions/${south}/results`)).toBe(200);
      expect(await status(adminB, 'GET', `/api/sessions/${south}/follow-ups`)).toBe(200);
      // Not an administrator anywhere, circ-north is refused on arrival, before any session is looked up:
      // the same 403 for every id, so it learns nothing of SOUTH's sessions. The desk's routes still hide them (404).
      expect(await status(circA, 'GET', `/api/sessions/${south}`)).toBe(403);
      expect(await status(circA, 'GET', `/api/sessions/${south}/follow-ups`)).toBe(404);
      expect(await status(circA, 'POST', `/api/sessions/${south}/uploads`,
        { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: [tx('checkin', { id: randomUUID() })] })).toBe(404);
      expect(await status(adminB, 'POST', '/api/sessions', { name: 'South outage', branch: BRANCH_B })).toBe(201);
      expect(await status(adminB, 'POST', `/api/sessions/${south}/process`)).toBe(202);
      expect(await status(sysadmin, 'GET', `/api/sessions/${south}`)).toBe(200);

      const list = async (cookie: string) => ((await env.app.inject({ method: 'GET', url: '/api/sessions', headers: { cookie } })).json() as { branch: string }[])
        .map((s) => s.branch).sort();
      expect(new Set(await list(circA))).toEqual(new Set([BRANCH_A]));
      expect(new Set(await list(adminB))).toEqual(new Set([BRANCH_B]));
      expect(new Set(await list(sysadmin))).toEqual(new Set([BRANCH_A, BRANCH_B]));
    } finally {
      await env.close();
    }
  });
});
