/**
 * Test harness for the server's integration tests: the real app over a real
 * SQLite file in a fresh temporary directory, driven with Fastify's `inject`.
 *
 * The tests build their own tiny library here (not the demo seed), so every
 * barcode, policy and role a test relies on is visible in this file:
 *
 *   SYS (library system)
 *   ├── NORTH  ("branch A")
 *   └── SOUTH  ("branch B")
 *
 *   staff: sysadmin (admin at SYS), circ-north (circulation at NORTH), admin-south (admin at SOUTH)
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { openDatabase, type Db } from '../db/open.js';
import { createServices, type Services } from '../services.js';
import { buildApp } from '../build-app.js';
import { hashPassword } from '../domain/passwords.js';
import { StaffRepo } from '../repo/staff-repo.js';
import type { OfflineTransaction, TransactionType } from '../../shared/transaction.js';
import type { ApiError, ResultsPage, SessionDetail, SessionSummary, UploadReply } from '../../shared/api.js';
import { formatLocalDate } from '../../shared/library-time.js';
import { detailText, parseParts } from '../../shared/result-details.js';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

export const SYSTEM = 'SYS';
export const BRANCH_A = 'NORTH';
export const BRANCH_B = 'SOUTH';

export const USERS = {
  sysadmin: { username: 'sysadmin', password: 'sys-admin-password-1' },
  circA: { username: 'circ-north', password: 'circ-north-password-1' },
  adminB: { username: 'admin-south', password: 'admin-south-password-1' },
} as const;

/** Card barcodes of the test library's patrons. */
export const PATRONS = {
  adult: 'P-ADULT',
  adult2: 'P-ADULT2',
  juvenile: 'P-JUV',
  barred: 'P-BARRED',
  expired: 'P-EXPIRED',
  /** The replaced card of the patron whose current card is `newCard`. */
  oldCard: 'P-OLDCARD',
  newCard: 'P-NEWCARD',
} as const;

/** Item barcodes. `onLoan` is checked out to `adult` with a loan due in the future, renewed 0 times. */
export const ITEMS = {
  book1: 'I-BOOK1',
  book2: 'I-BOOK2',
  book3: 'I-BOOK3',
  dvd: 'I-DVD',
  southBook: 'I-SOUTH1',
  onLoan: 'I-ONLOAN',
  /** On loan to `adult`, already renewed twice (the default policy allows 2). */
  maxRenewed: 'I-MAXREN',
} as const;

/** The default loan policy, and the ones the test library adds. */
export const POLICY = {
  defaultDays: 21, defaultRenewals: 2,
  juvenileBookDays: 28, juvenileBookRenewals: 3,
  dvdDays: 7, dvdRenewals: 1,
} as const;

export const DESK_A1 = 'NORTH-DESK-1';
export const DESK_A2 = 'NORTH-DESK-2';

export interface TestLibrary {
  branchIds: Record<string, number>;
  staffIds: Record<keyof typeof USERS, number>;
}

export interface TestEnv {
  dir: string;
  file: string;
  db: Db;
  services: Services;
  app: TestApp;
  library: TestLibrary;
  close(): Promise<void>;
}

const DAY = 86400_000;
export const daysFromNow = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

let hashes: Promise<Record<keyof typeof USERS, string>> | undefined;

/**
 * The three accounts' password hashes: real scrypt hashes, which the real login code
 * verifies, but made once per test file — each costs 60 ms of CPU, and every test env
 * used to make all three again.
 */
function passwordHashes(): Promise<Record<keyof typeof USERS, string>> {
  hashes ??= (async () => {
    const [sysadmin, circA, adminB] = await Promise.all(
      [USERS.sysadmin, USERS.circA, USERS.adminB].map((u) => hashPassword(u.password)));
    return { sysadmin, circA, adminB };
  })();
  return hashes;
}

