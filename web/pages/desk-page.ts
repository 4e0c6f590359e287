import { html, nothing, type TemplateResult } from 'lit';
import { LightElement } from '../components/light-element.js';
import { endFlash, signal } from '../components/feedback.js';
import { printReceipt, receiptSettings } from '../components/receipt.js';
import { receiptOptions } from '../components/receipt-options.js';
import type { BarcodeScannedEvent, CameraScan } from '../components/camera-scan.js';
import type { DeskFormHost } from '../components/desk-forms/fields.js';
import { checkoutForm } from '../components/desk-forms/checkout.js';
import { renewForm } from '../components/desk-forms/renew.js';
import { checkinForm } from '../components/desk-forms/checkin.js';
import { inHouseUseForm } from '../components/desk-forms/in-house-use.js';
import { registerForm } from '../components/desk-forms/register.js';
import { DuePreviewController } from '../controllers/due-preview-controller.js';
import { ScanWarningsController } from '../controllers/scan-warnings-controller.js';
import * as outbox from '../services/outbox-client.js';
import * as rules from '../services/desk-rules.js';
import { buildTransaction, type DeskMode } from '../services/transaction-builder.js';
import type { SnapshotMeta } from '../services/snapshot-store.js';
import type { DeviceInfo, NewTransaction, OutboxEntry } from '../../shared/outbox-messages.js';
import { formatDate } from '../format.js';
import '../components/warning-dialog.js';
import '../components/camera-scan.js';
import '../components/recent-entries.js';

export type { DeskMode } from '../services/transaction-builder.js';

interface Mode {
  mode: DeskMode;
  label: string;
  path: string;
  form: (host: DeskFormHost) => TemplateResult;
  /** Whether its scans can print a receipt for the patron. */
  receipt: boolean;
}

const MODES: Mode[] = [
  { mode: 'checkout', label: 'Checkout', path: '#/desk/checkout', form: checkoutForm, receipt: true },
  { mode: 'renew', label: 'Renew', path: '#/desk/renew', form: renewForm, receipt: true },
  { mode: 'checkin', label: 'Checkin', path: '#/desk/checkin', form: checkinForm, receipt: true },
  { mode: 'in_house_use', label: 'In-house use', path: '#/desk/in-house-use', form: inHouseUseForm, receipt: false },
  { mode: 'register', label: 'Register patron', path: '#/desk/register', form: registerForm, receipt: false },
];

export const modeFromPath = (path: string): DeskMode => MODES.find((m) => m.path === path)?.mode ?? 'checkout';

/** Fields kept after a save: a patron usually borrows several items, and a desk registers with the same settings. */
const KEPT_AFTER_SAVE = new Set(['patron_barcode', 'noncat_type', 'profile', 'home_branch']);

/**
 * The circulation desk. Every scan goes to the service worker, and the
 * screen confirms it only once the worker says it is stored on the device.
 */
export class DeskPage extends LightElement implements DeskFormHost {
  static override properties = {
    device: { attribute: false }, mode: {}, version: { type: Number }, snapshotVersion: { type: Number },
    announcement: { state: true }, error: { state: true }, noncat: { state: true }, meta: { state: true },
  };
  device!: DeviceInfo;
  mode: DeskMode = 'checkout';
  /** Changes whenever the outbox changes, so the list reloads. */
  version = 0;
  /** Changes whenever the offline data was refreshed or confirmed, so its age and rules reload. */
  snapshotVersion = 0;
  announcement = '';
  error = '';
  noncat = false;
  meta: SnapshotMeta | null = null;
  /** Not reactive: nothing on screen shows it, and each re-render would sit on the scan's path. */
  private busy = false;
  private readonly warnings = new ScanWarningsController(this);
  private readonly duePreview = new DuePreviewController(this, () => this.mode === 'checkout' && !this.noncat
    ? { item: this.field('item_barcode')?.value.trim() || undefined, patron: this.field('patron_barcode')?.value.trim() || undefined }
    : null);

  get due(): rules.DuePreview | null {
    return this.duePreview.due;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('snapshotVersion')) rules.meta().then((m) => { this.meta = m; }, () => undefined);
    if (changed.has('mode')) { this.duePreview.clear(); this.focusFirst(); }
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

  readonly previewDue = (): void => {
    if (this.mode === 'checkout') this.duePreview.schedule();
  };

