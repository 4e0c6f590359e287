/**
 * Processes a session: every pending transaction in order, each applied in
 * its own SQLite transaction together with its result row, so a crash
 * between two transactions loses nothing and applies nothing twice.
 * Work runs in slices that yield to the event loop, so the server keeps
 * answering while a large session is processed.
 */
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import { Circulation, type Result, type SessionContext } from './circulation.js';
import { SessionsRepo } from '../repo/sessions-repo.js';

const PAGE = 500;
const SLICE_MS = 40;

export interface Progress { sessionId: number; done: number; total: number; startedAt: number; finished: boolean; error?: string }

export class Processor {
  private readonly running = new Map<number, Progress>();
  private readonly listeners = new Set<(p: Progress) => void>();
  private stopping = false;
  private readonly sessions: SessionsRepo;

  constructor(private readonly db: Db, private readonly log: { error: (obj: unknown, msg: string) => void } = console) {
    this.sessions = new SessionsRepo(db);
  }

  progress(sessionId: number): Progress | undefined {
    return this.running.get(sessionId);
  }

  onProgress(listener: (p: Progress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs a session whose lock is already taken; resolves when it is processed. */
  run(sessionId: number): Promise<void> {
    const row = this.db.prepare('SELECT branch_id, override_policy FROM offline_sessions WHERE id = ?')
      .get(sessionId) as { branch_id: number; override_policy: number };
    const counts = this.db.prepare(`SELECT count(*) AS total, sum(outcome = 'pending') AS pending FROM offline_transactions
      WHERE session_id = ? AND outcome != 'voided'`).get(sessionId) as { total: number; pending: number | null };
    const progress: Progress = { sessionId, done: counts.total - (counts.pending ?? 0), total: counts.total, startedAt: Date.now(), finished: false };
    this.running.set(sessionId, progress);

    const circulation = new Circulation(this.db);
    const nextPage = this.db.prepare(`SELECT payload FROM offline_transactions WHERE session_id = ? AND outcome = 'pending'
      ORDER BY phase, sort_at, workstation, seq LIMIT ${PAGE}`).pluck();
    const saveResult = this.db.prepare(`UPDATE offline_transactions SET outcome = ?, code = ?, detail = ?, processed_at = ?
      WHERE id = ? AND outcome = 'pending'`);
    const applyOne = this.db.transaction((tx: OfflineTransaction, ctx: SessionContext): void => {
      const res: Result = circulation.apply(tx, ctx);
      // The guard on outcome makes a second application impossible even if two runners raced.
      if (saveResult.run(res.outcome, res.code, res.detail, ctx.processedAt, tx.id).changes !== 1) {
        throw new Error(`transaction ${tx.id} was no longer pending`);
      }
    });

    return new Promise<void>((resolveRun, rejectRun) => {
      let page: string[] = [];
      const step = (): void => {
        if (this.stopping) { this.running.delete(sessionId); resolveRun(); return; }
        try {
          const until = Date.now() + SLICE_MS;
          while (Date.now() < until) {
            if (!page.length) page = nextPage.all(sessionId) as string[];
            if (!page.length) {
              this.sessions.markProcessed(sessionId);
              progress.finished = true;
              this.emit(progress);
              this.running.delete(sessionId);
              resolveRun();
              return;
            }
            const tx = JSON.parse(page.shift()!) as OfflineTransaction;
            const ctx = { branchId: row.branch_id, overridePolicy: row.override_policy === 1, processedAt: nowIso() };
            try {
              applyOne(tx, ctx);
            } catch (err) {
              // The failed transaction rolled back whole; record why, so one bad row cannot stall the session.
              this.log.error({ err, txId: tx.id }, 'transaction could not be applied');
              saveResult.run('exception', 'PROCESSING_FAILED', (err as Error).message, ctx.processedAt, tx.id);
            }
            progress.done++;
          }
          this.emit(progress);
          setImmediate(step);
        } catch (err) {
          progress.error = (err as Error).message;
          this.log.error({ err, sessionId }, 'processing stopped');
          this.running.delete(sessionId);
          rejectRun(err);
        }
      };
      setImmediate(step);
    });
  }

  /** Picks up sessions a crash or restart left in `processing`. */
  resumeInterrupted(): number[] {
    const ids = this.sessions.idsInState('processing');
    for (const id of ids) void this.run(id).catch(() => undefined);
    return ids;
  }

  /** Stops between two transactions; the session stays `processing` and resumes on the next start. */
  stop(): void {
    this.stopping = true;
  }

  private emit(progress: Progress): void {
    for (const listener of this.listeners) listener({ ...progress });
  }
}
