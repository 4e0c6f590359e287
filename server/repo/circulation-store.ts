/**
 * Every read and write processing makes to the circulation tables, in one
 * place. Reads fetch what a slice of transactions needs (items with their
 * open loan, cards with their patron, the holds and transits of an item);
 * writes store a slice's final rows — each changed row once, however many
 * of the slice's transactions changed it — and the results with them.
 */
import type { Db } from '../db/open.js';
import type { Outcome } from '../../shared/result-codes.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { LoanPolicy } from '../../shared/loan-policy.js';
import type { DetailPart } from '../../shared/result-details.js';
import { activeCardOf, PROCESSING_ORDER } from './sql-rules.js';

export type ChangeVia = 'online' | 'offline' | 'import';

export interface ItemRow {
  id: number; barcode: string; title: string; record_id: string | null; item_type: string; owning_branch_id: number; current_branch_id: number;
  status: string; status_changed_at: string; status_changed_by_session: number | null; status_changed_by_txn: number | null;
  status_changed_via: ChangeVia;
}

export interface LoanRow {
  id: number; item_id: number; patron_id: number; checkout_at: string; checkout_branch_id: number | null; checkout_workstation: string | null;
  checkout_staff: string | null; due_at: string; renewals: number; checkin_at: string | null; checkin_branch_id: number | null;
  checkin_workstation: string | null; checkin_staff: string | null; checkout_txn: string | null; last_renew_txn: string | null; checkin_txn: string | null;
}

/** What the rules know of a patron: who, which profile, and what may block them. */
export interface PatronRow { id: number; first_name: string; last_name: string; profile: string; expires_on: string; barred: number; inactive: number }

/** A patron a registration creates: every column. */
export interface NewPatronRow extends PatronRow {
  home_branch_id: number; email: string | null; phone: string | null; created_at: string; created_by_txn: string | null;
}

export interface CardRow { barcode: string; patron_id: number; active: number }

export interface HoldRow {
  id: number; patron_id: number; item_id: number | null; title: string | null; record_id: string | null; pickup_branch_id: number; status: string;
  created_at: string;
  /** The patron's name, for messages. */
  name: string;
}

export interface TransitRow {
  id: number; item_id: number; from_branch_id: number; to_branch_id: number; reason: string; created_at: string; received_at: string | null; txn_id: string | null;
}

export interface BillRow {
  id: number; patron_id: number; loan_id: number | null; amount_cents: number; paid_cents: number; reason: string; created_at: string; txn_id: string | null;
}
export interface PaymentRow {
  patron_id: number; amount_cents: number; credit_cents: number; note: string | null; branch_id: number; paid_at: string; txn_id: string;
}
export interface UseRow { item_id: number; branch_id: number; count: number; occurred_at: string; txn_id: string }
export interface NoncatRow { patron_id: number; noncat_type: string; count: number; branch_id: number; occurred_at: string; txn_id: string }

/**
 * An open loan as processing reads it: what the rules need. Its other columns are not read, and so
 * never written back: a closed loan writes its checkin columns, a renewed one its renewal columns.
 */
export type OpenLoanRow = Pick<LoanRow, 'id' | 'item_id' | 'patron_id' | 'checkout_at' | 'checkout_branch_id' | 'due_at' | 'renewals'>;

/** An item as a slice first sees it, with its open loan. */
export interface LoadedItem { item: ItemRow; loan: OpenLoanRow | null }
export interface LoadedCard { card: CardRow; patron: PatronRow }

/**
 * Which items a hold or a transit may concern, for a whole run: most scans touch neither, and a set
 * answers for them without a query. Supersets are harmless (a query finds nothing); so the sets only
 * grow during a run, and are read again when the library changed under it.
 */
export interface RunHints {
  heldItems: Set<number>;
  /** Titles pending title-level holds wait on, as titleKey gives them. */
  heldTitles: Set<string>;
  transitItems: Set<number>;
  owingPatrons: Set<number>;
}

/**
 * What a title-level hold waits on: the title's record in the library system when the hold names
 * one, else the title's text (holds placed before records were imported); null for a hold on one copy.
 */
export function titleKey(hold: Pick<HoldRow, 'record_id' | 'title'>): string | null {
  return hold.record_id !== null ? `r:${hold.record_id}` : hold.title !== null ? `t:${hold.title}` : null;
}

