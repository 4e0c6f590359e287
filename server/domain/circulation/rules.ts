/**
 * The circulation rules: how one offline transaction changes the library and
 * what result it gets. Each rule first gathers what it needs from the
 * slice's state, decides whether a block stops it (an exception) or is
 * overridden (a notice), and only then changes anything. Reading and writing
 * the database, batching and rollback are the state's business, not theirs.
 */
import type { OfflineTransaction } from '../../../shared/transaction.js';
import { pickPolicy, type LoanPolicy } from '../../../shared/loan-policy.js';
import {
  dueAt, dueOnDate, localDateOf, OPEN_ALL_WEEK, overdueFine, startOfLocalDay, type LibraryCalendar,
} from '../../../shared/library-time.js';
import type { ResultCode } from '../../../shared/result-codes.js';
import { titleKey, type BillRow, type HoldRow, type PatronRow } from '../../repo/circulation-store.js';
import type { CirculationState, SliceItem, SliceLoan } from './state.js';
import { blocked, exception, finish, isApplied, type Notice, type Result } from './outcome.js';
import { part, type DetailPart } from '../../../shared/result-details.js';

export interface SessionContext {
  sessionId: number;
  branchId: number;
  overridePolicy: boolean;
  /** The transaction's skew-corrected time: when it happened, by the server's clock. */
  at: string;
  /** The transaction's number on this server (offline_transactions.num): what items record as having changed them. */
  num: number;
}

/** What the rules look up that rarely changes: read at the start of a run or a retry. */
export interface LibraryReference {
  policies: LoanPolicy[];
  branchCodes: Map<number, string>;
  branchIds: Map<string, number>;
  workstationBranches: Map<string, number>;
  /** Each branch's calendar (zone, hours, closures), by branch id. */
  calendars: Map<number, LibraryCalendar>;
  /** For a branch missing from `calendars` (one created since the run began): the server's zone. */
  defaultZone: string;
  /** A balance above this blocks a card (PATRON_EXCEEDS_FINES), as the desks' offline data says. */
  fineLimitCents: number;
}

const FALLBACK_POLICY: LoanPolicy = { item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 0, max_fine_cents: 0 };

const statusNotice: Record<string, ResultCode> = { lost: 'COPY_STATUS_LOST', missing: 'COPY_STATUS_MISSING', claims_returned: 'CIRC_CLAIMS_RETURNED' };


export class CirculationRules {
  constructor(private readonly library: LibraryReference) {}

  apply(tx: OfflineTransaction, ctx: SessionContext, state: CirculationState): Result {
    const run = new RuleRun(this.library, tx, ctx, state);
    switch (tx.type) {
      case 'checkout': return run.checkout();
      case 'renew': return run.renew();
      case 'checkin': return run.checkin();
      case 'in_house_use': return run.inHouseUse();
      case 'register': return run.register();
      case 'payment': return run.payment();
    }
  }
}

/** One transaction's application: the rules, with the transaction, its context and the slice's state at hand. */
class RuleRun {
  constructor(private readonly library: LibraryReference, private readonly tx: OfflineTransaction,
    private readonly ctx: SessionContext, private readonly state: CirculationState) {}

  private code(branchId: number | null | undefined): string {
    return branchId == null ? '?' : this.library.branchCodes.get(branchId) ?? `#${branchId}`;
  }

  /** Where the transaction happened: its workstation's branch, else the session's. */
  private get branchId(): number {
    return this.library.workstationBranches.get(this.tx.workstation) ?? this.ctx.branchId;
  }

  /** The branch's calendar: due dates fall on its open days, in its zone. */
  private calendar(branchId: number | null | undefined): LibraryCalendar {
    return (branchId == null ? undefined : this.library.calendars.get(branchId))
      ?? { zone: this.library.defaultZone, hours: OPEN_ALL_WEEK, closures: [] };
  }

  /** The local date of an instant at a branch, as staff there read it. */
  private localDate(at: string, branchId: number): string {
    return localDateOf(at, this.calendar(branchId));
  }