/** Builds the tiny test library into an empty database. */
export async function seedTestLibrary(db: Db): Promise<TestLibrary> {
  const staffRepo = new StaffRepo(db);
  const hashes = await passwordHashes();
  return db.transaction((): TestLibrary => {
    const branch = db.prepare('INSERT INTO branches (code, name, parent_id) VALUES (?, ?, ?)');
    const system = Number(branch.run(SYSTEM, 'Test Library System', null).lastInsertRowid);
    const a = Number(branch.run(BRANCH_A, 'North Branch', system).lastInsertRowid);
    const b = Number(branch.run(BRANCH_B, 'South Branch', system).lastInsertRowid);

    const policy = db.prepare(`INSERT INTO loan_policies (item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents)
      VALUES (?, ?, ?, ?, ?, ?)`);
    policy.run(null, null, POLICY.defaultDays, POLICY.defaultRenewals, 25, 1000);
    policy.run('book', 'juvenile', POLICY.juvenileBookDays, POLICY.juvenileBookRenewals, 10, 500);
    policy.run('dvd', null, POLICY.dvdDays, POLICY.dvdRenewals, 100, 1500);

    const now = new Date().toISOString();
    const patron = db.prepare(`INSERT INTO patrons (first_name, last_name, profile, home_branch_id, expires_on, barred, inactive, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const card = db.prepare('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, ?)');
    const addPatron = (barcode: string, profile: string, opts: { barred?: boolean; expires?: string } = {}): number => {
      const id = Number(patron.run('Test', barcode, profile, a, opts.expires ?? '2099-12-31', opts.barred ? 1 : 0, 0, now).lastInsertRowid);
      card.run(barcode, id, 1);
      return id;
    };
    const adultId = addPatron(PATRONS.adult, 'adult');
    addPatron(PATRONS.adult2, 'adult');
    addPatron(PATRONS.juvenile, 'juvenile');
    addPatron(PATRONS.barred, 'adult', { barred: true });
    addPatron(PATRONS.expired, 'adult', { expires: '2001-01-31' });
    const replaced = addPatron(PATRONS.newCard, 'adult');
    card.run(PATRONS.oldCard, replaced, 0);

    const item = db.prepare(`INSERT INTO items (barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status, status_changed_at)
      VALUES (?, ?, 'An Author', 'X 1', ?, ?, ?, ?, ?)`);
    const addItem = (barcode: string, type: string, branchId: number, status = 'available'): number =>
      // Statuses last changed well before any test's offline scans, so no scan is stale unless a test makes it so.
      Number(item.run(barcode, `Title of ${barcode}`, type, branchId, branchId, status, daysFromNow(-30)).lastInsertRowid);
    addItem(ITEMS.book1, 'book', a);
    addItem(ITEMS.book2, 'book', a);
    addItem(ITEMS.book3, 'book', a);
    addItem(ITEMS.dvd, 'dvd', a);
    addItem(ITEMS.southBook, 'book', b);
    const loan = db.prepare('INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, due_at, renewals) VALUES (?, ?, ?, ?, ?, ?)');
    loan.run(addItem(ITEMS.onLoan, 'book', a, 'checked_out'), adultId, daysFromNow(-5), a, daysFromNow(16), 0);
    loan.run(addItem(ITEMS.maxRenewed, 'book', a, 'checked_out'), adultId, daysFromNow(-30), a, daysFromNow(5), 2);

    const sysadmin = staffRepo.create(USERS.sysadmin.username, hashes.sysadmin, 'System Admin');
    staffRepo.setRole(sysadmin, system, 'admin');
    const circA = staffRepo.create(USERS.circA.username, hashes.circA, 'North Desk');
    staffRepo.setRole(circA, a, 'circulation');
    const adminB = staffRepo.create(USERS.adminB.username, hashes.adminB, 'South Admin');
    staffRepo.setRole(adminB, b, 'admin');

    return { branchIds: { [SYSTEM]: system, [BRANCH_A]: a, [BRANCH_B]: b }, staffIds: { sysadmin, circA, adminB } };
  })();
}

/** A fresh temp directory and database file, opened the way the server opens it. */
export function tempDatabase(prefix = 'offline-circ-test-'): { dir: string; file: string; db: Db } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'circulation.sqlite');
  return { dir, file, db: openDatabase(file) };
}

/**
 * A database file that test envs start from as copies (as fixture-world.ts does): seeding,
 * migrating and logging in then happen once per test file instead of once per test, and
 * each test still gets its own database file.
 */
interface Template {
  file: string;
  library: TestLibrary;
  /** Cookies of the accounts logged in (through the real login route) before the copy. */
  cookies: Partial<Record<keyof typeof USERS, string>>;
}

const templateDirs: string[] = [];
let libraryTemplate: Promise<Template> | undefined;

// A hook of the test file importing this module (each file evaluates it afresh): the file's
// templates go when it is done. (process 'exit' would not do: Vitest kills its workers.)
afterAll(() => {
  for (const dir of templateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  libraryTemplate = undefined; // were this module ever shared between files, the next one seeds anew
});

/**
 * The test library, seeded at the first test env's time (idempotence.test.ts freezes Date
 * around its first createTestEnv so that seeded times are exact).
 */
function testLibrary(): Promise<Template> {
  libraryTemplate ??= (async () => {
    const { dir, file, db } = tempDatabase('offline-circ-template-');
    templateDirs.push(dir);
    const library = await seedTestLibrary(db);
    // Closing the only connection checkpoints the WAL, so the main file alone holds everything.
    db.close();
    return { file, library, cookies: {} };
  })();
  return libraryTemplate;
}

/** The test library with `who` logged in. */
async function loggedInTemplate(who: (keyof typeof USERS)[]): Promise<Template> {
  const env = await envFrom(await testLibrary());
  templateDirs.push(env.dir);
  const logged = await Promise.all(who.map((w) => loginAs(env.app, w)));
  await env.app.close();
  env.db.close();
  return { file: env.file, library: env.library, cookies: Object.fromEntries(who.map((w, i) => [w, logged[i]])) };
}

/** The app over a copy of the template in a new temporary directory. */
async function envFrom(template: Template): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'offline-circ-test-'));
  const file = join(dir, 'circulation.sqlite');
  copyFileSync(template.file, file);
  const db = openDatabase(file);
  const services = createServices(db, { error: () => undefined });
  const app = await buildApp(services);
  return {
    // Its own copy of the ids too, so nothing a test does to its env reaches the next test.
    dir, file, db, services, app, library: structuredClone(template.library),
    async close() {
      await app.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The app over a new database holding the test library. */
export async function createTestEnv(): Promise<TestEnv> {
  return envFrom(await testLibrary());
}

/**
 * A fresh test env for every test of the calling scope, logged in as `who`.
 * The returned `env` and `cookies` are the same objects throughout, so a file
 * can take them once at the top and its helpers keep seeing the current
 * test's app, database and login cookies. The logins happen once, through the
 * real login route, into the template every test's database is copied from
 * (login sessions live in the database, so the cookies work in each copy).
 */
export function useTestEnv<const W extends keyof typeof USERS>(...who: W[]): { env: TestEnv; cookies: Record<W, string> } {
  let current: TestEnv | undefined;
  const live = (): TestEnv => {
    if (!current) throw new Error('the test env exists only while a test runs');
    return current;
  };
  const env: TestEnv = {
    get dir() { return live().dir; },
    get file() { return live().file; },
    get db() { return live().db; },
    get services() { return live().services; },
    get app() { return live().app; },
    get library() { return live().library; },
    close: () => live().close(),
  };
  const cookies = {} as Record<W, string>;
  let template: Promise<Template> | undefined;
  beforeEach(async () => {
    template ??= who.length ? loggedInTemplate(who) : testLibrary();
    const ready = await template;
    current = await envFrom(ready);
    Object.assign(cookies, ready.cookies);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return { env, cookies };
}

export interface Reply<T = any> { status: number; body: T; headers: Record<string, unknown> }

/** One request through `inject`, JSON in and out. */
export async function call<T = any>(app: TestApp, method: 'GET' | 'POST', url: string, cookie?: string, payload?: unknown): Promise<Reply<T>> {
  const res = await app.inject({
    method, url,
    headers: cookie ? { cookie } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
}

/** Logs in and returns the Cookie header to send with later requests. */
export async function login(app: TestApp, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'oc_session');
  expect(cookie).toBeDefined();
  return `${cookie!.name}=${cookie!.value}`;
}

export async function loginAs(app: TestApp, who: keyof typeof USERS): Promise<string> {
  return login(app, USERS[who].username, USERS[who].password);
}

let seqCounter = 0;

export type TxFields = Partial<Omit<OfflineTransaction, 'type'>> & Record<string, unknown>;

/**
 * A valid offline transaction as a device makes it: a fresh UUID v4, the
 * time a few minutes ago unless given, and a strictly increasing `seq`.
 */
export function tx(type: TransactionType, fields: TxFields = {}): OfflineTransaction {
  const base: Record<string, unknown> = {
    id: randomUUID(),
    type,
    occurred_at: new Date(Date.now() - 10 * 60_000).toISOString(),
    seq: ++seqCounter,
    workstation: DESK_A1,
    staff: USERS.circA.username,
  };
  if (type === 'checkout') { base.item_barcode = ITEMS.book1; base.patron_barcode = PATRONS.adult; }
  if (type === 'renew' || type === 'checkin' || type === 'in_house_use') base.item_barcode = ITEMS.book1;
  if (type === 'register') base.patron = { barcode: `P-NEW-${seqCounter}`, first_name: 'New', last_name: 'Patron' };
  const out = { ...base, ...fields };
  for (const [key, value] of Object.entries(out)) if (value === undefined) delete out[key];
  return out as unknown as OfflineTransaction;
}

/** A time `minutes` before now, as devices write it. */
/** An instant as results word it in English: date and time at the branch (the test library's zone is UTC). */
export const wordedAt = (iso: string, zone = 'UTC'): string => formatLocalDate(iso, zone, 'en', { dateStyle: 'medium', timeStyle: 'short' });
/** A calendar date as results word it in English. */
export const wordedDay = (date: string): string => formatLocalDate(date, 'UTC', 'en');
/** A stored explanation (sentence keys and data) in English, as the API gives it. */
export const storedDetail = (stored: string | null): string | null => detailText(parseParts(stored));

export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

export async function createSession(app: TestApp, cookie: string, body: { name?: string; branch?: string; override_policy?: boolean } = {}): Promise<SessionSummary> {
  const res = await call<SessionSummary>(app, 'POST', '/api/sessions', cookie, { name: 'Internet Down', branch: BRANCH_A, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export function uploadRequest(app: TestApp, cookie: string, sessionId: number, transactions: unknown[],
  opts: { workstation?: string; device_time?: string } = {}): Promise<Reply<UploadReply & Partial<ApiError>>> {
  return call(app, 'POST', `/api/sessions/${sessionId}/uploads`, cookie, {
    workstation: opts.workstation ?? DESK_A1,
    device_time: opts.device_time ?? new Date().toISOString(),
    transactions,
  });
}

/** Uploads and expects the server to take the batch (200). */
export async function upload(app: TestApp, cookie: string, sessionId: number, transactions: unknown[],
  opts: { workstation?: string; device_time?: string } = {}): Promise<UploadReply> {
  const res = await uploadRequest(app, cookie, sessionId, transactions, opts);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function getSession(app: TestApp, cookie: string, sessionId: number): Promise<SessionDetail> {
  const res = await call<SessionDetail>(app, 'GET', `/api/sessions/${sessionId}`, cookie);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Polls the session until its state is the wanted one; fails after a bounded wait. */
export async function waitForState(app: TestApp, cookie: string, sessionId: number, state: SessionDetail['state'], timeoutMs = 20_000): Promise<SessionDetail> {
  const until = Date.now() + timeoutMs;
  let last: SessionDetail;
  do {
    last = await getSession(app, cookie, sessionId);
    if (last.state === state) return last;
    await new Promise((r) => setTimeout(r, 10));
  } while (Date.now() < until);
  throw new Error(`session ${sessionId} stayed ${last.state}, expected ${state}`);
}

/** POST /process (expects 202) and waits until the session is processed. */
export async function processSession(app: TestApp, cookie: string, sessionId: number): Promise<SessionDetail> {
  const res = await call<SessionDetail>(app, 'POST', `/api/sessions/${sessionId}/process`, cookie);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return waitForState(app, cookie, sessionId, 'processed');
}

export async function results(app: TestApp, cookie: string, sessionId: number, query: Record<string, string> = {}): Promise<ResultsPage> {
  const qs = new URLSearchParams(query).toString();
  const res = await call<ResultsPage>(app, 'GET', `/api/sessions/${sessionId}/results${qs ? `?${qs}` : ''}`, cookie);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The result of one transaction, by id. */
export async function resultOf(app: TestApp, cookie: string, sessionId: number, txId: string) {
  const page = await results(app, cookie, sessionId, { limit: '1000' });
  const found = page.results.find((r) => r.id === txId);
  expect(found, `no result for ${txId}`).toBeDefined();
  return found!;
}

export interface LoanRow {
  id: number; patron_card: string | null; checkout_at: string; due_at: string; renewals: number;
  checkin_at: string | null; checkout_txn: string | null; last_renew_txn: string | null; checkin_txn: string | null;
}

/** Every loan of an item, oldest first, with the borrower's active card. */
export function loansOf(db: Db, itemBarcode: string): LoanRow[] {
  return db.prepare(`SELECT l.id, (SELECT barcode FROM patron_cards c WHERE c.patron_id = l.patron_id AND c.active = 1) AS patron_card,
      l.checkout_at, l.due_at, l.renewals, l.checkin_at, l.checkout_txn, l.last_renew_txn, l.checkin_txn
    FROM loans l JOIN items i ON i.id = l.item_id WHERE i.barcode = ? ORDER BY l.id`).all(itemBarcode) as LoanRow[];
}

export function itemStatus(db: Db, itemBarcode: string): string {
  return (db.prepare('SELECT status FROM items WHERE barcode = ?').get(itemBarcode) as { status: string }).status;
}

export function countRows(db: Db, table: string, where = '1', ...args: unknown[]): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...args) as { n: number }).n;
}
