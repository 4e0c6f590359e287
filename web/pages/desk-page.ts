import { html, nothing, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { LightElement } from '../components/light-element.js';
import { endFlash, signal } from '../components/feedback.js';
import { printVisitReceipt, receiptSettings, reprintLast } from '../components/receipt.js';
import { receiptOptions } from '../components/receipt-options.js';
import type { BarcodeScannedEvent, CameraScan } from '../components/camera-scan.js';
import { ERROR_ID, type DeskFormHost } from '../components/desk-forms/fields.js';
import { checkoutForm } from '../components/desk-forms/checkout.js';
import { renewForm } from '../components/desk-forms/renew.js';
import { checkinForm } from '../components/desk-forms/checkin.js';
import { inHouseUseForm } from '../components/desk-forms/in-house-use.js';
import { registerForm } from '../components/desk-forms/register.js';
import { paymentForm } from '../components/desk-forms/payment.js';
import { DuePreviewController } from '../controllers/due-preview-controller.js';
import { ScanWarningsController } from '../controllers/scan-warnings-controller.js';
import { ScanGateController } from '../controllers/scan-gate-controller.js';
import * as outbox from '../services/outbox-client.js';
import * as rules from '../services/desk-rules.js';
import { NO_VISIT, currentVisit, setVisit, visitLoans, visitOpen, type Visit } from '../services/desk-visit.js';
import { deskTime, deskToday, zoneMismatch, type DeskTime } from '../services/desk-time.js';
import { buildTransaction, type DeskMode } from '../services/transaction-builder.js';
import type { SnapshotMeta } from '../services/snapshot-store.js';
import type { DeviceInfo, NewTransaction, OutboxEntry } from '../../shared/outbox-messages.js';
import { formatDate, TYPE_LABELS } from '../format.js';
import { formatCount, formatMoney } from '../../shared/i18n/locale.js';
import { msg, str } from '@lit/localize';
import { plural } from '../../shared/i18n/plural.js';
import { name } from '../components/data-text.js';
import '../components/warning-dialog.js';
import '../components/camera-scan.js';
import '../components/recent-entries.js';

export type { DeskMode } from '../services/transaction-builder.js';

/** A key as KeyboardEvent reports it, with the modifier it needs, and as aria-keyshortcuts and the screen name it. */
interface Shortcut { key: string; ctrl?: boolean; shift?: boolean; aria: string; label: string }

interface Mode {
  mode: DeskMode;
  /** Read when drawn, so in the desk's language. */
  readonly label: string;
  path: string;
  form: (host: DeskFormHost) => TemplateResult;
  /** Whether its scans belong to a patron's visit, which ends with one receipt. */
  visit: boolean;
  /** Evergreen's staff client keys, which staff moving from it already know. */
  shortcut: Shortcut;
}

// The modes named as the rest of the app names each kind of transaction (TYPE_LABELS); renewing and
// registering are named for what staff do, as their forms' buttons are.
const MODES: Mode[] = [
  { mode: 'checkout', get label() { return TYPE_LABELS.checkout; }, path: '#/desk/checkout', form: checkoutForm, visit: true,
    shortcut: { key: 'F1', aria: 'F1', label: 'F1' } },
  { mode: 'renew', get label() { return msg('Renew'); }, path: '#/desk/renew', form: renewForm, visit: true,
    shortcut: { key: 'F2', ctrl: true, aria: 'Control+F2', label: 'Ctrl+F2' } },
  { mode: 'checkin', get label() { return TYPE_LABELS.checkin; }, path: '#/desk/checkin', form: checkinForm, visit: true,
    shortcut: { key: 'F2', aria: 'F2', label: 'F2' } },
  { mode: 'in_house_use', get label() { return TYPE_LABELS.in_house_use; }, path: '#/desk/in-house-use', form: inHouseUseForm, visit: false,
    shortcut: { key: 'F6', aria: 'F6', label: 'F6' } },
  { mode: 'register', get label() { return msg('Register patron'); }, path: '#/desk/register', form: registerForm, visit: false,
    shortcut: { key: 'F1', shift: true, aria: 'Shift+F1', label: 'Shift+F1' } },
  // Evergreen gives payments no key; F8 is one the browser leaves to the page.
  { mode: 'payment', get label() { return TYPE_LABELS.payment; }, path: '#/desk/payment', form: paymentForm, visit: true,
    shortcut: { key: 'F8', aria: 'F8', label: 'F8' } },
];

const REPRINT_KEY = 'F9';
/** Keys as printed on the keyboard: not translated. */
const DONE_KEY = 'Esc';

export const modeFromPath = (path: string): DeskMode => MODES.find((m) => m.path === path)?.mode ?? 'checkout';

/** Fields kept after a save: a patron usually borrows several items, and a desk registers with the same settings. */
const KEPT_AFTER_SAVE = new Set(['patron_barcode', 'noncat_type', 'profile', 'home_branch']);

/** Every sentence the desk says, in one place; each a whole sentence, names and titles filled in, read when said (so in the desk's language). */
const TEXT = {
  get modes() { return msg('Desk'); },
  get noData() { return msg('No offline data yet: warnings and due dates need one online visit.'); },
  get cancelled() { return msg('Not saved: cancelled.'); },
  cardCancelled: (card: string) => msg(str`Card ${card} not taken: its warning was cancelled. Scan a card.`),
  notSaved: (reason: string) => msg(str`Not saved: ${reason}`),
  patron: (card: string, name: string) => name ? msg(str`Patron: ${name} (${card}).`) : msg(str`Patron: card ${card}.`),
  newPatron: (card: string, name: string) => name ? msg(str`New patron: ${card} (${name}).`) : msg(str`New patron: ${card}.`),
  cardNotItem: (code: string) => msg(str`${code} is a patron’s card, not an item: nothing was recorded.`),
  /** What a card owes as far as this desk knows: the offline data's balance less the payments taken here since. */
  balance: {
    owes: (who: string, owed: string) => msg(str`${who} owes ${owed} as far as this desk knows.`),
    credit: (who: string, credit: string) => msg(str`${who} has ${credit} in credit as far as this desk knows.`),
    nothing: (who: string) => msg(str`${who} owes nothing as far as this desk knows.`),
    unknown: (card: string) => msg(str`Card ${card} is not in the offline data: what it owes is not known here.`),
  },
  zoneNote: (device: string, branch: string, zone: string) =>
    msg(str`This device’s clock is set to ${device}, but ${branch} keeps time in ${zone}: every date at this desk is ${branch}’s.`),
  itemNotCard: (code: string) => msg(str`${code} is an item, not a patron’s card: scan the patron’s card first.`),
  refused: (code: string) => msg(str`${code} was not recorded: it was scanned while a question was open. Scan it again.`),
  done: (count: number) => plural(count, {
    one: msg(str`Done: ${formatCount(count)} item for this patron. Scan the next patron’s card.`),
    other: msg(str`Done: ${formatCount(count)} items for this patron. Scan the next patron’s card.`),
  }),
  get doneEmpty() { return msg('Done. Scan the next patron’s card.'); },
  visitOf: (name: string, card: string) => name ? msg(str`Visit of ${name} (${card})`) : msg(str`Visit of card ${card}`),
  get visitNoCard() { return msg('This visit'); },
  visitCount: (count: number) => plural(count, { one: msg(str`${formatCount(count)} item`), other: msg(str`${formatCount(count)} items`) }),
  visitCountPaid: (count: number, paid: string) => plural(count, {
    one: msg(str`${formatCount(count)} item, paid ${paid}`),
    other: msg(str`${formatCount(count)} items, paid ${paid}`),
  }),
  visitPaid: (paid: string) => msg(str`paid ${paid}`),
  get doneButton() { return msg('Done / next patron'); },
  item: (title: string, barcode: string) => title ? msg(str`“${title}” (${barcode})`) : barcode,
  noncat: (count: number, name: string) => msg(str`${formatCount(count)} × ${name}`),
  person: (name: string, card: string) => name ? msg(str`${name} (${card})`) : card,
  line: {
    checkout: (item: string, due: string) => due ? msg(str`Checked out: ${item}, due ${due}`) : msg(str`Checked out: ${item}`),
    renew: (item: string, due: string) => due ? msg(str`Renewed: ${item}, due ${due}`) : msg(str`Renewed: ${item}`),
    checkin: (item: string) => msg(str`Returned: ${item}`),
    payment: (amount: string, note: string) => note ? msg(str`Paid: ${amount} (${note})`) : msg(str`Paid: ${amount}`),
  },
  saved: {
    checkout: (item: string, patron: string, due: string) => due
      ? msg(str`Saved on this device: checkout of ${item} to ${patron}, due ${due}.`)
      : msg(str`Saved on this device: checkout of ${item} to ${patron}.`),
    renew: (item: string, due: string) => due
      ? msg(str`Saved on this device: renewal of ${item}, due ${due}.`)
      : msg(str`Saved on this device: renewal of ${item}.`),
    checkin: (item: string, effective: string) => effective
      ? msg(str`Saved on this device: checkin of ${item} effective ${effective}.`)
      : msg(str`Saved on this device: checkin of ${item}.`),
    inHouseUse: (count: number, item: string) => plural(count, {
      one: msg(str`Saved on this device: ${formatCount(count)} in-house use of ${item}.`),
      other: msg(str`Saved on this device: ${formatCount(count)} in-house uses of ${item}.`),
    }),
    register: (first: string, last: string, card: string) =>
      msg(str`Saved on this device: registration of ${first} ${last} with card ${card}.`),
    payment: (amount: string, patron: string) => msg(str`Saved on this device: payment of ${amount} from ${patron}.`),
  },
};

/** Focuses a field for the next scan with its text selected, so a scan replaces what is there instead of gluing onto it. */
function focusForScan(field: HTMLInputElement | HTMLSelectElement | null | undefined): void {
  field?.focus();
  if (field instanceof HTMLInputElement && field.type !== 'date' && field.type !== 'number') field.select();
}

/** A visit's loans, renewals and returns: its payments are not items. */
const itemLines = (visit: Visit): Visit['lines'] => visit.lines.filter((l) => l.entry.tx.type !== 'payment');

const shortcutMatches = (s: Shortcut, e: KeyboardEvent): boolean =>
  e.key === s.key && !!s.ctrl === e.ctrlKey && !!s.shift === e.shiftKey && !e.altKey && !e.metaKey;

/**
 * The circulation desk. Every scan goes to the service worker, and the
 * screen confirms it only once the worker says it is stored on the device.
 * A patron's card is taken once per visit (and asked about once); the items
 * follow; "Done / next patron" ends the visit with one receipt.
 */
export class DeskPage extends LightElement implements DeskFormHost {
  static override properties = {
    device: { attribute: false }, mode: {}, version: { type: Number }, snapshotVersion: { type: Number },
    announcement: { state: true }, error: { state: true }, problemField: { state: true }, noncat: { state: true }, meta: { state: true },
    visit: { state: true }, announced: { state: true }, standing: { state: true },
  };
  device!: DeviceInfo;
  mode: DeskMode = 'checkout';
  /** Changes whenever the outbox changes, so the list reloads. */
  version = 0;
  /** Changes whenever the offline data was refreshed or confirmed, so its age and rules reload. */
  snapshotVersion = 0;
  announcement = '';
  error = '';
  problemField: string | null = null;
  noncat = false;
  meta: SnapshotMeta | null = null;
  visit: Visit = currentVisit();
  /** What the visit's card owes as far as this desk knows, shown at a payment; null until a card is taken there. */
  standing: { card: string; standing: rules.CardStanding } | null = null;
  /**
   * Bumped with every announcement, which is drawn keyed on it: the live
   * region gets a new node each time, so the same sentence twice (two scans
   * of one item) is announced twice.
   */
  announced = 0;
  /** A scan refused while a question was open, to name on the page once the question is answered. */
  private refusedCode = '';
  private noncatNamesMemo: { meta: SnapshotMeta | null; names: Record<string, string> } = { meta: null, names: {} };
  private timeMemo: { meta: SnapshotMeta | null; branch: string; time: DeskTime; mismatch: ReturnType<typeof zoneMismatch> } | undefined;
  private readonly warnings = new ScanWarningsController(this);
  private readonly gate = new ScanGateController(this, () => this.form, {
    replay: (code) => this.replay(code),
    refused: (code) => this.refused(code),
    giveBack: (text) => this.giveBack(text),
  });
  // Only once an item is scanned: with none, a date for "no item" would be shown as if it were the next loan's.
  private readonly duePreview = new DuePreviewController(this, () => {
    const item = this.field('item_barcode')?.value.trim();
    return this.mode === 'checkout' && !this.noncat && item
      ? { item, patron: this.field('patron_barcode')?.value.trim() || undefined, calendar: this.time.calendar } : null;
  });

  /** The desk branch's zone and calendar, from the offline data (the device's zone without it). */
  get time(): DeskTime {
    const branch = this.device.branch;
    return this.timeMemoFor(branch).time;
  }

  /** Worked out again only when the offline data or the branch changes: every scan draws the desk several times. */
  private timeMemoFor(branch: string): NonNullable<DeskPage['timeMemo']> {
    if (!this.timeMemo || this.timeMemo.meta !== this.meta || this.timeMemo.branch !== branch) {
      const time = deskTime(this.meta?.branches, branch);
      this.timeMemo = { meta: this.meta, branch, time, mismatch: zoneMismatch(time) };
    }
    return this.timeMemo;
  }

  /** The zone every date at this desk is shown in. */
  private get zone(): string {
    return this.time.calendar.zone;
  }

  get due(): rules.DuePreview | null {
    return this.duePreview.due;
  }

  get patronInfo(): string | TemplateResult {
    if (this.mode === 'payment' && this.visit.card && this.standing?.card === this.visit.card) {
      return this.balanceText(this.visit.card, this.visit.name, this.standing.standing);
    }
    return this.mode === 'checkout' && this.visit.card && this.visit.name ? name(this.visit.name) : '';
  }

  /** What a card owes as far as this desk knows, in a sentence naming the patron. */
  private balanceText(card: string, name: string, { entry }: rules.CardStanding): string {
    if (!entry) return TEXT.balance.unknown(card);
    const who = TEXT.person(name, card);
    if (entry[5] > 0) return TEXT.balance.owes(who, formatMoney(entry[5]));
    return entry[5] < 0 ? TEXT.balance.credit(who, formatMoney(-entry[5])) : TEXT.balance.nothing(who);
  }

  /**
   * The visit's card fills the patron field at a checkout and a payment only:
   * a renewal names a card only when the borrower shows it, and the last
   * patron's would be wrong for an item someone else borrowed.
   */
  get patronCard(): string {
    return this.mode === 'checkout' || this.mode === 'payment' ? this.visit.card ?? '' : '';
  }

  private get current(): Mode {
    return MODES.find((m) => m.mode === this.mode)!;
  }

  private get form(): HTMLFormElement | null {
    return this.querySelector('form.scan');
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement | null {
    return this.querySelector(`form.scan [name="${name}"]`);
  }

  private get noncatNames(): Record<string, string> {
    if (this.noncatNamesMemo.meta !== this.meta) {
      this.noncatNamesMemo = { meta: this.meta, names: Object.fromEntries((this.meta?.noncat_types ?? []).map((t) => [t.code, t.name])) };
    }
    return this.noncatNamesMemo.names;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onShortcut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onShortcut);
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('visit')) setVisit(this.visit);
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('snapshotVersion')) rules.meta().then((m) => { this.meta = m; }, () => undefined);
    if (changed.has('mode')) {
      this.duePreview.clear();
      this.error = '';
      this.problemField = null;
      this.focusFirst();
      this.modeSwitched?.();
      // A payment for the visit's patron: what the card owes, counted afresh (a payment may have been taken in another tab).
      const card = this.visit.card;
      if (this.mode === 'payment' && card) {
        void rules.cardStanding(card).then((standing) => { if (this.visit.card === card) this.standing = { card, standing }; }, () => undefined);
      }
    }
  }

  /** The field a scan goes to next: at checkout, the item once a card is taken; at a payment, the amount. */
  private focusFirst(): void {
    const next = this.mode === 'checkout' && this.visit.card ? this.field(this.noncat ? 'noncat_type' : 'item_barcode')
      : this.mode === 'payment' && this.visit.card ? this.field('amount') : this.querySelector<HTMLInputElement>('form.scan input');
    focusForScan(next);
  }

  private endPreviousFlash(event: Event): void {
    endFlash(event.currentTarget as HTMLElement);
  }

  readonly previewDue = (): void => {
    if (this.mode === 'checkout') this.duePreview.schedule();
  };

  readonly noncatChanged = (event: Event): void => {
    this.noncat = (event.target as HTMLInputElement).checked;
    this.duePreview.clear();
  };

  readonly scanWithCamera = async (target: string): Promise<void> => {
    const camera = this.querySelector<CameraScan>('oc-camera-scan')!;
    camera.dataset.target = target;
    await camera.start();
    // Closed, with a barcode or without: the next scan goes to the field, not to the button that opened the camera.
    if (!camera.querySelector('dialog')?.open) focusForScan(this.field(target));
  };

  private scanned(event: BarcodeScannedEvent): void {
    const target = (event.target as HTMLElement).dataset.target ?? 'item_barcode';
    const input = this.field(target) as HTMLInputElement | null;
    if (!input) return;
    input.value = event.value;
    input.focus();
    this.previewDue();
  }

  /** The one live announcement of a scan; the error line, which a field may point at, is cleared. */
  private say(message: string): void {
    this.announcement = message;
    this.announced++;
    this.error = '';
    this.problemField = null;
  }

  /**
   * Something went wrong or was refused: the error tone, the reason on the
   * error line (which the field points at), and the field emptied or its
   * text selected, so the next scan replaces it instead of gluing onto it.
   */
  private fail(message: string, field: string | null, empty = false): void {
    this.error = message;
    this.problemField = field;
    this.announcement = '';
    this.refocus(field, empty);
  }

  /** The error tone, and the field made ready for the next scan: emptied or its text selected, and focused. */
  private refocus(field: string | null, empty: boolean): void {
    signal('error', this.form ?? undefined);
    const input = field ? this.field(field) : null;
    if (empty && input) input.value = '';
    focusForScan(input);
  }

  /** Runs one scan's work through the gate; a scan refused meanwhile is named once the work is done. */
  private work(task: () => Promise<unknown>): Promise<unknown> {
    return this.gate.run(async () => {
      await task();
      if (this.refusedCode) {
        // Said beside what became of the scan the question was about (its tone sounded when it was refused).
        this.error = TEXT.refused(this.refusedCode);
        this.problemField = null;
        this.refusedCode = '';
      }
    });
  }

  private refused(code: string): void {
    // While the desk's own question is open, the dialog names it at once and the page once it is answered.
    if (this.gate.busy) {
      this.refusedCode = code;
      signal('error');
    } else {
      this.fail(TEXT.refused(code), null);
    }
  }

  /** A scan held while the desk was busy, recorded now as if just scanned into the field that has the focus. */
  private replay(code: string): void {
    const active = document.activeElement;
    const input = active instanceof HTMLInputElement && this.form?.contains(active) && active.type !== 'checkbox'
      ? active : this.querySelector<HTMLInputElement>('form.scan input[name$="barcode"]');
    if (!input) return;
    input.value = code;
    this.entered(input);
  }

  private giveBack(text: string): void {
    const active = document.activeElement;
    if (active instanceof HTMLInputElement && this.form?.contains(active)) active.value += text;
  }

  /** Enter in a field of the scan form: what a scanner sends after every code. */
  private onFormKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.isComposing) return;
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type === 'checkbox') return;
    event.preventDefault();
    this.entered(input);
  }

  private entered(input: HTMLInputElement): void {
    if (this.gate.busy) return;
    if (this.mode === 'register' && input.name === 'card_barcode') {
      // A new card is scanned first; the names are typed after it.
      if (input.value.trim()) this.field('first_name')?.focus();
      return;
    }
    if ((this.mode === 'checkout' || this.mode === 'payment') && input.name === 'patron_barcode') {
      const card = input.value.trim();
      if (card) void this.work(() => (this.mode === 'payment' ? this.takePayer(card) : this.takeCard(card, false)));
      return;
    }
    void this.work(() => this.save());
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.gate.busy) void this.work(() => this.save());
  }

  /**
   * Takes a patron's card for a visit: the warnings about the card (a block,
   * a barcode that breaks the rule, and at a checkout fines and items out,
   * counting what this desk recorded since its offline data) are asked here,
   * once, and every loan of the visit carries what staff allowed. A new card
   * ends the last patron's visit; a card taken for a payment stays in its
   * visit and is asked about now, with the payment counted.
   */
  private async takeCard(card: string, fromItemField: boolean): Promise<boolean> {
    this.error = '';
    this.problemField = null;
    const purpose = this.mode === 'renew' ? 'renew' : 'checkout';
    const sameVisit = this.visit.card === card;
    if (sameVisit && (this.visit.asked === 'checkout' || this.visit.asked === purpose)) {
      this.say(TEXT.patron(card, this.visit.name));
      this.focusFirst();
      return true;
    }
    if (await rules.isItem(card)) {
      // An item scanned before the card: no patron is taken for it, and nothing is lent.
      this.fail(TEXT.itemNotCard(card), 'patron_barcode', true);
      return false;
    }
    if (!sameVisit && visitOpen(this.visit)) this.endVisit();
    const standing = await rules.cardStanding(card);
    // What staff allowed already in this visit (at a renewal, say) is not asked again.
    const warnings = (await rules.patronWarnings(card, purpose, deskToday(this.time), standing))
      .filter((w) => !sameVisit || !this.visit.acknowledged.includes(w.code));
    const allowed = await this.warnings.ask(warnings);
    if (!allowed) {
      // A visit with a payment in it stays open for its receipt; the card is asked about again at its next loan.
      this.visit = sameVisit && this.visit.lines.length ? { ...this.visit, asked: null } : NO_VISIT;
      this.say(TEXT.cardCancelled(card));
      this.refocus('patron_barcode', true);
      return false;
    }
    const entry = standing.entry;
    const lines = sameVisit ? this.visit.lines : [];
    this.visit = {
      card, name: entry?.[4] ?? '', acknowledged: [...(sameVisit ? this.visit.acknowledged : []), ...allowed], asked: purpose, lines,
      // The visit's own loans are on the device already, so in the standing: counted once, by the visit, from here on.
      profile: entry?.[1] ?? null, itemsOut: entry?.[6] === null || entry?.[6] === undefined ? null : entry[6] - visitLoans({ ...this.visit, lines }),
    };
    await this.updateComplete;
    // The card scanned into the item field moves to the patron field (drawn with the visit's card; set again for a card typed over it).
    const patronInput = this.field('patron_barcode');
    if (patronInput) patronInput.value = card;
    this.say(fromItemField ? TEXT.newPatron(card, this.visit.name) : TEXT.patron(card, this.visit.name));
    this.focusFirst();
    this.previewDue();
    return true;
  }

  /**
   * Takes a card for a payment: no questions (paying needs nobody's leave),
   * what it owes as far as this desk knows, and the amount next. A new card
   * ends the last patron's visit; the same card keeps it, with what was lent.
   */
  private async takePayer(card: string): Promise<boolean> {
    this.error = '';
    this.problemField = null;
    if (this.visit.card !== card) {
      if (await rules.isItem(card)) {
        this.fail(TEXT.itemNotCard(card), 'patron_barcode', true);
        return false;
      }
      if (visitOpen(this.visit)) this.endVisit();
      const entry = await rules.patronEntry(card);
      this.visit = { ...NO_VISIT, card, name: entry?.[4] ?? '', lines: [] };
    }
    const standing = await rules.cardStanding(card);
    this.standing = { card, standing };
    await this.updateComplete;
    const patronInput = this.field('patron_barcode');
    if (patronInput) patronInput.value = card;
    this.say(this.balanceText(card, this.visit.name, standing));
    focusForScan(this.field('amount'));
    return true;
  }

  private async save(): Promise<void> {
    const form = this.form;
    if (!form) return;
    const now = new Date();
    const built = buildTransaction({ mode: this.mode, fields: Object.fromEntries(new FormData(form)), id: crypto.randomUUID(), now,
      today: deskToday(this.time, now) });
    if (!built.ok) {
      const amount = this.field('amount')?.value.trim() ?? '';
      if (this.mode === 'payment' && built.field === 'amount' && amount && await rules.isPatronCard(amount, null)) {
        // The next patron's card, scanned where the amount goes: their payment, not an error.
        this.field('amount')!.value = '';
        await this.takePayer(amount);
        return;
      }
      this.fail(built.problem, built.field);
      return;
    }
    let tx: NewTransaction = built.tx;
    try {
      if (tx.type === 'payment') {
        await this.savePayment(form, tx);
        return;
      }
      const item = tx.item_barcode ? await rules.itemInfo(tx.item_barcode) : null;
      if (tx.item_barcode && await rules.isPatronCard(tx.item_barcode, item)) {
        // The next patron's card, scanned into the item field: never a loan of an "item" of that number.
        const itemInput = this.field('item_barcode');
        if (itemInput) itemInput.value = '';
        if (this.mode === 'checkout' || this.mode === 'renew') await this.takeCard(tx.item_barcode, true);
        else this.fail(TEXT.cardNotItem(tx.item_barcode), 'item_barcode', true);
        return;
      }
      const purpose = tx.type === 'checkout' || tx.type === 'renew' ? tx.type : null;
      if (purpose && tx.patron_barcode && (tx.patron_barcode !== this.visit.card || (this.visit.asked !== 'checkout' && this.visit.asked !== purpose))) {
        if (!(await this.takeCard(tx.patron_barcode, false))) return;
      }
      const limit = this.limitWarning(tx, item);
      const allowed = await this.warnings.ask([...(limit ? [limit] : []), ...await this.warnings.forScan(tx, item)]);
      if (!allowed) {
        // A new card's number is selected (the names typed after it stay); an item is emptied for the next scan.
        this.say(TEXT.cancelled);
        this.refocus(tx.type === 'register' ? 'card_barcode' : 'item_barcode', tx.type !== 'register');
        this.duePreview.clear();
        return;
      }
      // Allowed once, the items-out limit is the visit's: every later loan carries it, and it is not asked again.
      if (limit) this.visit = { ...this.visit, acknowledged: [...this.visit.acknowledged, limit.code] };
      const forCard = tx.patron_barcode !== undefined && tx.patron_barcode === this.visit.card ? this.visit.acknowledged : [];
      const acknowledged = [...new Set([...forCard, ...allowed])];
      if (acknowledged.length) tx = { ...tx, acknowledged };
      if (tx.type === 'checkout' && tx.item_barcode && !tx.due_at) {
        // The date the patron is told is the date recorded, as a local date: the server reads it as the end of that day at this branch.
        const preview = await rules.dueFor(tx.item_barcode, tx.patron_barcode, new Date(tx.occurred_at), this.time.calendar);
        if (preview) tx.due_at = preview.due;
      }
      const entry = await outbox.record(tx);
      this.warnings.saved(tx);
      const title = item?.title ?? '';
      if (this.current.visit) this.visit = { ...this.visit, lines: [...this.visit.lines, { entry, title }] };
      this.say(this.savedText(entry, title));
      signal(allowed.length ? 'warning' : 'saved', form);
      this.clearAfterSave(form);
    } catch (err) {
      this.fail(TEXT.notSaved((err as Error).message), null);
    }
  }

  /**
   * The items-out question for a loan of the visit not asked at card scan: the visit's loans have brought
   * the patron to the limit for the item's type (processing flags each checkout made at or over it).
   */
  private limitWarning(tx: NewTransaction, item: { type: string } | null): rules.Warning | null {
    const v = this.visit;
    if (tx.type !== 'checkout' || !tx.item_barcode || tx.patron_barcode !== v.card || v.card === null || v.profile === null
      || v.acknowledged.includes('PATRON_EXCEEDS_CHECKOUT_COUNT')) return null;
    const out = v.itemsOut === null ? null : v.itemsOut + visitLoans(v);
    return rules.limitWarning(v.card, v.name, v.profile, out, item?.type ?? null, this.meta);
  }

  /** A payment: the card taken (no questions), a sum above what it owes asked about, then recorded in the visit. */
  private async savePayment(form: HTMLFormElement, built: NewTransaction): Promise<void> {
    let tx = built;
    const card = tx.patron_barcode!;
    if (card !== this.visit.card || this.standing?.card !== card) {
      if (!(await this.takePayer(card))) return;
    }
    const before = this.standing!.standing;
    const allowed = await this.warnings.ask(await rules.paymentWarnings(card, tx.amount_cents!, before));
    if (!allowed) {
      this.say(TEXT.cancelled);
      this.refocus('amount', false);
      return;
    }
    if (allowed.length) tx = { ...tx, acknowledged: allowed };
    const entry = await outbox.record(tx);
    this.visit = { ...this.visit, lines: [...this.visit.lines, { entry, title: '' }] };
    // What the card owes now, as far as this desk knows: the payment is on the device, so counted.
    this.standing = { card, standing: await rules.cardStanding(card) };
    this.say(this.savedText(entry, ''));
    signal(allowed.length ? 'warning' : 'saved', form);
    this.clearAfterSave(form);
  }

  /** Keeps the patron for the next item (a patron usually borrows several), clears the rest. */
  private clearAfterSave(form: HTMLFormElement): void {
    for (const el of Array.from(form.elements) as HTMLInputElement[]) {
      if (!el.name || KEPT_AFTER_SAVE.has(el.name) || el.type === 'checkbox' || el.type === 'submit' || el.type === 'button') continue;
      el.value = el.name === 'count' ? '1' : '';
    }
    this.duePreview.clear();
    if (this.mode === 'register') this.field('card_barcode')?.focus();
    // At checkout the next item, at a payment the next amount: a card scanned into either is taken as the next patron's.
    else if (this.mode === 'checkout' || this.mode === 'payment') this.focusFirst();
    else focusForScan(this.field('item_barcode'));
  }

  /** Ends the visit: one receipt for all of it, when the desk prints them. */
  private endVisit(): void {
    if (receiptSettings.enabled) {
      const branch = this.meta?.branches.find((b) => b.code === this.device.branch);
      const names = this.noncatNames;
      printVisitReceipt(this.visit, { branchName: branch?.name ?? this.device.branch, noncatName: (code) => names[code] ?? code, zone: this.zone });
    }
    this.visit = NO_VISIT;
  }

  /** "Done / next patron": the visit's receipt, and the desk ready for the next card. */
  readonly done = async (): Promise<void> => {
    if (this.gate.busy) return;
    const count = itemLines(this.visit).length;
    const had = visitOpen(this.visit);
    this.endVisit();
    this.duePreview.clear();
    await this.updateComplete;
    const patronInput = this.field('patron_barcode');
    if (patronInput) patronInput.value = '';
    const itemInput = this.field('item_barcode');
    if (itemInput) itemInput.value = '';
    if (had) this.say(count ? TEXT.done(count) : TEXT.doneEmpty);
    (patronInput ?? this.querySelector<HTMLInputElement>('form.scan input'))?.focus();
  };

  /** The desk's keys: a mode's key goes to it (pressed again in a visit's mode, it ends the visit), Esc is Done, F9 reprints. */
  private readonly onShortcut = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (event.key === 'Escape' && !event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey) {
      const target = event.target as Node;
      if (this.current.visit && (target === document.body || this.form?.contains(target))) {
        event.preventDefault();
        void this.done();
      }
      return;
    }
    if (event.key === REPRINT_KEY && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      reprintLast();
      return;
    }
    const target = MODES.find((m) => shortcutMatches(m.shortcut, event));
    if (!target) return;
    event.preventDefault();
    // In order with the scans around it: a scan still being saved finishes in its mode, the next one lands in the new.
    this.gate.whenIdle(() => {
      if (target.mode !== this.mode) void this.gate.run(() => this.switchMode(target.path));
      else if (target.visit) void this.done();
      else this.focusFirst();
    });
  };

  /** Settles a mode switch: called once the new mode's first field has focus. */
  private modeSwitched?: () => void;

  /**
   * Goes to another mode. Run through the gate: a scan that follows the mode's key at once (a scanner
   * does not wait for the screen) is held until the new mode's field has focus, then recorded there;
   * typed into the old field, its first characters were lost as the form changed under it.
   */
  private switchMode(path: string): Promise<void> {
    return new Promise<void>((resolve) => {
      // Should the route not change the mode after all, the scan waits no longer than a person would notice.
      const timer = setTimeout(() => { this.modeSwitched = undefined; resolve(); }, 500);
      this.modeSwitched = () => { clearTimeout(timer); this.modeSwitched = undefined; resolve(); };
      location.hash = path;
    });
  }

  private savedText({ tx }: OutboxEntry, title: string): string {
    const due = tx.due_at ? formatDate(tx.due_at, this.zone) : '';
    const item = TEXT.item(title, tx.item_barcode ?? '');
    switch (tx.type) {
      case 'checkout': {
        const patron = TEXT.person(tx.patron_barcode === this.visit.card ? this.visit.name : '', tx.patron_barcode ?? '');
        const what = tx.noncat_type ? TEXT.noncat(tx.count ?? 1, this.noncatNames[tx.noncat_type] ?? tx.noncat_type) : item;
        return TEXT.saved.checkout(what, patron, due);
      }
      case 'renew': return TEXT.saved.renew(item, due);
      case 'checkin': return TEXT.saved.checkin(item, tx.backdate ? formatDate(tx.backdate, this.zone) : '');
      case 'in_house_use': return TEXT.saved.inHouseUse(tx.count ?? 1, item);
      case 'payment':
        return TEXT.saved.payment(formatMoney(tx.amount_cents ?? 0),
          TEXT.person(tx.patron_barcode === this.visit.card ? this.visit.name : '', tx.patron_barcode ?? ''));
      default: return TEXT.saved.register(tx.patron?.first_name ?? '', tx.patron?.last_name ?? '', tx.patron?.barcode ?? '');
    }
  }

  /** How many items the visit holds, and what was paid in it. */
  private visitSummary(v: Visit): string {
    const items = itemLines(v).length;
    const paid = v.lines.reduce((sum, { entry: { tx } }) => sum + (tx.type === 'payment' ? tx.amount_cents ?? 0 : 0), 0);
    if (!paid) return TEXT.visitCount(items);
    return items ? TEXT.visitCountPaid(items, formatMoney(paid)) : TEXT.visitPaid(formatMoney(paid));
  }

  /** The patron's visit: what was recorded for them, "Done / next patron", and the receipt it ends with. */
  private renderVisit() {
    const v = this.visit;
    const names = this.noncatNames;
    const lineText = ({ entry: { tx }, title }: Visit['lines'][number]): string => {
      if (tx.type === 'payment') return TEXT.line.payment(formatMoney(tx.amount_cents ?? 0), tx.note ?? '');
      const item = tx.noncat_type ? TEXT.noncat(tx.count ?? 1, names[tx.noncat_type] ?? tx.noncat_type) : TEXT.item(title, tx.item_barcode ?? '');
      const due = tx.due_at ? formatDate(tx.due_at, this.zone) : '';
      return tx.type === 'checkout' ? TEXT.line.checkout(item, due) : tx.type === 'renew' ? TEXT.line.renew(item, due) : TEXT.line.checkin(item);
    };
    // With no visit open there is nothing to finish: only the receipt settings stay.
    if (!visitOpen(v)) return html`<div class="card visit">${receiptOptions()}</div>`;
    return html`<section class="card visit" aria-labelledby="visit-title">
      <h2 id="visit-title">${v.card ? TEXT.visitOf(v.name, v.card) : TEXT.visitNoCard}
        <span class="muted">· ${this.visitSummary(v)}</span></h2>
      ${v.lines.length ? html`<ol class="visit-lines">${v.lines.map((l) => html`<li>${lineText(l)}</li>`)}</ol>` : nothing}
      <button type="button" class="secondary done" @click=${this.done} aria-keyshortcuts="Escape">
        ${TEXT.doneButton} <kbd aria-hidden="true" translate="no">${DONE_KEY}</kbd></button>
      ${receiptOptions()}
    </section>`;
  }

  /**
   * A device whose clock is set to another zone than its branch keeps: said once, on the desk, not at
   * every scan. The desk's dates follow the branch either way; the device's own clock would not.
   */
  private renderZoneNote() {
    const { mismatch } = this.timeMemoFor(this.device.branch);
    return mismatch ? html`<p class="warn zone-note">${TEXT.zoneNote(mismatch.device, this.device.branch, mismatch.branch)}</p>` : nothing;
  }

  protected override render() {
    const current = this.current;
    return html`
      <nav class="modes" aria-label=${TEXT.modes}>
        ${MODES.map((m) => html`<a href=${m.path} aria-current=${m === current ? 'page' : nothing} aria-keyshortcuts=${m.shortcut.aria}
          >${m.label} <kbd aria-hidden="true" translate="no">${m.shortcut.label}</kbd></a>`)}
      </nav>
      <div class="desk">
        <section class="card desk-form" aria-labelledby="desk-title">
          <h1 id="desk-title">${current.label}</h1>
          <p class="muted snapshot-age">${this.meta ? rules.ageText(this.meta.checked_at) : TEXT.noData}</p>
          ${this.renderZoneNote()}
          <form class="scan" @submit=${this.submit} @keydown=${this.onFormKeydown} @input=${this.endPreviousFlash} novalidate>
            ${current.form(this)}
          </form>
          <p role="status" class="announce">${keyed(this.announced, html`<span>${this.announcement}</span>`)}</p>
          <p id=${ERROR_ID} role="alert" class="error">${this.error}</p>
        </section>
        <div class="desk-side">
          ${current.visit ? this.renderVisit() : nothing}
          <oc-recent-entries .version=${this.version} .noncatNames=${this.noncatNames} .zone=${this.zone}></oc-recent-entries>
        </div>
      </div>
      <oc-warning-dialog></oc-warning-dialog>
      <oc-camera-scan @barcode-scanned=${this.scanned}></oc-camera-scan>`;
  }
}
customElements.define('oc-desk-page', DeskPage);