  private policy(itemType: string | null, profile: string | null): LoanPolicy {
    return pickPolicy(this.library.policies, itemType, profile) ?? FALLBACK_POLICY;
  }

  /** How staff know a patron: their active card, else the record number. Read only for a message that names them. */
  private cardOf(patronId: number, prefix = 'patron '): string {
    return this.state.activeCard(patronId) ?? `${prefix}#${patronId}`;
  }

  /**
   * The item, or why this transaction cannot use it: unknown, or changed after the scan. One rule of
   * time for every path: an item whose last change took effect after this transaction's own time was
   * changed under it, whatever made the change — an import, another session, an earlier run of this
   * session or a retry. (Within one run the processing order never lets that happen.)
   */
  private item(): SliceItem | Result {
    const entry = this.state.item(this.tx.item_barcode!);
    if (!entry) return exception('ASSET_COPY_NOT_FOUND', part('itemNotFound', { item: this.tx.item_barcode! }));
    const item = entry.item;
    if (item.status_changed_at > this.ctx.at) {
      return exception('SKIP_ASSET_CHANGED', part('changedAfterScan', { item: item.barcode, status: item.status, changed: item.status_changed_at,
        at: this.ctx.at, zone: this.calendar(this.branchId).zone, ...this.changeSource(entry) }));
    }
    return entry;
  }

  /** What made the item's last change: the transaction and its session, an import, or an online change. */
  private changeSource({ item }: SliceItem): { by: string; type?: string; workstation?: string; session?: number | null } {
    if (item.status_changed_via === 'import') return { by: 'import' };
    if (item.status_changed_via === 'online') return { by: 'online' };
    const made = item.status_changed_by_txn !== null ? this.state.txnSource(item.status_changed_by_txn) : undefined;
    if (!made) return { by: 'session', session: item.status_changed_by_session };
    return { by: made.session_id === this.ctx.sessionId ? 'this-session' : 'other-session', type: made.type, workstation: made.workstation,
      session: made.session_id };
  }

  private setItem(entry: SliceItem, status: string, branchId: number): void {
    this.state.setItem(entry, { status, current_branch_id: branchId, status_changed_at: this.ctx.at, status_changed_by_session: this.ctx.sessionId,
      status_changed_by_txn: this.ctx.num, status_changed_via: 'offline' });
  }

  private receiveTransits(entry: SliceItem): void {
    for (const transit of this.state.openTransits(entry)) this.state.receiveTransit(transit, this.ctx.at);
  }

  /** Finds the patron by card, or the exception that explains why not. */
  private patron(barcode: string): PatronRow | Result {
    const found = this.state.card(barcode);
    if (!found) return exception('ACTOR_USER_NOT_FOUND', part('noPatron', { card: barcode }));
    if (!found.card.active) {
      return exception('PATRON_CARD_INACTIVE', part('cardInactive', { card: barcode, current: this.state.activeCard(found.patron.id) ?? null }));
    }
    return found.patron;
  }

  private patronBlocks(patron: PatronRow, card: string | (() => string), branchId: number): Notice[] {
    // Expired is judged by the date at the desk, not in UTC.
    const expired = patron.expires_on < this.localDate(this.ctx.at, branchId);
    if (!patron.barred && !patron.inactive && !expired) return [];
    const who = { name: `${patron.first_name} ${patron.last_name}`, card: typeof card === 'function' ? card() : card };
    const base = { branchId, patronId: patron.id };
    const blocks: Notice[] = [];
    if (patron.barred) blocks.push({ ...base, code: 'PATRON_BARRED', detail: part('barred', who) });
    if (patron.inactive) blocks.push({ ...base, code: 'PATRON_INACTIVE', detail: part('inactive', who) });
    if (expired) blocks.push({ ...base, code: 'PATRON_ACCOUNT_EXPIRED', detail: part('expired', { ...who, date: patron.expires_on }) });
    return blocks;
  }

