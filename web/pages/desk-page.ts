import { html, nothing } from 'lit';
import { LightElement } from '../components/light-element.js';
import { signal } from '../components/feedback.js';
import * as outbox from '../services/outbox-client.js';
import type { DeviceInfo, NewTransaction, OutboxEntry } from '../../shared/outbox-messages.js';
import { BARCODE_PATTERN } from '../../shared/transaction.js';
import { formatDate, formatTime, TYPE_LABELS } from '../format.js';

export type DeskMode = 'checkout' | 'renew' | 'checkin' | 'in_house_use';

const MODES: { mode: DeskMode; label: string; path: string }[] = [
  { mode: 'checkout', label: 'Checkout', path: '#/desk/checkout' },
  { mode: 'renew', label: 'Renew', path: '#/desk/renew' },
  { mode: 'checkin', label: 'Checkin', path: '#/desk/checkin' },
  { mode: 'in_house_use', label: 'In-house use', path: '#/desk/in-house-use' },
];

export const modeFromPath = (path: string): DeskMode => MODES.find((m) => m.path === path)?.mode ?? 'checkout';

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * The circulation desk. Every scan goes to the service worker, and the
 * screen confirms it only once the worker says it is stored on the device.
 */
export class DeskPage extends LightElement {
  static override properties = {
    device: { attribute: false }, mode: {}, version: { type: Number },
    announcement: { state: true }, error: { state: true }, entries: { state: true }, busy: { state: true }, filter: { state: true },
  };
  device!: DeviceInfo;
  mode: DeskMode = 'checkout';
  /** Changes whenever the outbox changes, so the list reloads. */
  version = 0;
  announcement = '';
  error = '';
  entries: OutboxEntry[] = [];
  busy = false;
  filter = '';

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('version')) void this.loadEntries();
    if (changed.has('mode')) this.focusFirst();
  }

  private async loadEntries(): Promise<void> {
    try {
      this.entries = await outbox.list(200);
    } catch {
      // The worker is starting; the next change reloads.
    }
  }

  private focusFirst(): void {
    const first = this.querySelector<HTMLInputElement>('form.scan input');
    first?.focus();
  }

  /** Scanners type the barcode and press Enter: in the patron field that moves on to the item. */
  private nextOnEnter(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    const input = event.target as HTMLInputElement;
    if (!input.value.trim()) return;
    event.preventDefault();
    this.querySelector<HTMLInputElement>('input[name="item_barcode"]')?.focus();
  }

  private buildTransaction(form: FormData): NewTransaction | string {
    const text = (name: string): string | undefined => {
      const v = form.get(name);
      return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    const base = { id: crypto.randomUUID(), occurred_at: new Date().toISOString() };
    const item = text('item_barcode');
    const patron = text('patron_barcode');
    for (const [label, value] of [['Item barcode', item], ['Patron barcode', patron]] as const) {
      if (value && !BARCODE_PATTERN.test(value)) return `${label} “${value}” has spaces or characters a scanner does not send`;
    }
    switch (this.mode) {
      case 'checkout':
        if (!patron) return 'Scan the patron’s card first';
        if (!item) return 'Scan the item';
        return { ...base, type: 'checkout', patron_barcode: patron, item_barcode: item, ...(text('due_at') ? { due_at: text('due_at') } : {}) };
      case 'renew':
        if (!item) return 'Scan the item';
        return { ...base, type: 'renew', item_barcode: item, ...(patron ? { patron_barcode: patron } : {}), ...(text('due_at') ? { due_at: text('due_at') } : {}) };
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
    }
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
      const entry = await outbox.record(built);
      this.announcement = `Saved on this device: ${describe(entry)}`;
      signal('saved', form);
      const item = form.querySelector<HTMLInputElement>('input[name="item_barcode"]');
      if (item) item.value = '';
      for (const name of ['backdate', 'due_at']) {
        const field = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
        if (field) field.value = '';
      }
      item?.focus();
    } catch (err) {
      this.error = `Not saved: ${(err as Error).message}`;
      this.announcement = '';
      signal('error', form);
    } finally {
      this.busy = false;
    }
  }

  private renderFields() {
    const patron = (required: boolean) => html`<label>Patron barcode
      <input name="patron_barcode" autocomplete="off" inputmode="text" ?required=${required} @keydown=${this.nextOnEnter}></label>`;
    const item = html`<label>Item barcode <input name="item_barcode" autocomplete="off" required></label>`;
    const due = html`<label>Due date <input name="due_at" type="date" min=${today()}>
      <small>Leave empty for the loan policy’s date</small></label>`;
    switch (this.mode) {
      case 'checkout': return html`${patron(true)}${item}${due}<button type="submit">Check out</button>`;
      case 'renew': return html`${item}${patron(false)}${due}<button type="submit">Renew</button>`;
      case 'checkin': return html`${item}<label>Effective date <input name="backdate" type="date" max=${today()}>
        <small>For items returned earlier (book drop); leave empty for now</small></label><button type="submit">Check in</button>`;
      case 'in_house_use': return html`${item}<label>Count <input name="count" type="number" min="1" max="99" value="1" required></label>
        <button type="submit">Record use</button>`;
    }
  }

  protected override render() {
    const needle = this.filter.trim().toLowerCase();
    const shown = needle ? this.entries.filter((e) => JSON.stringify(e.tx).toLowerCase().includes(needle)) : this.entries;
    return html`
      <nav class="modes" aria-label="Desk">
        ${MODES.map((m) => html`<a href=${m.path} aria-current=${m.mode === this.mode ? 'page' : nothing}>${m.label}</a>`)}
      </nav>
      <section class="card">
        <h1>${MODES.find((m) => m.mode === this.mode)!.label}</h1>
        <form class="scan" @submit=${this.submit} novalidate>
          ${this.renderFields()}
        </form>
        <p role="status" aria-live="polite" class="announce">${this.announcement}</p>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <section class="card">
        <h2>On this device</h2>
        <label class="inline">Search <input type="search" .value=${this.filter} @input=${(e: Event) => { this.filter = (e.target as HTMLInputElement).value; }}></label>
        <table class="entries">
          <caption class="visually-hidden">Transactions recorded on this device, newest first</caption>
          <thead><tr><th>#</th><th>Time</th><th>Type</th><th>Item</th><th>Patron</th><th>State</th></tr></thead>
          <tbody>
            ${shown.map((e) => html`<tr class=${`state-${e.state}`}>
              <td>${e.tx.seq}</td><td>${formatTime(e.tx.occurred_at)}</td><td>${TYPE_LABELS[e.tx.type]}</td>
              <td>${e.tx.item_barcode ?? ''}</td><td>${e.tx.patron_barcode ?? ''}</td>
              <td>${e.state === 'uploaded' ? (e.duplicate ? 'uploaded (already received)' : 'uploaded') : e.state === 'rejected' ? `rejected: ${e.reason}` : 'pending'}</td>
            </tr>`)}
          </tbody>
        </table>
        ${shown.length ? '' : html`<p class="muted">Nothing recorded yet.</p>`}
      </section>`;
  }
}
customElements.define('oc-desk-page', DeskPage);

function describe(entry: OutboxEntry): string {
  const tx = entry.tx;
  switch (tx.type) {
    case 'checkout': return `checkout of ${tx.item_barcode} to ${tx.patron_barcode}${tx.due_at ? `, due ${formatDate(tx.due_at)}` : ''}.`;
    case 'renew': return `renewal of ${tx.item_barcode}${tx.due_at ? `, due ${formatDate(tx.due_at)}` : ''}.`;
    case 'checkin': return `checkin of ${tx.item_barcode}${tx.backdate ? ` effective ${formatDate(tx.backdate)}` : ''}.`;
    case 'in_house_use': return `${tx.count ?? 1} in-house use(s) of ${tx.item_barcode}.`;
    case 'register': return `registration of card ${tx.patron?.barcode}.`;
  }
}
