/**
 * A small, fully set-up library for the route matrix and the bad-input suite: built once
 * through the real API (logins, workstations, sessions in every interesting state, a
 * processed session with exceptions), checkpointed, and copied file by file so each test
 * starts from the same bytes in a few milliseconds instead of seeding anew.
 *
 *   NORTH: "Processed North" (processed, two ASSET_COPY_NOT_FOUND exceptions and one applied checkin),
 *          "Open North" (open, empty), workstation NORTH-DESK-1, a closure at Christmas
 *   SOUTH: "Open South" (open, empty), workstation SOUTH-DESK-1
 *   staff: the test library's three accounts, already logged in (their cookies survive the copy,
 *          as login sessions live in the database), plus `north-clerk` (circulation at NORTH).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openDatabase, type Db } from '../db/open.js';
import { createServices, type Services } from '../services.js';
import { buildApp } from '../build-app.js';
import {
  BRANCH_A, BRANCH_B, DESK_A1, ITEMS, call, createSession, createTestEnv, loginAs, processSession, tx, upload, type TestApp,
} from './helpers.js';

export const DESK_B1 = 'SOUTH-DESK-1';
export const CLERK = { username: 'north-clerk', password: 'north-clerk-password-1' } as const;

export interface WorldIds {
  /** Processed NORTH session, with two exceptions and one applied transaction. */
  northProcessed: number;
  exceptionTx: string;
  exceptionTx2: string;
  appliedTx: string;
  /** Open, empty NORTH session. */
  northOpen: number;
  /** Open, empty SOUTH session. */
  southOpen: number;
  /** A closure entered at NORTH. */
  northClosure: number;
  /** The test library's policy for DVDs (not the default). */
  dvdPolicy: number;
}

export interface World {
  /** The template database file (checkpointed: no WAL to carry). */
  file: string;
  cookies: { circA: string; adminB: string; sysadmin: string };
  ids: WorldIds;
  dispose(): void;
}

export interface WorldEnv {
  dir: string;
  file: string;
  db: Db;
  services: Services;
  app: TestApp;
  close(): Promise<void>;
}

export async function buildWorld(): Promise<World> {
  const env = await createTestEnv();
  const { app } = env;
  const [sysadmin, circA, adminB] = [await loginAs(app, 'sysadmin'), await loginAs(app, 'circA'), await loginAs(app, 'adminB')];

  expect((await call(app, 'POST', '/api/workstations', circA, { name: DESK_A1, branch: BRANCH_A })).status).toBe(201);
  expect((await call(app, 'POST', '/api/workstations', adminB, { name: DESK_B1, branch: BRANCH_B })).status).toBe(201);
  expect((await call(app, 'POST', '/api/staff', sysadmin, { username: CLERK.username, display_name: 'North Clerk', password: CLERK.password,
    branch: BRANCH_A, role: 'circulation' })).status).toBe(201);

  const processed = await createSession(app, sysadmin, { name: 'Processed North', branch: BRANCH_A });
  const ex1 = tx('checkout', { item_barcode: 'NO-SUCH-ITEM-1' });
  const ex2 = tx('checkout', { item_barcode: 'NO-SUCH-ITEM-2' });
  const ok = tx('checkin', { item_barcode: ITEMS.onLoan });
  await upload(app, circA, processed.id, [ex1, ex2, ok]);
  await processSession(app, sysadmin, processed.id);
  const outcomes = Object.fromEntries((env.db.prepare('SELECT id, outcome FROM offline_transactions').all() as { id: string; outcome: string }[])
    .map((r) => [r.id, r.outcome]));
  expect(outcomes).toEqual({ [ex1.id]: 'exception', [ex2.id]: 'exception', [ok.id]: 'applied' });

  const northOpen = await createSession(app, sysadmin, { name: 'Open North', branch: BRANCH_A });
  const southOpen = await createSession(app, adminB, { name: 'Open South', branch: BRANCH_B });
  const northClosure = Number(env.db.prepare(`INSERT INTO branch_closures (branch_id, first_date, last_date, reason)
    SELECT id, '2026-12-24', '2026-12-26', 'Christmas' FROM branches WHERE code = ?`).run(BRANCH_A).lastInsertRowid);
  const dvdPolicy = env.db.prepare("SELECT id FROM loan_policies WHERE item_type = 'dvd' AND patron_profile IS NULL").pluck().get() as number;

  const dir = mkdtempSync(join(tmpdir(), 'offline-circ-world-'));
  const file = join(dir, 'template.sqlite');
  env.db.pragma('wal_checkpoint(TRUNCATE)');
  copyFileSync(env.file, file);
  await env.close();
  return {
    file,
    cookies: { sysadmin, circA, adminB },
    ids: { northProcessed: processed.id, exceptionTx: ex1.id, exceptionTx2: ex2.id, appliedTx: ok.id, northOpen: northOpen.id, southOpen: southOpen.id,
      northClosure, dvdPolicy },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh copy of the world: the real app over its own database file. */
export async function cloneWorld(world: World): Promise<WorldEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'offline-circ-clone-'));
  const file = join(dir, 'circulation.sqlite');
  copyFileSync(world.file, file);
  const db = openDatabase(file);
  const services = createServices(db, { error: () => undefined });
  const app = await buildApp(services);
  return {
    dir, file, db, services, app,
    async close() {
      // A run started by a test must end before its database closes.
      const until = Date.now() + 20_000;
      while (db.prepare("SELECT count(*) FROM offline_sessions WHERE state = 'processing'").pluck().get() as number > 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await app.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table, in rowid order: a canonical picture of the database's content. */
export function dumpTables(db: Db): string {
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
  const out: string[] = [];
  for (const { name, sql } of tables) {
    out.push(`## ${name}: ${sql}`);
    const withoutRowid = /WITHOUT\s+ROWID/i.test(sql);
    const rows = db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"${withoutRowid ? '' : ' ORDER BY rowid'}`).raw().all() as unknown[][];
    if (withoutRowid) rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    for (const row of rows) out.push(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? `blob:${v.toString('hex')}` : typeof v === 'bigint' ? `${v}n` : v)));
  }
  const schema = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").raw().all();
  out.push(`## schema ${JSON.stringify(schema)}`);
  return out.join('\n');
}

/** The main database file's bytes after moving everything out of the WAL into it. */
export function fileBytes(db: Db, file: string): Buffer {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return readFileSync(file);
}