/** The title keys an item answers to: its record's, and its title's. */
export function titleKeysOf(item: Pick<ItemRow, 'record_id' | 'title'>): string[] {
  return item.record_id !== null ? [`r:${item.record_id}`, `t:${item.title}`] : [`t:${item.title}`];
}

/** A pending transaction as processing reads it, in processing order. */
export interface PendingRow { num: number; payload: string; sort_at: number }

export interface ResultRow {
  num: number; outcome: Outcome; code: string; detail: readonly DetailPart[] | null; processed_at: string; due_at: string | null;
  notices: { code: string; detail: DetailPart; branchId?: number | null; itemId?: number | null; patronId?: number | null; toBranchId?: number | null }[];
}


const ITEM_COLUMNS = ['id', 'barcode', 'title', 'record_id', 'item_type', 'owning_branch_id', 'current_branch_id', 'status', 'status_changed_at',
  'status_changed_by_session', 'status_changed_by_txn', 'status_changed_via'] as const;
const OPEN_LOAN_COLUMNS = ['id', 'item_id', 'patron_id', 'checkout_at', 'checkout_branch_id', 'due_at', 'renewals'] as const;
const PATRON_COLUMNS = ['id', 'first_name', 'last_name', 'profile', 'expires_on', 'barred', 'inactive'] as const;
const NEW_PATRON_COLUMNS = [...PATRON_COLUMNS, 'home_branch_id', 'email', 'phone', 'created_at', 'created_by_txn'] as const;
const LOAN_COLUMNS = ['id', 'item_id', 'patron_id', 'checkout_at', 'checkout_branch_id', 'checkout_workstation', 'checkout_staff', 'due_at', 'renewals',
  'checkin_at', 'checkin_branch_id', 'checkin_workstation', 'checkin_staff', 'checkout_txn', 'last_renew_txn', 'checkin_txn'] as const;

/** Builds an object from a raw row's values, `columns` long, starting at `from` (raw rows cost far less to read than objects). */
function pick<T>(row: unknown[], columns: readonly string[], from = 0): T {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) out[columns[i]] = row[from + i];
  return out as T;
}

function loadedItem(row: unknown[]): LoadedItem {
  const loanAt = ITEM_COLUMNS.length;
  return { item: pick<ItemRow>(row, ITEM_COLUMNS), loan: row[loanAt] === null ? null : pick<OpenLoanRow>(row, OPEN_LOAN_COLUMNS, loanAt) };
}

function loadedCard(row: unknown[]): LoadedCard {
  return { card: { barcode: row[0] as string, patron_id: row[1] as number, active: row[2] as number }, patron: pick<PatronRow>(row, PATRON_COLUMNS, 3) };
}

/** A result for a transaction that is no longer pending: someone else applied it; the slice must not go on. */
export class NotPendingError extends Error {}

export class CirculationStore {
  private readonly q;

