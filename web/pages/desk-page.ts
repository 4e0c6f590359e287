import { html, nothing } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { LightElement } from '../components/light-element.js';
import { endFlash, signal } from '../components/feedback.js';
import { printReceipt, receiptSettings, reprintLast, hasLastReceipt, type Paper } from '../components/receipt.js';
import { cameraScanningAvailable, type BarcodeScannedEvent, type CameraScan } from '../components/camera-scan.js';
import type { WarningDialog } from '../components/warning-dialog.js';
import * as outbox from '../services/outbox-client.js';
import * as rules from '../services/desk-rules.js';
import type { DeviceInfo, NewTransaction, OutboxEntry } from '../../shared/outbox-messages.js';
import { BARCODE_PATTERN } from '../../shared/transaction.js';
import { formatDate, formatTime, TYPE_LABELS } from '../format.js';
import '../components/warning-dialog.js';
import '../components/camera-scan.js';

export type DeskMode = 'checkout' | 'renew' | 'checkin' | 'in_house_use' | 'register';

const MODES: { mode: DeskMode; label: string; path: string }[] = [
  { mode: 'checkout', label: 'Checkout', path: '#/desk/checkout' },
  { mode: 'renew', label: 'Renew', path: '#/desk/renew' },
  { mode: 'checkin', label: 'Checkin', path: '#/desk/checkin' },
  { mode: 'in_house_use', label: 'In-house use', path: '#/desk/in-house-use' },
  { mode: 'register', label: 'Register patron', path: '#/desk/register' },
];

export const modeFromPath = (path: string): DeskMode => MODES.find((m) => m.path === path)?.mode ?? 'checkout';

const today = (): string => new Date().toISOString().slice(0, 10);
const plusDays = (days: number): string => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
type SnapshotMeta = Awaited<ReturnType<typeof rules.meta>>;

/**
 * The circulation desk. Every scan goes to the service worker, and the
 * screen confirms it only once the worker says it is stored on the device.
 */
export class DeskPage extends LightElement {
  static override properties = {
    device: { attribute: false }, mode: {}, version: { type: Number }, snapshotVersion: { type: Number },
    announcement: { state: true }, error: { state: true }, entries: { state: true }, filter: { state: true },
    noncat: { state: true }, due: { state: true }, meta: { state: true }, printing: { state: true },
  };
  device!: DeviceInfo;
  mode: DeskMode = 'checkout';
  /** Changes whenever the outbox changes, so the list reloads. */
  version = 0;
  /** Changes whenever the offline data was refreshed or confirmed, so its age and rules reload. */
  snapshotVersion = 0;
  announcement = '';
  error = '';
  entries: OutboxEntry[] = [];
  /** Not reactive: nothing on screen shows it, and each re-render would sit on the scan's path. */
  private busy = false;
  filter = '';
  noncat = false;
  due: rules.DuePreview | null = null;
  meta: SnapshotMeta = null;
  printing = receiptSettings.enabled;
  /** The last scan saved in this tab, to catch the same item scanned twice in a row. */
  private lastSaved: NewTransaction | null = null;
  private dueTimer?: ReturnType<typeof setTimeout>;

