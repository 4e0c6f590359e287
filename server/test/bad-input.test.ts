/**
 * Bad input against every route in the OpenAPI document: a corpus generated from a
 * fixed seed, so every run sends the same requests. Truncated JSON, wrong types for
 * every field, 100,000-character strings, deep nesting, unicode tricks, SQL
 * metacharacters in every string field and in every path and query parameter, dates
 * out of range, negative/huge/fractional counts, duplicate ids in one batch, unknown
 * fields, wrong shapes, empty bodies, wrong content types, oversized bodies, wrong
 * methods, forged cookies.
 *
 * Every request of the main corpus is built so it must be refused (4xx): a value the
 * schema would accept in a free-text field is paired with a refusal the handler reaches
 * only after reading it (an unknown branch, a transaction that is not an exception, a
 * session that is not open…), so the evil text does travel into the handler and its
 * SQL. Afterwards the database file is byte-for-byte what it was, and so is every row.
 * No reply is a 500, every reply is the API's JSON error, and the server still answers.
 *
 * Two smaller parts follow: malformed records inside an otherwise good upload (each
 * rejected alone, per SPEC §5, duplicates stored once), and evil-but-valid text in
 * free-text fields, which must be stored exactly as sent and break nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { BRANCH_A, BRANCH_B, DESK_A1, ITEMS, countRows, tx } from './helpers.js';
import { buildWorld, cloneWorld, dumpTables, fileBytes, type World, type WorldEnv } from './fixture-world.js';
import { validateTransaction } from '../../shared/transaction.js';

/** mulberry32: a small seeded PRNG, so the corpus is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = 'x'.repeat(100_000);
const deepArray = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Strings with SQL metacharacters, markup, templates, path tricks, unicode tricks and bad lengths. */
const EVIL_STRINGS: string[] = [
  "'; DROP TABLE items; --", '" OR 1=1 --', "' OR '1'='1", '1; DELETE FROM staff', "') OR ('a'='a", "%' OR 1=1 --", "\\'; --",
  "admin'--", 'x UNION SELECT password_hash FROM staff--', "'||(SELECT token_hash FROM auth_sessions)||'", '${7*7}', '{{7*7}}',
  '<script>alert(1)</script>', '../../etc/passwd', '%00', '*', '\\', "'", '"', '`',
  '\u202eevil', 'a\u0000b', '\u0000', '\ud800', '\udfff', 'x\ud83d', '\ud83d\udcda\ud83d\udcda', '\u200b', '\u200b\u200c\u200d\ufeff',
  '\uff21\uff24\uff2d\uff29\uff2e', 'sys\u0430dmin', 'e\u0301\u0301\u0301\u0301', '\r\nX-Injected: 1', '\t', ' ', '',
  HUGE, 'y'.repeat(65), 'z'.repeat(257),
];

/** Values of the wrong type for a string field (raw JSON, so they survive as sent). */
const WRONG_TYPES: string[] = [
  '0', '-1', '1.5', '1e308', '1e999', '-0', '9007199254740993', 'true', 'false', 'null', '[]', '{}', '["x"]', '{"$ne":null}',
  '[{"a":1}]', deepArray(1000), deepObject(1000),
];

/** Raw bodies that are not JSON at all, or not quite. */
const BROKEN_JSON: string[] = [
  '{', '{"', '{"a":', '{"a":1', '[', '{"a":1,}', "{'a':1}", '{a:1}', '{"a":NaN}', '{"a":Infinity}', '{"a":-Infinity}', '{"a":0x10}',
  '{"a":01}', '{"a":undefined}', '\u0000', 'nul', 'tru', '"', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":1}{"b":2}', '// x\n{}',
  '\ufeff{}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}',
];

const DATES_OUT_OF_RANGE = [
  '0000-00-00T00:00:00.000Z', '9999-99-99T99:99:99.999Z', '2026-02-30T00:00:00.000Z', '2026-13-01T00:00:00.000Z',
  '2026-00-10T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T23:60:00.000Z', '2026-01-01T23:59:60.000Z',
];
/** Due dates for a correction: none of them a real date, and each the right length for the schema. */
const BAD_DUE_DATES = ['0000-00-00', '9999-99-99', '2026-02-30', '2026-13-01', '2026-00-10', '9999-99-99T99:99:99.999Z', '2026-02-30T12:00:00.000Z',
  '1970-01-01T00:00:00Z', '2026-1-1   ', '+275760-09-13', 'yesterday!', "'; --------"];

/** Offsets may have up to nine digits; these are all malformed. */
const OFFSETS = ['-1', '-0', '1.5', '1e3', '0x10', 'NaN', 'Infinity', '9999999999', '１', ' 1', '1 ', '+1', '', '1;2', "1' OR '1'='1"];
/** Page sizes may have up to four digits; these are all malformed. */
const COUNTS = ['-1', '-0', '1.5', '1e3', '0x10', 'NaN', 'Infinity', '-Infinity', '99999', '9999999999', '１', ' 1', '1 ', '+1', '', '1;2', "1' OR '1'='1"];

interface Case { cat: string; op: string; method: string; url: string; headers: Record<string, string>; payload?: string; expect?: number[] }

interface Ctx { world: World; ids: World['ids'] }

/** One JSON body per operation that is well-formed and still refused (with the status), and how to keep it refused when a field changes. */
interface BodyOp {
  op: string;
  /** The URL for a mutation of `field` (or of the whole body). */
  url: (field?: string) => string;
  /** A well-formed body, refused whatever one field is set to (see each). */
  base: (field?: string) => Record<string, unknown>;
  fields: string[];
}