  /**
   * The profile's limit of items out, and the fine limit (Evergreen's PATRON_EXCEEDS_* events): judged as
   * the slice stands, so the items lent earlier in the same visit count.
   */
  private limits(patron: PatronRow, card: string, itemType: string | null, branchId: number): Notice[] {
    const notices: Notice[] = [];
    const who = { name: `${patron.first_name} ${patron.last_name}`, card };
    const max = itemType === null ? null : this.policy(itemType, patron.profile).max_items_out ?? null;
    if (max !== null) {
      const out = this.state.openLoanCount(patron.id);
      if (out >= max) notices.push({ code: 'PATRON_EXCEEDS_CHECKOUT_COUNT', branchId, patronId: patron.id,
        detail: part('overItemLimit', { ...who, out, profile: patron.profile, max }) });
    }
    const balance = this.state.balance(patron.id);
    if (balance > this.library.fineLimitCents) {
      notices.push({ code: 'PATRON_EXCEEDS_FINES', branchId, patronId: patron.id,
        detail: part('overFineLimit', { ...who, owed: balance, limit: this.library.fineLimitCents }) });
    }
    return notices;
  }

  private holder(hold: HoldRow): { name: string; card: string } {
    return { name: hold.name, card: this.state.activeCard(hold.patron_id) ?? `#${hold.patron_id}` };
  }

  /**
   * Holds this loan affects: a hold for this patron is fulfilled; a copy set aside for someone else goes
   * back to them waiting (first in line still, by the time they placed it), named by ITEM_ON_HOLDS_SHELF when
   * it waited on the shelf, else HOLD_FOR_OTHER_PATRON; a hold waiting on the copy or its title keeps waiting.
   */
  private holdsAgainstLoan(entry: SliceItem, patronId: number, branchId: number): { notices: Notice[]; fulfil: HoldRow[]; release: HoldRow[] } {
    const notices: Notice[] = [];
    const fulfil: HoldRow[] = [];
    const release: HoldRow[] = [];
    const item = entry.item;
    const holds = this.state.holdsOf(entry);
    if (!holds.length) return { notices, fulfil, release };
    for (const hold of holds.filter((h) => h.item_id === item.id && (h.status === 'captured' || h.status === 'on_shelf'))) {
      if (hold.patron_id === patronId) fulfil.push(hold);
      else {
        release.push(hold);
        notices.push(hold.status === 'on_shelf'
          ? { code: 'ITEM_ON_HOLDS_SHELF', branchId, itemId: item.id, patronId: hold.patron_id,
            detail: part('waitedOnShelfFor', { ...this.holder(hold), item: item.barcode }) }
          : { code: 'HOLD_FOR_OTHER_PATRON', branchId, itemId: item.id, patronId: hold.patron_id,
            detail: part('setAsideFor', { ...this.holder(hold), item: item.barcode }) });
      }
    }
    // A copy set aside for this patron is theirs: the queue behind it waits for the next copy, with no notice.
    const waiting = fulfil.length ? undefined : waitingHold(holds, item.id);
    if (waiting) {
      if (waiting.patron_id === patronId) fulfil.push(waiting);
      else if (!notices.length) {
        notices.push({ code: 'HOLD_FOR_OTHER_PATRON', branchId, itemId: item.id, patronId: waiting.patron_id,
          detail: part('holdWaitingOnTitle', { ...this.holder(waiting), title: item.title }) });
      }
    }
    return { notices, fulfil, release };
  }

