/**
 * The inputs the desk's forms share, and what a form needs from the page
 * that hosts it. Each form is a template drawn inside the page's one scan
 * form, so its inputs are the form's own (FormData, focus, Enter).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { cameraScanningAvailable } from '../camera-scan.js';
import type { DuePreview } from '../../services/desk-rules.js';
import { deskToday, quickDueDate, type DeskTime } from '../../services/desk-time.js';
import type { SnapshotMeta } from '../../services/snapshot-store.js';
import type { DeviceInfo } from '../../../shared/outbox-messages.js';
import { formatCount } from '../../../shared/i18n/locale.js';
import { msg, str } from '@lit/localize';

export interface DeskFormHost {
  readonly device: DeviceInfo;
  readonly meta: SnapshotMeta | null;
  /** Checkout of a non-cataloged item (no barcode). */
  readonly noncat: boolean;
  readonly due: DuePreview | null;
  /** The desk branch's zone and calendar: "today", the due-date picker's bounds and quick dates. */
  readonly time: DeskTime;
  /** The field the current error is about, which points at it; null when there is none. */
  readonly problemField: string | null;
  /** Who the card in the patron field belongs to, as the offline data says: a sentence, or the name alone ('' when unknown or no card). */
  readonly patronInfo: string | TemplateResult;
  /** The card taken for the patron's visit ('' when none): the patron field shows it, in every mode that has one. */
  readonly patronCard: string;
  readonly previewDue: () => void;
  readonly noncatChanged: (event: Event) => void;
  readonly scanWithCamera: (target: string) => void;
}

/** The id of the page's error line, which the field it is about points at. */
export const ERROR_ID = 'scan-error';

const TEXT = {
  get camera() { return msg('Scan with camera'); },
  get patron() { return msg('Patron barcode'); },
  get item() { return msg('Item barcode'); },
  get due() { return msg('Due date'); },
  get dueHint() { return msg('Leave empty for the loan policy’s date'); },
  get quickDue() { return msg('Quick due dates'); },
  plusDays: (days: number) => msg(str`+${formatCount(days)} days`),
  get count() { return msg('Count'); },
};

const QUICK_DUE_DAYS = [7, 14, 21, 28];

/** aria-describedby for a field: its own hints, and the error line while the error is about it. */
export function describedBy(host: DeskFormHost, name: string, ...hints: string[]) {
  const ids = host.problemField === name ? [...hints, ERROR_ID] : hints;
  return ids.length ? ids.join(' ') : nothing;
}

export const invalid = (host: DeskFormHost, name: string) => host.problemField === name ? 'true' : nothing;

export const cameraButton = (host: DeskFormHost, target: string) => cameraScanningAvailable()
  ? html`<button type="button" class="secondary" @click=${() => host.scanWithCamera(target)}>${TEXT.camera}</button>` : nothing;

/**
 * The card; at checkout a scanner's Enter here takes the card and moves on to the item.
 * Barcode fields are left to right in every language (dir="ltr"): a code reads as scanned and printed, in an Arabic desk too.
 */
export const patronField = (host: DeskFormHost, required: boolean) => html`<label>${TEXT.patron}
  <input name="patron_barcode" dir="ltr" autocomplete="off" ?required=${required} @input=${host.previewDue} .value=${host.patronCard}
    aria-invalid=${invalid(host, 'patron_barcode')} aria-describedby=${describedBy(host, 'patron_barcode', ...(host.patronInfo ? ['patron-info'] : []))}></label>
  ${host.patronInfo ? html`<p id="patron-info" class="patron-info">${host.patronInfo}</p>` : nothing}`;

export const itemField = (host: DeskFormHost) => html`<label>${TEXT.item}
  <input name="item_barcode" dir="ltr" autocomplete="off" required @input=${host.previewDue}
    aria-invalid=${invalid(host, 'item_barcode')} aria-describedby=${describedBy(host, 'item_barcode')}></label>${cameraButton(host, 'item_barcode')}`;

/** A quick button's date, worked out when it is pressed: a desk left open overnight gives the next day's dates. */
function setDue(event: Event, time: DeskTime, days: number): void {
  const input = (event.currentTarget as HTMLButtonElement).form?.elements.namedItem('due_at');
  if (input instanceof HTMLInputElement) input.value = quickDueDate(time, days);
}

/** The due date: not before today at the branch (the transaction builder says so if typed anyway). */
export const dueField = (host: DeskFormHost) => html`<div class="field"><label>${TEXT.due} <input name="due_at" type="date" min=${deskToday(host.time)}
    aria-invalid=${invalid(host, 'due_at')} aria-describedby=${describedBy(host, 'due_at', 'due-hint')}></label>
    <small id="due-hint" class="hint">${TEXT.dueHint}</small></div>
  <div class="quick" role="group" aria-label=${TEXT.quickDue}>
    ${QUICK_DUE_DAYS.map((d) => html`<button type="button" class="secondary" @click=${(e: Event) => setDue(e, host.time, d)}>${TEXT.plusDays(d)}</button>`)}
  </div>`;

export const countField = (host: DeskFormHost) => html`<label>${TEXT.count} <input name="count" type="number" min="1" max="99" value="1" required
  aria-invalid=${invalid(host, 'count')} aria-describedby=${describedBy(host, 'count')}></label>`;
