/**
 * Working the results after processing: correct an exception and retry it
 * alone at its original time, retry every exception of a code once the data
 * behind them is fixed, or void a transaction with a reason. The original
 * record stays in the history with who changed it and when.
 */
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import { validateTransaction, type OfflineTransaction } from '../../shared/transaction.js';
import type { Correction, RetryReply } from '../../shared/api.js';
import { detailText, part, partsForApi } from '../../shared/result-details.js';
import type { Outcome } from '../../shared/result-codes.js';
import type { TransactionApplier } from './applier.js';
import { HttpError, refusal } from '../http-error.js';
import { PROCESSING_ORDER } from '../repo/sql-rules.js';

interface Row {
  id: string; num: number; session_id: number; payload: string; sort_at: number; outcome: Outcome; code: string | null; state: string; branch_id: number;
  override_policy: number; processing_error: string | null;
}

const CORRECTABLE: Record<OfflineTransaction['type'], (keyof Correction)[]> = {
  checkout: ['item_barcode', 'patron_barcode', 'due_at'],
  renew: ['item_barcode', 'patron_barcode', 'due_at'],
  checkin: ['item_barcode'],
  in_house_use: ['item_barcode'],
  register: [],
  payment: ['patron_barcode'],
};

export class Corrections {
  private readonly load;
  private readonly history;
  private readonly setPayload;
  private readonly setOutcome;
  private readonly clearResult;
  private readonly saveResult;
  private readonly clearNotices;

  constructor(private readonly db: Db, private readonly applier: TransactionApplier) {
    this.load = db.prepare(`SELECT t.id, t.num, t.session_id, t.payload, t.sort_at, t.outcome, t.code, s.state, s.branch_id, s.override_policy,
        s.processing_error
      FROM transaction_outcomes t JOIN offline_sessions s ON s.id = t.session_id WHERE t.session_id = ? AND t.id = ?`);
    this.history = db.prepare(`INSERT INTO transaction_history (txn_id, action, staff, at, before, after, reason, previous_outcome, previous_code)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.setPayload = db.prepare('UPDATE offline_transactions SET payload = ?, item_barcode = ?, patron_barcode = ? WHERE id = ?');
    this.setOutcome = db.prepare('UPDATE offline_transactions SET outcome = ? WHERE num = ?');
    this.clearResult = db.prepare('DELETE FROM transaction_results WHERE num = ?');
    this.saveResult = db.prepare('INSERT OR REPLACE INTO transaction_results (num, code, detail, processed_at) VALUES (?, ?, ?, ?)');
    this.clearNotices = db.prepare('DELETE FROM result_notices WHERE txn_id = ?');
  }

  private row(sessionId: number, txnId: string): Row {
    const row = this.load.get(sessionId, txnId) as Row | undefined;
    if (!row) throw new HttpError(404, 'NOT_FOUND', `Transaction ${txnId} is not in session ${sessionId}`);
    if (row.state === 'closed') throw refusal(409, 'SESSION_CLOSED', 'sessionClosed');
    if (row.state === 'processing') {
      throw row.processing_error ? refusal(409, 'SESSION_PROCESSING', 'processingStopped', { error: row.processing_error })
        : refusal(409, 'SESSION_PROCESSING', 'processingUnderWay');
    }
    return row;
  }

  /** Corrects (optionally) and retries one exception; resolves with its new outcome. */
  retry(sessionId: number, txnId: string, staff: string, correction: Correction = {}): RetryReply {
    // Policies, items and branches may have been fixed since processing: read them afresh.
    this.applier.reload();
    return this.db.transaction(() => {
      const row = this.row(sessionId, txnId);
      if (row.outcome !== 'exception') {
        throw refusal(409, 'NOT_AN_EXCEPTION', 'notAnException', { outcome: row.outcome });
      }
      let tx = JSON.parse(row.payload) as OfflineTransaction;
      const fields = Object.keys(correction) as (keyof Correction)[];
      if (fields.length) {
        const allowed = CORRECTABLE[tx.type];
        const bad = fields.find((f) => !allowed.includes(f));
        if (bad) throw new HttpError(400, 'BAD_CORRECTION', `A ${tx.type} transaction's ${bad} cannot be corrected${allowed.length ? `; only ${allowed.join(', ')}` : ''}`);
        const corrected = { ...tx, ...correction };
        const check = validateTransaction(corrected);
        if (!check.ok) throw new HttpError(400, 'BAD_CORRECTION', `Corrected ${check.field} ${check.reason}`);
        const before = Object.fromEntries(fields.map((f) => [f, tx[f] ?? null]));
        this.history.run(txnId, 'fix', staff, nowIso(), JSON.stringify(before), JSON.stringify(correction), null, row.outcome, row.code);
        this.setPayload.run(JSON.stringify(corrected), corrected.item_barcode ?? null, corrected.patron_barcode ?? corrected.patron?.barcode ?? null, txnId);
        tx = corrected;
      }
      this.history.run(txnId, 'retry', staff, nowIso(), null, null, null, row.outcome, row.code);
      this.setOutcome.run('pending', row.num);
      this.clearResult.run(row.num);
      this.clearNotices.run(txnId);
      const result = this.applier.apply({ payload: JSON.stringify(tx), sort_at: row.sort_at },
        { sessionId, branchId: row.branch_id, overridePolicy: row.override_policy === 1 });
      return { outcome: result.outcome, code: result.code, detail: detailText(result.detail), detail_parts: partsForApi(result.detail) };
    })();
  }

  /** Retries, in processing order, every exception of the session with this code. */
  retryAll(sessionId: number, code: string, staff: string): Record<Outcome, number> & { retried: number } {
    const ids = this.db.prepare(`SELECT id FROM transaction_outcomes WHERE session_id = ? AND outcome = 'exception' AND code = ?
      ORDER BY ${PROCESSING_ORDER}`).pluck().all(sessionId, code) as string[];
    const tally = { retried: 0, pending: 0, applied: 0, applied_with_notice: 0, exception: 0, skipped: 0, voided: 0 };
    for (const id of ids) {
      tally[this.retry(sessionId, id, staff).outcome]++;
      tally.retried++;
    }
    return tally;
  }

  /** Discards a transaction that was not applied, with the administrator's reason. */
  void(sessionId: number, txnId: string, staff: string, reason: string): void {
    this.db.transaction(() => {
      const row = this.row(sessionId, txnId);
      if (row.outcome === 'applied' || row.outcome === 'applied_with_notice' || row.outcome === 'voided') {
        throw refusal(409, 'CANNOT_VOID', 'cannotVoid', { outcome: row.outcome });
      }
      this.history.run(txnId, 'void', staff, nowIso(), null, null, reason, row.outcome, row.code);
      this.setOutcome.run('voided', row.num);
      this.saveResult.run(row.num, row.code, JSON.stringify([part('voided', { staff, reason })]), nowIso());
      this.db.prepare('DELETE FROM result_notices WHERE txn_id = ?').run(txnId);
    })();
  }
}
