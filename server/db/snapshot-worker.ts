/**
 * Builds the desks' offline data off the event loop. At half a million items
 * the arrays take SQLite a second or more to write and gzip another; on the
 * main thread every request would wait behind that. The worker has its own
 * read-only connection: in WAL mode it reads a consistent version while
 * processing and uploads keep writing on the main one.
 *
 * The main thread sends the small head (branches and their calendars,
 * policies, settings: it needs the app's own code to resolve) and the SQL of
 * the big parts; the worker runs them in one read transaction, checks that
 * the library is still at the head's version, stitches one JSON document and
 * gzips it, and sends back the compressed bytes alone.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Db } from './open.js';

/** Plain CommonJS for the worker, so it runs the same under tsx, vitest or compiled code. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// The SQL functions the parts' queries call, from their source (server/domain/snapshot/sql-functions.ts).
for (const [name, source] of Object.entries(workerData.functions)) db.function(name, { deterministic: true }, (0, eval)('(' + source + ')'));
const version = db.prepare('SELECT version FROM library_version WHERE id = 1').pluck();
const statements = new Map();
const prepared = (sql) => { let s = statements.get(sql); if (!s) statements.set(sql, s = db.prepare(sql).pluck()); return s; };
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.close(); return; }
  let reply;
  try {
    reply = db.transaction(() => {
      const at = version.get();
      if (at !== m.version) return { id: m.id, stale: at };
      let json = m.head.slice(0, -1);
      for (const part of m.parts) json += ',' + JSON.stringify(part.name) + ':' + prepared(part.sql).get(part.params);
      json += '}';
      const gzip = gzipSync(json);
      return { id: m.id, version: at, gzip, jsonBytes: Buffer.byteLength(json) };
    })();
  } catch (err) {
    reply = { id: m.id, error: String(err && err.message || err) };
  }
  parentPort.postMessage(reply, reply.gzip ? [reply.gzip.buffer] : []);
});
`;

/** One part of the document: its key, and the SQL that returns its JSON text (one row, one column) with named parameters. */
export interface SnapshotPart { name: string; sql: string; params: Record<string, unknown> }

export type BuildResult = { version: number; gzip: Buffer; jsonBytes: number } | { stale: number };

export class SnapshotWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: BuildResult) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(file: string, functions: Record<string, string>) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, functions },
      execArgv: [],
    });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; error?: string; stale?: number; version?: number; gzip?: Uint8Array; jsonBytes?: number }) => {
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) waiter.reject(new Error(m.error));
      else if (m.stale !== undefined) waiter.resolve({ stale: m.stale });
      else waiter.resolve({ version: m.version!, gzip: Buffer.from(m.gzip!.buffer, m.gzip!.byteOffset, m.gzip!.byteLength), jsonBytes: m.jsonBytes! });
    });
    const fail = (err: Error) => {
      this.exited = true;
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('the snapshot worker stopped')));
  }

  /**
   * One for a database file; null for an in-memory database (no second connection can see it).
   * `functions`: SQL functions the parts call, as name → source text of a self-contained function.
   */
  static start(db: Db, functions: Record<string, string> = {}): SnapshotWorker | null {
    if (db.memory || db.name === ':memory:' || db.name === '') return null;
    return new SnapshotWorker(resolve(db.name), functions);
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Builds the document for `head` (JSON text of an object) and `parts`, if the library is still at `version`. */
  build(version: number, head: string, parts: SnapshotPart[]): Promise<BuildResult> {
    const id = ++this.next;
    return new Promise<BuildResult>((resolveBuild, reject) => {
      this.waiting.set(id, { resolve: resolveBuild, reject });
      this.worker.ref();
      this.worker.postMessage({ id, version, head, parts });
    }).finally(() => { if (this.waiting.size === 0) this.worker.unref(); });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.worker.once('exit', () => r()));
    this.worker.postMessage('stop');
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await gone;
    clearTimeout(timer);
  }
}