  /**
   * What the item's status says against lending it (Evergreen's events): it does not circulate, it is damaged
   * or in transit, or it sits on the hold shelf. A copy on the shelf for a hold is judged with the holds
   * (holdsAgainstLoan); one on the shelf that no hold claims still says so.
   */
  private availability(entry: SliceItem, branchId: number, holdNotices: Notice[]): Notice[] {
    const item = entry.item;
    const base = { branchId, itemId: item.id };
    switch (item.status) {
      case 'non_circulating':
        return [{ ...base, code: 'COPY_CIRC_NOT_ALLOWED', detail: part('notCirculating', { item: item.barcode }) }];
      case 'damaged':
        return [{ ...base, code: 'COPY_NOT_AVAILABLE', detail: part('damaged', { item: item.barcode }) }];
      case 'in_transit': {
        const transit = this.state.openTransits(entry).at(-1);
        return [{ ...base, code: 'COPY_NOT_AVAILABLE', toBranchId: transit?.to_branch_id ?? null, detail: part('inTransit', transit
          ? { item: item.barcode, from: this.code(transit.from_branch_id), to: this.code(transit.to_branch_id) } : { item: item.barcode }) }];
      }
      case 'on_hold_shelf':
        if (holdNotices.some((n) => n.code === 'ITEM_ON_HOLDS_SHELF')) return [];
        // Set aside for this very patron, the copy is theirs; otherwise no hold claims it any more.
        if (this.state.holdsOf(entry).some((h) => h.item_id === item.id && (h.status === 'captured' || h.status === 'on_shelf'))) return [];
        return [{ ...base, code: 'ITEM_ON_HOLDS_SHELF', detail: part('onShelfUnclaimed', { item: item.barcode }) }];
      default:
        return [];
    }
  }

  checkout(): Result {
    const { tx, ctx } = this;
    const patron = this.patron(tx.patron_barcode!);
    if ('code' in patron) return patron;
    const branchId = this.branchId;
    const blocks = this.patronBlocks(patron, tx.patron_barcode!, branchId);
    if (tx.noncat_type !== undefined) {
      blocks.push(...this.limits(patron, tx.patron_barcode!, null, branchId));
      const stop = blocked(blocks, ctx.overridePolicy);
      if (stop) return stop;
      this.state.addNoncat({ patron_id: patron.id, noncat_type: tx.noncat_type, count: tx.count ?? 1, branch_id: branchId, occurred_at: ctx.at, txn_id: tx.id });
      return finish(blocks, part('noncatLent', { count: tx.count ?? 1, kind: tx.noncat_type }));
    }
    const entry = this.item();
    if ('code' in entry) return entry;
    const item = entry.item;
    const open = this.state.openLoan(item.id);
    // The patron already has it: lending it again is a renewal, with the renewal limit (no way round it).
    if (open && open.patron_id === patron.id) {
      const renewed = this.extend(entry, open, patron, tx.patron_barcode!, [{ code: 'RENEWED_AT_CHECKOUT', branchId, itemId: item.id,
        patronId: patron.id, detail: part('renewedAtCheckout', { card: tx.patron_barcode!, item: item.barcode, renewal: open.renewals + 1 }) }]);
      // Unlike a renewal, a checkout is scanned with the item in hand: it was at this desk at this time.
      if (isApplied(renewed)) {
        this.receiveTransits(entry);
        this.setItem(entry, 'checked_out', branchId);
      }
      return renewed;
    }
    const notices = [...blocks, ...this.limits(patron, tx.patron_barcode!, item.item_type, branchId)];
    const status = statusNotice[item.status];
    // The account to review is the previous borrower's, not the new one's.
    if (status) notices.push({ code: status, branchId, itemId: item.id, patronId: open?.patron_id ?? null,
      detail: part('lentWhileMarked', { item: item.barcode, status: item.status }) });
    const holds = this.holdsAgainstLoan(entry, patron.id, branchId);
    notices.push(...this.availability(entry, branchId, holds.notices), ...holds.notices);
    const stop = blocked(notices, ctx.overridePolicy);
    if (stop) return stop;

    if (open) {
      this.closeLoan(open, ctx.at, branchId);
      notices.push({ code: 'OPEN_CIRCULATION_EXISTS', branchId, itemId: item.id, patronId: open.patron_id,
        detail: part('onLoanToOther', { item: item.barcode, card: this.cardOf(open.patron_id), at: ctx.at, zone: this.calendar(branchId).zone }) });
    }
    for (const hold of holds.fulfil) this.state.changeHold(hold, { status: 'fulfilled', item_id: item.id });
    // A title-level hold set aside on this copy waits for any copy again; an item-level one for this copy.
    for (const hold of holds.release) this.state.changeHold(hold, { status: 'pending', item_id: titleKey(hold) === null ? hold.item_id : null });
    this.receiveTransits(entry);
    // The desk's date when it gave one (the patron was told it), else the policy's days on this branch's calendar.
    const calendar = this.calendar(branchId);
    const due = tx.due_at ? dueOnDate(tx.due_at, calendar) : dueAt(ctx.at, this.policy(item.item_type, patron.profile).loan_days, calendar);
    this.state.newLoan({ item_id: item.id, patron_id: patron.id, checkout_at: ctx.at, checkout_branch_id: branchId, checkout_workstation: tx.workstation,
      checkout_staff: tx.staff, due_at: due, checkout_txn: tx.id });
    this.setItem(entry, 'checked_out', branchId);
    return { ...finish(notices, part('due', { date: localDateOf(due, calendar) })), dueAt: due };
  }