function bodyOps({ ids }: Ctx): BodyOp[] {
  const nowIso = new Date().toISOString();
  const goodTx = tx('checkout', { id: '0c0c0c0c-0000-4000-8000-000000000001', occurred_at: '2026-01-01T10:00:00.000Z', seq: 7 });
  return [
    // Never the right password: 401 (or 429 once the address has failed 20 times).
    { op: 'POST /api/auth/login', url: () => '/api/auth/login', base: () => ({ username: 'sysadmin', password: 'not-the-password' }), fields: ['username', 'password'] },
    // NORTH-DESK-1 is registered at NORTH: 409 at SOUTH; a changed name goes to an unknown branch (400).
    { op: 'POST /api/workstations', url: () => '/api/workstations',
      base: (f) => (f === 'name' ? { name: 'NEW-DESK', branch: 'NO-SUCH-BRANCH' } : { name: DESK_A1, branch: BRANCH_B }), fields: ['name', 'branch'] },
    // An unknown branch: 400, after the name is read.
    { op: 'POST /api/sessions', url: () => '/api/sessions', base: () => ({ name: 'Outage', branch: 'NO-SUCH-BRANCH', override_policy: true }),
      fields: ['name', 'branch', 'override_policy'] },
    // Into the processed session: 409 SESSION_NOT_OPEN, decided inside the ingest transaction.
    { op: 'POST /api/sessions/{id}/uploads', url: () => `/api/sessions/${ids.northProcessed}/uploads`,
      base: () => ({ workstation: DESK_A1, device_time: nowIso, transactions: [goodTx] }), fields: ['workstation', 'device_time', 'transactions'] },
    // The applied transaction is not an exception: 409, before any correction is looked at.
    { op: 'POST /api/sessions/{id}/transactions/{txid}/retry', url: () => `/api/sessions/${ids.northProcessed}/transactions/${ids.appliedTx}/retry`,
      base: () => ({ item_barcode: ITEMS.book1 }), fields: ['item_barcode', 'patron_barcode', 'due_at'] },
    // No such session: 404 (a real one with a code no exception has would be a harmless 200, not a refusal).
    { op: 'POST /api/sessions/{id}/retry', url: () => '/api/sessions/999999999/retry', base: () => ({ code: 'ASSET_COPY_NOT_FOUND' }), fields: ['code'] },
    // The applied transaction cannot be voided: 409.
    { op: 'POST /api/sessions/{id}/transactions/{txid}/void', url: () => `/api/sessions/${ids.northProcessed}/transactions/${ids.appliedTx}/void`,
      base: () => ({ reason: 'mis-scan' }), fields: ['reason'] },
    // An unknown branch: 400, whatever the rest says.
    { op: 'POST /api/staff', url: () => '/api/staff',
      base: () => ({ username: 'new-account', display_name: 'New', password: 'long-enough-password', branch: 'NO-SUCH-BRANCH', role: 'circulation' }),
      fields: ['username', 'display_name', 'password', 'branch', 'role'] },
    // No such account: 404.
    { op: 'POST /api/staff/{username}/password', url: () => '/api/staff/nobody/password', base: () => ({ password: 'long-enough-password' }), fields: ['password'] },
    // Your own roles: 409 OWN_ACCOUNT; a changed branch is unknown (400).
    { op: 'POST /api/staff/{username}/roles', url: () => '/api/staff/sysadmin/roles', base: () => ({ branch: BRANCH_A, role: 'admin' }), fields: ['branch', 'role'] },
    // No such workstation: 404.
    { op: 'POST /api/workstations/{name}/rename', url: () => '/api/workstations/NO-SUCH-DESK/rename', base: () => ({ name: 'RENAMED-DESK' }), fields: ['name'] },
    // A branch whose parent does not exist: the whole import is refused (400 IMPORT_REJECTED).
    { op: 'POST /api/import', url: () => '/api/import', base: () => ({ branches: 'code,name,parent\nBAD,Bad Branch,NO-SUCH-PARENT\n' }),
      fields: ['branches', 'hours', 'closed', 'policies', 'patrons', 'items', 'loans', 'holds', 'bills', 'as_of', 'complete'] },
    // No such branch: 404, after the closure is read.
    { op: 'POST /api/calendars/{code}/closures', url: () => '/api/calendars/NO-SUCH-BRANCH/closures',
      base: () => ({ first_date: '2026-12-31', last_date: '2026-12-31', reason: 'Stocktaking' }), fields: ['first_date', 'last_date', 'reason'] },
    // No such policy: 404, after the policy is read.
    { op: 'POST /api/policies/{id}', url: () => '/api/policies/999999999',
      base: () => ({ item_type: 'dvd', patron_profile: null, loan_days: 7, max_renewals: 1, daily_fine_cents: 100, max_fine_cents: 1500, max_items_out: null }),
      fields: ['item_type', 'patron_profile', 'loan_days', 'max_renewals', 'daily_fine_cents', 'max_fine_cents', 'max_items_out'] },
  ];
}

/** POST routes without a body: only a body that never reaches them (unparsable, wrong type, too big) can be sent. */
function bodylessOps({ ids }: Ctx): { op: string; url: string }[] {
  return [
    { op: 'POST /api/auth/logout', url: '/api/auth/logout' },
    { op: 'POST /api/sessions/{id}/process', url: `/api/sessions/${ids.northOpen}/process` },
    { op: 'POST /api/sessions/{id}/close', url: `/api/sessions/${ids.northProcessed}/close` },
    { op: 'POST /api/sessions/{id}/reopen', url: `/api/sessions/${ids.northProcessed}/reopen` },
    { op: 'POST /api/staff/{username}/disable', url: '/api/staff/north-clerk/disable' },
    { op: 'POST /api/staff/{username}/enable', url: '/api/staff/north-clerk/enable' },
    { op: 'POST /api/workstations/{name}/retire', url: `/api/workstations/${DESK_A1}/retire` },
    { op: 'POST /api/calendars/{code}/closures/{id}/remove', url: `/api/calendars/${BRANCH_A}/closures/${ids.northClosure}/remove` },
    { op: 'POST /api/policies/{id}/remove', url: `/api/policies/${ids.dvdPolicy}/remove` },
  ];
}

