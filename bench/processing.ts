/**
 * Processing throughput: the server's real Processor, in this process, on
 * a prepared session over the benchmark library — and beside it, in the
 * same run on the same database, the ceiling: SQLite writing the same
 * number of result rows (the UPDATE the processor makes for each
 * transaction) on a copy of the session's rows, in batched transactions.
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
  ceiling_rows_per_s: number;
  ceiling_seconds: number;
  /** Processing rate as a share of the ceiling. */
  ratio: number;
  outcomes: Record<string, number>;
  top_codes: Record<string, number>;
  prepare_seconds: number;
}

const CEILING_BATCH = 1000;

/** The ceiling: the same number of result-row UPDATEs, batched, on a copy of the session's rows. */
function measureCeiling(file: string, sessionId: number): { rowsPerS: number; seconds: number; rows: number } {
  const db = openDatabase(file);
  try {
    db.exec(`CREATE TABLE bench_ceiling (
      id TEXT PRIMARY KEY, session_id INTEGER NOT NULL, upload_id INTEGER NOT NULL, type TEXT NOT NULL, workstation TEXT NOT NULL,
      staff TEXT NOT NULL, seq INTEGER NOT NULL, occurred_at TEXT NOT NULL, phase INTEGER NOT NULL, sort_at INTEGER NOT NULL,
      item_barcode TEXT, patron_barcode TEXT, payload TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT 'pending', code TEXT, detail TEXT,
      processed_at TEXT) WITHOUT ROWID;
      CREATE INDEX bench_ceiling_order ON bench_ceiling(session_id, outcome, phase, sort_at, workstation, seq);
      CREATE INDEX bench_ceiling_item ON bench_ceiling(session_id, item_barcode);`);
    db.prepare('INSERT INTO bench_ceiling SELECT * FROM offline_transactions WHERE session_id = ?').run(sessionId);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const ids = db.prepare(`SELECT id FROM bench_ceiling WHERE session_id = ? AND outcome = 'pending'
      ORDER BY phase, sort_at, workstation, seq`).pluck().all(sessionId) as string[];
    const update = db.prepare(`UPDATE bench_ceiling SET outcome = ?, code = ?, detail = ?, processed_at = ? WHERE id = ? AND outcome = 'pending'`);
    const batch = db.transaction((from: number) => {
      const at = new Date().toISOString();
      for (let i = from; i < Math.min(from + CEILING_BATCH, ids.length); i++) update.run('applied', 'SUCCESS', 'Due 2026-01-26.', at, ids[i]);
    });
    const started = performance.now();
    for (let from = 0; from < ids.length; from += CEILING_BATCH) batch(from);
    const seconds = (performance.now() - started) / 1000;
    db.exec('DROP TABLE bench_ceiling');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { rowsPerS: ids.length / seconds, seconds, rows: ids.length };
  } finally {
    db.close();
  }
}

export async function measureProcessing(libraryFile: string, library: LibraryInfo, count: number): Promise<ProcessingResult> {
  const dir = freshDir('processing');
  const file = copyLibrary(libraryFile, dir);
  let db = openDatabase(file);
  log(`processing: preparing a session of ${count} transactions`);
  const prepared = prepareSession(db, { count, seed: 101, name: 'Bench processing', branchId: library.systemId, adminId: library.adminId });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  log(`processing: prepared in ${prepared.seconds.toFixed(1)} s; measuring the ceiling`);
  const ceiling = measureCeiling(file, prepared.sessionId);
  log(`processing: ceiling ${Math.round(ceiling.rowsPerS)} rows/s; processing`);

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
    const codes = db.prepare('SELECT code, count(*) AS n FROM offline_transactions WHERE session_id = ? GROUP BY code ORDER BY n DESC LIMIT 12')
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
      outcomes,
      top_codes: Object.fromEntries(codes.map((c) => [c.code, c.n])),
      prepare_seconds: prepared.seconds,
    };
  } finally {
    db.close();
  }
}
