/**
 * Checkpoints the write-ahead log from a worker thread while a session is
 * processed. A checkpoint copies the log's pages back into the database
 * file and syncs it to disk; done by the connection that writes, it stalls
 * the writer and the event loop for tens of milliseconds at a time, and
 * processing writes a lot.
 *
 * The worker, on its own connection, copies pages as they come, in PASSIVE
 * mode only: it never takes the write lock, so it can never make a write
 * on the main connection fail as busy. The log is only started over from
 * its beginning by a write that finds it completely copied, which a writer
 * that never stops would not give it: so once the log has grown past
 * `settleFrames`, the processor pauses between two slices (the event loop
 * keeps serving requests) until the worker reports the log completely
 * copied, and its next write starts the log over. The writer's own
 * auto-checkpoint stays on, far above that, as a safety net; if the worker
 * is gone, the writer checkpoints by itself as it always did. Durability is
 * unchanged: every commit is in the log when it returns, as before.
 *
 * The processor starts one with its first run and stops it before the last
 * run reports its session processed, so whoever sees a session processed
 * finds no second connection on the file.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Db } from './open.js';

/** Plain CommonJS for the worker, so it runs the same under tsx, vitest or compiled code. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');
let stopping = false;
let timer;
let asked = 0;
function pass() {
  timer = undefined;
  if (stopping) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ busy: r.busy, log: r.log, checkpointed: r.checkpointed, asked });
  } catch {
    // Busy (the writer is checkpointing by itself): the next pass tries again.
  }
  timer = setTimeout(pass, workerData.intervalMs);
}
parentPort.on('message', (m) => {
  if (m === 'stop') { stopping = true; clearTimeout(timer); db.close(); parentPort.close(); }
  else if (typeof m === 'number') { asked = m; if (timer !== undefined) { clearTimeout(timer); pass(); } }
});
pass();
`;

export interface CheckpointerOptions {
  /** Pause between two passes. */
  intervalMs?: number;
  /** Log size (pages) past which the writer should let the worker catch up (see settle). */
  settleFrames?: number;
  /** The writer's own auto-checkpoint while the worker runs: a safety net. */
  writerAutocheckpoint?: number;
  /** Longest wait in settle before the writer goes on regardless. */
  settleTimeoutMs?: number;
}

/** One pass: the log's size and how much of it is copied; `asked` is the last settle request the pass came after. */
interface Report { busy: number; log: number; checkpointed: number; asked: number }

export class Checkpointer {
  private readonly exited: Promise<void>;
  private alive = true;
  private last: Report = { busy: 0, log: 0, checkpointed: 0, asked: 0 };
  private waiters: { asked: number; finish: () => void }[] = [];
  private asked = 0;

  private constructor(private readonly db: Db, private readonly worker: Worker, private readonly previous: { autocheckpoint: number; sizeLimit: number },
    private readonly settleFrames: number, private readonly settleTimeoutMs: number) {
    this.exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.on('message', (report: Report) => {
      this.last = report;
      if (this.complete()) this.wake(report.asked);
    });
    void this.exited.then(() => {
      this.alive = false;
      // Without the worker the writer checkpoints by itself, as it always did.
      this.restore();
      this.wake(Infinity);
    });
  }

  /** Starts one for a database file; null for an in-memory database (nothing to checkpoint). */
  static start(db: Db, options: CheckpointerOptions = {}): Checkpointer | null {
    if (db.memory || db.name === ':memory:' || db.name === '') return null;
    const previous = {
      autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }) as number,
      sizeLimit: db.pragma('journal_size_limit', { simple: true }) as number,
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: resolve(db.name),
        intervalMs: options.intervalMs ?? 25,
      },
      // Only the driver and the file: none of the parent's loaders or flags, and a small heap.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    // A failing worker only means the writer checkpoints by itself again (see the exit handler).
    worker.on('error', () => undefined);
    worker.unref();
    const settleFrames = options.settleFrames ?? 32000;
    db.pragma(`wal_autocheckpoint = ${options.writerAutocheckpoint ?? settleFrames * 4}`);
    // The log is started over often meanwhile: cutting it back each time would only make the file system grow it again.
    db.pragma('journal_size_limit = -1');
    return new Checkpointer(db, worker, previous, settleFrames, options.settleTimeoutMs ?? 2000);
  }

  /** The last pass copied the whole log as it was when the pass began (all of it, if the writer was paused). */
  private complete(): boolean {
    return this.last.busy === 0 && this.last.log === this.last.checkpointed;
  }

  /** Wakes the settle calls made before the pass that found the log complete. */
  private wake(asked: number): void {
    const ready = this.waiters.filter((w) => w.asked <= asked);
    this.waiters = this.waiters.filter((w) => w.asked > asked);
    for (const w of ready) w.finish();
  }

  /**
   * True when the log has grown long enough that the writer should pause
   * for the worker (call settle). A pass that found everything copied says
   * nothing while the writer goes on: it only copied up to where the log
   * was when it began.
   */
  behind(): boolean {
    return this.alive && this.last.log >= this.settleFrames;
  }

  /**
   * Resolves once the worker reports the whole log copied (the writer must
   * not write meanwhile), or after the timeout. Asks for a pass at once.
   */
  settle(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    const asked = ++this.asked;
    return new Promise<void>((done) => {
      const waiter = { asked, finish: () => { clearTimeout(timer); done(); } };
      const timer = setTimeout(() => { this.waiters = this.waiters.filter((w) => w !== waiter); done(); }, this.settleTimeoutMs);
      this.waiters.push(waiter);
      // A pass that starts after this message sees everything the writer wrote.
      this.worker.postMessage(asked);
    });
  }

  /** The writer's own settings, as they were before. */
  private restore(): void {
    if (!this.db.open) return;
    this.db.pragma(`wal_autocheckpoint = ${this.previous.autocheckpoint}`);
    this.db.pragma(`journal_size_limit = ${this.previous.sizeLimit}`);
  }

  /** Stops the worker (after its current pass) and gives the writer back its own auto-checkpoint. */
  async stop(): Promise<void> {
    this.restore();
    this.worker.postMessage('stop');
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
