/**
 * A real crash: the server runs as a child process over the demo library,
 * processes a large session, and is killed with SIGKILL in the middle.
 * The database must then hold a consistent half-processed session (every
 * transaction either applied with its result, or untouched and pending),
 * and the restarted server must finish it on its own, applying every
 * transaction exactly once.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'crash-test-admin-password-1';
/** Enough transactions that processing takes a few seconds, so the kill lands mid-run. */
const TOTAL = 20_000;
const CHUNK = 1000;

const dataDir = mkdtempSync(join(tmpdir(), 'offline-circ-crash-'));
const dbFile = join(dataDir, 'circulation.sqlite');
const children: ChildProcess[] = [];
const output: string[] = [];

afterAll(async () => {
  // Whatever happened in the test, no server outlives it.
  await Promise.all(children.map((child) => {
    if (child.exitCode !== null || child.signalCode !== null) return undefined;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    return Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  }));
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

interface Server { child: ChildProcess; base: string; exited: Promise<void> }

async function startServer(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', OFFLINE_CIRC_ADMIN_PASSWORD: PASSWORD,
      OFFLINE_CIRC_SEED_DEMO: 'true', STATIC_DIR: join(dataDir, 'no-static-files'), LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const n = children.length;
  child.stdout!.on('data', (d: Buffer) => output.push(`[server ${n}] ${d}`));
  child.stderr!.on('data', (d: Buffer) => output.push(`[server ${n} stderr] ${d}`));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return { child, base, exited };
    } catch { /* not listening yet */ }
    if (Date.now() > until) throw new Error(`the server did not answer /api/health in 30 s:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('oc_session='));
  expect(cookie).toBeDefined();
  return cookie!.split(';')[0];
}

async function api<T = any>(base: string, cookie: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Desk work over the demo library: in-house uses, checkouts and checkins of items I00001–I03000 by patrons
 * P0001–P0300, from two desks, over the last hour or so.
 */
function makeTransactions(): Record<string, unknown>[][] {
  const start = Date.now() - 2 * 3600_000;
  const txs = Array.from({ length: TOTAL }, (_, i) => {
    const item = `I${pad((i * 7) % 3000 + 1, 5)}`;
    const common = {
      id: randomUUID(), occurred_at: new Date(start + i * 250).toISOString(), seq: i + 1,
      workstation: i % 2 ? 'CENTRAL-DESK-2' : 'CENTRAL-DESK-1', staff: 'admin',
    };
    switch (i % 5) {
      case 0: return { ...common, type: 'checkout', item_barcode: item, patron_barcode: `P${pad((i % 300) + 1, 4)}` };
      case 1: return { ...common, type: 'checkin', item_barcode: `I${pad(((i - 1) * 7) % 3000 + 1, 5)}` };
      default: return { ...common, type: 'in_house_use', item_barcode: item, count: 1 + (i % 3) };
    }
  });
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < txs.length; i += CHUNK) chunks.push(txs.slice(i, i + CHUNK));
  return chunks;
}

const count = (db: Database.Database, sql: string, ...args: unknown[]): number => db.prepare(sql).pluck().get(...args) as number;

describe('a server killed while processing', () => {
  it('leaves a consistent half-processed session that the restarted server finishes, applying each transaction once', async () => {
    const t0 = Date.now();
    const first = await startServer();
    const cookie = await login(first.base);
    const created = await api(first.base, cookie, 'POST', '/sessions', { name: 'Crash test', branch: 'CENTRAL' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sessionId = created.body.id as number;

    const chunks = makeTransactions();
    for (const [i, transactions] of chunks.entries()) {
      const res = await api(first.base, cookie, 'POST', `/sessions/${sessionId}/uploads`,
        { workstation: i % 2 ? 'CENTRAL-DESK-2' : 'CENTRAL-DESK-1', device_time: new Date().toISOString(), transactions });
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
      expect(res.body.accepted).toHaveLength(transactions.length);
    }
    const tUploaded = Date.now();

    const started = await api(first.base, cookie, 'POST', `/sessions/${sessionId}/process`);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let done = 0;
    for (;;) {
      const detail = await api(first.base, cookie, 'GET', `/sessions/${sessionId}`);
      expect(detail.status).toBe(200);
      done = detail.body.progress.done;
      expect(detail.body.progress.total).toBe(TOTAL);
      expect(done, 'the session finished before the test could kill the server: raise TOTAL').toBeLessThan(TOTAL);
      // Well into the run, so the crash hits a server that has applied many slices and is busy with the next.
      if (done >= TOTAL / 10) break;
    }
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    const tKilled = Date.now();

    // What the dead server left: the session still locked, part applied, the rest untouched.
    const db = new Database(dbFile);
    let appliedAtCrash: number;
    try {
      expect(count(db, 'SELECT count(*) FROM offline_sessions WHERE id = ? AND state = ?', sessionId, 'processing')).toBe(1);
      appliedAtCrash = count(db, "SELECT count(*) FROM offline_transactions WHERE session_id = ? AND outcome != 'pending'", sessionId);
      const pending = count(db, "SELECT count(*) FROM offline_transactions WHERE session_id = ? AND outcome = 'pending'", sessionId);
      expect(appliedAtCrash).toBeGreaterThanOrEqual(done);
      expect(appliedAtCrash).toBeGreaterThan(0);
      expect(pending).toBeGreaterThan(0);
      expect(appliedAtCrash + pending).toBe(TOTAL);
      // Nothing of a pending transaction was written, and every applied one has its result.
      const pendingIds = "(SELECT id FROM offline_transactions WHERE session_id = ? AND outcome = 'pending')";
      expect(count(db, `SELECT count(*) FROM loans WHERE checkout_txn IN ${pendingIds} OR checkin_txn IN ${pendingIds}`, sessionId, sessionId)).toBe(0);
      expect(count(db, `SELECT count(*) FROM in_house_uses WHERE txn_id IN ${pendingIds}`, sessionId)).toBe(0);
      expect(count(db, `SELECT count(*) FROM result_notices WHERE txn_id IN ${pendingIds}`, sessionId)).toBe(0);
      expect(count(db, "SELECT count(*) FROM transaction_outcomes WHERE session_id = ? AND outcome != 'pending' AND code IS NULL", sessionId)).toBe(0);
    } finally {
      db.close();
    }

    // Restart on the same data directory: it resumes by itself.
    const second = await startServer();
    const cookie2 = await login(second.base);
    const until = Date.now() + 60_000;
    let state = '';
    while (Date.now() < until) {
      const detail = await api(second.base, cookie2, 'GET', `/sessions/${sessionId}`);
      state = detail.body.state;
      if (state === 'processed') {
        expect(detail.body.progress).toEqual({ done: TOTAL, total: TOTAL });
        expect(detail.body.counts.total).toBe(TOTAL);
        expect(detail.body.counts.pending).toBe(0);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('processed');
    expect(output.join('')).toContain(`Resuming processing of session(s) ${sessionId}`);
    const tResumed = Date.now();

    const check = new Database(dbFile, { readonly: true });
    try {
      const inSession = '(SELECT id FROM offline_transactions WHERE session_id = ?)';
      const byTypeOutcome = check.prepare(`SELECT type, outcome, count(*) AS n FROM offline_transactions WHERE session_id = ?
        GROUP BY type, outcome`).all(sessionId) as { type: string; outcome: string; n: number }[];
      const n = (type: string, outcomes: string[]): number =>
        byTypeOutcome.filter((r) => r.type === type && outcomes.includes(r.outcome)).reduce((s, r) => s + r.n, 0);
      const done = ['applied', 'applied_with_notice'];
      // Every transaction has exactly one result: none pending, each with a code; the counts add up.
      expect(byTypeOutcome.reduce((s, r) => s + r.n, 0)).toBe(TOTAL);
      expect(byTypeOutcome.filter((r) => r.outcome === 'pending')).toEqual([]);
      expect(count(check, 'SELECT count(*) FROM transaction_outcomes WHERE session_id = ? AND code IS NULL', sessionId)).toBe(0);
      expect(n('in_house_use', done)).toBe(TOTAL * 3 / 5);
      expect(n('checkout', done) + n('checkout', ['exception', 'skipped'])).toBe(TOTAL / 5);
      expect(n('checkin', done) + n('checkin', ['exception', 'skipped'])).toBe(TOTAL / 5);
      // Nothing was applied twice: one loan per applied checkout, one use per in-house use, one closing per closing transaction.
      expect(count(check, `SELECT count(*) FROM loans WHERE checkout_txn IN ${inSession}`, sessionId)).toBe(n('checkout', done));
      expect(count(check, `SELECT count(*) FROM (SELECT checkout_txn FROM loans WHERE checkout_txn IN ${inSession}
        GROUP BY checkout_txn HAVING count(*) > 1)`, sessionId)).toBe(0);
      expect(count(check, `SELECT count(*) FROM (SELECT checkin_txn FROM loans WHERE checkin_txn IN ${inSession}
        GROUP BY checkin_txn HAVING count(*) > 1)`, sessionId)).toBe(0);
      expect(count(check, `SELECT count(*) FROM in_house_uses WHERE txn_id IN ${inSession}`, sessionId)).toBe(n('in_house_use', done));
      expect(count(check, `SELECT count(DISTINCT txn_id) FROM in_house_uses WHERE txn_id IN ${inSession}`, sessionId)).toBe(n('in_house_use', done));
      for (const table of ['transits', 'bills']) {
        expect(count(check, `SELECT count(*) FROM (SELECT txn_id FROM ${table} WHERE txn_id IN ${inSession} GROUP BY txn_id HAVING count(*) > 1)`,
          sessionId), table).toBe(0);
      }
      // Each demo item ends with at most one open loan.
      expect(count(check, `SELECT count(*) FROM (SELECT item_id FROM loans WHERE checkin_at IS NULL GROUP BY item_id HAVING count(*) > 1)`)).toBe(0);
    } finally {
      check.close();
    }
    // Timings, for whoever tunes TOTAL: visible with --reporter=verbose.
    console.log(`crash-resume: ${TOTAL} transactions; start+upload ${tUploaded - t0} ms, killed after ${tKilled - tUploaded} ms at ` +
      `${appliedAtCrash}/${TOTAL} applied; restart+resume ${tResumed - tKilled} ms; total ${Date.now() - t0} ms`);
  }, 120_000);
});
