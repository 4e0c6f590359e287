/**
 * The circulation rules: how one offline transaction changes the database
 * and what result it gets. Each rule first gathers what it needs, decides
 * whether a block stops it (an exception) or is overridden (a notice), and
 * only then writes. The processor wraps each call in one SQLite
 * transaction together with the result row.
 */
import type { Db } from '../db/open.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import { RESULT_CODES, type Outcome, type ResultCode } from '../../shared/result-codes.js';
import { dueAfter, normalizeDue, pickPolicy, type LoanPolicy } from '../../shared/loan-policy.js';
import { overdueFineCents } from './fines.js';

/** One thing staff must know or do; a transaction can have several. */
export interface Notice {
  code: ResultCode;
  detail: string;
  branchId?: number | null;
  itemId?: number | null;
  patronId?: number | null;
  toBranchId?: number | null;
}

export interface Result { outcome: Outcome; code: ResultCode; detail: string | null; notices: Notice[] }

export interface SessionContext {
  sessionId: number;
  branchId: number;
  overridePolicy: boolean;
  /** The transaction's skew-corrected time: when it happened, by the server's clock. */
  at: string;
}

interface ItemRow {
  id: number; barcode: string; title: string; item_type: string; owning_branch_id: number; current_branch_id: number;
  status: string; status_changed_at: string; status_changed_by_session: number | null; status_changed_by_txn: string | null;
  status_changed_via: 'online' | 'offline' | 'import';
  /** The open loan, when there is one (loan_id is null otherwise). */
  loan_id: number | null; loan_patron_id: number; loan_profile: string; loan_checkout_at: string; loan_due_at: string; loan_renewals: number;
  /** 1 when some hold may want this item (one on this copy, or a waiting one on its title). */
  any_holds: number;
  /** 1 when the item has a transit not yet received. */
  open_transit: number;
}
interface PatronRow {
  id: number; first_name: string; last_name: string; profile: string; expires_on: string; barred: number; inactive: number; card_active: number;
}
interface LoanRow { id: number; patron_id: number; profile: string; checkout_at: string; due_at: string; renewals: number }
interface HoldRow {
  id: number; patron_id: number; pickup_branch_id: number; status: string; item_id: number | null; title: string | null; card: string | null; name: string;
}

const FALLBACK_POLICY: LoanPolicy = { item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 0, max_fine_cents: 0 };

/** Codes that the session's override policy turns from notices into exceptions. */
const OVERRIDABLE = new Set<ResultCode>(['PATRON_BARRED', 'PATRON_ACCOUNT_EXPIRED', 'PATRON_INACTIVE', 'MAX_RENEWALS_REACHED',
  'HOLD_FOR_OTHER_PATRON', 'COPY_STATUS_LOST', 'COPY_STATUS_MISSING', 'CIRC_CLAIMS_RETURNED', 'COPY_CIRC_NOT_ALLOWED', 'COPY_NOT_AVAILABLE',
  'ITEM_ON_HOLDS_SHELF']);

/** Which notice names the result when there are several: what staff must physically do comes first. */
const PRIORITY: ResultCode[] = ['HOLD_CAPTURED', 'ROUTE_ITEM', 'ITEM_ON_HOLDS_SHELF', 'HOLD_FOR_OTHER_PATRON', 'OPEN_CIRCULATION_EXISTS',
  'COPY_NOT_AVAILABLE', 'COPY_CIRC_NOT_ALLOWED', 'COPY_STATUS_LOST', 'COPY_STATUS_MISSING', 'CIRC_CLAIMS_RETURNED', 'PATRON_BARRED',
  'PATRON_INACTIVE', 'PATRON_ACCOUNT_EXPIRED', 'MAX_RENEWALS_REACHED', 'RENEWED_AT_CHECKOUT', 'OVERDUE_FINE', 'ITEM_NOT_CHECKED_OUT'];

function exception(code: ResultCode, detail: string): Result {
  return { outcome: RESULT_CODES[code].outcome === 'skipped' ? 'skipped' : 'exception', code, detail, notices: [] };
}