/** Path templates with refused-but-well-formed values for each parameter (and the status they get). */
function pathOps({ ids }: Ctx): { op: string; method: string; template: string; params: Record<string, string>; body?: Record<string, unknown> }[] {
  const n = String(ids.northProcessed);
  const tx1 = ids.exceptionTx;
  const up = { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: [tx('checkin', { id: '0d0d0d0d-0000-4000-8000-000000000001' })] };
  return [
    { op: 'GET /api/sessions/{id}', method: 'GET', template: '/api/sessions/{id}', params: { id: n } },
    { op: 'POST /api/sessions/{id}/uploads', method: 'POST', template: '/api/sessions/{id}/uploads', params: { id: String(ids.northOpen) }, body: up },
    { op: 'POST /api/sessions/{id}/process', method: 'POST', template: '/api/sessions/{id}/process', params: { id: String(ids.northOpen) } },
    { op: 'POST /api/sessions/{id}/close', method: 'POST', template: '/api/sessions/{id}/close', params: { id: n } },
    { op: 'POST /api/sessions/{id}/reopen', method: 'POST', template: '/api/sessions/{id}/reopen', params: { id: n } },
    { op: 'GET /api/sessions/{id}/results', method: 'GET', template: '/api/sessions/{id}/results', params: { id: n } },
    { op: 'GET /api/sessions/{id}/results.csv', method: 'GET', template: '/api/sessions/{id}/results.csv', params: { id: n } },
    { op: 'GET /api/sessions/{id}/transactions/{txid}', method: 'GET', template: '/api/sessions/{id}/transactions/{txid}', params: { id: n, txid: tx1 } },
    { op: 'POST /api/sessions/{id}/transactions/{txid}/retry', method: 'POST', template: '/api/sessions/{id}/transactions/{txid}/retry', params: { id: n, txid: tx1 }, body: {} },
    { op: 'POST /api/sessions/{id}/retry', method: 'POST', template: '/api/sessions/{id}/retry', params: { id: n }, body: { code: 'ASSET_COPY_NOT_FOUND' } },
    { op: 'POST /api/sessions/{id}/transactions/{txid}/void', method: 'POST', template: '/api/sessions/{id}/transactions/{txid}/void', params: { id: n, txid: tx1 }, body: { reason: 'x' } },
    { op: 'GET /api/sessions/{id}/follow-ups', method: 'GET', template: '/api/sessions/{id}/follow-ups', params: { id: n } },
    { op: 'GET /api/sessions/{id}/progress', method: 'GET', template: '/api/sessions/{id}/progress', params: { id: n } },
    { op: 'POST /api/staff/{username}/disable', method: 'POST', template: '/api/staff/{username}/disable', params: { username: 'north-clerk' } },
    { op: 'POST /api/staff/{username}/enable', method: 'POST', template: '/api/staff/{username}/enable', params: { username: 'north-clerk' } },
    { op: 'POST /api/staff/{username}/password', method: 'POST', template: '/api/staff/{username}/password', params: { username: 'north-clerk' }, body: { password: 'long-enough-password' } },
    { op: 'POST /api/staff/{username}/roles', method: 'POST', template: '/api/staff/{username}/roles', params: { username: 'north-clerk' }, body: { branch: BRANCH_A, role: 'admin' } },
    { op: 'POST /api/workstations/{name}/rename', method: 'POST', template: '/api/workstations/{name}/rename', params: { name: DESK_A1 }, body: { name: 'RENAMED-DESK' } },
    { op: 'POST /api/workstations/{name}/retire', method: 'POST', template: '/api/workstations/{name}/retire', params: { name: DESK_A1 } },
    { op: 'POST /api/calendars/{code}/closures', method: 'POST', template: '/api/calendars/{code}/closures', params: { code: BRANCH_A },
      body: { first_date: '2026-12-31', reason: 'Stocktaking' } },
    { op: 'POST /api/calendars/{code}/closures/{id}/remove', method: 'POST', template: '/api/calendars/{code}/closures/{id}/remove',
      params: { code: BRANCH_A, id: String(ids.northClosure) } },
    { op: 'POST /api/policies/{id}', method: 'POST', template: '/api/policies/{id}', params: { id: String(ids.dvdPolicy) },
      body: { item_type: 'dvd', patron_profile: null, loan_days: 7, max_renewals: 1, daily_fine_cents: 100, max_fine_cents: 1500, max_items_out: null } },
    { op: 'POST /api/policies/{id}/remove', method: 'POST', template: '/api/policies/{id}/remove', params: { id: String(ids.dvdPolicy) } },
    { op: 'GET /api/sessions/{id}/export', method: 'GET', template: '/api/sessions/{id}/export?format=koc', params: { id: n } },
    { op: 'GET /api/sessions/{id}/export-summary', method: 'GET', template: '/api/sessions/{id}/export-summary?format=jsonl', params: { id: n } },
  ];
}

/**
 * Path parameter values that are malformed, or well-formed but naming nothing (404).
 * None names a real session, transaction, account or workstation.
 */
const PATH_VALUES: Record<string, string[]> = {
  id: ['-1', '1.5', '1e3', '0x1F', 'NaN', 'Infinity', '9999999999', '１', '0', '999999999', '1 OR 1=1', '00000000001', '+1', ' 1', '1;2'],
  txid: ['00000000-0000-4000-8000-000000000000', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF', 'not-a-uuid', '00000000-0000-4000-8000-0000000000000',
    '{00000000-0000-4000-8000-000000000000}', '00000000000040008000000000000000'],
  username: ['nobody', 'no.body@example.org', 'x'.repeat(65), '-leading-dash', 'sysadmin ', 'sysadmin\u0000', 'Sysadmin'],
  name: ['NO-SUCH-DESK', '-DESK', 'x'.repeat(65), 'NORTH DESK 1', 'north-desk-1'],
  code: ['NO-SUCH-BRANCH', 'north', 'N'.repeat(33), 'NORTH ', 'NORTH.1'],
};

