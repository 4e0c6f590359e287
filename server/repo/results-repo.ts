/**
 * Reading a session's results: filtered pages, counts by code, one
 * transaction with its history, the follow-up list, and the CSV export.
 * Each result names the branch where it happened and that branch's zone, and
 * a loan's stored due instant with its local date there.
 */
import type { Db } from '../db/open.js';
import { localDateOf } from '../../shared/library-time.js';
import { resolveCalendars, type BranchTimeRow } from '../domain/calendars.js';
import { defaultTimeZone } from '../config.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { FollowUpBranch, HistoryEntry, ResultsPage, ResultsQuery, TransactionDetail, TransactionResult } from '../../shared/api.js';
import type { ResultCode } from '../../shared/result-codes.js';
import { activeCardOf, PROCESSING_ORDER } from './sql-rules.js';
import { detailText, parseParts, partsForApi } from '../../shared/result-details.js';

/** A stored explanation (sentence keys and data) as the API gives it: in English for scripts, and as parts for the app to word. */
export function worded(stored: string | null): { detail: string | null; detail_parts: ReturnType<typeof partsForApi> } {
  const parts = parseParts(stored);
  return { detail: detailText(parts), detail_parts: partsForApi(parts) };
}

/** Which list of the follow-up sheet each notice code puts a transaction on; other notices need nothing done by hand. */
const FOLLOW_UP = {
  ROUTE_ITEM: 'route',
  HOLD_CAPTURED: 'shelve',
  COPY_STATUS_LOST: 'returned', COPY_STATUS_MISSING: 'returned', CIRC_CLAIMS_RETURNED: 'returned',
  COPY_CIRC_NOT_ALLOWED: 'lent', COPY_NOT_AVAILABLE: 'lent', ITEM_ON_HOLDS_SHELF: 'lent',
  PATRON_BARRED: 'overridden', PATRON_ACCOUNT_EXPIRED: 'overridden', PATRON_INACTIVE: 'overridden',
} as const satisfies Partial<Record<ResultCode, Exclude<keyof FollowUpBranch, 'branch' | 'branch_name' | 'payments'>>>;
const FOLLOW_UP_CODES = JSON.stringify(Object.keys(FOLLOW_UP));

/** A result as stored: its explanation and its notices' as sentence keys and data (JSON text); for the CSV, a payment's amount and note. */
export type StoredResult = Omit<TransactionResult, 'detail_parts'> & { notice_details: string[]; amount_cents: number | null; note: string | null };

/** The results query's filters, with its page as numbers. */
export type ResultFilter = Omit<ResultsQuery, 'limit' | 'offset'> & { limit: number; offset: number };

/** Where a transaction happened, as processing decides: its workstation's branch, else its session's. */
const BRANCH_OF = `coalesce((SELECT w.branch_id FROM workstations w WHERE w.name = t.workstation),
  (SELECT s.branch_id FROM offline_sessions s WHERE s.id = t.session_id))`;

const RESULT_COLUMNS = `t.id, t.type, t.workstation, t.staff, t.seq, t.occurred_at, t.item_barcode, t.patron_barcode,
  t.outcome, t.code, t.detail, t.processed_at, t.due_at, ${BRANCH_OF} AS branch_id,
  (SELECT group_concat(n.code, ',') FROM result_notices n WHERE n.txn_id = t.id) AS notice_codes`;

type ResultRow = Omit<TransactionResult, 'notice_codes' | 'detail_parts' | 'branch' | 'time_zone' | 'due_date'>
  & { notice_codes: string | null; branch_id: number | null };

/**
 * Each branch's code and zone (its own, else its system's, else the server's), read once per
 * request: a page or a whole CSV export of a session refers to a handful of branches.
 */
class BranchZones {
  private readonly codes = new Map<number, string>();
  private readonly zones = new Map<number, string>();

  constructor(db: Db, private readonly defaultZone: string) {
    const rows = db.prepare('SELECT id, code, parent_id, time_zone FROM branches').all() as (BranchTimeRow & { code: string })[];
    for (const r of rows) this.codes.set(r.id, r.code);
    for (const [id, calendar] of resolveCalendars(rows, [], [], defaultZone)) this.zones.set(id, calendar.zone);
  }

  code(id: number | null): string | null {
    return id === null ? null : this.codes.get(id) ?? null;
  }

  zone(id: number | null): string {
    return (id === null ? undefined : this.zones.get(id)) ?? this.defaultZone;
  }
}

/** A row with its notices' codes, its branch, that branch's zone and a loan's local due date there; its explanation as stored. */
function placed({ branch_id, ...row }: ResultRow, zones: BranchZones): Omit<TransactionResult, 'detail_parts'> {
  const zone = zones.zone(branch_id);
  return { ...row, notice_codes: row.notice_codes ? row.notice_codes.split(',') : [], branch: zones.code(branch_id), time_zone: zone,
    due_date: row.due_at ? localDateOf(row.due_at, zone) : null };
}