function finish(notices: Notice[], successDetail: string | null): Result {
  if (!notices.length) return { outcome: 'applied', code: 'SUCCESS', detail: successDetail, notices };
  const sorted = [...notices].sort((a, b) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code));
  const detail = [sorted.map((n) => n.detail).join(' '), successDetail].filter(Boolean).join(' ');
  return { outcome: 'applied_with_notice', code: sorted[0].code, detail, notices: sorted };
}

const statusNotice: Record<string, ResultCode> = { lost: 'COPY_STATUS_LOST', missing: 'COPY_STATUS_MISSING', claims_returned: 'CIRC_CLAIMS_RETURNED' };

const TYPE_WORDS: Record<OfflineTransaction['type'], string> = {
  checkout: 'checkout', renew: 'renewal', checkin: 'checkin', in_house_use: 'in-house use', register: 'registration',
};

const words = (status: string): string => status.replaceAll('_', ' ');

export class Circulation {
  private readonly q;
  private policies: LoanPolicy[] = [];
  private branchCodes = new Map<number, string>();
  private readonly wsBranchCache = new Map<string, number | null>();
  private readonly loadPolicies;
  private readonly loadBranches;

  constructor(db: Db) {
    const p = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      // One statement gathers what every item rule needs: the item, its open loan, and whether any hold or
      // transit concerns it. Most scans touch neither holds nor transits, so their queries run only when flagged.
      item: p<ItemRow>(`SELECT i.id, i.barcode, i.title, i.item_type, i.owning_branch_id, i.current_branch_id, i.status,
          i.status_changed_at, i.status_changed_by_session, i.status_changed_by_txn, i.status_changed_via,
          l.id AS loan_id, l.patron_id AS loan_patron_id, lp.profile AS loan_profile, l.checkout_at AS loan_checkout_at,
          l.due_at AS loan_due_at, l.renewals AS loan_renewals,
          EXISTS (SELECT 1 FROM holds h WHERE h.item_id = i.id AND h.status IN ('pending', 'captured', 'on_shelf'))
            OR EXISTS (SELECT 1 FROM holds h WHERE h.item_id IS NULL AND h.title = i.title AND h.status = 'pending') AS any_holds,
          EXISTS (SELECT 1 FROM transits t WHERE t.item_id = i.id AND t.received_at IS NULL) AS open_transit
        FROM items i LEFT JOIN loans l ON l.item_id = i.id AND l.checkin_at IS NULL LEFT JOIN patrons lp ON lp.id = l.patron_id
        WHERE i.barcode = ?`),
      patronByCard: p<PatronRow>(`SELECT p.id, p.first_name, p.last_name, p.profile, p.expires_on, p.barred, p.inactive, c.active AS card_active
        FROM patron_cards c JOIN patrons p ON p.id = c.patron_id WHERE c.barcode = ?`),
      patronById: p<PatronRow>(`SELECT p.id, p.first_name, p.last_name, p.profile, p.expires_on, p.barred, p.inactive, 1 AS card_active
        FROM patrons p WHERE p.id = ?`),
      currentCard: p<string>('SELECT barcode FROM patron_cards WHERE patron_id = ? AND active = 1 LIMIT 1').pluck(),
      closeLoan: p(`UPDATE loans SET checkin_at = ?, checkin_branch_id = ?, checkin_workstation = ?, checkin_staff = ?, checkin_txn = ? WHERE id = ?`),
      insertLoan: p(`INSERT INTO loans (item_id, patron_id, checkout_at, checkout_branch_id, checkout_workstation, checkout_staff, due_at, checkout_txn)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      renewLoan: p('UPDATE loans SET due_at = ?, renewals = renewals + 1, last_renew_txn = ? WHERE id = ?'),
      setItem: p(`UPDATE items SET status = ?, current_branch_id = ?, status_changed_at = ?, status_changed_by_session = ?,
        status_changed_by_txn = ?, status_changed_via = 'offline' WHERE id = ?`),
      changeMadeBy: p<{ type: OfflineTransaction['type']; workstation: string; session_id: number }>(
        'SELECT type, workstation, session_id FROM offline_transactions WHERE id = ?'),
      openTransit: p<{ from_branch_id: number; to_branch_id: number; reason: string }>(
        'SELECT from_branch_id, to_branch_id, reason FROM transits WHERE item_id = ? AND received_at IS NULL ORDER BY id DESC LIMIT 1'),
      insertUse: p('INSERT INTO in_house_uses (item_id, branch_id, count, occurred_at, txn_id) VALUES (?, ?, ?, ?, ?)'),
      insertNoncat: p('INSERT INTO noncat_circulations (patron_id, noncat_type, count, branch_id, occurred_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)'),
      workstationBranch: p<number>('SELECT branch_id FROM workstations WHERE name = ?').pluck(),
      branchByCode: p<number>('SELECT id FROM branches WHERE code = ?').pluck(),
      cardExists: p<number>('SELECT 1 FROM patron_cards WHERE barcode = ?').pluck(),
      insertPatron: p(`INSERT INTO patrons (first_name, last_name, profile, home_branch_id, expires_on, email, phone, created_at, created_by_txn)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertCard: p('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, 1)'),
      // The hold this item should fill: one placed on this very item, else the oldest on its title.
      waitingHold: p<HoldRow>(`SELECT h.id, h.patron_id, h.pickup_branch_id, h.status, h.item_id, h.title,
          (SELECT barcode FROM patron_cards WHERE patron_id = h.patron_id AND active = 1 LIMIT 1) AS card,
          pa.first_name || ' ' || pa.last_name AS name
        FROM holds h JOIN patrons pa ON pa.id = h.patron_id
        WHERE h.status = 'pending' AND (h.item_id = ? OR (h.item_id IS NULL AND h.title = ?))
        ORDER BY h.item_id IS NULL, h.created_at, h.id LIMIT 1`),
      // Holds this item was already set aside for.
      capturedHolds: p<HoldRow>(`SELECT h.id, h.patron_id, h.pickup_branch_id, h.status, h.item_id, h.title,
          (SELECT barcode FROM patron_cards WHERE patron_id = h.patron_id AND active = 1 LIMIT 1) AS card,
          pa.first_name || ' ' || pa.last_name AS name
        FROM holds h JOIN patrons pa ON pa.id = h.patron_id WHERE h.item_id = ? AND h.status IN ('captured', 'on_shelf')`),
      setHold: p('UPDATE holds SET status = ?, item_id = ? WHERE id = ?'),
      receiveTransits: p('UPDATE transits SET received_at = ? WHERE item_id = ? AND received_at IS NULL'),
      insertTransit: p('INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, created_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)'),
      insertBill: p('INSERT INTO bills (patron_id, loan_id, amount_cents, reason, created_at, txn_id) VALUES (?, ?, ?, ?, ?, ?)'),
    };
    this.loadPolicies = p<LoanPolicy>('SELECT item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents FROM loan_policies');
    this.loadBranches = p<{ id: number; code: string }>('SELECT id, code FROM branches');
    this.reload();
  }