  private closeLoan(loan: SliceLoan, at: string, branchId: number): void {
    this.state.closeLoan(loan, { checkin_at: at, checkin_branch_id: branchId, checkin_workstation: this.tx.workstation, checkin_staff: this.tx.staff,
      checkin_txn: this.tx.id });
  }

  renew(): Result {
    const { tx } = this;
    const entry = this.item();
    if ('code' in entry) return entry;
    const item = entry.item;
    let patron: PatronRow | undefined;
    if (tx.patron_barcode) {
      const found = this.patron(tx.patron_barcode);
      if ('code' in found) return found;
      patron = found;
    }
    const loan = this.state.openLoan(item.id);
    if (!loan) return exception('ACTION_CIRCULATION_NOT_FOUND', part('renewedNotOnLoan', { item: item.barcode }));
    if (patron && patron.id !== loan.patron_id) {
      return exception('ACTION_CIRCULATION_NOT_FOUND', part('onLoanToSomeoneElse', { item: item.barcode, card: this.cardOf(loan.patron_id),
        scanned: tx.patron_barcode! }));
    }
    // The borrower's blocks count at a renewal as at a checkout, whether or not the card was scanned.
    return this.extend(entry, loan, patron ?? this.state.patron(loan.patron_id), tx.patron_barcode ?? (() => this.cardOf(loan.patron_id, '')), []);
  }

  /**
   * Renews an open loan for its borrower — a renewal, or a checkout to the patron who already has the item —
   * under the same rules: the borrower's blocks, the renewal limit, holds and the item's status.
   */
  private extend(entry: SliceItem, loan: SliceLoan, borrower: PatronRow, card: string | (() => string), extra: Notice[]): Result {
    const { tx, ctx } = this;
    const item = entry.item;
    const branchId = this.branchId;
    // The borrower's policy, whether or not the desk scanned their card.
    const policy = this.policy(item.item_type, borrower.profile);
    const notices: Notice[] = [...this.patronBlocks(borrower, card, branchId), ...extra];
    if (loan.renewals >= policy.max_renewals) {
      notices.push({ code: 'MAX_RENEWALS_REACHED', branchId, itemId: item.id, patronId: loan.patron_id,
        detail: part('renewalOverLimit', { renewal: loan.renewals + 1, max: policy.max_renewals }) });
    }
    const holds = this.holdsAgainstLoan(entry, loan.patron_id, branchId);
    notices.push(...this.availability(entry, branchId, holds.notices), ...holds.notices);
    const stop = blocked(notices, ctx.overridePolicy);
    if (stop) return stop;
    // Renewed from the later of the due date and now, on the renewing branch's calendar.
    const calendar = this.calendar(branchId);
    const from = new Date(Math.max(Date.parse(loan.due_at), Date.parse(ctx.at)));
    const due = tx.due_at ? dueOnDate(tx.due_at, calendar) : dueAt(from, policy.loan_days, calendar);
    this.state.renewLoan(loan, { due_at: due, renewals: loan.renewals + 1, last_renew_txn: tx.id });
    return { ...finish(notices, part('due', { date: localDateOf(due, calendar) })), dueAt: due };
  }

