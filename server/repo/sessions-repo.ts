import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import { OUTCOMES, type Outcome } from '../../shared/result-codes.js';
import { refusalText, validateTransaction } from '../../shared/transaction.js';
import { ResultsRepo } from './results-repo.js';
import { OUTCOME_COUNTS } from './sql-rules.js';
import type {
  OutcomeCounts, SessionDetail, SessionState, SessionSummary, UploadReply, UploadSummary,
} from '../../shared/api.js';

interface SessionRow {
  id: number; name: string; branch_id: number; branch: string; state: SessionState; override_policy: number;
  created_by: string; created_at: string; processed_at: string | null; processing_error: string | null;
}

const CLOCK_NOISE_MS = 2000;

export class SessionStateError extends Error {
  constructor(readonly state: SessionState | undefined, message: string) { super(message); }
}

const SESSION_SELECT = `SELECT s.id, s.name, s.branch_id, b.code AS branch, s.state, s.override_policy,
  st.username AS created_by, s.created_at, s.processed_at, s.processing_error
  FROM offline_sessions s JOIN branches b ON b.id = s.branch_id JOIN staff st ON st.id = s.created_by`;

/** Offline sessions, their uploads, and the transactions uploaded into them. */
export class SessionsRepo {
  private readonly results: ResultsRepo;

  /** `ingestDb` stores uploads: by default the same connection; the server gives it one that syncs each commit to disk. */
  constructor(private readonly db: Db, private readonly ingestDb: Db = db) {
    this.results = new ResultsRepo(db);
  }

  create(name: string, branchId: number, createdBy: number, overridePolicy: boolean): number {
    return Number(this.db.prepare(`INSERT INTO offline_sessions (name, branch_id, state, override_policy, created_by, created_at)
      VALUES (?, ?, 'open', ?, ?, ?)`).run(name, branchId, overridePolicy ? 1 : 0, createdBy, nowIso()).lastInsertRowid);
  }

