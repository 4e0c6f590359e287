/**
 * Processes a session: every pending transaction in order (registrations
 * first, then skew-corrected time, ties by workstation and seq), a slice at
 * a time: the slice's transactions are applied in memory, each all or
 * nothing, and committed together with their results (TransactionApplier),
 * so a crash loses at most the slice in hand and the resumed run applies it
 * again, once. Slices are sized to take about SLICE_MS and yield to the
 * event loop between them, so the server keeps answering while a large
 * session is processed; meanwhile a worker thread copies the write-ahead
 * log back into the database (Checkpointer), work that would otherwise
 * stall the event loop at every checkpoint.
 */
import type { Db } from '../db/open.js';
import { OUTCOMES } from '../../shared/result-codes.js';
import type { ProcessProgress } from '../../shared/api.js';
import { SessionsRepo } from '../repo/sessions-repo.js';
import { TransactionApplier, type SessionSettings } from './applier.js';
import { Checkpointer } from '../db/checkpointer.js';

/** Work between two turns of the event loop: short, so a request waits at most about this long behind processing. */
const SLICE_MS = 20;
/** Transactions in the first slice, and the bounds of the later ones (sized to take SLICE_MS). */
const FIRST_SLICE = 200;
const MIN_SLICE = 20;
const MAX_SLICE = 2000;

/** A run's progress as the API reports it, less the session's state, which the route reads from the session. */
export type Progress = Omit<ProcessProgress, 'state'> & { sessionId: number };

type Logger = { error: (obj: unknown, msg: string) => void };

export class Processor {
  private readonly running = new Map<number, Progress>();
  private readonly listeners = new Set<(p: Progress) => void>();
  private stopping = false;
  private readonly sessions: SessionsRepo;
  private readonly applier: TransactionApplier;
  /** Checkpoints the log off the event loop while any run is going (see Checkpointer). */
  private checkpointer: Checkpointer | null = null;
  private checkpointerUsers = 0;
  /** Runs going on, so stop() can wait for them to let go of the database. */
  private readonly runs = new Set<Promise<void>>();

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

  /** Whether a run of this session is going on in this process (a session left `processing` by a failure is not). */
  isRunning(sessionId: number): boolean {
    return this.running.has(sessionId);
  }

  onProgress(listener: (p: Progress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs a session whose lock is already taken; resolves when it is processed. */
  run(sessionId: number): Promise<void> {
    const existing = this.running.get(sessionId);
    if (existing) return Promise.reject(new Error(`session ${sessionId} is already being processed`));
    const run = this.start(sessionId);
    this.runs.add(run);
    const forget = () => { this.runs.delete(run); };
    run.then(forget, forget);
    return run;
  }

  /** Starts the background checkpointer with the first run going on. */
  private acquireCheckpointer(): void {
    if (this.checkpointerUsers++ > 0) return;
    try {
      this.checkpointer = Checkpointer.start(this.db);
    } catch (err) {
      // Without it the writer checkpoints by itself, as it always did.
      this.log.error({ err }, 'could not start the background checkpointer');
    }
  }

  /**
   * Stops it when the last run ends, before that run reports itself done:
   * whoever sees a session processed sees no worker on its database.
   */
  private async releaseCheckpointer(): Promise<void> {
    if (--this.checkpointerUsers > 0) return;
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    await checkpointer?.stop().catch(() => undefined);
  }

  private async start(sessionId: number): Promise<void> {
    try {
      await this.work(sessionId);
    } catch (err) {
      // Whatever stopped the run, the session waits in `processing` with the reason until an administrator
      // resumes it (or the server restarts): nothing is left stuck, and what was applied stays applied.
      try { this.sessions.markFailed(sessionId, (err as Error).message); } catch { /* the database itself failed; a restart resumes */ }
      throw err;
    }
  }

  private async work(sessionId: number): Promise<void> {
    this.sessions.clearFailure(sessionId);
    // Policies, branches and workstations may have changed since the last run.
    this.applier.reload();
    const row = this.sessions.row(sessionId);
    if (!row) throw new Error(`session ${sessionId} does not exist`);
    const settings: SessionSettings = { sessionId, branchId: row.branch_id, overridePolicy: row.override_policy === 1 };
    const counts = this.sessions.outcomeCounts(sessionId);
    const total = OUTCOMES.reduce((sum, o) => sum + (o === 'voided' ? 0 : counts[o]), 0);
    const progress: Progress = { sessionId, done: total - counts.pending, total, rate: 0, eta_seconds: null, counts, finished: false };
    this.running.set(sessionId, progress);
    const startedAt = Date.now();
    const doneAtStart = progress.done;

    this.acquireCheckpointer();
    let released = false;
    const release = async () => { if (!released) { released = true; await this.releaseCheckpointer(); } };
    let size = FIRST_SLICE;
    /** One slice: the next transactions in order, applied and committed together; 'done' when none is left. */
    const slice = (): 'more' | 'done' | 'stopped' => {
      if (this.stopping) return 'stopped';
      const rows = this.applier.pending(sessionId, size);
      if (!rows.length) return 'done';
      const started = performance.now();
      const results = this.applier.applySlice(rows, settings);
      // The next slice sized to take about SLICE_MS, so a request never waits long behind one.
      const ms = Math.max(performance.now() - started, 0.1);
      size = Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.round(rows.length * SLICE_MS / ms)));
      for (const result of results) {
        progress.done++;
        progress.counts.pending--;
        progress.counts[result.outcome]++;
      }
      const seconds = (Date.now() - startedAt) / 1000;
      progress.rate = Math.round((progress.done - doneAtStart) / Math.max(seconds, 0.001));
      progress.eta_seconds = progress.rate > 0 ? Math.ceil((progress.total - progress.done) / progress.rate) : null;
      this.emit(progress);
      return 'more';
    };
    const turn = () => new Promise<void>((resolveTurn) => setImmediate(resolveTurn));

    try {
      await turn();
      for (;;) {
        const state = slice();
        if (state === 'stopped') return;
        if (state === 'done') break;
        // A long log is let to be copied back completely (the event loop serves requests meanwhile), so it starts over.
        const checkpointer = this.checkpointer;
        if (checkpointer?.behind()) await checkpointer.settle();
        await turn();
      }
      await release();
      this.sessions.markProcessed(sessionId);
      progress.finished = true;
      progress.eta_seconds = 0;
      this.emit(progress);
    } catch (err) {
      progress.error = (err as Error).message;
      this.log.error({ err, sessionId }, 'processing stopped');
      this.emit(progress);
      throw err;
    } finally {
      this.running.delete(sessionId);
      await release();
    }
  }

  /** Picks up sessions a crash or restart left in `processing`. */
  resumeInterrupted(): number[] {
    const ids = this.sessions.idsInState('processing');
    for (const id of ids) void this.run(id).catch(() => undefined);
    return ids;
  }

  /** Stops between two transactions; the session stays `processing` and resumes on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.runs]);
  }

  private emit(progress: Progress): void {
    for (const listener of this.listeners) listener({ ...progress, counts: { ...progress.counts } });
  }
}