  /** Scanners type the barcode and press Enter: in the patron field that moves on to the item. */
  readonly nextOnEnter = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || this.mode !== 'checkout' || this.noncat) return;
    const input = event.target as HTMLInputElement;
    if (!input.value.trim()) return;
    event.preventDefault();
    (this.field('item_barcode') as HTMLInputElement | null)?.focus();
  };

  readonly noncatChanged = (event: Event): void => {
    this.noncat = (event.target as HTMLInputElement).checked;
    this.duePreview.clear();
  };

  readonly scanWithCamera = (target: string): void => {
    const camera = this.querySelector<CameraScan>('oc-camera-scan')!;
    camera.dataset.target = target;
    void camera.start();
  };

  private scanned(event: BarcodeScannedEvent): void {
    const target = (event.target as HTMLElement).dataset.target ?? 'item_barcode';
    const input = this.field(target) as HTMLInputElement | null;
    if (!input) return;
    input.value = event.value;
    input.focus();
    this.previewDue();
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const built = buildTransaction({ mode: this.mode, fields: Object.fromEntries(new FormData(form)), id: crypto.randomUUID(), now: new Date() });
    if (!built.ok) {
      this.error = built.problem;
      this.announcement = '';
      signal('error', form);
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const acknowledged = await this.warnings.confirm(built.tx);
      if (!acknowledged) {
        this.announcement = 'Not saved: cancelled.';
        this.field('item_barcode')?.focus();
        return;
      }
      const tx: NewTransaction = { ...built.tx, ...(acknowledged.length ? { acknowledged } : {}) };
      let dueNote = '';
      if (tx.type === 'checkout' && tx.item_barcode && !tx.due_at) {
        // The date the patron is told is the date recorded: the server honours it.
        const preview = await rules.dueFor(tx.item_barcode, tx.patron_barcode, new Date(tx.occurred_at));
        if (preview) { tx.due_at = preview.due; dueNote = preview.fallback ? 'branch default' : ''; }
      }
      const entry = await outbox.record(tx);
      this.warnings.saved(tx);
      this.announcement = savedText(entry);
      signal(acknowledged.length ? 'warning' : 'saved', form);
      if (receiptSettings.enabled && MODES.find((m) => m.mode === tx.type)?.receipt) {
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
    for (const el of Array.from(form.elements) as HTMLInputElement[]) {
      if (!el.name || KEPT_AFTER_SAVE.has(el.name) || el.type === 'checkbox' || el.type === 'submit' || el.type === 'button') continue;
      el.value = el.name === 'count' ? '1' : '';
    }
    this.duePreview.clear();
    if (this.mode === 'register') this.field('card_barcode')?.focus();
    else (this.field('item_barcode') ?? this.field('patron_barcode'))?.focus();
  }

  protected override render() {
    const current = MODES.find((m) => m.mode === this.mode)!;
    return html`
      <nav class="modes" aria-label="Desk">
        ${MODES.map((m) => html`<a href=${m.path} aria-current=${m === current ? 'page' : nothing}>${m.label}</a>`)}
      </nav>
      <section class="card">
        <h1>${current.label}</h1>
        <p class="muted snapshot-age">${this.meta ? rules.ageText(this.meta.checked_at) : 'No offline data yet: warnings and due dates need one online visit.'}</p>
        <form class="scan" @submit=${this.submit} @input=${this.endPreviousFlash} novalidate>
          ${current.form(this)}
        </form>
        ${current.receipt ? receiptOptions() : nothing}
        <p role="status" aria-live="polite" class="announce">${this.announcement}</p>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <oc-recent-entries .version=${this.version}></oc-recent-entries>
      <oc-warning-dialog></oc-warning-dialog>
      <oc-camera-scan @barcode-scanned=${this.scanned}></oc-camera-scan>`;
  }
}
customElements.define('oc-desk-page', DeskPage);

/** The status line for a saved scan, a whole sentence for each kind. */
function savedText({ tx }: OutboxEntry): string {
  const due = tx.due_at && formatDate(tx.due_at);
  switch (tx.type) {
    case 'checkout':
      if (tx.noncat_type) return `Saved on this device: checkout of ${tx.count ?? 1} × ${tx.noncat_type} to ${tx.patron_barcode}.`;
      return due ? `Saved on this device: checkout of ${tx.item_barcode} to ${tx.patron_barcode}, due ${due}.`
        : `Saved on this device: checkout of ${tx.item_barcode} to ${tx.patron_barcode}.`;
    case 'renew': return due ? `Saved on this device: renewal of ${tx.item_barcode}, due ${due}.` : `Saved on this device: renewal of ${tx.item_barcode}.`;
    case 'checkin': return tx.backdate ? `Saved on this device: checkin of ${tx.item_barcode} effective ${formatDate(tx.backdate)}.`
      : `Saved on this device: checkin of ${tx.item_barcode}.`;
    case 'in_house_use': return `Saved on this device: ${tx.count ?? 1} in-house use(s) of ${tx.item_barcode}.`;
    case 'register': return `Saved on this device: registration of ${tx.patron?.first_name} ${tx.patron?.last_name} with card ${tx.patron?.barcode}.`;
    case 'payment': return `Saved on this device: payment of ${((tx.amount_cents ?? 0) / 100).toFixed(2)} from ${tx.patron_barcode}.`;
  }
}