  checkin(): Result {
    const { tx, ctx } = this;
    const entry = this.item();
    if ('code' in entry) return entry;
    const item = entry.item;
    const branchId = this.branchId;
    // A book-drop date means the start of that day at this branch.
    const effective = tx.backdate ? (tx.backdate.length === 10 ? startOfLocalDay(tx.backdate, this.calendar(branchId)) : tx.backdate) : ctx.at;
    const loan = this.state.openLoan(item.id);
    const notices: Notice[] = [];
    const status = statusNotice[item.status];
    // Fines stop when the item was marked lost (Evergreen's default): the days after are the lost charge's business.
    const lostAt = item.status === 'lost' && loan ? item.status_changed_at : undefined;
    if (status) {
      notices.push({ code: status, branchId, itemId: item.id, patronId: loan?.patron_id ?? null,
        detail: part('backWhileMarked', { item: item.barcode, status: item.status, borrower: loan ? this.cardOf(loan.patron_id, '') : null,
          ...(lostAt ? { lostAt, zone: this.calendar(branchId).zone } : {}) }) });
    }
    const stop = blocked(notices, ctx.overridePolicy);
    if (stop) return stop;

    if (loan) {
      // A book-drop date before the loan began would make the loan end before it started.
      const closedAt = effective < loan.checkout_at ? loan.checkout_at : effective;
      this.closeLoan(loan, closedAt, branchId);
      const policy = this.policy(item.item_type, this.state.patron(loan.patron_id).profile);
      // Open days late on the lending branch's calendar (Evergreen counts the circulating library's closed dates).
      const fine = overdueFine(loan.due_at, closedAt, policy, this.calendar(loan.checkout_branch_id ?? branchId), lostAt);
      if (fine.cents > 0) {
        this.state.addBill({ patron_id: loan.patron_id, loan_id: loan.id, amount_cents: fine.cents, reason: `Overdue ${fine.days} day(s): ${item.barcode}`,
          created_at: ctx.at, txn_id: tx.id });
        notices.push({ code: 'OVERDUE_FINE', branchId, itemId: item.id, patronId: loan.patron_id,
          detail: part('overdueFine', { days: fine.days, amount: fine.cents, card: this.cardOf(loan.patron_id), ...(lostAt ? { untilLost: 1 } : {}) }) });
      }
    } else if (!status) {
      // Receiving an item in transit is an ordinary checkin, not a surprise.
      if (item.status !== 'in_transit') notices.push({ code: 'ITEM_NOT_CHECKED_OUT', branchId, itemId: item.id, detail: part('notOnLoan', { item: item.barcode, status: item.status }) });
    }
    this.receiveTransits(entry);
    // An item already set aside for a hold keeps that hold; otherwise the oldest waiting hold takes it.
    const holds = this.state.holdsOf(entry);
    const held = holds.find((h) => h.item_id === item.id && (h.status === 'captured' || h.status === 'on_shelf')) ?? waitingHold(holds, item.id);
    if (held) {
      const who = this.holder(held);
      if (held.pickup_branch_id === branchId) {
        this.state.changeHold(held, { status: 'on_shelf', item_id: item.id });
        this.setItem(entry, 'on_hold_shelf', branchId);
        notices.push({ code: 'HOLD_CAPTURED', branchId, itemId: item.id, patronId: held.patron_id,
          detail: part('shelveForHold', { ...who, item: item.barcode, title: item.title }) });
      } else {
        this.state.changeHold(held, { status: 'captured', item_id: item.id });
        this.state.newTransit({ item_id: item.id, from_branch_id: branchId, to_branch_id: held.pickup_branch_id, reason: 'hold', created_at: ctx.at, txn_id: tx.id });
        this.setItem(entry, 'in_transit', branchId);
        notices.push({ code: 'ROUTE_ITEM', branchId, itemId: item.id, patronId: held.patron_id, toBranchId: held.pickup_branch_id,
          detail: part('sendForHold', { ...who, item: item.barcode, title: item.title, to: this.code(held.pickup_branch_id) }) });
      }
    } else if (item.owning_branch_id !== branchId) {
      this.state.newTransit({ item_id: item.id, from_branch_id: branchId, to_branch_id: item.owning_branch_id, reason: 'home', created_at: ctx.at, txn_id: tx.id });
      this.setItem(entry, 'in_transit', branchId);
      notices.push({ code: 'ROUTE_ITEM', branchId, itemId: item.id, toBranchId: item.owning_branch_id,
        detail: part('sendHome', { item: item.barcode, title: item.title, to: this.code(item.owning_branch_id) }) });
    } else {
      this.setItem(entry, 'available', branchId);
    }
    return finish(notices, null);
  }