  protected override firstUpdated(): void {
    // Its own stacking context gives the up to 200 rows a paint layer of their own, so the browser
    // replays them instead of repainting them (3 ms a frame) on every frame of the scan form's
    // flash. Set through the CSSOM: the CSP allows no inline style attribute.
    this.querySelector<HTMLElement>('table.entries')!.style.isolation = 'isolate';
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('snapshotVersion')) rules.meta().then((m) => { this.meta = m; }, () => undefined);
    if (changed.has('version')) void this.loadEntries();
    if (changed.has('mode')) { this.due = null; this.focusFirst(); }
  }

  private shownMemo: { entries: OutboxEntry[]; needle: string; shown: OutboxEntry[] } | undefined;

  /**
   * The listed entries, the same array for as long as the entries and the
   * search are the same: the list is guarded on it, so a scan's own re-renders
   * (its status line, the cleared form) leave the up to 200 rows alone.
   */
  private shownEntries(needle: string): OutboxEntry[] {
    const memo = this.shownMemo;
    if (memo && memo.entries === this.entries && memo.needle === needle) return memo.shown;
    const shown = needle ? this.entries.filter((e) => JSON.stringify(e.tx).toLowerCase().includes(needle)) : this.entries;
    this.shownMemo = { entries: this.entries, needle, shown };
    return shown;
  }

  private async loadEntries(): Promise<void> {
    try {
      this.entries = await outbox.list(200);
    } catch {
      // The worker is starting; the next change reloads.
    }
  }

  private focusFirst(): void {
    this.querySelector<HTMLInputElement>('form.scan input')?.focus();
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement | null {
    return this.querySelector(`form.scan [name="${name}"]`);
  }

  private endPreviousFlash(event: Event): void {
    endFlash(event.currentTarget as HTMLElement);
  }

  /** Scanners type the barcode and press Enter: in the patron field that moves on to the item. */
  private nextOnEnter(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || this.mode !== 'checkout' || this.noncat) return;
    const input = event.target as HTMLInputElement;
    if (!input.value.trim()) return;
    event.preventDefault();
    (this.field('item_barcode') as HTMLInputElement | null)?.focus();
  }

  /** The due date the server will give, recomputed as staff scan. */
  private previewDue(): void {
    clearTimeout(this.dueTimer);
    if (this.mode !== 'checkout') return;
    this.dueTimer = setTimeout(async () => {
      const item = this.field('item_barcode')?.value.trim() || undefined;
      const patron = this.field('patron_barcode')?.value.trim() || undefined;
      this.due = this.noncat ? null : await rules.dueFor(item, patron).catch(() => null);
    }, 120);
  }

  private buildTransaction(form: FormData): NewTransaction | string {
    const text = (name: string): string | undefined => {
      const v = form.get(name);
      return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    const base = { id: crypto.randomUUID(), occurred_at: new Date().toISOString() };
    const item = text('item_barcode');
    const patron = text('patron_barcode');
    const card = text('card_barcode');
    for (const [label, value] of [['Item barcode', item], ['Patron barcode', patron], ['Card barcode', card]] as const) {
      if (value && !BARCODE_PATTERN.test(value)) return `${label} “${value}” has spaces or characters a scanner does not send`;
    }
    const dueAt = text('due_at');
    if (dueAt && dueAt < today()) return 'The due date cannot be in the past';
    switch (this.mode) {
      case 'checkout': {
        if (!patron) return 'Scan the patron’s card first';
        if (this.noncat) {
          const type = text('noncat_type');
          const count = Number(text('count') ?? '1');
          if (!type) return 'Choose the non-cataloged type';
          if (!Number.isInteger(count) || count < 1 || count > 99) return 'Count must be a whole number from 1 to 99';
          return { ...base, type: 'checkout', patron_barcode: patron, noncat_type: type, count };
        }
        if (!item) return 'Scan the item';
        return { ...base, type: 'checkout', patron_barcode: patron, item_barcode: item, ...(dueAt ? { due_at: dueAt } : {}) };
      }
      case 'renew':
        if (!item) return 'Scan the item';
        return { ...base, type: 'renew', item_barcode: item, ...(patron ? { patron_barcode: patron } : {}), ...(dueAt ? { due_at: dueAt } : {}) };
      case 'checkin': {
        if (!item) return 'Scan the item';
        const backdate = text('backdate');
        if (backdate && backdate > today()) return 'The effective date cannot be in the future';
        return { ...base, type: 'checkin', item_barcode: item, ...(backdate ? { backdate } : {}) };
      }
      case 'in_house_use': {
        if (!item) return 'Scan the item';
        const count = Number(text('count') ?? '1');
        if (!Number.isInteger(count) || count < 1 || count > 99) return 'Count must be a whole number from 1 to 99';
        return { ...base, type: 'in_house_use', item_barcode: item, count };
      }
      case 'register': {
        const first = text('first_name');
        const last = text('last_name');
        if (!card) return 'Scan or type the new card’s barcode';
        if (!first || !last) return 'First and last name are required';
        const patronRecord = { barcode: card, first_name: first, last_name: last, profile: text('profile'), home_branch: text('home_branch'),
          email: text('email'), phone: text('phone') };
        for (const key of Object.keys(patronRecord) as (keyof typeof patronRecord)[]) if (patronRecord[key] === undefined) delete patronRecord[key];
        return { ...base, type: 'register', patron: patronRecord };
      }
    }
  }

  /** Every warning this scan raises, asked one by one; resolves with the allowed codes, or null if staff cancelled. */
  private async confirm(tx: NewTransaction): Promise<string[] | null> {
    const warnings: rules.Warning[] = [];
    if ((tx.type === 'checkout' || tx.type === 'renew') && tx.patron_barcode) warnings.push(...await rules.patronWarnings(tx.patron_barcode));
    if (tx.item_barcode) warnings.push(...await rules.itemWarnings(tx.item_barcode));
    if ((tx.type === 'checkout' || tx.type === 'renew') && tx.item_barcode) warnings.push(...await rules.holdWarnings(tx.type, tx.item_barcode, tx.patron_barcode));
    if (tx.type === 'register' && tx.patron) {
      if (await rules.patronEntry(tx.patron.barcode)) {
        warnings.push({ code: 'PATRON_BARCODE_EXISTS', heading: 'Card already in use', message: `Card ${tx.patron.barcode} already belongs to a patron. Register anyway?` });
      }
    }
    const last = this.lastSaved;
    if (tx.item_barcode && last && last.type === tx.type && last.item_barcode === tx.item_barcode) {
      warnings.push({ code: 'DUPLICATE_SCAN', heading: 'Same item again', message: `${tx.item_barcode} was just scanned for ${TYPE_LABELS[tx.type].toLowerCase()}. Record it again?` });
    }
    const allowed: string[] = [];
    const dialog = this.querySelector<WarningDialog>('oc-warning-dialog')!;
    for (const w of warnings) {
      if (!(await dialog.ask(w.heading, w.message))) return null;
      allowed.push(w.code);
    }
    return allowed;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const built = this.buildTransaction(new FormData(form));
    if (typeof built === 'string') {
      this.error = built;
      this.announcement = '';
      signal('error', form);
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const acknowledged = await this.confirm(built);
      if (!acknowledged) {
        this.announcement = 'Not saved: cancelled.';
        this.field('item_barcode')?.focus();
        return;
      }
      const tx: NewTransaction = { ...built, ...(acknowledged.length ? { acknowledged } : {}) };
      let dueNote = '';
      if (tx.type === 'checkout' && tx.item_barcode && !tx.due_at) {
        // The date the patron is told is the date recorded: the server honours it.
        const preview = await rules.dueFor(tx.item_barcode, tx.patron_barcode, new Date(tx.occurred_at));
        if (preview) { tx.due_at = preview.due; dueNote = preview.fallback ? 'branch default' : ''; }
      }
      const entry = await outbox.record(tx);
      this.lastSaved = tx;
      this.announcement = `Saved on this device: ${describe(entry)}`;
      signal(acknowledged.length ? 'warning' : 'saved', form);
      if (this.printing && tx.type !== 'in_house_use' && tx.type !== 'register') {
        const branch = this.meta?.branches.find((b) => b.code === this.device.branch);
        printReceipt(entry, branch?.name ?? this.device.branch, dueNote);
      }
      this.clearAfterSave(form);
    } catch (err) {
      this.error = `Not saved: ${(err as Error).message}`;
      this.announcement = '';
      signal('error', form);
    } finally {
      this.busy = false;
    }
  }

  /** Keeps the patron for the next item (a patron usually borrows several), clears the rest. */
  private clearAfterSave(form: HTMLFormElement): void {
    const keep = new Set(['patron_barcode', 'noncat_type', 'profile', 'home_branch']);
    for (const el of Array.from(form.elements) as HTMLInputElement[]) {
      if (!el.name || keep.has(el.name) || el.type === 'checkbox' || el.type === 'submit' || el.type === 'button') continue;
      if (this.mode === 'register' && el.name !== 'profile' && el.name !== 'home_branch') el.value = '';
      else if (el.name === 'count') el.value = '1';
      else el.value = '';
    }
    this.due = null;
    if (this.mode === 'register') this.field('card_barcode')?.focus();
    else (this.field('item_barcode') ?? this.field('patron_barcode'))?.focus();
  }

  private scanWithCamera(target: string): void {
    const camera = this.querySelector<CameraScan>('oc-camera-scan')!;
    camera.dataset.target = target;
    void camera.start();
  }

  private scanned(event: BarcodeScannedEvent): void {
    const target = (event.target as HTMLElement).dataset.target ?? 'item_barcode';
    const input = this.field(target) as HTMLInputElement | null;
    if (!input) return;
    input.value = event.value;
    input.focus();
    this.previewDue();
  }

  private renderFields() {
    const camera = (target: string) => cameraScanningAvailable()
      ? html`<button type="button" class="secondary" @click=${() => this.scanWithCamera(target)}>Scan with camera</button>` : nothing;
    const patron = (required: boolean) => html`<label>Patron barcode
      <input name="patron_barcode" autocomplete="off" ?required=${required} @keydown=${this.nextOnEnter} @input=${this.previewDue}></label>`;
    const item = html`<label>Item barcode <input name="item_barcode" autocomplete="off" required @input=${this.previewDue}></label>${camera('item_barcode')}`;
    const due = html`<label>Due date <input name="due_at" type="date" min=${today()}>
        <small>Leave empty for the loan policy’s date</small></label>
      <div class="quick" role="group" aria-label="Quick due dates">
        ${[7, 14, 21, 28].map((d) => html`<button type="button" class="secondary" @click=${() => { (this.field('due_at') as HTMLInputElement).value = plusDays(d); }}>+${d} days</button>`)}
      </div>`;
    switch (this.mode) {
      case 'checkout': return html`${patron(true)}
        <label class="check"><input type="checkbox" .checked=${this.noncat} @change=${(e: Event) => { this.noncat = (e.target as HTMLInputElement).checked; this.due = null; }}>
          Non-cataloged item (paperback exchange, magazine…)</label>
        ${this.noncat ? html`<label>Type <select name="noncat_type" required>
            ${(this.meta?.noncat_types ?? []).map((t) => html`<option value=${t.code}>${t.name}</option>`)}
            ${this.meta?.noncat_types.length ? nothing : html`<option value="other">Other</option>`}
          </select></label>
          <label>Count <input name="count" type="number" min="1" max="99" value="1" required></label>`
          : html`${item}${due}
          ${this.due ? html`<p class="due-preview" aria-live="polite">Due ${formatDate(this.due.due)} <span class="basis">(${this.due.basis})</span></p>` : nothing}`}
        <button type="submit">Check out</button>`;
      case 'renew': return html`${item}${patron(false)}${due}<button type="submit">Renew</button>`;
      case 'checkin': return html`${item}<label>Effective date <input name="backdate" type="date" max=${today()}>
        <small>For items returned earlier (book drop); leave empty for now</small></label><button type="submit">Check in</button>`;
      case 'in_house_use': return html`${item}<label>Count <input name="count" type="number" min="1" max="99" value="1" required></label>
        <button type="submit">Record use</button>`;
      case 'register': return html`
        <label>Card barcode <input name="card_barcode" autocomplete="off" required></label>${camera('card_barcode')}
        <label>First name <input name="first_name" autocomplete="off" required maxlength="100"></label>
        <label>Last name <input name="last_name" autocomplete="off" required maxlength="100"></label>
        <label>Profile <select name="profile">
          ${(this.meta?.profiles.length ? this.meta.profiles : ['adult', 'juvenile']).map((p) => html`<option ?selected=${p === 'adult'}>${p}</option>`)}
        </select></label>
        <label>Home branch <select name="home_branch">
          ${(this.meta?.branches.filter((b) => b.parent !== null) ?? [{ code: this.device.branch, name: this.device.branch }])
            .map((b) => html`<option value=${b.code} ?selected=${b.code === this.device.branch}>${b.name}</option>`)}
        </select></label>
        <label>Email <input name="email" type="email" autocomplete="off" maxlength="200"></label>
        <label>Phone <input name="phone" type="tel" autocomplete="off" maxlength="200"></label>
        <button type="submit">Register patron</button>`;
    }
  }

  private renderReceiptTools() {
    if (this.mode === 'in_house_use' || this.mode === 'register') return nothing;
    return html`<div class="row receipt-tools">
      <label class="check"><input type="checkbox" .checked=${this.printing}
        @change=${(e: Event) => { this.printing = receiptSettings.enabled = (e.target as HTMLInputElement).checked; }}> Print receipt</label>
      <label class="inline">Paper <select @change=${(e: Event) => { receiptSettings.paper = (e.target as HTMLSelectElement).value as Paper; }}>
        <option value="80mm" ?selected=${receiptSettings.paper === '80mm'}>80 mm receipt printer</option>
        <option value="a4" ?selected=${receiptSettings.paper === 'a4'}>A4</option>
      </select></label>
      <button type="button" class="secondary" ?disabled=${!hasLastReceipt()} @click=${reprintLast}>Reprint last receipt</button>
    </div>`;
  }

  protected override render() {
    const needle = this.filter.trim().toLowerCase();
    const shown = this.shownEntries(needle);
    return html`
      <nav class="modes" aria-label="Desk">
        ${MODES.map((m) => html`<a href=${m.path} aria-current=${m.mode === this.mode ? 'page' : nothing}>${m.label}</a>`)}
      </nav>
      <section class="card">
        <h1>${MODES.find((m) => m.mode === this.mode)!.label}</h1>
        <p class="muted snapshot-age">${this.meta ? rules.ageText(this.meta.checked_at) : 'No offline data yet: warnings and due dates need one online visit.'}</p>
        <form class="scan" @submit=${this.submit} @input=${this.endPreviousFlash} novalidate>
          ${this.renderFields()}
        </form>
        ${this.renderReceiptTools()}
        <p role="status" aria-live="polite" class="announce">${this.announcement}</p>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <section class="card">
        <h2>On this device</h2>
        <label class="inline">Search <input type="search" .value=${this.filter} @input=${(e: Event) => { this.filter = (e.target as HTMLInputElement).value; }}></label>
        <table class="entries">
          <caption class="visually-hidden">Transactions recorded on this device, newest first</caption>
          <thead><tr><th>#</th><th>Time</th><th>Type</th><th>Item</th><th>Patron</th><th>Due</th><th>State</th></tr></thead>
          <tbody>
            ${guard([shown], () => repeat(shown, (e) => e.id, entryRow))}
          </tbody>
        </table>
        ${shown.length ? '' : html`<p class="muted">Nothing recorded yet.</p>`}
      </section>
      <oc-warning-dialog></oc-warning-dialog>
      <oc-camera-scan @barcode-scanned=${this.scanned}></oc-camera-scan>`;
  }
}
customElements.define('oc-desk-page', DeskPage);