  constructor(private readonly db: Db) {
    const p = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      pending: p<PendingRow>(`SELECT num, payload, sort_at FROM offline_transactions WHERE session_id = ? AND outcome = 'pending'
        ORDER BY ${PROCESSING_ORDER} LIMIT ?`),
      item: p<unknown[]>(`SELECT ${ITEM_COLUMNS.map((c) => `i.${c}`).join(', ')}, ${OPEN_LOAN_COLUMNS.map((c) => `l.${c}`).join(', ')}
        FROM items i LEFT JOIN loans l ON l.item_id = i.id AND l.checkin_at IS NULL WHERE i.barcode = ?`).raw(),
      card: p<unknown[]>(`SELECT c.barcode, c.patron_id, c.active, ${PATRON_COLUMNS.map((c) => `p.${c}`).join(', ')}
        FROM patron_cards c JOIN patrons p ON p.id = c.patron_id WHERE c.barcode = ?`).raw(),
      // The same, for a whole slice at once: one statement walks the index for every barcode (a quarter less than one each).
      items: p<unknown[]>(`SELECT ${ITEM_COLUMNS.map((c) => `i.${c}`).join(', ')}, ${OPEN_LOAN_COLUMNS.map((c) => `l.${c}`).join(', ')}
        FROM json_each(?) j JOIN items i ON i.barcode = j.value LEFT JOIN loans l ON l.item_id = i.id AND l.checkin_at IS NULL`).raw(),
      cards: p<unknown[]>(`SELECT c.barcode, c.patron_id, c.active, ${PATRON_COLUMNS.map((c) => `p.${c}`).join(', ')}
        FROM json_each(?) j JOIN patron_cards c ON c.barcode = j.value JOIN patrons p ON p.id = c.patron_id`).raw(),
      patrons: p<unknown[]>(`SELECT ${PATRON_COLUMNS.map((c) => `p.${c}`).join(', ')} FROM json_each(?) j JOIN patrons p ON p.id = j.value`).raw(),
      patron: p<unknown[]>(`SELECT ${PATRON_COLUMNS.join(', ')} FROM patrons WHERE id = ?`).raw(),
      heldItems: p<number>(`SELECT DISTINCT item_id FROM holds WHERE item_id IS NOT NULL AND status IN ('pending', 'captured', 'on_shelf')`).pluck(),
      heldTitles: p<string>(`SELECT DISTINCT CASE WHEN record_id IS NOT NULL THEN 'r:' || record_id ELSE 't:' || title END
        FROM holds WHERE item_id IS NULL AND status = 'pending'`).pluck(),
      transitItems: p<number>('SELECT DISTINCT item_id FROM transits WHERE received_at IS NULL').pluck(),
      // Patrons with a balance either way: an open bill, or a credit.
      owingPatrons: p<number>(`SELECT patron_id FROM bills WHERE paid_cents < amount_cents
        UNION SELECT patron_id FROM payments WHERE credit_cents > 0`).pluck(),
      libraryVersion: p<number>('SELECT version FROM library_version WHERE id = 1').pluck(),
      openLoanCount: p<number>('SELECT count(*) FROM loans WHERE patron_id = ? AND checkin_at IS NULL').pluck(),
      // What the patron owes: open bills, less any credit left by earlier payments.
      balance: p<number>(`SELECT coalesce((SELECT sum(amount_cents - paid_cents) FROM bills WHERE patron_id = @patron AND paid_cents < amount_cents), 0)
        - coalesce((SELECT sum(credit_cents) FROM payments WHERE patron_id = @patron AND credit_cents > 0), 0)`).pluck(),
      openBills: p<BillRow>(`SELECT id, patron_id, loan_id, amount_cents, paid_cents, reason, created_at, txn_id FROM bills
        WHERE patron_id = ? AND paid_cents < amount_cents ORDER BY created_at, id`),
      holds: p<HoldRow>(`SELECT h.id, h.patron_id, h.item_id, h.title, h.record_id, h.pickup_branch_id, h.status, h.created_at,
          pa.first_name || ' ' || pa.last_name AS name
        FROM holds h JOIN patrons pa ON pa.id = h.patron_id
        WHERE (h.item_id = @item AND h.status IN ('pending', 'captured', 'on_shelf'))
          OR (h.item_id IS NULL AND h.status = 'pending' AND h.record_id = @record)
          OR (h.item_id IS NULL AND h.status = 'pending' AND h.record_id IS NULL AND h.title = @title)`),
      openTransits: p<TransitRow>('SELECT id, item_id, from_branch_id, to_branch_id, reason, created_at, received_at, txn_id FROM transits WHERE item_id = ? AND received_at IS NULL'),
      activeCard: p<string | null>(`SELECT ${activeCardOf('?')}`).pluck(),
      txnSource: p<{ type: OfflineTransaction['type']; workstation: string; session_id: number }>('SELECT type, workstation, session_id FROM offline_transactions WHERE num = ?'),
      maxIds: p<{ loans: number; patrons: number; transits: number; bills: number }>(`SELECT
        (SELECT coalesce(max(id), 0) FROM loans) AS loans, (SELECT coalesce(max(id), 0) FROM patrons) AS patrons,
        (SELECT coalesce(max(id), 0) FROM transits) AS transits, (SELECT coalesce(max(id), 0) FROM bills) AS bills`),

      writeItem: p(`UPDATE items SET status = ?, current_branch_id = ?, status_changed_at = ?, status_changed_by_session = ?,
        status_changed_by_txn = ?, status_changed_via = ? WHERE id = ?`),
      insertLoan: p(`INSERT INTO loans (${LOAN_COLUMNS.join(', ')}) VALUES (${LOAN_COLUMNS.map(() => '?').join(', ')})`),
      renewLoan: p('UPDATE loans SET due_at = ?, renewals = ?, last_renew_txn = ? WHERE id = ?'),
      closeLoan: p('UPDATE loans SET checkin_at = ?, checkin_branch_id = ?, checkin_workstation = ?, checkin_staff = ?, checkin_txn = ? WHERE id = ?'),
      insertPatron: p(`INSERT INTO patrons (${NEW_PATRON_COLUMNS.join(', ')}) VALUES (${NEW_PATRON_COLUMNS.map(() => '?').join(', ')})`),
      insertCard: p('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, ?)'),
      writeHold: p('UPDATE holds SET status = ?, item_id = ? WHERE id = ?'),
      insertTransit: p('INSERT INTO transits (id, item_id, from_branch_id, to_branch_id, reason, created_at, received_at, txn_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      writeTransit: p('UPDATE transits SET received_at = ? WHERE id = ?'),
      insertBill: p('INSERT INTO bills (id, patron_id, loan_id, amount_cents, paid_cents, reason, created_at, txn_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      payBill: p('UPDATE bills SET paid_cents = ? WHERE id = ?'),
      insertPayment: p(`INSERT INTO payments (patron_id, amount_cents, credit_cents, note, branch_id, paid_at, txn_id) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      insertUse: p('INSERT INTO in_house_uses (item_id, branch_id, count, occurred_at, txn_id) VALUES (?, ?, ?, ?, ?)'),
      insertNoncat: p('INSERT INTO noncat_circulations (patron_id, noncat_type, count, branch_id, occurred_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)'),
      // The guard on outcome makes a second application impossible even if two runners raced.
      writeOutcome: p(`UPDATE offline_transactions SET outcome = ? WHERE num = ? AND outcome = 'pending'`),
      insertResult: p('INSERT INTO transaction_results (num, code, detail, processed_at, due_at) VALUES (?, ?, ?, ?, ?)'),
      insertNotice: p(`INSERT INTO result_notices (txn_id, position, code, detail, branch_id, item_id, patron_id, to_branch_id)
        VALUES ((SELECT id FROM offline_transactions WHERE num = ?), ?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  /** What the rules keep for a run: loan policies, branches, the branch of each workstation. */
  policies(): LoanPolicy[] {
    return this.db.prepare(`SELECT item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents, max_items_out
      FROM loan_policies`).all() as LoanPolicy[];
  }

  branches(): { id: number; code: string }[] {
    return this.db.prepare('SELECT id, code FROM branches').all() as { id: number; code: string }[];
  }

  workstations(): { name: string; branch_id: number }[] {
    return this.db.prepare('SELECT name, branch_id FROM workstations').all() as { name: string; branch_id: number }[];
  }

  /** The next pending transactions of a session, in processing order. */
  pending(sessionId: number, limit: number): PendingRow[] {
    return this.q.pending.all(sessionId, limit);
  }

  item(barcode: string): LoadedItem | null {
    const row = this.q.item.get(barcode);
    return row ? loadedItem(row) : null;
  }

  /** Many items at once (those that exist), in the index's order when the barcodes are given sorted. */
  items(barcodes: string[]): LoadedItem[] {
    return this.q.items.all(JSON.stringify(barcodes)).map(loadedItem);
  }

  card(barcode: string): LoadedCard | null {
    const row = this.q.card.get(barcode);
    return row ? loadedCard(row) : null;
  }

  cards(barcodes: string[]): LoadedCard[] {
    return this.q.cards.all(JSON.stringify(barcodes)).map(loadedCard);
  }

  patron(id: number): PatronRow | null {
    const row = this.q.patron.get(id);
    return row ? pick<PatronRow>(row, PATRON_COLUMNS) : null;
  }

  patrons(ids: number[]): PatronRow[] {
    return this.q.patrons.all(JSON.stringify(ids)).map((row) => pick<PatronRow>(row, PATRON_COLUMNS));
  }

  hints(): RunHints {
    return { heldItems: new Set(this.q.heldItems.all()), heldTitles: new Set(this.q.heldTitles.all()), transitItems: new Set(this.q.transitItems.all()),
      owingPatrons: new Set(this.q.owingPatrons.all()) };
  }

  /** The counter every change to what desks carry offline moves (migration 3): a run compares it to know whether someone else changed the library. */
  libraryVersion(): number {
    return this.q.libraryVersion.get()!;
  }

  /** Holds this item may fill or was set aside for, as stored: those on the copy, and those waiting on its title. */
  holds(item: Pick<ItemRow, 'id' | 'record_id' | 'title'>): HoldRow[] {
    return this.q.holds.all({ item: item.id, record: item.record_id, title: item.title });
  }

  openTransits(itemId: number): TransitRow[] {
    return this.q.openTransits.all(itemId);
  }

  activeCard(patronId: number): string | undefined {
    return this.q.activeCard.get(patronId) ?? undefined;
  }

  txnSource(num: number) {
    return this.q.txnSource.get(num);
  }

  /** The highest id of each table whose new rows processing numbers itself (their rows refer to each other before they are written). */
  maxIds() {
    return this.q.maxIds.get()!;
  }

  writeItem(r: ItemRow): void {
    this.q.writeItem.run(r.status, r.current_branch_id, r.status_changed_at, r.status_changed_by_session, r.status_changed_by_txn, r.status_changed_via, r.id);
  }

  insertLoan(r: LoanRow): void {
    this.q.insertLoan.run(...LOAN_COLUMNS.map((c) => r[c]));
  }

  renewLoan(r: Pick<LoanRow, 'id' | 'due_at' | 'renewals' | 'last_renew_txn'>): void {
    this.q.renewLoan.run(r.due_at, r.renewals, r.last_renew_txn, r.id);
  }

  closeLoan(r: Pick<LoanRow, 'id' | 'checkin_at' | 'checkin_branch_id' | 'checkin_workstation' | 'checkin_staff' | 'checkin_txn'>): void {
    this.q.closeLoan.run(r.checkin_at, r.checkin_branch_id, r.checkin_workstation, r.checkin_staff, r.checkin_txn, r.id);
  }

  insertPatron(r: NewPatronRow): void {
    this.q.insertPatron.run(...NEW_PATRON_COLUMNS.map((c) => r[c]));
  }

  insertCard(r: CardRow): void {
    this.q.insertCard.run(r.barcode, r.patron_id, r.active);
  }

  writeHold(r: HoldRow): void {
    this.q.writeHold.run(r.status, r.item_id, r.id);
  }

  insertTransit(r: TransitRow): void {
    this.q.insertTransit.run(r.id, r.item_id, r.from_branch_id, r.to_branch_id, r.reason, r.created_at, r.received_at, r.txn_id);
  }

  writeTransit(r: TransitRow): void {
    this.q.writeTransit.run(r.received_at, r.id);
  }

  insertBill(r: BillRow): void {
    this.q.insertBill.run(r.id, r.patron_id, r.loan_id, r.amount_cents, r.paid_cents, r.reason, r.created_at, r.txn_id);
  }

  payBill(r: Pick<BillRow, 'id' | 'paid_cents'>): void {
    this.q.payBill.run(r.paid_cents, r.id);
  }

  insertPayment(r: PaymentRow): void {
    this.q.insertPayment.run(r.patron_id, r.amount_cents, r.credit_cents, r.note, r.branch_id, r.paid_at, r.txn_id);
  }

  openLoanCount(patronId: number): number {
    return this.q.openLoanCount.get(patronId)!;
  }

  balance(patronId: number): number {
    return this.q.balance.get({ patron: patronId })!;
  }

  openBills(patronId: number): BillRow[] {
    return this.q.openBills.all(patronId);
  }

  insertUse(r: UseRow): void {
    this.q.insertUse.run(r.item_id, r.branch_id, r.count, r.occurred_at, r.txn_id);
  }

  insertNoncat(r: NoncatRow): void {
    this.q.insertNoncat.run(r.patron_id, r.noncat_type, r.count, r.branch_id, r.occurred_at, r.txn_id);
  }

  /** Stores a result; throws if the transaction was no longer pending (someone else applied it). */
  writeResult(r: ResultRow): void {
    if (this.q.writeOutcome.run(r.outcome, r.num).changes !== 1) {
      throw new NotPendingError(`transaction #${r.num} was no longer pending`);
    }
    // Sentences are stored as keys and data (shared/result-details.ts): each reader words them in its language.
    this.q.insertResult.run(r.num, r.code, r.detail ? JSON.stringify(r.detail) : null, r.processed_at, r.due_at);
    r.notices.forEach((n, i) => this.q.insertNotice.run(r.num, i, n.code, JSON.stringify([n.detail]), n.branchId ?? null, n.itemId ?? null, n.patronId ?? null, n.toBranchId ?? null));
  }
}