  row(id: number): SessionRow | undefined {
    return this.db.prepare(`${SESSION_SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  }

  list(branchIds: Set<number>, state?: SessionState): SessionSummary[] {
    const rows = (state
      ? this.db.prepare(`${SESSION_SELECT} WHERE s.state = ? ORDER BY s.id DESC`).all(state)
      : this.db.prepare(`${SESSION_SELECT} ORDER BY s.id DESC`).all()) as SessionRow[];
    return rows.filter((r) => branchIds.has(r.branch_id)).map((r) => this.summary(r));
  }

  /** How many of the session's transactions have each outcome, every outcome named. */
  outcomeCounts(sessionId: number): OutcomeCounts {
    const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
    for (const g of this.db.prepare(OUTCOME_COUNTS).all(sessionId) as { outcome: Outcome; n: number }[]) counts[g.outcome] = g.n;
    return counts;
  }

  summary(row: SessionRow): SessionSummary {
    const byOutcome = this.outcomeCounts(row.id);
    const counts = { total: OUTCOMES.reduce((sum, o) => sum + byOutcome[o], 0), ...byOutcome };
    return {
      id: row.id, name: row.name, branch: row.branch, state: row.state, override_policy: row.override_policy === 1,
      created_by: row.created_by, created_at: row.created_at, processed_at: row.processed_at, counts,
      processing_error: row.processing_error,
    };
  }

  detail(row: SessionRow): SessionDetail {
    const summary = this.summary(row);
    const uploads = this.db.prepare(`SELECT id, workstation, staff, received_at, device_time, clock_offset_ms, accepted, duplicates, rejected
      FROM uploads WHERE session_id = ? ORDER BY workstation, id`).all(row.id) as UploadSummary[];
    const total = summary.counts.total - summary.counts.voided;
    return { ...summary, uploads, progress: { done: total - summary.counts.pending, total }, code_counts: this.results.codeCounts(row.id) };
  }

  /**
   * Stores one upload. Each record is checked alone: an invalid one is
   * rejected with its reason and the rest are kept. A record whose id the
   * server already holds, in any session, is a duplicate and stored once.
   */
  ingest(sessionId: number, workstation: string, staff: string, deviceTime: string, records: unknown[]): UploadReply {
    const receivedAt = new Date();
    const measured = receivedAt.getTime() - Date.parse(deviceTime);
    // Under two seconds the difference is the request's own travel time, not a wrong clock.
    const offset = Math.abs(measured) < CLOCK_NOISE_MS ? 0 : measured;
    const db = this.ingestDb;
    const insertTx = db.prepare(`INSERT OR IGNORE INTO offline_transactions
      (id, session_id, upload_id, type, workstation, staff, seq, occurred_at, phase, sort_at, item_barcode, patron_barcode, payload)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // IMMEDIATE: the write lock is taken before the session's state is read, so no
    // other connection (processing taking the session's lock) can slip in between.
    return db.transaction((): UploadReply => {
      const state = (db.prepare('SELECT state FROM offline_sessions WHERE id = ?').get(sessionId) as { state: SessionState } | undefined)?.state;
      if (state !== 'open') throw new SessionStateError(state, `session ${sessionId} is ${state ?? 'missing'}; uploads go only into an open session`);
      const uploadId = Number(db.prepare(`INSERT INTO uploads (session_id, workstation, staff, received_at, device_time, clock_offset_ms, accepted, duplicates, rejected)
        VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0)`).run(sessionId, workstation, staff, receivedAt.toISOString(), deviceTime, offset).lastInsertRowid);
      const reply: UploadReply = { upload_id: uploadId, accepted: [], duplicates: [], rejected: [] };
      const seen = new Set<string>();
      records.forEach((raw, index) => {
        const result = validateTransaction(raw, receivedAt);
        if (!result.ok) {
          const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id.slice(0, 64) : null;
          reply.rejected.push({ index, id, field: result.field, reason: refusalText(result) });
          return;
        }
        const tx = result.tx;
        if (seen.has(tx.id)) { reply.duplicates.push(tx.id); return; }
        seen.add(tx.id);
        const changes = insertTx.run(tx.id, sessionId, uploadId, tx.type, tx.workstation, tx.staff, tx.seq, tx.occurred_at,
          tx.type === 'register' ? 0 : 1, Date.parse(tx.occurred_at) + offset, tx.item_barcode ?? null,
          tx.patron_barcode ?? tx.patron?.barcode ?? null, JSON.stringify(tx)).changes;
        (changes === 1 ? reply.accepted : reply.duplicates).push(tx.id);
      });
      db.prepare('UPDATE uploads SET accepted = ?, duplicates = ?, rejected = ? WHERE id = ?')
        .run(reply.accepted.length, reply.duplicates.length, reply.rejected.length, uploadId);
      return reply;
    }).immediate();
  }

  /** Takes the processing lock; false when the session was not open (someone else has it, or it is done). */
  lockForProcessing(id: number): boolean {
    return this.db.prepare(`UPDATE offline_sessions SET state = 'processing', processing_started_at = ? WHERE id = ? AND state = 'open'`)
      .run(nowIso(), id).changes === 1;
  }

  markProcessed(id: number): void {
    this.db.prepare(`UPDATE offline_sessions SET state = 'processed', processed_at = ?, processing_error = NULL, processing_failed_at = NULL
      WHERE id = ? AND state = 'processing'`).run(nowIso(), id);
  }

  /** A run stopped on an error: the session stays `processing`, with the reason, until it is resumed. */
  markFailed(id: number, error: string): void {
    this.db.prepare(`UPDATE offline_sessions SET processing_error = ?, processing_failed_at = ? WHERE id = ? AND state = 'processing'`)
      .run(error.slice(0, 2000), nowIso(), id);
  }

  clearFailure(id: number): void {
    this.db.prepare('UPDATE offline_sessions SET processing_error = NULL, processing_failed_at = NULL WHERE id = ?').run(id);
  }

  /** Changes state only from the given one; false when the session was elsewhere. */
  transition(id: number, from: SessionState, to: SessionState): boolean {
    const stamp = to === 'closed' ? ', closed_at = ?' : '';
    const args: unknown[] = [to];
    if (stamp) args.push(nowIso());
    return this.db.prepare(`UPDATE offline_sessions SET state = ?${stamp} WHERE id = ? AND state = ?`).run(...args, id, from).changes === 1;
  }

  idsInState(state: SessionState): number[] {
    return (this.db.prepare('SELECT id FROM offline_sessions WHERE state = ?').all(state) as { id: number }[]).map((r) => r.id);
  }

}