/** One row of the list; rows are keyed by id, so a new scan adds its row and the others' text stays as it is. */
function entryRow(e: OutboxEntry) {
  return html`<tr class=${`state-${e.state}`}>
    <td>${e.tx.seq}</td><td>${formatTime(e.tx.occurred_at)}</td><td>${TYPE_LABELS[e.tx.type]}</td>
    <td>${e.tx.item_barcode ?? (e.tx.noncat_type ? `${e.tx.count ?? 1} × ${e.tx.noncat_type}` : '')}</td>
    <td>${e.tx.patron_barcode ?? e.tx.patron?.barcode ?? ''}</td><td>${e.tx.due_at ? formatDate(e.tx.due_at) : ''}</td>
    <td>${e.state === 'uploaded' ? (e.duplicate ? 'uploaded (already received)' : 'uploaded') : e.state === 'rejected' ? `refused: ${e.reason}` : 'pending'}</td>
  </tr>`;
}

function describe(entry: OutboxEntry): string {
  const tx = entry.tx;
  switch (tx.type) {
    case 'checkout': return tx.noncat_type ? `checkout of ${tx.count ?? 1} × ${tx.noncat_type} to ${tx.patron_barcode}.`
      : `checkout of ${tx.item_barcode} to ${tx.patron_barcode}${tx.due_at ? `, due ${formatDate(tx.due_at)}` : ''}.`;
    case 'renew': return `renewal of ${tx.item_barcode}${tx.due_at ? `, due ${formatDate(tx.due_at)}` : ''}.`;
    case 'checkin': return `checkin of ${tx.item_barcode}${tx.backdate ? ` effective ${formatDate(tx.backdate)}` : ''}.`;
    case 'in_house_use': return `${tx.count ?? 1} in-house use(s) of ${tx.item_barcode}.`;
    case 'register': return `registration of ${tx.patron?.first_name} ${tx.patron?.last_name} with card ${tx.patron?.barcode}.`;
  }
}
