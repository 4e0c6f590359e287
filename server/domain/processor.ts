/**
 * Processes a session: every pending transaction in order (registrations
 * first, then skew-corrected time, ties by workstation and seq), each
 * applied in its own SQLite transaction together with its result, so a
 * crash between two transactions loses nothing and applies nothing twice.
 * Work runs in slices that yield to the event loop, so the server keeps
 * answering while a large session is processed.
 */
import type { Db } from '../db/open.js';
import { OUTCOMES, type Outcome } from '../../shared/result-codes.js';
import { SessionsRepo } from '../repo/sessions-repo.js';
import { TransactionApplier, type SessionSettings, type StoredTransaction } from './applier.js';

const PAGE = 500;
const SLICE_MS = 40;

export interface Progress {
  sessionId: number;
  done: number;
  total: number;
  /** Transactions per second in this run so far. */
  rate: number;
  /** Seconds left at that rate; null until there is a rate. */
  eta_seconds: number | null;
  counts: Record<Outcome, number>;
  finished: boolean;
  error?: string;
}

type Logger = { error: (obj: unknown, msg: string) => void };

export class Processor {
  private readonly running = new Map<number, Progress>();
  private readonly listeners = new Set<(p: Progress) => void>();
  private stopping = false;
  private readonly sessions: SessionsRepo;
  private readonly applier: TransactionApplier;

  constructor(private readonly db: Db, private readonly log: Logger = console) {
    this.sessions = new SessionsRepo(db);
    this.applier = new TransactionApplier(db);
  }

  get transactionApplier(): TransactionApplier {
    return this.applier;
  }

  progress(sessionId: number): Progress | undefined {
    const p = this.running.get(sessionId);
    return p && { ...p, counts: { ...p.counts } };
  }

  onProgress(listener: (p: Progress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs a session whose lock is already taken; resolves when it is processed. */
  run(sessionId: number): Promise<void> {
    const existing = this.running.get(sessionId);
    if (existing) return Promise.reject(new Error(`session ${sessionId} is already being processed`));
    // Policies, branches and workstations may have changed since the last run.
    this.applier.reload();
    const row = this.db.prepare('SELECT branch_id, override_policy FROM offline_sessions WHERE id = ?')
      .get(sessionId) as { branch_id: number; override_policy: number };
    const settings: SessionSettings = { sessionId, branchId: row.branch_id, overridePolicy: row.override_policy === 1 };
    const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
    for (const g of this.db.prepare('SELECT outcome, count(*) AS n FROM offline_transactions WHERE session_id = ? GROUP BY outcome')
      .all(sessionId) as { outcome: Outcome; n: number }[]) counts[g.outcome] = g.n;
    const total = OUTCOMES.reduce((sum, o) => sum + (o === 'voided' ? 0 : counts[o]), 0);
    const progress: Progress = { sessionId, done: total - counts.pending, total, rate: 0, eta_seconds: null, counts, finished: false };
    this.running.set(sessionId, progress);
    const startedAt = Date.now();
    const doneAtStart = progress.done;

    const nextPage = this.db.prepare(`SELECT payload, sort_at FROM offline_transactions WHERE session_id = ? AND outcome = 'pending'
      ORDER BY phase, sort_at, workstation, seq LIMIT ${PAGE}`);

    return new Promise<void>((resolveRun, rejectRun) => {
      let page: StoredTransaction[] = [];
      const step = (): void => {
        if (this.stopping) { this.running.delete(sessionId); resolveRun(); return; }
        try {
          const until = Date.now() + SLICE_MS;
          while (Date.now() < until) {
            if (!page.length) page = nextPage.all(sessionId) as StoredTransaction[];
            if (!page.length) {
              this.sessions.markProcessed(sessionId);
              progress.finished = true;
              progress.eta_seconds = 0;
              this.emit(progress);
              this.running.delete(sessionId);
              resolveRun();
              return;
            }
            const result = this.applier.apply(page.shift()!, settings);
            progress.done++;
            progress.counts.pending--;
            progress.counts[result.outcome]++;
          }
          const seconds = (Date.now() - startedAt) / 1000;
          progress.rate = Math.round((progress.done - doneAtStart) / Math.max(seconds, 0.001));
          progress.eta_seconds = progress.rate > 0 ? Math.ceil((progress.total - progress.done) / progress.rate) : null;
          this.emit(progress);
          setImmediate(step);
        } catch (err) {
          progress.error = (err as Error).message;
          this.log.error({ err, sessionId }, 'processing stopped');
          this.emit(progress);
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
    for (const listener of this.listeners) listener({ ...progress, counts: { ...progress.counts } });
  }
}
