/**
 * The circulation rules: how one offline transaction changes the database
 * and what result it gets. Pure decisions over prepared statements; the
 * processor wraps each call in a database transaction with its result row.
 */
import type { Db } from '../db/open.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import { RESULT_CODES, type Outcome, type ResultCode } from '../../shared/result-codes.js';
import { dueAfter, normalizeDue, pickPolicy, type LoanPolicy } from '../../shared/loan-policy.js';

export interface Result { outcome: Outcome; code: ResultCode; detail: string | null }

interface ItemRow { id: number; barcode: string; item_type: string; owning_branch_id: number; status: string }
interface PatronRow { id: number; profile: string; expires_on: string; barred: number; inactive: number; card_active: number }
interface LoanRow { id: number; patron_id: number; profile: string; due_at: string; renewals: number; card: string | null }

export interface SessionContext { branchId: number; overridePolicy: boolean; processedAt: string }

const FALLBACK_POLICY: LoanPolicy = { item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 0, max_fine_cents: 0 };

function result(code: ResultCode, detail: string | null = null): Result {
  return { outcome: RESULT_CODES[code].outcome, code, detail };
}

export class Circulation {
  private readonly itemByBarcode;
  private readonly patronByCard;
  private readonly currentCard;
  private readonly openLoan;
  private readonly closeLoan;
  private readonly insertLoan;
  private readonly renewLoan;
  private readonly setItemStatus;
  private readonly insertUse;
  private readonly insertNoncat;
  private readonly workstationBranch;
  private readonly branchByCode;
  private readonly cardExists;
  private readonly insertPatron;
  private readonly insertCard;
  private readonly policies: LoanPolicy[];
  private readonly wsBranchCache = new Map<string, number | null>();