  /**
   * Re-reads what the rules keep in memory for speed — loan policies, branch
   * codes, workstations' branches — so a run sees policies, branches and
   * workstations added or changed since the server started.
   */
  reload(): void {
    this.policies = this.loadPolicies.all();
    this.branchCodes = new Map(this.loadBranches.all().map((b) => [b.id, b.code]));
    this.wsBranchCache.clear();
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

  private code(branchId: number | null | undefined): string {
    return branchId == null ? '?' : this.branchCodes.get(branchId) ?? `#${branchId}`;
  }

  /** Where the transaction happened: its workstation's branch, else the session's. */
  private branchOf(tx: OfflineTransaction, ctx: SessionContext): number {
    let id = this.wsBranchCache.get(tx.workstation);
    if (id === undefined) {
      id = this.q.workstationBranch.get(tx.workstation) ?? null;
      this.wsBranchCache.set(tx.workstation, id);
    }
    return id ?? ctx.branchId;
  }

  private policy(itemType: string | null, profile: string | null): LoanPolicy {
    return pickPolicy(this.policies, itemType, profile) ?? FALLBACK_POLICY;
  }

  /**
   * The item, or why this transaction cannot use it: unknown, or changed after the scan. One rule of
   * time for every path: an item whose last change took effect after this transaction's own time was
   * changed under it, whatever made the change — an import, another session, an earlier run of this
   * session or a retry. (Within one run the processing order never lets that happen.)
   */
  private item(tx: OfflineTransaction, ctx: SessionContext): ItemRow | Result {
    const item = this.q.item.get(tx.item_barcode!);
    if (!item) return exception('ASSET_COPY_NOT_FOUND', `No item has barcode ${tx.item_barcode}.`);
    if (item.status_changed_at > ctx.at) {
      return exception('SKIP_ASSET_CHANGED',
        `Item ${item.barcode} became ${words(item.status)} ${this.changeSource(item, ctx)} at ${item.status_changed_at}, after this scan at ${ctx.at}.`);
    }
    return item;
  }

  /** What made the item's last change, in words: the transaction and its session, an import, or an online change. */
  private changeSource(item: ItemRow, ctx: SessionContext): string {
    if (item.status_changed_via === 'import') return 'through a library data import';
    if (item.status_changed_via === 'online') return 'online';
    const made = item.status_changed_by_txn ? this.q.changeMadeBy.get(item.status_changed_by_txn) : undefined;
    if (!made) return `by offline session ${item.status_changed_by_session ?? '?'}`;
    const what = `by a ${TYPE_WORDS[made.type]} from ${made.workstation}`;
    return made.session_id === ctx.sessionId ? `${what} already applied in this session (an earlier run or a retry)`
      : `${what} in offline session ${made.session_id}`;
  }

  /** The item's open loan, from the columns the item query joined in. */
  private loanOf(item: ItemRow): LoanRow | undefined {
    if (item.loan_id === null) return undefined;
    return { id: item.loan_id, patron_id: item.loan_patron_id, profile: item.loan_profile, checkout_at: item.loan_checkout_at,
      due_at: item.loan_due_at, renewals: item.loan_renewals };
  }

  /** How staff know a patron: their active card, else the record number. Read only for a message that names them. */
  private cardOf(patronId: number, prefix = 'patron '): string {
    return this.q.currentCard.get(patronId) ?? `${prefix}#${patronId}`;
  }

  private setItem(item: ItemRow, status: string, branchId: number, ctx: SessionContext, tx: OfflineTransaction): void {
    this.q.setItem.run(status, branchId, ctx.at, ctx.sessionId, tx.id, item.id);
  }

  /** Finds the patron by card, or the exception that explains why not. */
  private patron(barcode: string): PatronRow | Result {
    const patron = this.q.patronByCard.get(barcode);
    if (!patron) return exception('ACTOR_USER_NOT_FOUND', `No patron has card ${barcode}.`);
    if (!patron.card_active) {
      const current = this.q.currentCard.get(patron.id);
      return exception('PATRON_CARD_INACTIVE', current ? `Card ${barcode} is inactive; the patron's current card is ${current}.`
        : `Card ${barcode} is inactive and the patron has no active card.`);
    }
    return patron;
  }

  private patronBlocks(patron: PatronRow, card: string | (() => string), at: string, branchId: number): Notice[] {
    const expired = patron.expires_on < at.slice(0, 10);
    if (!patron.barred && !patron.inactive && !expired) return [];
    const who = `${patron.first_name} ${patron.last_name} (${typeof card === 'function' ? card() : card})`;
    const base = { branchId, patronId: patron.id };
    const blocks: Notice[] = [];
    if (patron.barred) blocks.push({ ...base, code: 'PATRON_BARRED', detail: `${who} is barred.` });
    if (patron.inactive) blocks.push({ ...base, code: 'PATRON_INACTIVE', detail: `${who}'s account is inactive.` });
    if (expired) blocks.push({ ...base, code: 'PATRON_ACCOUNT_EXPIRED', detail: `${who}'s account expired on ${patron.expires_on}.` });
    return blocks;
  }

  /** With the override policy off, the first overridable notice stops the transaction before it writes anything. */
  private blocked(notices: Notice[], ctx: SessionContext): Result | null {
    if (ctx.overridePolicy) return null;
    const stop = notices.find((n) => OVERRIDABLE.has(n.code));
    if (!stop) return null;
    const all = notices.filter((n) => OVERRIDABLE.has(n.code)).map((n) => n.detail).join(' ');
    return exception(stop.code, `${all} Not applied: the session's override policy is off.`);
  }

  /**
   * Holds this loan affects: a hold for this patron is fulfilled; a copy set aside for someone else goes
   * back to them waiting (first in line still, by the time they placed it), named by ITEM_ON_HOLDS_SHELF when
   * it waited on the shelf, else HOLD_FOR_OTHER_PATRON; a hold waiting on the copy or its title keeps waiting.
   */
  private holdsAgainstLoan(item: ItemRow, patronId: number, branchId: number): { notices: Notice[]; fulfil: HoldRow[]; release: HoldRow[] } {
    const notices: Notice[] = [];
    const fulfil: HoldRow[] = [];
    const release: HoldRow[] = [];
    if (!item.any_holds) return { notices, fulfil, release };
    for (const hold of this.q.capturedHolds.all(item.id)) {
      if (hold.patron_id === patronId) fulfil.push(hold);
      else {
        release.push(hold);
        const who = `${hold.name} (${hold.card ?? `#${hold.patron_id}`})`;
        notices.push(hold.status === 'on_shelf'
          ? { code: 'ITEM_ON_HOLDS_SHELF', branchId, itemId: item.id, patronId: hold.patron_id,
            detail: `Item ${item.barcode} waited on the hold shelf for ${who}; their hold stays, first in line for the next copy.` }
          : { code: 'HOLD_FOR_OTHER_PATRON', branchId, itemId: item.id, patronId: hold.patron_id,
            detail: `Item ${item.barcode} was set aside for ${who}; their hold waits for the next copy.` });
      }
    }
    // A copy set aside for this patron is theirs: the queue behind it waits for the next copy, with no notice.
    const waiting = fulfil.length ? undefined : this.q.waitingHold.get(item.id, item.title);
    if (waiting) {
      if (waiting.patron_id === patronId) fulfil.push(waiting);
      else if (!notices.length) {
        notices.push({ code: 'HOLD_FOR_OTHER_PATRON', branchId, itemId: item.id, patronId: waiting.patron_id,
          detail: `${waiting.name} (${waiting.card ?? `#${waiting.patron_id}`}) has a hold waiting on “${item.title}”; it waits for the next copy.` });
      }
    }
    return { notices, fulfil, release };
  }

  /**
   * What the item's status says against lending it (Evergreen's events): it does not circulate, it is damaged
   * or in transit, or it sits on the hold shelf. A copy on the shelf for a hold is judged with the holds
   * (holdsAgainstLoan); one on the shelf that no hold claims still says so.
   */
  private availability(item: ItemRow, branchId: number, holdNotices: Notice[]): Notice[] {
    const base = { branchId, itemId: item.id };
    switch (item.status) {
      case 'non_circulating':
        return [{ ...base, code: 'COPY_CIRC_NOT_ALLOWED', detail: `Item ${item.barcode} does not circulate (library use only).` }];
      case 'damaged':
        return [{ ...base, code: 'COPY_NOT_AVAILABLE', detail: `Item ${item.barcode} was marked damaged.` }];
      case 'in_transit': {
        const transit = item.open_transit ? this.q.openTransit.get(item.id) : undefined;
        return [{ ...base, code: 'COPY_NOT_AVAILABLE', toBranchId: transit?.to_branch_id ?? null, detail: transit
          ? `Item ${item.barcode} was in transit from ${this.code(transit.from_branch_id)} to ${this.code(transit.to_branch_id)}; the transit was closed.`
          : `Item ${item.barcode} was in transit.` }];
      }
      case 'on_hold_shelf':
        if (holdNotices.some((n) => n.code === 'ITEM_ON_HOLDS_SHELF')) return [];
        // Set aside for this very patron, the copy is theirs; otherwise no hold claims it any more.
        if (this.q.capturedHolds.all(item.id).length) return [];
        return [{ ...base, code: 'ITEM_ON_HOLDS_SHELF', detail: `Item ${item.barcode} was on the hold shelf, though no hold waits for it; check the shelf.` }];
      default:
        return [];
    }
  }

  private checkout(tx: OfflineTransaction, ctx: SessionContext): Result {
    const patron = this.patron(tx.patron_barcode!);
    if ('code' in patron) return patron;
    const branchId = this.branchOf(tx, ctx);
    const blocks = this.patronBlocks(patron, tx.patron_barcode!, ctx.at, branchId);
    if (tx.noncat_type !== undefined) {
      const stop = this.blocked(blocks, ctx);
      if (stop) return stop;
      this.q.insertNoncat.run(patron.id, tx.noncat_type, tx.count ?? 1, branchId, ctx.at, tx.id);
      return finish(blocks, `${tx.count ?? 1} × ${tx.noncat_type} lent.`);
    }
    const item = this.item(tx, ctx);
    if ('code' in item) return item;
    const open = this.loanOf(item);
    // The patron already has it: lending it again is a renewal, with the renewal limit (no way round it).
    if (open && open.patron_id === patron.id) {
      const renewed = this.extend(tx, ctx, item, open, patron, tx.patron_barcode!, [{ code: 'RENEWED_AT_CHECKOUT', branchId, itemId: item.id,
        patronId: patron.id, detail: `${tx.patron_barcode} already had item ${item.barcode}; the checkout was recorded as renewal ${open.renewals + 1}.` }]);
      // Unlike a renewal, a checkout is scanned with the item in hand: it was at this desk at this time.
      if (renewed.outcome === 'applied' || renewed.outcome === 'applied_with_notice') {
        if (item.open_transit) this.q.receiveTransits.run(ctx.at, item.id);
        this.setItem(item, 'checked_out', branchId, ctx, tx);
      }
      return renewed;
    }
    const notices = [...blocks];
    const status = statusNotice[item.status];
    // The account to review is the previous borrower's, not the new one's.
    if (status) notices.push({ code: status, branchId, itemId: item.id, patronId: open?.patron_id ?? null,
      detail: `Item ${item.barcode} was marked ${words(item.status)}; review its record and the previous borrower's account.` });
    const holds = this.holdsAgainstLoan(item, patron.id, branchId);
    notices.push(...this.availability(item, branchId, holds.notices), ...holds.notices);
    const stop = this.blocked(notices, ctx);
    if (stop) return stop;

    if (open) {
      this.q.closeLoan.run(ctx.at, branchId, tx.workstation, tx.staff, tx.id, open.id);
      notices.push({ code: 'OPEN_CIRCULATION_EXISTS', branchId, itemId: item.id, patronId: open.patron_id,
        detail: `Item ${item.barcode} was on loan to ${this.cardOf(open.patron_id)}; that loan was closed at ${ctx.at}.` });
    }
    for (const hold of holds.fulfil) this.q.setHold.run('fulfilled', item.id, hold.id);
    // A title-level hold set aside on this copy waits for any copy again; an item-level one for this copy.
    for (const hold of holds.release) this.q.setHold.run('pending', hold.title === null ? hold.item_id : null, hold.id);
    if (item.open_transit) this.q.receiveTransits.run(ctx.at, item.id);
    const due = tx.due_at ? normalizeDue(tx.due_at) : dueAfter(new Date(ctx.at), this.policy(item.item_type, patron.profile).loan_days);
    this.q.insertLoan.run(item.id, patron.id, ctx.at, branchId, tx.workstation, tx.staff, due, tx.id);
    this.setItem(item, 'checked_out', branchId, ctx, tx);
    return finish(notices, `Due ${due.slice(0, 10)}.`);
  }

  private renew(tx: OfflineTransaction, ctx: SessionContext): Result {
    const item = this.item(tx, ctx);
    if ('code' in item) return item;
    let patron: PatronRow | undefined;
    if (tx.patron_barcode) {
      const found = this.patron(tx.patron_barcode);
      if ('code' in found) return found;
      patron = found;
    }
    const loan = this.loanOf(item);
    if (!loan) return exception('ACTION_CIRCULATION_NOT_FOUND', `Item ${item.barcode} was not on loan when it was renewed.`);
    if (patron && patron.id !== loan.patron_id) {
      return exception('ACTION_CIRCULATION_NOT_FOUND', `Item ${item.barcode} is on loan to ${this.cardOf(loan.patron_id)}, not to ${tx.patron_barcode}.`);
    }
    // The borrower's blocks count at a renewal as at a checkout, whether or not the card was scanned.
    return this.extend(tx, ctx, item, loan, patron ?? this.q.patronById.get(loan.patron_id)!,
      tx.patron_barcode ?? (() => this.cardOf(loan.patron_id, '')), []);
  }

  /**
   * Renews an open loan for its borrower — a renewal, or a checkout to the patron who already has the item —
   * under the same rules: the borrower's blocks, the renewal limit, holds and the item's status.
   */
  private extend(tx: OfflineTransaction, ctx: SessionContext, item: ItemRow, loan: LoanRow, borrower: PatronRow, card: string | (() => string),
    extra: Notice[]): Result {
    const branchId = this.branchOf(tx, ctx);
    // The borrower's policy, whether or not the desk scanned their card.
    const policy = this.policy(item.item_type, loan.profile);
    const notices: Notice[] = [...this.patronBlocks(borrower, card, ctx.at, branchId), ...extra];
    if (loan.renewals >= policy.max_renewals) {
      notices.push({ code: 'MAX_RENEWALS_REACHED', branchId, itemId: item.id, patronId: loan.patron_id,
        detail: `Renewal ${loan.renewals + 1} of at most ${policy.max_renewals}.` });
    }
    const holds = this.holdsAgainstLoan(item, loan.patron_id, branchId);
    notices.push(...this.availability(item, branchId, holds.notices), ...holds.notices);
    const stop = this.blocked(notices, ctx);
    if (stop) return stop;
    const from = new Date(Math.max(Date.parse(loan.due_at), Date.parse(ctx.at)));
    const due = tx.due_at ? normalizeDue(tx.due_at) : dueAfter(from, policy.loan_days);
    this.q.renewLoan.run(due, tx.id, loan.id);
    return finish(notices, `Due ${due.slice(0, 10)}.`);
  }

  private checkin(tx: OfflineTransaction, ctx: SessionContext): Result {
    const item = this.item(tx, ctx);
    if ('code' in item) return item;
    const branchId = this.branchOf(tx, ctx);
    const effective = tx.backdate ? (tx.backdate.length === 10 ? `${tx.backdate}T00:00:00.000Z` : tx.backdate) : ctx.at;
    const loan = this.loanOf(item);
    const notices: Notice[] = [];
    const status = statusNotice[item.status];
    // Fines stop when the item was marked lost (Evergreen's default): the days after are the lost charge's business.
    const lostAt = item.status === 'lost' && loan ? item.status_changed_at : undefined;
    if (status) notices.push({ code: status, branchId, itemId: item.id, patronId: loan?.patron_id ?? null,
      detail: `Item ${item.barcode} was marked ${words(item.status)} and is back${loan ? ` (borrower ${this.cardOf(loan.patron_id, '')})` : ''}; review the account.`
        + (lostAt ? ` Overdue fines count only until it was marked lost, at ${lostAt}.` : '') });
    const stop = this.blocked(notices, ctx);
    if (stop) return stop;

    if (loan) {
      // A book-drop date before the loan began would make the loan end before it started.
      const closedAt = effective < loan.checkout_at ? loan.checkout_at : effective;
      this.q.closeLoan.run(closedAt, branchId, tx.workstation, tx.staff, tx.id, loan.id);
      const policy = this.policy(item.item_type, loan.profile);
      const fine = overdueFineCents(loan.due_at, lostAt && lostAt < closedAt ? lostAt : closedAt, policy);
      if (fine.cents > 0) {
        this.q.insertBill.run(loan.patron_id, loan.id, fine.cents, `Overdue ${fine.days} day(s): ${item.barcode}`, ctx.at, tx.id);
        notices.push({ code: 'OVERDUE_FINE', branchId, itemId: item.id, patronId: loan.patron_id,
          detail: `Returned ${fine.days} day(s) late${lostAt ? ' (counted until it was marked lost)' : ''}: ${(fine.cents / 100).toFixed(2)} billed to ${this.cardOf(loan.patron_id)}.` });
      }
    } else if (!status) {
      // Receiving an item in transit is an ordinary checkin, not a surprise.
      if (item.status !== 'in_transit') notices.push({ code: 'ITEM_NOT_CHECKED_OUT', branchId, itemId: item.id, detail: `Item ${item.barcode} was not on loan (status: ${words(item.status)}).` });
    }
    if (item.open_transit) this.q.receiveTransits.run(ctx.at, item.id);
    // An item already set aside for a hold keeps that hold; otherwise the oldest waiting hold takes it.
    const held = item.any_holds ? this.q.capturedHolds.all(item.id)[0] ?? this.q.waitingHold.get(item.id, item.title) : undefined;
    if (held) {
      const who = `${held.name} (${held.card ?? `#${held.patron_id}`})`;
      if (held.pickup_branch_id === branchId) {
        this.q.setHold.run('on_shelf', item.id, held.id);
        this.setItem(item, 'on_hold_shelf', branchId, ctx, tx);
        notices.push({ code: 'HOLD_CAPTURED', branchId, itemId: item.id, patronId: held.patron_id,
          detail: `Put ${item.barcode} “${item.title}” on the hold shelf for ${who}.` });
      } else {
        this.q.setHold.run('captured', item.id, held.id);
        this.q.insertTransit.run(item.id, branchId, held.pickup_branch_id, 'hold', ctx.at, tx.id);
        this.setItem(item, 'in_transit', branchId, ctx, tx);
        notices.push({ code: 'ROUTE_ITEM', branchId, itemId: item.id, patronId: held.patron_id, toBranchId: held.pickup_branch_id,
          detail: `Send ${item.barcode} “${item.title}” to ${this.code(held.pickup_branch_id)} for ${who}'s hold.` });
      }
    } else if (item.owning_branch_id !== branchId) {
      this.q.insertTransit.run(item.id, branchId, item.owning_branch_id, 'home', ctx.at, tx.id);
      this.setItem(item, 'in_transit', branchId, ctx, tx);
      notices.push({ code: 'ROUTE_ITEM', branchId, itemId: item.id, toBranchId: item.owning_branch_id,
        detail: `Send ${item.barcode} “${item.title}” home to ${this.code(item.owning_branch_id)}.` });
    } else {
      this.setItem(item, 'available', branchId, ctx, tx);
    }
    return finish(notices, null);
  }

  private inHouseUse(tx: OfflineTransaction, ctx: SessionContext): Result {
    const item = this.item(tx, ctx);
    if ('code' in item) return item;
    this.q.insertUse.run(item.id, this.branchOf(tx, ctx), tx.count ?? 1, ctx.at, tx.id);
    return finish([], `${tx.count ?? 1} use(s) recorded.`);
  }

  private register(tx: OfflineTransaction, ctx: SessionContext): Result {
    const p = tx.patron!;
    if (this.q.cardExists.get(p.barcode)) return exception('PATRON_BARCODE_EXISTS', `Card ${p.barcode} already belongs to a patron.`);
    const home = p.home_branch ? this.q.branchByCode.get(p.home_branch) : undefined;
    const at = new Date(ctx.at);
    const expires = new Date(Date.UTC(at.getUTCFullYear() + 3, at.getUTCMonth(), at.getUTCDate())).toISOString().slice(0, 10);
    const patronId = Number(this.q.insertPatron.run(p.first_name, p.last_name, p.profile ?? 'adult', home ?? this.branchOf(tx, ctx),
      expires, p.email ?? null, p.phone ?? null, ctx.at, tx.id).lastInsertRowid);
    this.q.insertCard.run(p.barcode, patronId);
    return finish([], `Patron ${p.first_name} ${p.last_name} registered with card ${p.barcode}.`);
  }
}