const toResult = (row: ResultRow, zones: BranchZones): TransactionResult => ({ ...placed(row, zones), ...worded(row.detail) });

export class ResultsRepo {
  /** `defaultZone`: where branches and systems that name no zone keep time; unset, the server's (read when asked, as the routes do). */
  constructor(private readonly db: Db, private readonly defaultZone?: string) {}

  private zones(): BranchZones {
    return new BranchZones(this.db, this.defaultZone ?? defaultTimeZone());
  }

  private where(sessionId: number, filter: Partial<ResultFilter>): { clause: string; args: unknown[] } {
    const where = ['t.session_id = ?'];
    const args: unknown[] = [sessionId];
    for (const key of ['outcome', 'workstation', 'type'] as const) {
      if (filter[key] !== undefined) { where.push(`t.${key} = ?`); args.push(filter[key]); }
    }
    if (filter.code !== undefined) {
      // A code matches a transaction whose main code it is, or any of whose notices has it.
      where.push('(t.code = ? OR EXISTS (SELECT 1 FROM result_notices n WHERE n.txn_id = t.id AND n.code = ?))');
      args.push(filter.code, filter.code);
    }
    return { clause: where.join(' AND '), args };
  }

  page(sessionId: number, filter: ResultFilter): ResultsPage {
    const { clause, args } = this.where(sessionId, filter);
    const zones = this.zones();
    const total = (this.db.prepare(`SELECT count(*) AS n FROM transaction_outcomes t WHERE ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT ${RESULT_COLUMNS} FROM transaction_outcomes t WHERE ${clause}
      ORDER BY ${PROCESSING_ORDER} LIMIT ? OFFSET ?`).all(...args, filter.limit, filter.offset) as ResultRow[];
    return { total, results: rows.map((r) => toResult(r, zones)) };
  }

  /** Every result in processing order, one at a time, for the CSV export: explanations as stored, to be worded in the file's language; a payment with its amount and note. */
  *iterate(sessionId: number, filter: Partial<ResultFilter> = {}): Generator<StoredResult> {
    const { clause, args } = this.where(sessionId, filter);
    const zones = this.zones();
    const stmt = this.db.prepare(`SELECT ${RESULT_COLUMNS},
        (SELECT json_group_array(n.detail) FROM result_notices n WHERE n.txn_id = t.id) AS notice_details,
        CASE WHEN t.type = 'payment' THEN json_extract(t.payload, '$.amount_cents') END AS amount_cents,
        CASE WHEN t.type = 'payment' THEN json_extract(t.payload, '$.note') END AS note
      FROM transaction_outcomes t WHERE ${clause} ORDER BY ${PROCESSING_ORDER}`);
    for (const row of stmt.iterate(...args) as Iterable<ResultRow & { notice_details: string; amount_cents: number | null; note: string | null }>) {
      const { notice_details, amount_cents, note, ...result } = row;
      yield { ...placed(result, zones), amount_cents, note,
        notice_details: (JSON.parse(notice_details) as (string | null)[]).filter((d): d is string => d !== null) };
    }
  }

  codeCounts(sessionId: number): Record<string, number> {
    const rows = this.db.prepare(`SELECT code, count(*) AS n FROM (
        SELECT t.id, t.code FROM transaction_outcomes t WHERE t.session_id = ? AND t.code IS NOT NULL
        UNION
        SELECT n.txn_id, n.code FROM result_notices n JOIN offline_transactions t ON t.id = n.txn_id WHERE t.session_id = ?
      ) GROUP BY code ORDER BY code`).all(sessionId, sessionId) as { code: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.code, r.n]));
  }

  detail(sessionId: number, txnId: string): TransactionDetail | undefined {
    const row = this.db.prepare(`SELECT ${RESULT_COLUMNS}, t.payload FROM transaction_outcomes t WHERE t.session_id = ? AND t.id = ?`)
      .get(sessionId, txnId) as (ResultRow & { payload: string }) | undefined;
    if (!row) return undefined;
    const { payload, ...result } = row;
    const notices = (this.db.prepare('SELECT code, detail FROM result_notices WHERE txn_id = ? ORDER BY position').all(txnId) as { code: string; detail: string | null }[])
      .map((n) => ({ code: n.code, ...worded(n.detail) }));
    const history = (this.db.prepare(`SELECT action, staff, at, before, after, reason, previous_outcome, previous_code
      FROM transaction_history WHERE txn_id = ? ORDER BY id`).all(txnId) as (Omit<HistoryEntry, 'before' | 'after'> & { before: string | null; after: string | null })[])
      .map((h) => ({ ...h, before: h.before ? JSON.parse(h.before) : null, after: h.after ? JSON.parse(h.after) : null }));
    return { ...toResult(result, this.zones()), transaction: JSON.parse(payload) as OfflineTransaction, notices, history };
  }

  /**
   * What staff must physically do after processing, by the branch where it
   * must be done: route items, shelve holds, review items that came back
   * lost or claimed returned, follow up on blocks the desk overrode, and
   * square the cash drawer with the payments taken.
   */
  followUps(sessionId: number): FollowUpBranch[] {
    const rows = this.db.prepare(`SELECT n.txn_id, n.code, n.detail, b.code AS branch, b.name AS branch_name,
        i.barcode AS item_barcode, i.title, i.call_number, tb.code AS to_branch, tb.name AS to_branch_name,
        ${activeCardOf('n.patron_id')} AS patron_card,
        p.first_name || ' ' || p.last_name AS patron_name
      FROM result_notices n
      JOIN offline_transactions t ON t.id = n.txn_id
      LEFT JOIN branches b ON b.id = n.branch_id
      LEFT JOIN items i ON i.id = n.item_id
      LEFT JOIN branches tb ON tb.id = n.to_branch_id
      LEFT JOIN patrons p ON p.id = n.patron_id
      WHERE t.session_id = ? AND t.outcome = 'applied_with_notice' AND n.code IN (SELECT value FROM json_each(?))
      ORDER BY b.code, n.code, i.call_number, t.sort_at`).all(sessionId, FOLLOW_UP_CODES) as {
        txn_id: string; code: string; detail: string | null; branch: string | null; branch_name: string | null; item_barcode: string; title: string;
        call_number: string; to_branch: string; to_branch_name: string; patron_card: string | null; patron_name: string | null;
      }[];
    const byBranch = new Map<string, FollowUpBranch>();
    const groupOf = (branch: string | null, name: string | null): FollowUpBranch => {
      const key = branch ?? '?';
      let group = byBranch.get(key);
      if (!group) {
        group = { branch: key, branch_name: name ?? 'Unknown branch', route: [], shelve: [], returned: [], lent: [], overridden: [], payments: [] };
        byBranch.set(key, group);
      }
      return group;
    };
    for (const r of rows) {
      const group = groupOf(r.branch, r.branch_name);
      switch (FOLLOW_UP[r.code as keyof typeof FOLLOW_UP]) {
        case 'route':
          group.route.push({ txn_id: r.txn_id, item_barcode: r.item_barcode, title: r.title, call_number: r.call_number, to_branch: r.to_branch,
            to_branch_name: r.to_branch_name, reason: worded(r.detail).detail ?? '', reason_parts: worded(r.detail).detail_parts });
          break;
        case 'shelve':
          group.shelve.push({ txn_id: r.txn_id, item_barcode: r.item_barcode, title: r.title, call_number: r.call_number,
            patron_card: r.patron_card, patron_name: r.patron_name ?? '' });
          break;
        case 'overridden':
          group.overridden.push({ txn_id: r.txn_id, code: r.code, patron_card: r.patron_card, patron_name: r.patron_name ?? '', ...worded(r.detail) });
          break;
        case 'lent':
          group.lent.push({ txn_id: r.txn_id, code: r.code, item_barcode: r.item_barcode, title: r.title, call_number: r.call_number,
            patron_card: r.patron_card, patron_name: r.patron_name, ...worded(r.detail) });
          break;
        case 'returned':
          group.returned.push({ txn_id: r.txn_id, code: r.code, item_barcode: r.item_barcode, title: r.title, ...worded(r.detail) });
          break;
      }
    }
    // The payments processing applied, where they were taken: the card as scanned (an inactive card's payment is an exception).
    const payments = this.db.prepare(`SELECT pay.txn_id, b.code AS branch, b.name AS branch_name, t.patron_barcode AS patron_card,
        p.first_name || ' ' || p.last_name AS patron_name, pay.amount_cents, pay.credit_cents, pay.note
      FROM offline_transactions t
      JOIN payments pay ON pay.txn_id = t.id
      LEFT JOIN branches b ON b.id = pay.branch_id
      LEFT JOIN patrons p ON p.id = pay.patron_id
      WHERE t.session_id = ? AND t.type = 'payment' AND t.outcome IN ('applied', 'applied_with_notice')
      ORDER BY b.code, t.sort_at`).all(sessionId) as (FollowUpBranch['payments'][number] & { branch: string | null; branch_name: string | null })[];
    for (const { branch, branch_name, ...payment } of payments) groupOf(branch, branch_name).payments.push(payment);
    return [...byBranch.values()].sort((a, b) => a.branch.localeCompare(b.branch));
  }
}
