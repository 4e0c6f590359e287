/**
 * The inputs the desk's forms share, and what a form needs from the page
 * that hosts it. Each form is a template drawn inside the page's one scan
 * form, so its inputs are the form's own (FormData, focus, Enter).
 */
import { html, nothing } from 'lit';
import { cameraScanningAvailable } from '../camera-scan.js';
import type { DuePreview } from '../../services/desk-rules.js';
import type { SnapshotMeta } from '../../services/snapshot-store.js';
import type { DeviceInfo } from '../../../shared/outbox-messages.js';

export interface DeskFormHost {
  readonly device: DeviceInfo;
  readonly meta: SnapshotMeta | null;
  /** Checkout of a non-cataloged item (no barcode). */
  readonly noncat: boolean;
  readonly due: DuePreview | null;
  readonly previewDue: () => void;
  readonly nextOnEnter: (event: KeyboardEvent) => void;
  readonly noncatChanged: (event: Event) => void;
  readonly scanWithCamera: (target: string) => void;
}

const QUICK_DUE_DAYS = [7, 14, 21, 28];

/** The calendar days the date inputs compare with (the same the transaction builder uses). */
export const today = (): string => new Date().toISOString().slice(0, 10);
const plusDays = (days: number): string => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

export const cameraButton = (host: DeskFormHost, target: string) => cameraScanningAvailable()
  ? html`<button type="button" class="secondary" @click=${() => host.scanWithCamera(target)}>Scan with camera</button>` : nothing;

/** Scanners type the card and press Enter: at checkout that moves on to the item. */
export const patronField = (host: DeskFormHost, required: boolean) => html`<label>Patron barcode
  <input name="patron_barcode" autocomplete="off" ?required=${required} @keydown=${host.nextOnEnter} @input=${host.previewDue}></label>`;

export const itemField = (host: DeskFormHost) => html`<label>Item barcode
  <input name="item_barcode" autocomplete="off" required @input=${host.previewDue}></label>${cameraButton(host, 'item_barcode')}`;

function setDue(event: Event, days: number): void {
  const input = (event.currentTarget as HTMLButtonElement).form?.elements.namedItem('due_at');
  if (input instanceof HTMLInputElement) input.value = plusDays(days);
}

export const dueField = () => html`<label>Due date <input name="due_at" type="date" min=${today()}>
    <small>Leave empty for the loan policy’s date</small></label>
  <div class="quick" role="group" aria-label="Quick due dates">
    ${QUICK_DUE_DAYS.map((d) => html`<button type="button" class="secondary" @click=${(e: Event) => setDue(e, d)}>+${d} days</button>`)}
  </div>`;

export const countField = () => html`<label>Count <input name="count" type="number" min="1" max="99" value="1" required></label>`;