/** Query parameters of the GET routes that have them: every one given bad values. */
function queryOps({ ids }: Ctx): { op: string; path: string; params: Record<string, string[]> }[] {
  const n = ids.northProcessed;
  const results = {
    outcome: ['APPLIED', 'exception ', 'pending;', "exception' OR '1'='1", ''],
    code: ['asset_copy_not_found', 'ASSET-COPY', "X' OR 1=1 --", '', 'A'.repeat(65)],
    workstation: ['', 'w'.repeat(65), HUGE.slice(0, 5000)],
    type: ['CHECKOUT', 'checkout ', "checkout' --", ''],
    limit: COUNTS,
    offset: OFFSETS,
  };
  const audit = {
    action: ['SESSION.CREATE', "session.create' OR '1'='1", 'a b', '', 'a'.repeat(65)],
    staff: ["sysadmin' --", ' sysadmin', '', 'x'.repeat(65), '\u202esysadmin'],
    limit: COUNTS,
    offset: OFFSETS,
  };
  return [
    { op: 'GET /api/sessions', path: '/api/sessions', params: { state: ['OPEN', 'open ', "open' OR '1'='1", '', 'processing;'], branch: ["NORTH' --", 'NORTH SOUTH', '', 'N'.repeat(33), '\u202eNORTH'] } },
    { op: 'GET /api/sessions/{id}/results', path: `/api/sessions/${n}/results`, params: results },
    { op: 'GET /api/sessions/{id}/results.csv', path: `/api/sessions/${n}/results.csv`, params: results },
    { op: 'GET /api/audit', path: '/api/audit', params: audit },
    { op: 'GET /api/audit.csv', path: '/api/audit.csv', params: audit },
    { op: 'GET /api/sessions/{id}/export', path: `/api/sessions/${n}/export`,
      params: { format: ['KOC', 'koc ', "koc' --", '', 'csv', 'pending.xacts'], outcome: ['APPLIED', 'all', '', "applied' --", 'exception'] } },
    { op: 'GET /api/sessions/{id}/export-summary', path: `/api/sessions/${n}/export-summary`,
      params: { format: ['JSONL', 'json', '', "jsonl' --"], outcome: ['applied ', 'pending'] } },
  ];
}

