/**
 * What the state files (hours, closures, policies, loans, holds, bills) share while they are
 * checked and written inside the import's one database transaction: the as-of time, whether
 * the files are complete, and lookups against the database as the earlier files of the run
 * left it — so a loan may name an item the items file of the same run adds.
 *
 * When an earlier file of the run had bad rows it was not written, and what refers to it
 * cannot be checked: misses of that kind are then not reported (the run writes nothing
 * anyway, and one mistake is not reported again on every row that refers to it).
 */
import type { Db } from '../db/open.js';
import { CalendarsRepo } from '../repo/calendars-repo.js';
import { problem, type ImportProblem } from '../../shared/import-errors.js';

/** The base files whose bad rows make the state files' references to them uncheckable. */
export type BaseFile = 'branches' | 'patrons' | 'items';

/**
 * "This server changed it after the as-of time": an item whose last change took effect
 * later (online, a later import, a scan after it), or that processing of a session changed
 * after it, however old the scan — the library system's file cannot know that change yet.
 * SQL over an items row aliased `i`, with the as-of time as `@asOf`.
 */
export const ITEM_CHANGED_AFTER = `(i.status_changed_at > @asOf OR (i.status_changed_via = 'offline'
  AND (SELECT r.processed_at FROM transaction_results r WHERE r.num = i.status_changed_by_txn) > @asOf))`;

export interface RunItem {
  id: number; barcode: string; title: string; record_id: string | null; owning_branch_id: number; current_branch_id: number;
  status: string; newer: number;
}

export interface RunCard { patron_id: number; active: number; home_branch_id: number }

export class ImportRun {
  private readonly q;
  private readonly branchIds = new Map<string, number>();
  private readonly zones = new Map<number, string>();

  constructor(
    readonly db: Db,
    readonly runId: number,
    readonly asOf: string,
    readonly complete: boolean,
    readonly defaultZone: string,
    /** Base files given in this run whose bad rows kept them from being written. */
    private readonly unwritten: ReadonlySet<BaseFile>,
    /** Branch codes of a branches file that was not written, whose good rows still count as known. */
    private readonly branchesInFile: ReadonlySet<string>,
  ) {
    const p = <T>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      item: p<RunItem>(`SELECT i.id, i.barcode, i.title, i.record_id, i.owning_branch_id, i.current_branch_id, i.status,
        ${ITEM_CHANGED_AFTER} AS newer FROM items i WHERE i.barcode = @barcode`),
      card: p<RunCard>(`SELECT c.patron_id, c.active, p.home_branch_id FROM patron_cards c JOIN patrons p ON p.id = c.patron_id
        WHERE c.barcode = ?`),
      activeCard: p<string>('SELECT barcode FROM patron_cards WHERE patron_id = ? AND active = 1 ORDER BY barcode LIMIT 1').pluck(),
      setItem: p(`UPDATE items SET status = ?, current_branch_id = ?, status_changed_at = ?, status_changed_via = 'import',
        status_changed_by_session = NULL, status_changed_by_txn = NULL WHERE id = ?`),
    };
    for (const row of db.prepare('SELECT id, code FROM branches').all() as { id: number; code: string }[]) this.branchIds.set(row.code, row.id);
    for (const [id, calendar] of new CalendarsRepo(db).all(defaultZone)) this.zones.set(id, calendar.zone);
  }

  /** The id of a branch, if the database has it. */
  branchId(code: string): number | undefined {
    return this.branchIds.get(code);
  }

  /** The problem with a branch code, or null when the branch exists (or would, had its file been written). */
  branchProblem(code: string, column: string): ImportProblem | null {
    if (this.branchIds.has(code) || (this.unwritten.has('branches') && this.branchesInFile.has(code))) return null;
    return problem('unknown_branch', { column, value: code });
  }

  /** The branch's time zone, its system's or the server's default when it names none (domain/calendars.ts). */
  zoneOf(branchId: number | undefined): string {
    return (branchId === undefined ? undefined : this.zones.get(branchId)) ?? this.defaultZone;
  }

  item(barcode: string): RunItem | undefined {
    return this.q.item.get({ barcode, asOf: this.asOf });
  }

  /** The item, or its problem; undefined and no problem when the items file was not written. */
  itemOrProblem(barcode: string, column = 'item_barcode'): { item?: RunItem; problem: ImportProblem | null } {
    const item = this.item(barcode);
    if (item) return { item, problem: null };
    return { problem: this.unwritten.has('items') ? null : problem('unknown_item', { column, value: barcode }) };
  }

  /** The patron with an active card, or the problem; undefined and no problem when the patrons file was not written. */
  cardOrProblem(barcode: string, column = 'patron_barcode'): { card?: RunCard; problem: ImportProblem | null } {
    const card = this.q.card.get(barcode);
    if (!card) return { problem: this.unwritten.has('patrons') ? null : problem('unknown_patron', { column, value: barcode }) };
    if (!card.active) {
      const current = this.q.activeCard.get(card.patron_id);
      return { problem: problem('replaced_patron_card', { column, value: barcode, current: current ?? '' }) };
    }
    return { card, problem: null };
  }

  /** Whether missing records (record_id) can be reported: not when the items file that may have held them was not written. */
  get itemsWritten(): boolean {
    return !this.unwritten.has('items');
  }

  /** A change this import makes to an item: it takes effect at the as-of time, so scans made before it are stale. */
  setItemStatus(item: RunItem, status: string, currentBranchId: number = item.current_branch_id): void {
    this.q.setItem.run(status, currentBranchId, this.asOf, item.id);
  }
}
