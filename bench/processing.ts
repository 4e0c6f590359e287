/**
 * Processing throughput: the server's real Processor, in this process, on
 * a prepared session over the benchmark library — and beside it, in the
 * same run on the same database, two ceilings: SQLite writing the same
 * number of result rows, updated in place as the processor does and
 * inserted into an empty table, in batched transactions.
 */
import { openDatabase } from '../server/db/open.js';
import { SessionsRepo } from '../server/repo/sessions-repo.js';
import { Processor } from '../server/domain/processor.js';
import type { LibraryInfo } from './dataset.js';
import { prepareSession } from './session.js';
import { copyLibrary, freshDir, log } from './common.js';

export interface ProcessingResult {
  transactions: number;
  seconds: number;
  tx_per_s: number;
  /** Ceiling 1: as many results written as the processor writes them (outcome in place, the rest beside it), in processing order, batched. */
  ceiling_rows_per_s: number;
  ceiling_seconds: number;
  /** Processing rate as a share of ceiling 1. */
  ratio: number;
  /** Ceiling 2: as many result-sized rows inserted, batched, into an empty table. */
  insert_ceiling_rows_per_s: number;
  /** Processing rate as a share of ceiling 2 (target ≥ 10 %). */
  insert_ratio: number;
  outcomes: Record<string, number>;
  top_codes: Record<string, number>;
  prepare_seconds: number;
}

const CEILING_BATCH = 1000;

/**
 * The ceilings, on a copy of the session's rows: SQLite writing as many results as the processor does,
 * (1) updated in place in processing order, as the processor stores them, and (2) inserted into an
 * empty table — the fastest SQLite stores rows of that size here — both CEILING_BATCH to a commit.
 */
function measureCeilings(file: string, sessionId: number): { update: Ceiling; insert: Ceiling } {
  const db = openDatabase(file);
  try {
    db.exec(`CREATE TABLE bench_ceiling_insert (num INTEGER PRIMARY KEY, outcome TEXT NOT NULL, code TEXT, detail TEXT, processed_at TEXT);
      CREATE TABLE bench_ceiling (num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, session_id INTEGER NOT NULL, phase INTEGER NOT NULL,
      sort_at INTEGER NOT NULL, workstation TEXT NOT NULL, seq INTEGER NOT NULL, payload TEXT NOT NULL, outcome TEXT NOT NULL);
      CREATE INDEX bench_ceiling_order ON bench_ceiling(session_id, outcome, phase, sort_at, workstation, seq);
      CREATE TABLE bench_ceiling_results (num INTEGER PRIMARY KEY, code TEXT, detail TEXT, processed_at TEXT NOT NULL, due_at TEXT);`);
    db.prepare(`INSERT INTO bench_ceiling SELECT num, id, session_id, phase, sort_at, workstation, seq, payload, outcome
      FROM offline_transactions WHERE session_id = ? ORDER BY num`).run(sessionId);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const nums = db.prepare(`SELECT num FROM bench_ceiling WHERE session_id = ? AND outcome = 'pending'
      ORDER BY phase, sort_at, workstation, seq`).pluck().all(sessionId) as number[];
    // As the processor stores a result: the transaction's outcome in place, the rest beside it (migration 11).
    const update = db.prepare(`UPDATE bench_ceiling SET outcome = ? WHERE num = ? AND outcome = 'pending'`);
    const beside = db.prepare('INSERT INTO bench_ceiling_results (num, code, detail, processed_at, due_at) VALUES (?, ?, ?, ?, ?)');
    const insert = db.prepare('INSERT INTO bench_ceiling_insert (num, outcome, code, detail, processed_at) VALUES (?, ?, ?, ?, ?)');
    const timed = (write: (num: number, at: string) => void): Ceiling => {
      const batch = db.transaction((from: number) => {
        const at = new Date().toISOString();
        for (let i = from; i < Math.min(from + CEILING_BATCH, nums.length); i++) write(nums[i], at);
      });
      const started = performance.now();
      for (let from = 0; from < nums.length; from += CEILING_BATCH) batch(from);
      const seconds = (performance.now() - started) / 1000;
      db.pragma('wal_checkpoint(TRUNCATE)');
      return { rowsPerS: nums.length / seconds, seconds, rows: nums.length };
    };
    const result = {
      update: timed((num, at) => { update.run('applied', num); beside.run(num, 'SUCCESS', 'Due 2026-01-26.', at, '2026-01-27T07:59:59.000Z'); }),
      insert: timed((num, at) => insert.run(num, 'applied', 'SUCCESS', 'Due 2026-01-26.', at)),
    };
    db.exec('DROP TABLE bench_ceiling; DROP TABLE bench_ceiling_insert; DROP TABLE bench_ceiling_results');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  } finally {
    db.close();
  }
}

interface Ceiling { rowsPerS: number; seconds: number; rows: number }

export async function measureProcessing(libraryFile: string, library: LibraryInfo, count: number): Promise<ProcessingResult> {
  const dir = freshDir('processing');
  const file = copyLibrary(libraryFile, dir);
  let db = openDatabase(file);
  log(`processing: preparing a session of ${count} transactions`);
  const prepared = prepareSession(db, { count, seed: 101, name: 'Bench processing', branchId: library.systemId, adminId: library.adminId });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  log(`processing: prepared in ${prepared.seconds.toFixed(1)} s; measuring the ceiling`);
  const ceilings = measureCeilings(file, prepared.sessionId);
  const ceiling = ceilings.update;
  log(`processing: ceilings ${Math.round(ceiling.rowsPerS)} rows/s updated in place, ${Math.round(ceilings.insert.rowsPerS)} rows/s inserted; processing`);

  // A fresh connection, as a server would have when an administrator clicks Process.
  db = openDatabase(file);
  try {
    const sessions = new SessionsRepo(db);
    const processor = new Processor(db, { error: (obj, msg) => log(`processor error: ${msg} ${String((obj as { err?: Error }).err)}`) });
    if (!sessions.lockForProcessing(prepared.sessionId)) throw new Error('could not take the processing lock');
    const started = performance.now();
    await processor.run(prepared.sessionId);
    const seconds = (performance.now() - started) / 1000;
    const outcomes = Object.fromEntries((db.prepare('SELECT outcome, count(*) AS n FROM offline_transactions WHERE session_id = ? GROUP BY outcome')
      .all(prepared.sessionId) as { outcome: string; n: number }[]).map((r) => [r.outcome, r.n]));
    const codes = db.prepare('SELECT code, count(*) AS n FROM transaction_outcomes WHERE session_id = ? GROUP BY code ORDER BY n DESC LIMIT 12')
      .all(prepared.sessionId) as { code: string; n: number }[];
    if (outcomes.pending) throw new Error(`${outcomes.pending} transactions were left pending`);
    const txPerS = prepared.accepted / seconds;
    return {
      transactions: prepared.accepted,
      seconds,
      tx_per_s: txPerS,
      ceiling_rows_per_s: ceiling.rowsPerS,
      ceiling_seconds: ceiling.seconds,
      ratio: txPerS / ceiling.rowsPerS,
      insert_ceiling_rows_per_s: ceilings.insert.rowsPerS,
      insert_ratio: txPerS / ceilings.insert.rowsPerS,
      outcomes,
      top_codes: Object.fromEntries(codes.map((c) => [c.code, c.n])),
      prepare_seconds: prepared.seconds,
    };
  } finally {
    db.close();
  }
}