function buildCorpus(ctx: Ctx, operations: string[]): Case[] {
  const rnd = prng(20261129);
  const cases: Case[] = [];
  const sys = ctx.world.cookies.sysadmin;
  /** About one request in five goes without a cookie; the rest as the system admin. */
  const who = (): Record<string, string> => (rnd() < 0.2 ? {} : { cookie: sys });
  const json = (cat: string, op: string, url: string, payload: string, expect?: number[], headers: Record<string, string> = who()): void => {
    cases.push({ cat, op, method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload, expect });
  };

  // 1. Bodies: every field of every JSON body, with every evil string and every wrong type.
  for (const b of bodyOps(ctx)) {
    for (const field of b.fields) {
      for (const value of EVIL_STRINGS) json('evil string in a body field', b.op, b.url(field), JSON.stringify({ ...b.base(field), [field]: value }));
      for (const raw of WRONG_TYPES) {
        const body = JSON.stringify({ ...b.base(field), [field]: '__RAW__' }).replace('"__RAW__"', raw);
        json('wrong type in a body field', b.op, b.url(field), body);
      }
      const missing = { ...b.base(field) };
      delete missing[field];
      if (Object.keys(missing).length) json('field missing', b.op, b.url(field), JSON.stringify(missing));
    }
    const base = JSON.stringify(b.base());
    // Truncated at several places (each cut leaves invalid JSON).
    for (let i = 0; i < 6; i++) {
      const cut = 1 + Math.floor(rnd() * (base.length - 2));
      json('truncated JSON', b.op, b.url(), base.slice(0, cut), [400]);
    }
    // A byte-order mark before the JSON is skipped by the parser; the body is then just `{}`.
    for (const raw of BROKEN_JSON) json('broken JSON', b.op, b.url(), raw, raw.startsWith('\ufeff') ? [400, 409] : [400]);
    for (const raw of ['null', '[]', '"text"', '42', 'true', `[${base}]`, deepArray(1000), deepObject(1000), deepArray(100_000)]) {
      json('wrong body shape', b.op, b.url(), raw, [400]);
    }
    json('unknown field', b.op, b.url(), JSON.stringify({ ...b.base(), is_admin: true }), [400]);
    json('unknown field', b.op, b.url(), JSON.stringify({ ...b.base(), "'; DROP TABLE staff; --": 1 }), [400]);
    json('unknown field', b.op, b.url(), `{"\\ud800":1,${base.slice(1)}`, [400]);
    json('empty body', b.op, b.url(), '', [400]);
    json('empty body', b.op, b.url(), '{}', [400, 409, 404]);
  }

  // 2. Upload specifics: dates out of range (into the open session: refused before anything is stored),
  // batch sizes, and duplicate ids in one batch (into the processed session: the whole batch is refused).
  const uploadOpen = `/api/sessions/${ctx.ids.northOpen}/uploads`;
  const uploadClosed = `/api/sessions/${ctx.ids.northProcessed}/uploads`;
  const aTx = tx('checkout', { id: '0e0e0e0e-0000-4000-8000-000000000001' });
  for (const date of DATES_OUT_OF_RANGE) {
    json('date out of range', 'POST /api/sessions/{id}/uploads', uploadOpen, JSON.stringify({ workstation: DESK_A1, device_time: date, transactions: [aTx] }), [400]);
  }
  for (const date of ['2026-1-01T00:00:00.000Z', '2026-01-01 00:00:00.000Z', '2026-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00.000Z', '1767225600000']) {
    json('date out of range', 'POST /api/sessions/{id}/uploads', uploadOpen, JSON.stringify({ workstation: DESK_A1, device_time: date, transactions: [aTx] }), [400]);
  }
  const now = new Date().toISOString();
  json('batch size', 'POST /api/sessions/{id}/uploads', uploadOpen, JSON.stringify({ workstation: DESK_A1, device_time: now, transactions: [] }), [400]);
  json('batch size', 'POST /api/sessions/{id}/uploads', uploadOpen,
    JSON.stringify({ workstation: DESK_A1, device_time: now, transactions: Array.from({ length: 1001 }, () => aTx) }), [400]);
  for (let i = 0; i < 10; i++) {
    const dup = tx('checkin', { id: randomUUIDFrom(rnd) });
    const batch = [dup, { ...dup, seq: dup.seq + 1 }, dup, tx('checkin', { id: randomUUIDFrom(rnd) }), dup];
    json('duplicate ids in one batch', 'POST /api/sessions/{id}/uploads', uploadClosed, JSON.stringify({ workstation: DESK_A1, device_time: now, transactions: batch }), [401, 409]);
  }
  // Out-of-range due dates in a correction of a real exception: refused as a bad correction.
  for (const due of BAD_DUE_DATES) {
    json('date out of range', 'POST /api/sessions/{id}/transactions/{txid}/retry',
      `/api/sessions/${ctx.ids.northProcessed}/transactions/${ctx.ids.exceptionTx}/retry`, JSON.stringify({ due_at: due }), [400, 401], who());
  }
  // Evil text in every column of an import whose last row is bad: nothing at all is imported.
  for (const value of EVIL_STRINGS.filter((s) => s.length < 1000 && !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))) {
    const cell = `"${value.replaceAll('"', '""')}"`;
    json('evil string in every CSV cell', 'POST /api/import', '/api/import', JSON.stringify({
      branches: `code,name,parent\nNEWB,${cell},SYS\nBAD,Bad,NO-SUCH-PARENT\n`,
      patrons: `barcode,first_name,last_name,profile,home_branch,expires_on,barred\nP-EVIL,${cell},${cell},adult,NORTH,2030-01-01,0\n`,
      items: `barcode,title,author,call_number,item_type,owning_branch,status\nI-EVIL,${cell},${cell},${cell},book,NORTH,available\n`,
    }), [400, 401]);
  }
  for (const expires of ['0000-00-00', '9999-99-99', '2026-02-30', '-1', '1e999', "2030-01-01' --"]) {
    json('date out of range', 'POST /api/import', '/api/import', JSON.stringify({
      patrons: `barcode,first_name,last_name,profile,home_branch,expires_on,barred\nP-DATE,A,B,adult,NORTH,${expires},0\n`,
    }), [400, 401]);
  }

  // 3. Bodies to the POST routes that take none: unparsable, wrong content type, too big.
  for (const b of bodylessOps(ctx)) {
    for (const raw of ['{', '{"a":', 'nul', '{"a":NaN}', '{"__proto__":{"x":1}}', '{"a":"\\ud800"}', '']) json('broken JSON', b.op, b.url, raw, [400]);
  }

  // 4. Wrong content types and oversized bodies, on every POST route.
  const posts = [...bodyOps(ctx).map((b) => ({ op: b.op, url: b.url(), body: JSON.stringify(b.base()) })),
    ...bodylessOps(ctx).map((b) => ({ op: b.op, url: b.url, body: '{}' }))];
  for (const p of posts) {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'text/html', 'application/octet-stream', 'application/jsonx', 'json']) {
      cases.push({ cat: 'wrong content type', op: p.op, method: 'POST', url: p.url, headers: { ...who(), 'content-type': type }, payload: p.body, expect: [415] });
    }
    cases.push({ cat: 'wrong content type', op: p.op, method: 'POST', url: p.url, headers: { ...who(), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=sysadmin&password=x', expect: [415] });
    if (p.op !== 'POST /api/import') {
      const cap = p.op === 'POST /api/sessions/{id}/uploads' ? 4 * 1024 * 1024 : 256 * 1024;
      json('oversized body', p.op, p.url, JSON.stringify({ pad: 'p'.repeat(cap + 1000) }), [413]);
    }
  }

  // 5. Path parameters: SQL, unicode, huge and numeric tricks, and well-formed values naming nothing.
  for (const p of pathOps(ctx)) {
    for (const param of Object.keys(p.params)) {
      const values = [...EVIL_STRINGS.filter((s) => s !== ''), ...PATH_VALUES[param]];
      for (const value of values) {
        const url = p.template.replace(`{${param}}`, encodePathSegment(value))
          .replace(/\{(\w+)\}/g, (_m, other: string) => encodeURIComponent(p.params[other]));
        cases.push({
          cat: 'bad path parameter', op: p.op, method: p.method, url,
          headers: { ...who(), ...(p.body ? { 'content-type': 'application/json' } : {}) }, payload: p.body ? JSON.stringify(p.body) : undefined,
        });
      }
      for (const raw of ['%', '%ZZ', '%ED%A0%80', '%C0%AF', '%FF']) {
        const url = p.template.replace(`{${param}}`, raw).replace(/\{(\w+)\}/g, (_m, other: string) => encodeURIComponent(p.params[other]));
        cases.push({ cat: 'malformed URL escape', op: p.op, method: p.method, url, headers: who(), expect: [400] });
      }
    }
  }

  // 6. Query parameters: every one with bad values, twice over (an array), and unknown ones.
  for (const q of queryOps(ctx)) {
    for (const [param, values] of Object.entries(q.params)) {
      for (const value of values) cases.push({ cat: 'bad query parameter', op: q.op, method: 'GET', url: `${q.path}?${param}=${encodeURIComponent(value)}`, headers: who(), expect: [400] });
      // Free text (a workstation name) takes any decoded value; only its length is checked.
      if (param !== 'workstation') for (const value of ['%', '%ZZ', '%ED%A0%80']) cases.push({ cat: 'bad query parameter', op: q.op, method: 'GET', url: `${q.path}?${param}=${value}`, headers: who(), expect: [400] });
      cases.push({ cat: 'repeated query parameter', op: q.op, method: 'GET', url: `${q.path}?${param}=a&${param}=b`, headers: who(), expect: [400] });
    }
    for (const extra of ['is_admin=1', "x'%20OR%201=1=1", 'limit[]=1', '__proto__[admin]=1', 'constructor=1']) {
      cases.push({ cat: 'unknown query parameter', op: q.op, method: 'GET', url: `${q.path}?${extra}`, headers: who(), expect: [400] });
    }
  }

  // 7. Forged cookies on every route that needs a login (a valid request otherwise).
  const forged = ["oc_session='; DROP TABLE auth_sessions; --", 'oc_session=' + HUGE.slice(0, 3000), 'oc_session=%00', 'oc_session=\u202e', 'oc_session=',
    'oc_session=a; oc_session=b', 'oc_session="unterminated', `oc_session=${'A'.repeat(43)}`];
  const authed = [...pathOps(ctx), ...queryOps(ctx).map((q) => ({ op: q.op, method: 'GET', template: q.path, params: {} as Record<string, string>, body: undefined }))]
    .map((p) => ({ op: p.op, method: p.method, url: p.template.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(p.params[k])), body: p.body }))
    .concat(['GET /api/auth/me', 'GET /api/branches', 'GET /api/snapshot', 'GET /api/staff', 'GET /api/workstations'].map((op) => ({ op, method: 'GET', url: op.slice(4), body: undefined })));
  for (const a of authed) {
    for (const cookie of forged) {
      cases.push({
        cat: 'forged cookie', op: a.op, method: a.method, url: a.url,
        headers: { cookie: cookie.replace(/[^\x20-\x7e]/g, '?'), ...(a.body ? { 'content-type': 'application/json' } : {}) },
        payload: a.body ? JSON.stringify(a.body) : undefined, expect: [401],
      });
    }
  }

  // 8. Methods a route does not have, and paths beside the real ones (health included).
  for (const op of operations) {
    const [method, path] = op.split(' ');
    const url = path.replace('{id}', String(ctx.ids.northProcessed)).replace('{txid}', ctx.ids.exceptionTx).replace('{username}', 'north-clerk').replace('{name}', DESK_A1);
    for (const other of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', method === 'GET' ? 'POST' : 'GET']) {
      if (operations.includes(`${other} ${path}`)) continue;
      cases.push({ cat: 'wrong method', op, method: other, url, headers: who(), expect: [404] });
    }
    cases.push({ cat: 'path beside a route', op, method, url: `${url}/'; DROP TABLE items; --`.replaceAll(' ', '%20'), headers: who(), expect: [400, 404] });
    cases.push({ cat: 'path beside a route', op, method, url: `${url}%00`, headers: who(), expect: [400, 404] });
  }

  // 9. An audit header full of tricks never makes a refused request pass.
  for (const value of EVIL_STRINGS.filter((s) => /^[\x20-\x7e]*$/.test(s) && s.length < 300)) {
    json('evil X-Workstation header', 'POST /api/sessions', '/api/sessions', JSON.stringify({ name: 'Outage', branch: 'NO-SUCH-BRANCH' }), [400], { cookie: sys, 'x-workstation': value });
  }

  // Shuffled, so no route always comes first.
  for (let i = cases.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [cases[i], cases[j]] = [cases[j], cases[i]];
  }
  return cases;
}