  constructor(db: Db) {
    this.itemByBarcode = db.prepare('SELECT id, barcode, item_type, owning_branch_id, status FROM items WHERE barcode = ?');
    this.patronByCard = db.prepare(`SELECT p.id, p.profile, p.expires_on, p.barred, p.inactive, c.active AS card_active
      FROM patron_cards c JOIN patrons p ON p.id = c.patron_id WHERE c.barcode = ?`);
    this.currentCard = db.prepare('SELECT barcode FROM patron_cards WHERE patron_id = ? AND active = 1 LIMIT 1').pluck();
    this.openLoan = db.prepare(`SELECT l.id, l.patron_id, p.profile, l.due_at, l.renewals,
      (SELECT barcode FROM patron_cards WHERE patron_id = l.patron_id AND active = 1 LIMIT 1) AS card
      FROM loans l JOIN patrons p ON p.id = l.patron_id WHERE l.item_id = ? AND l.checkin_at IS NULL`);
    this.closeLoan = db.prepare(`UPDATE loans SET checkin_at = ?, checkin_branch_id = ?, checkin_workstation = ?, checkin_staff = ?, checkin_txn = ?
      WHERE id = ?`);
    this.insertLoan = db.prepare(`INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, checkout_workstation, checkout_staff, due_at, checkout_txn)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.renewLoan = db.prepare('UPDATE loans SET due_at = ?, renewals = renewals + 1, last_renew_txn = ? WHERE id = ?');
    this.setItemStatus = db.prepare('UPDATE items SET status = ?, current_branch_id = ?, status_changed_at = ? WHERE id = ?');
    this.insertUse = db.prepare('INSERT INTO in_house_uses (item_id, branch_id, count, occurred_at, txn_id) VALUES (?, ?, ?, ?, ?)');
    this.insertNoncat = db.prepare('INSERT INTO noncat_circulations (patron_id, noncat_type, count, branch_id, occurred_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)');
    this.workstationBranch = db.prepare('SELECT branch_id FROM workstations WHERE name = ?').pluck();
    this.branchByCode = db.prepare('SELECT id FROM branches WHERE code = ?').pluck();
    this.cardExists = db.prepare('SELECT 1 FROM patron_cards WHERE barcode = ?').pluck();
    this.insertPatron = db.prepare(`INSERT INTO patrons (first_name, last_name, profile, home_branch_id, expires_on, email, phone, created_at, created_by_txn)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertCard = db.prepare('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, 1)');
    this.policies = db.prepare('SELECT item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents FROM loan_policies')
      .all() as LoanPolicy[];
  }

  apply(tx: OfflineTransaction, ctx: SessionContext): Result {
    switch (tx.type) {
      case 'checkout': return this.checkout(tx, ctx);
      case 'renew': return this.renew(tx, ctx);
      case 'checkin': return this.checkin(tx, ctx);
      case 'in_house_use': return this.inHouseUse(tx, ctx);
      case 'register': return this.register(tx, ctx);
    }
  }

  /** Where the transaction happened: its workstation's branch, else the session's. */
  private branchOf(tx: OfflineTransaction, ctx: SessionContext): number {
    let id = this.wsBranchCache.get(tx.workstation);
    if (id === undefined) {
      id = (this.workstationBranch.get(tx.workstation) as number | undefined) ?? null;
      this.wsBranchCache.set(tx.workstation, id);
    }
    return id ?? ctx.branchId;
  }

  private policy(itemType: string | null, profile: string | null): LoanPolicy {
    return pickPolicy(this.policies, itemType, profile) ?? FALLBACK_POLICY;
  }

  /** Finds the patron by card, or the exception that explains why not. */
  private patron(barcode: string): PatronRow | Result {
    const patron = this.patronByCard.get(barcode) as PatronRow | undefined;
    if (!patron) return result('ACTOR_USER_NOT_FOUND', `No patron has card ${barcode}.`);
    if (!patron.card_active) {
      const current = this.currentCard.get(patron.id) as string | undefined;
      return result('PATRON_CARD_INACTIVE', current ? `Card ${barcode} is inactive; the patron's current card is ${current}.`
        : `Card ${barcode} is inactive and the patron has no active card.`);
    }
    return patron;
  }

  /** Blocks the desk overrode: notices with the override policy on, exceptions with it off. */
  private patronBlocks(patron: PatronRow, at: string, ctx: SessionContext): Result | null {
    const blocks: [ResultCode, string][] = [];
    if (patron.barred) blocks.push(['PATRON_BARRED', 'The patron is barred.']);
    if (patron.inactive) blocks.push(['PATRON_INACTIVE', 'The patron account is inactive.']);
    if (patron.expires_on < at.slice(0, 10)) blocks.push(['PATRON_ACCOUNT_EXPIRED', `The account expired on ${patron.expires_on}.`]);
    if (!blocks.length) return null;
    const [code, detail] = blocks[0];
    const all = blocks.map((b) => b[1]).join(' ');
    return ctx.overridePolicy ? result(code, `${all} Lent with the override policy on.`)
      : { outcome: 'exception', code, detail: `${all} Not lent: the session's override policy is off.` };
  }

  private checkout(tx: OfflineTransaction, ctx: SessionContext): Result {
    const patron = this.patron(tx.patron_barcode!);
    if ('code' in patron) return patron;
    const branchId = this.branchOf(tx, ctx);
    if (tx.noncat_type !== undefined) {
      const block = this.patronBlocks(patron, tx.occurred_at, ctx);
      if (block?.outcome === 'exception') return block;
      this.insertNoncat.run(patron.id, tx.noncat_type, tx.count ?? 1, branchId, tx.occurred_at, tx.id);
      return block ?? result('SUCCESS');
    }
    const item = this.itemByBarcode.get(tx.item_barcode!) as ItemRow | undefined;
    if (!item) return result('ASSET_COPY_NOT_FOUND', `No item has barcode ${tx.item_barcode}.`);
    const block = this.patronBlocks(patron, tx.occurred_at, ctx);
    if (block?.outcome === 'exception') return block;

    let notice: Result | null = block;
    const open = this.openLoan.get(item.id) as LoanRow | undefined;
    if (open) {
      this.closeLoan.run(tx.occurred_at, branchId, tx.workstation, tx.staff, tx.id, open.id);
      if (open.patron_id !== patron.id) {
        notice ??= result('OPEN_CIRCULATION_EXISTS',
          `Item ${item.barcode} was on loan to patron ${open.card ?? `#${open.patron_id}`}; that loan was closed at ${tx.occurred_at}.`);
      }
    }
    const due = tx.due_at ? normalizeDue(tx.due_at) : dueAfter(new Date(tx.occurred_at), this.policy(item.item_type, patron.profile).loan_days);
    this.insertLoan.run(item.id, patron.id, tx.occurred_at, branchId, tx.workstation, tx.staff, due, tx.id);
    this.setItemStatus.run('checked_out', branchId, ctx.processedAt, item.id);
    return notice ?? result('SUCCESS', `Due ${due.slice(0, 10)}.`);
  }

  private renew(tx: OfflineTransaction, ctx: SessionContext): Result {
    const item = this.itemByBarcode.get(tx.item_barcode!) as ItemRow | undefined;
    if (!item) return result('ASSET_COPY_NOT_FOUND', `No item has barcode ${tx.item_barcode}.`);
    let patron: PatronRow | undefined;
    if (tx.patron_barcode) {
      const found = this.patron(tx.patron_barcode);
      if ('code' in found) return found;
      patron = found;
    }
    const loan = this.openLoan.get(item.id) as LoanRow | undefined;
    if (!loan) return result('ACTION_CIRCULATION_NOT_FOUND', `Item ${item.barcode} was not on loan when it was renewed.`);
    if (patron && patron.id !== loan.patron_id) {
      return result('ACTION_CIRCULATION_NOT_FOUND', `Item ${item.barcode} is on loan to another patron (${loan.card ?? `#${loan.patron_id}`}), not to ${tx.patron_barcode}.`);
    }
    // The borrower's policy, whether or not the desk scanned their card for the renewal.
    const policy = this.policy(item.item_type, loan.profile);
    let notice: Result | null = null;
    if (loan.renewals >= policy.max_renewals) {
      const detail = `Renewal ${loan.renewals + 1} of at most ${policy.max_renewals}.`;
      if (!ctx.overridePolicy) return { outcome: 'exception', code: 'MAX_RENEWALS_REACHED', detail: `${detail} Not renewed: the session's override policy is off.` };
      notice = result('MAX_RENEWALS_REACHED', `${detail} Renewed with the override policy on.`);
    }
    const from = new Date(Math.max(Date.parse(loan.due_at), Date.parse(tx.occurred_at)));
    const due = tx.due_at ? normalizeDue(tx.due_at) : dueAfter(from, policy.loan_days);
    this.renewLoan.run(due, tx.id, loan.id);
    return notice ?? result('SUCCESS', `Due ${due.slice(0, 10)}.`);
  }

  private checkin(tx: OfflineTransaction, ctx: SessionContext): Result {
    const item = this.itemByBarcode.get(tx.item_barcode!) as ItemRow | undefined;
    if (!item) return result('ASSET_COPY_NOT_FOUND', `No item has barcode ${tx.item_barcode}.`);
    const branchId = this.branchOf(tx, ctx);
    const effective = tx.backdate ? (tx.backdate.length === 10 ? `${tx.backdate}T00:00:00.000Z` : tx.backdate) : tx.occurred_at;
    const loan = this.openLoan.get(item.id) as LoanRow | undefined;
    let notice: Result | null = null;
    if (item.status === 'lost') notice = result('COPY_STATUS_LOST', `Item ${item.barcode} was marked lost and is back.`);
    else if (item.status === 'missing') notice = result('COPY_STATUS_MISSING', `Item ${item.barcode} was marked missing and is back.`);
    else if (item.status === 'claims_returned') notice = result('CIRC_CLAIMS_RETURNED', `Item ${item.barcode} was claimed returned and is back.`);
    if (loan) {
      this.closeLoan.run(effective, branchId, tx.workstation, tx.staff, tx.id, loan.id);
    } else {
      notice ??= result('ITEM_NOT_CHECKED_OUT', `Item ${item.barcode} was not on loan (status: ${item.status}).`);
    }
    this.setItemStatus.run('available', branchId, ctx.processedAt, item.id);
    return notice ?? result('SUCCESS');
  }

  private inHouseUse(tx: OfflineTransaction, ctx: SessionContext): Result {
    const item = this.itemByBarcode.get(tx.item_barcode!) as ItemRow | undefined;
    if (!item) return result('ASSET_COPY_NOT_FOUND', `No item has barcode ${tx.item_barcode}.`);
    this.insertUse.run(item.id, this.branchOf(tx, ctx), tx.count ?? 1, tx.occurred_at, tx.id);
    return result('SUCCESS', `${tx.count ?? 1} use(s) recorded.`);
  }

  private register(tx: OfflineTransaction, ctx: SessionContext): Result {
    const p = tx.patron!;
    if (this.cardExists.get(p.barcode)) return result('PATRON_BARCODE_EXISTS', `Card ${p.barcode} already belongs to a patron.`);
    const home = p.home_branch ? (this.branchByCode.get(p.home_branch) as number | undefined) : undefined;
    const at = new Date(tx.occurred_at);
    const expires = new Date(Date.UTC(at.getUTCFullYear() + 3, at.getUTCMonth(), at.getUTCDate())).toISOString().slice(0, 10);
    const patronId = Number(this.insertPatron.run(p.first_name, p.last_name, p.profile ?? 'adult', home ?? this.branchOf(tx, ctx),
      expires, p.email ?? null, p.phone ?? null, ctx.processedAt, tx.id).lastInsertRowid);
    this.insertCard.run(p.barcode, patronId);
    return result('SUCCESS', `Patron registered with card ${p.barcode}.`);
  }
}