  inHouseUse(): Result {
    const entry = this.item();
    if ('code' in entry) return entry;
    this.state.addUse({ item_id: entry.item.id, branch_id: this.branchId, count: this.tx.count ?? 1, occurred_at: this.ctx.at, txn_id: this.tx.id });
    return finish([], part('usesRecorded', { count: this.tx.count ?? 1 }));
  }

  /** Money taken at the desk: it pays the patron's open bills, oldest first; what is left is a credit. */
  payment(): Result {
    const { tx, ctx } = this;
    const patron = this.patron(tx.patron_barcode!);
    if ('code' in patron) return patron;
    let left = tx.amount_cents!;
    const paid: { bill: BillRow; cents: number }[] = [];
    for (const bill of this.state.openBills(patron.id)) {
      if (left === 0) break;
      const cents = Math.min(left, bill.amount_cents - bill.paid_cents);
      paid.push({ bill, cents });
      left -= cents;
    }
    this.state.pay({ patron_id: patron.id, amount_cents: tx.amount_cents!, credit_cents: left, note: tx.note ?? null, branch_id: this.branchId,
      paid_at: ctx.at, txn_id: tx.id }, paid);
    const settled = paid.filter(({ bill }) => bill.paid_cents >= bill.amount_cents).length;
    const owed = this.state.balance(patron.id);
    const summary = { amount: tx.amount_cents!, card: tx.patron_barcode!, settled };
    if (left === 0) return finish([], part('paid', owed > 0 ? { ...summary, owed } : summary));
    return finish([{ code: 'PAYMENT_EXCEEDS_BALANCE', branchId: this.branchId, patronId: patron.id,
      detail: part('credit', { amount: left, card: tx.patron_barcode! }) }], part('paid', summary));
  }

  register(): Result {
    const { tx, ctx } = this;
    const p = tx.patron!;
    if (this.state.card(p.barcode)) return exception('PATRON_BARCODE_EXISTS', part('cardExists', { card: p.barcode }));
    const home = p.home_branch ? this.library.branchIds.get(p.home_branch) : undefined;
    // Three years from the local date of registration.
    const [year, month, day] = this.localDate(ctx.at, this.branchId).split('-').map(Number);
    const expires = new Date(Date.UTC(year + 3, month - 1, day)).toISOString().slice(0, 10);
    this.state.newPatron({ first_name: p.first_name, last_name: p.last_name, profile: p.profile ?? 'adult', home_branch_id: home ?? this.branchId,
      expires_on: expires, barred: 0, inactive: 0, email: p.email ?? null, phone: p.phone ?? null, created_at: ctx.at, created_by_txn: tx.id }, p.barcode);
    return finish([], part('registered', { name: `${p.first_name} ${p.last_name}`, card: p.barcode }));
  }
}

/** The hold an item fills when it comes free: one placed on this very copy, else the oldest waiting on its title. */
function waitingHold(holds: HoldRow[], itemId: number): HoldRow | undefined {
  return holds.filter((h) => h.status === 'pending' && (h.item_id === itemId || h.item_id === null))
    .sort((a, b) => Number(a.item_id === null) - Number(b.item_id === null) || a.created_at.localeCompare(b.created_at) || a.id - b.id)[0];
}
