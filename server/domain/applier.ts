/**
 * Applies one stored offline transaction and saves its result and notices,
 * all in one SQLite transaction: the circulation change and its result are
 * never out of step. Used by the processor and by retries.
 */
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { Outcome } from '../../shared/result-codes.js';
import { Circulation, type Result } from './circulation.js';

export interface StoredTransaction { payload: string; sort_at: number }
export interface SessionSettings { sessionId: number; branchId: number; overridePolicy: boolean }

export class TransactionApplier {
  private readonly circulation: Circulation;
  private readonly saveResult;
  private readonly saveNotice;
  private readonly applyInTransaction;

  constructor(private readonly db: Db) {
    this.circulation = new Circulation(db);
    this.saveResult = db.prepare(`UPDATE offline_transactions SET outcome = ?, code = ?, detail = ?, processed_at = ?
      WHERE id = ? AND outcome = 'pending'`);
    this.saveNotice = db.prepare(`INSERT INTO result_notices (txn_id, position, code, detail, branch_id, item_id, patron_id, to_branch_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.applyInTransaction = db.transaction((tx: OfflineTransaction, settings: SessionSettings, at: string): Result => {
      const res = this.circulation.apply(tx, { ...settings, at });
      this.record(tx.id, res);
      return res;
    });
  }

  /** Forgets what it keeps in memory between runs (see Circulation.reload); the database is read again on next use. */
  reload(): void {
    this.circulation.reload();
  }

  /** A pending transaction has no notices (a retry clears them as it makes it pending again), so none are deleted here. */
  private record(txnId: string, res: { outcome: Outcome; code: string; detail: string | null; notices: Result['notices'] }): void {
    // The guard on outcome makes a second application impossible even if two runners raced.
    if (this.saveResult.run(res.outcome, res.code, res.detail, nowIso(), txnId).changes !== 1) {
      throw new Error(`transaction ${txnId} was no longer pending`);
    }
    res.notices.forEach((n, i) => this.saveNotice.run(txnId, i, n.code, n.detail, n.branchId ?? null, n.itemId ?? null, n.patronId ?? null, n.toBranchId ?? null));
  }

  /**
   * Applies a pending transaction at its skew-corrected time. A failure
   * rolls its changes back whole and is recorded as the transaction's
   * result, so one bad row cannot stall a session.
   */
  apply(row: StoredTransaction, settings: SessionSettings): Result {
    const tx = JSON.parse(row.payload) as OfflineTransaction;
    const at = new Date(row.sort_at).toISOString();
    try {
      return this.applyInTransaction(tx, settings, at);
    } catch (err) {
      if ((err as Error).message.endsWith('was no longer pending')) throw err;
      const failed: Result = { outcome: 'exception', code: 'PROCESSING_FAILED', detail: (err as Error).message, notices: [] };
      this.db.transaction(() => this.record(tx.id, failed))();
      return failed;
    }
  }
}
