/**
 * A session's transactions as an export reads them: their order first (numbers only), then
 * their records a slice at a time, so a large session is never held whole and no query
 * stays open while the file streams out (the connection serves other requests between slices).
 */
import type { Db } from '../db/open.js';
import { PROCESSING_ORDER } from './sql-rules.js';

export interface ExportedRow { num: number; payload: string; sort_at: number; workstation: string }

export class SessionExportRepo {
  constructor(private readonly db: Db) {}

  /** The transactions to export, in processing order: all but the voided, or only those processing applied. */
  order(sessionId: number, appliedOnly: boolean): number[] {
    const outcomes = appliedOnly ? "('applied', 'applied_with_notice')" : "('pending', 'applied', 'applied_with_notice', 'exception', 'skipped')";
    return this.db.prepare(`SELECT num FROM offline_transactions WHERE session_id = ? AND outcome IN ${outcomes} ORDER BY ${PROCESSING_ORDER}`)
      .pluck().all(sessionId) as number[];
  }

  /** These transactions' records, in the order given. */
  rows(nums: readonly number[]): ExportedRow[] {
    const rows = this.db.prepare(`SELECT num, payload, sort_at, workstation FROM offline_transactions WHERE num IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(nums)) as ExportedRow[];
    const byNum = new Map(rows.map((r) => [r.num, r]));
    return nums.map((n) => byNum.get(n)).filter((r): r is ExportedRow => r !== undefined);
  }

  /** Each registered workstation's branch: where its transactions happened. */
  workstationBranches(): Map<string, number> {
    return new Map((this.db.prepare('SELECT name, branch_id FROM workstations').all() as { name: string; branch_id: number }[]).map((w) => [w.name, w.branch_id]));
  }
}
