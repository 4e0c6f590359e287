/**
 * Applies stored offline transactions, a slice at a time, in one SQLite
 * transaction per slice: each transaction's circulation changes and its
 * result are written together, so they are never out of step — a crash
 * loses the slice whole, and the resumed run applies it again, once. Within
 * the slice each transaction is all or nothing too: one whose rule fails is
 * undone in memory and recorded as PROCESSING_FAILED, and the rest go on.
 * Used by the processor (many per slice) and by retries (one).
 */
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import { CirculationStore, NotPendingError, type RunHints } from '../repo/circulation-store.js';
import { CirculationState } from './circulation/state.js';
import { CirculationRules, type LibraryReference } from './circulation/rules.js';
import { CalendarsRepo } from '../repo/calendars-repo.js';
import { defaultTimeZone } from '../config.js';
import { rawSettings, resolveSettings } from './snapshot/settings.js';
import { failed, type Result } from './circulation/outcome.js';

/** A transaction as stored: its number (looked up by id when not given), the record, and its skew-corrected time. */
export interface StoredTransaction { num?: number; payload: string; sort_at: number }
export interface SessionSettings { sessionId: number; branchId: number; overridePolicy: boolean }

export class TransactionApplier {
  private readonly store: CirculationStore;
  private rules: CirculationRules | undefined;
  /** Which items holds and transits may concern, kept across slices; read again when someone else changed the library. */
  private hints: RunHints | undefined;
  private versionSeen = -1;
  private readonly numOf;

  constructor(private readonly db: Db) {
    this.store = new CirculationStore(db);
    this.numOf = db.prepare<[string], number>('SELECT num FROM offline_transactions WHERE id = ?').pluck();
  }

  /**
   * Re-reads what the rules keep for speed — loan policies, branch codes, workstations' branches — so a
   * run or a retry sees policies, branches and workstations added or changed since the server started.
   */
  reload(): void {
    this.rules = new CirculationRules(this.reference());
    this.hints = undefined;
  }

  /** The run's hints, read again when the library version moved since this applier last wrote (an import, an edit). */
  private currentHints(): RunHints {
    const version = this.store.libraryVersion();
    if (!this.hints || version !== this.versionSeen) this.hints = this.store.hints();
    return this.hints;
  }

  private reference(): LibraryReference {
    const branches = this.store.branches();
    const defaultZone = defaultTimeZone();
    return {
      calendars: new CalendarsRepo(this.db).all(defaultZone),
      defaultZone,
      // The same limit the desks' offline data blocks cards at (settings, or OFFLINE_CIRC_FINE_LIMIT_CENTS).
      fineLimitCents: resolveSettings(rawSettings(this.db), () => undefined).fine_limit_cents,
      policies: this.store.policies(),
      branchCodes: new Map(branches.map((b) => [b.id, b.code])),
      branchIds: new Map(branches.map((b) => [b.code, b.id])),
      workstationBranches: new Map(this.store.workstations().map((w) => [w.name, w.branch_id])),
    };
  }

  /**
   * Applies these pending transactions, in the order given, and commits them with their results;
   * returns each one's result. All of them are written at once; if that write fails (a constraint,
   * a trigger, a full disk), they are applied again one at a time, so only the transaction whose
   * changes cannot be written fails (PROCESSING_FAILED) and the others are kept.
   */
  applySlice(rows: StoredTransaction[], settings: SessionSettings): Result[] {
    if (!this.rules) this.reload();
    // IMMEDIATE: the slice reads what it will change under the write lock, so nothing can change it in between.
    try {
      return this.db.transaction(() => this.applyTogether(rows, settings)).immediate();
    } catch (err) {
      if (err instanceof NotPendingError) throw err;
      return this.db.transaction(() => rows.map((row) => this.applyAlone(row, settings))).immediate();
    }
  }

  private applyTogether(rows: StoredTransaction[], settings: SessionSettings): Result[] {
    const rules = this.rules!;
    const state = new CirculationState(this.store, this.currentHints());
    const processedAt = nowIso();
    const txs = rows.map((row) => JSON.parse(row.payload) as OfflineTransaction);
    state.prefetch({
      items: txs.flatMap((tx) => tx.item_barcode ?? []),
      cards: txs.flatMap((tx) => [tx.patron_barcode, tx.patron?.barcode].filter((b): b is string => b !== undefined)),
    });
    const results = rows.map((row, i) => {
      const tx = txs[i];
      const num = this.numberOf(row, tx);
      state.begin();
      let result: Result;
      try {
        result = rules.apply(tx, { ...settings, at: new Date(row.sort_at).toISOString(), num }, state);
      } catch (err) {
        state.rollback();
        result = failed((err as Error).message);
      }
      state.addResult({ num, outcome: result.outcome, code: result.code, detail: result.detail, processed_at: processedAt, due_at: result.dueAt ?? null,
        notices: result.notices });
      return result;
    });
    state.write();
    // What this slice wrote moved the version too (bills, holds, patrons): only a move by someone else means reading the hints again.
    this.versionSeen = this.store.libraryVersion();
    return results;
  }

  /** One transaction in a savepoint of its own: if its changes cannot be written, it fails alone, with the reason. */
  private applyAlone(row: StoredTransaction, settings: SessionSettings): Result {
    try {
      return this.db.transaction(() => this.applyTogether([row], settings)[0])();
    } catch (err) {
      if (err instanceof NotPendingError) throw err;
      const result = failed((err as Error).message);
      const state = new CirculationState(this.store, this.currentHints());
      const num = this.numberOf(row, JSON.parse(row.payload) as OfflineTransaction);
      state.addResult({ num, outcome: result.outcome, code: result.code, detail: result.detail, processed_at: nowIso(), due_at: null, notices: [] });
      state.write();
      return result;
    }
  }

  private numberOf(row: StoredTransaction, tx: OfflineTransaction): number {
    const num = row.num ?? this.numOf.get(tx.id);
    if (num === undefined) throw new Error(`transaction ${tx.id} is not stored`);
    return num;
  }

  /** Applies one pending transaction at its skew-corrected time, with its result. */
  apply(row: StoredTransaction, settings: SessionSettings): Result {
    return this.applySlice([row], settings)[0];
  }

  /** The next pending transactions of a session, in processing order. */
  pending(sessionId: number, limit: number): StoredTransaction[] {
    return this.store.pending(sessionId, limit);
  }
}