/**
 * Percent-encodes a path segment; a lone surrogate (which encodeURIComponent refuses)
 * goes out as the three bytes a careless encoder would send for it, invalid UTF-8.
 */
function encodePathSegment(value: string): string {
  return value.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(ch);
  });
}

/** A UUID v4 drawn from the seeded PRNG, so the corpus stays the same run to run. */
function randomUUIDFrom(rnd: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rnd() * 4)];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let world: World;
let env: WorldEnv;
let operations: string[];

beforeAll(async () => {
  world = await buildWorld();
  env = await cloneWorld(world);
  const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
});
afterAll(async () => {
  await env?.close();
  world?.dispose();
});

/** The routes anyone may call; every other one answers a caller without a login 401 before anything else. */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout']);

/** The router refused the URL itself (a malformed escape, an over-long part) or matched no route: no route's access applies. */
const refusedBeforeRouting = (body: string): boolean => {
  const { code, message } = JSON.parse(body) as { code: string; message: string };
  return code === 'BAD_URL' || code === 'URI_TOO_LONG' || (code === 'NOT_FOUND' && message.startsWith('No API route'));
};

const isJsonError = (body: string): boolean => {
  try {
    const value = JSON.parse(body) as Record<string, unknown>;
    // A refusal staff read in the app also names its sentence and data (message_key, params) for the app to word.
    const keys = Object.keys(value).filter((k) => k !== 'message_key' && k !== 'params').sort().join(',');
    const sayOk = value.message_key === undefined || typeof value.message_key === 'string';
    return sayOk && typeof value.code === 'string' && typeof value.message === 'string'
      && (keys === 'code,message' || (keys === 'code,errors,message' && value.code === 'IMPORT_REJECTED'));
  } catch {
    return false;
  }
};

describe('a corpus of malformed requests against every route', () => {
  it('refuses every one with a 4xx JSON error, never a 500, and changes not one byte of the database', async () => {
    const corpus = buildCorpus({ world, ids: world.ids }, operations);
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    // Every operation in the document is hit.
    const hit = new Set(corpus.map((c) => c.op));
    expect(operations.filter((op) => !hit.has(op))).toEqual([]);

    // Any request with the cookie slides its idle timeout at most once a minute: do it now, before the picture.
    expect((await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: world.cookies.sysadmin } })).statusCode).toBe(200);
    const bytesBefore = fileBytes(env.db, env.file);
    const dumpBefore = dumpTables(env.db);

    const statuses = new Map<number, number>();
    const byCategory = new Map<string, number>();
    let anonymous = 0;
    const failures: string[] = [];
    const started = Date.now();
    for (const c of corpus) {
      const res = await env.app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, ...(c.payload === undefined ? {} : { payload: c.payload }) });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      byCategory.set(c.cat, (byCategory.get(c.cat) ?? 0) + 1);
      const describe = `${c.cat}: ${c.method} ${c.url.slice(0, 120)} ${(c.payload ?? '').slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (res.statusCode < 400 || res.statusCode >= 500) failures.push(`not refused with a 4xx: ${describe}`);
      else if (!c.headers.cookie && !PUBLIC.has(c.op) && !refusedBeforeRouting(res.body)) {
        // Access is checked on arrival: whatever else is wrong with the request, a caller without a login hears only that.
        anonymous++;
        if (res.statusCode !== 401 || JSON.parse(res.body).code !== 'NOT_LOGGED_IN') failures.push(`expected 401 NOT_LOGGED_IN without a login: ${describe}`);
      } else if (c.expect && !c.expect.includes(res.statusCode) && !(res.statusCode === 401 && !c.headers.cookie) && !(res.statusCode === 429 && c.op === 'POST /api/auth/login')) {
        failures.push(`expected ${c.expect.join('/')}: ${describe}`);
      } else if (!isJsonError(res.body)) failures.push(`not a JSON {code, message}: ${describe}`);
    }
    const elapsed = Date.now() - started;

    console.log(`bad-input corpus: ${corpus.length} requests in ${elapsed} ms across ${hit.size} operations`);
    console.log(`  statuses: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(', ')}`);
    console.log(`  without a login, on routes that need one: ${anonymous}, every one 401`);
    expect(anonymous).toBeGreaterThan(500);
    console.log(`  categories: ${[...byCategory].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join('; ')}`);
    expect(failures.slice(0, 30)).toEqual([]);
    expect(statuses.get(500) ?? 0).toBe(0);

    // The server still answers.
    const health = await env.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect((await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: world.cookies.sysadmin } })).statusCode).toBe(200);

    // Not a byte changed: the rows, and the file itself once the WAL is folded in.
    expect(dumpTables(env.db) === dumpBefore, 'the table contents changed').toBe(true);
    const bytesAfter = fileBytes(env.db, env.file);
    expect(bytesAfter.length).toBe(bytesBefore.length);
    expect(bytesAfter.equals(bytesBefore), 'the database file changed').toBe(true);
  });
});

describe('malformed records inside a well-formed upload', () => {
  it('rejects each bad record alone with its reason, stores duplicates once, and never answers 500', async () => {
    const local = await cloneWorld(world);
    try {
      const session = world.ids.northOpen;
      const rnd = prng(7);
      const base = (): Record<string, unknown> => ({ ...tx('checkout', { id: randomUUIDFrom(rnd) }) });
      type Mutation = [string, (r: Record<string, unknown>) => void];
      const set = (field: string, value: unknown): Mutation => [`${field}=${JSON.stringify(value)?.slice(0, 30)}`, (r) => { r[field] = value; }];
      const mutations: Mutation[] = [
        ...['id', 'type', 'occurred_at', 'seq', 'workstation', 'staff', 'item_barcode', 'patron_barcode']
          .flatMap((f) => [set(f, f === 'seq' ? '42' : 42), set(f, null), set(f, []), set(f, {}), set(f, true), set(f, HUGE), set(f, JSON.parse(deepArray(1000)))]),
        ...['item_barcode', 'patron_barcode'].flatMap((f) => ["'; DROP TABLE items; --", '" OR 1=1', '\u202eBOOK', 'a\u0000b', '\u200b', '📚', '\ud800', ''].map((v) => set(f, v))),
        ...['workstation', 'staff'].flatMap((f) => ['\ud800', 'x\udc00', '', '   ', 'w'.repeat(65)].map((v) => set(f, v))),
        ...DATES_OUT_OF_RANGE.map((d) => set('occurred_at', d)),
        ...['2026-13-01', '0000-00-00', '9999-99-99', '2026-02-30', '2026-02-30T00:00:00.000Z', 'tomorrow'].map((d) => set('due_at', d)),
        ...[-1, 1.5, 2 ** 53, -(2 ** 53), 1e308].map((n) => set('seq', n)),
        ['count on a cataloged checkout', (r) => { r.count = 3; }],
        ...[0, -1, 100, 1.5, 1e9, '5', null].map((n): Mutation => [`noncat count=${n}`, (r) => { delete r.item_barcode; r.noncat_type = 'magazine'; r.count = n; }]),
        ['unknown field', (r) => { r.is_admin = true; }],
        ['checkin with a backdate out of range', (r) => { r.type = 'checkin'; delete r.patron_barcode; r.backdate = '0000-00-00'; }],
        ['checkin with a future backdate', (r) => { r.type = 'checkin'; delete r.patron_barcode; r.backdate = '2999-01-01'; }],
        ['checkin with a month-13 backdate', (r) => { r.type = 'checkin'; delete r.patron_barcode; r.backdate = '2026-13-01'; }],
        ['register without a patron', (r) => { r.type = 'register'; delete r.item_barcode; delete r.patron_barcode; }],
        ['register with an array patron', (r) => { r.type = 'register'; delete r.item_barcode; delete r.patron_barcode; r.patron = [{ barcode: 'P-X' }]; }],
        ['register with a lone surrogate name', (r) => { r.type = 'register'; delete r.item_barcode; delete r.patron_barcode; r.patron = { barcode: 'P-X', first_name: '\ud800', last_name: 'Y' }; }],
        ['acknowledged not a list', (r) => { r.acknowledged = 'PATRON_BARRED'; }],
        ['acknowledged too long', (r) => { r.acknowledged = Array.from({ length: 21 }, () => 'X'); }],
      ];
      const records: unknown[] = mutations.map(([, m]) => { const r = base(); m(r); return r; });
      records.push(null, 42, 'a string', [], [base()], JSON.parse(deepObject(1000)));
      // The corpus itself is right: the shared validator refuses every record.
      records.forEach((r, i) => expect(validateTransaction(r).ok, `record ${i} (${mutations[i]?.[0]}) should be invalid`).toBe(false));

      const before = dumpTables(local.db);
      const txBefore = countRows(local.db, 'offline_transactions');
      let requests = 0;
      // In batches of up to 25, so each reply's indexes can be checked.
      for (let start = 0; start < records.length; start += 25) {
        const batch = records.slice(start, start + 25);
        const res = await local.app.inject({ method: 'POST', url: `/api/sessions/${session}/uploads`, headers: { cookie: world.cookies.circA },
          payload: { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: batch } });
        requests++;
        expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        const reply = res.json() as { accepted: string[]; duplicates: string[]; rejected: { index: number; reason: string }[] };
        expect(reply.accepted).toEqual([]);
        expect(reply.duplicates).toEqual([]);
        expect(reply.rejected.map((r) => r.index)).toEqual(batch.map((_r, i) => i));
        for (const r of reply.rejected) expect(r.reason.length).toBeGreaterThan(0);
      }
      expect(countRows(local.db, 'offline_transactions')).toBe(txBefore);
      // Only the uploads were recorded (with their rejected counts): nothing else changed.
      const changed = diffTables(before, dumpTables(local.db));
      expect(changed).toEqual(['uploads']);
      expect(local.db.prepare('SELECT sum(rejected) AS r, sum(accepted) AS a FROM uploads WHERE session_id = ?').get(session)).toEqual({ r: records.length, a: 0 });

      // Duplicate ids in one batch: the first is stored, every repeat is acknowledged as a duplicate.
      const a = tx('checkin', { id: randomUUIDFrom(rnd), item_barcode: ITEMS.book2 });
      const b = tx('checkin', { id: randomUUIDFrom(rnd), item_barcode: ITEMS.book3 });
      const sameIdOtherContent = { ...a, item_barcode: ITEMS.dvd, seq: a.seq + 100 };
      const dupBatch = [a, a, b, sameIdOtherContent, a];
      const res = await local.app.inject({ method: 'POST', url: `/api/sessions/${session}/uploads`, headers: { cookie: world.cookies.circA },
        payload: { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: dupBatch } });
      requests++;
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accepted: [a.id, b.id], duplicates: [a.id, a.id, a.id], rejected: [] });
      expect(countRows(local.db, 'offline_transactions', 'id IN (?, ?)', a.id, b.id)).toBe(2);
      // The first copy is the one kept.
      expect(local.db.prepare('SELECT item_barcode FROM offline_transactions WHERE id = ?').pluck().get(a.id)).toBe(ITEMS.book2);
      // Sent again, the whole batch is duplicates and nothing new is stored.
      const again = await local.app.inject({ method: 'POST', url: `/api/sessions/${session}/uploads`, headers: { cookie: world.cookies.circA },
        payload: { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: dupBatch } });
      requests++;
      expect(again.json()).toMatchObject({ accepted: [], duplicates: [a.id, a.id, b.id, a.id, a.id], rejected: [] });
      expect(countRows(local.db, 'offline_transactions')).toBe(txBefore + 2);
      console.log(`malformed records: ${records.length} records in ${requests} uploads, every one rejected alone`);
    } finally {
      await local.close();
    }
  });
});

describe('evil but valid text in free-text fields', () => {
  it('is stored and read back exactly as sent, and breaks nothing', async () => {
    const local = await cloneWorld(world);
    try {
      const { sysadmin, circA } = world.cookies;
      const texts = ["'; DROP TABLE items; --", '" OR 1=1 --', "Robert'); DROP TABLE staff;--", '\u202eevil\u202c', 'a\u0000b', '📚 Outage', 'zero\u200bwidth',
        'e\u0301\u0301', '<script>alert(1)</script>', '%s%n%x', '\\x00\\', 'ＯＵＴＡＧＥ'];
      const itemsBefore = local.db.prepare('SELECT * FROM items ORDER BY id').all();
      const staffBefore = countRows(local.db, 'staff');
      for (const name of texts) {
        const created = await local.app.inject({ method: 'POST', url: '/api/sessions', headers: { cookie: sysadmin }, payload: { name, branch: BRANCH_A } });
        expect(created.statusCode, created.body).toBe(201);
        const id = (created.json() as { id: number }).id;
        const read = await local.app.inject({ method: 'GET', url: `/api/sessions/${id}`, headers: { cookie: sysadmin } });
        expect((read.json() as { name: string }).name).toBe(name.trim());
        expect(local.db.prepare('SELECT name FROM offline_sessions WHERE id = ?').pluck().get(id)).toBe(name.trim());
      }
      // A registration whose names are SQL and tricks: stored verbatim in the record.
      const reg = tx('register', { id: randomUUID(), patron: { barcode: 'P-EVIL-1', first_name: "O'Brien; DROP TABLE patrons; --", last_name: '\u202eesrever' } });
      const up = await local.app.inject({ method: 'POST', url: `/api/sessions/${world.ids.northOpen}/uploads`, headers: { cookie: circA },
        payload: { workstation: DESK_A1, device_time: new Date().toISOString(), transactions: [reg] } });
      expect(up.json()).toMatchObject({ accepted: [reg.id] });
      expect(JSON.parse(local.db.prepare('SELECT payload FROM offline_transactions WHERE id = ?').pluck().get(reg.id) as string)).toEqual(reg);
      // Filters with SQL in them match nothing rather than everything.
      const filtered = await local.app.inject({ method: 'GET', url: `/api/sessions/${world.ids.northProcessed}/results?workstation=${encodeURIComponent("' OR '1'='1")}`, headers: { cookie: sysadmin } });
      expect(filtered.json()).toEqual({ total: 0, results: [] });
      // A lone surrogate cannot be stored as sent (SQLite keeps UTF-8): refused, not silently changed.
      const lone = await local.app.inject({ method: 'POST', url: '/api/sessions', headers: { cookie: sysadmin, 'content-type': 'application/json' },
        payload: '{"name":"Outage \\ud800","branch":"NORTH"}' });
      expect(lone.statusCode).toBe(400);
      expect(lone.json()).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining("'name'") });

      expect(local.db.prepare('SELECT * FROM items ORDER BY id').all()).toEqual(itemsBefore);
      expect(countRows(local.db, 'staff')).toBe(staffBefore);
      expect(local.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await local.close();
    }
  });
});

/** The tables whose rows differ between two dumps. */
function diffTables(before: string, after: string): string[] {
  const split = (dump: string): Map<string, string> => {
    const map = new Map<string, string>();
    for (const part of dump.split('\n## ')) map.set(part.split(':')[0].replace(/^## /, ''), part);
    return map;
  };
  const a = split(before);
  const b = split(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}
