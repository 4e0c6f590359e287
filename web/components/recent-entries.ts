import { html } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { LightElement } from './light-element.js';
import * as outbox from '../services/outbox-client.js';
import type { OutboxEntry } from '../../shared/outbox-messages.js';
import { formatDate, formatTime, TYPE_LABELS } from '../format.js';
import { refusalReason } from '../services/refusal-reason.js';
import { msg, str } from '@lit/localize';
import { formatCount, formatMoney } from '../../shared/i18n/locale.js';
import { code, time } from './data-text.js';
import { getLocale } from '../i18n/locale.js';

const LIMIT = 200;

const TEXT = {
  get heading() { return msg('On this device'); },
  get search() { return msg('Search'); },
  get caption() { return msg('Transactions recorded on this device, newest first'); },
  get columns() {
    return [msg('#', { desc: 'Column of the sequence number of a transaction on this device' }), msg('Time'), msg('Type'), msg('Item'),
      msg('Patron'), msg('Due'), msg('State')];
  },
  get empty() { return msg('Nothing recorded yet.'); },
  noncat: (count: number, name: string) => msg(str`${formatCount(count)} × ${name}`),
  get uploaded() { return msg('uploaded'); },
  get duplicate() { return msg('uploaded (already received)'); },
  /** Why the server refused it, worded on this device where it can be (refusalReason). */
  refused: (reason: string | undefined) => msg(str`refused: ${reason ?? ''}`),
  get pending() { return msg('pending'); },
};

/**
 * The newest transactions on this device, with a search. It sits on every
 * scan's path, so a scan's re-renders must not touch its up to 200 rows:
 * they are guarded on the listed array (and the desk's language) and keyed by id.
 */
export class RecentEntries extends LightElement {
  static override properties = {
    version: { type: Number }, noncatNames: { attribute: false }, zone: {}, entries: { state: true }, filter: { state: true },
  };
  /** Changes whenever the outbox changes, so the list reloads. */
  version = 0;
  /** Non-cataloged types' names by code, from the offline data. */
  noncatNames: Readonly<Record<string, string>> = {};
  /** The desk branch's time zone: times and due dates are shown as its staff read them. */
  zone = 'UTC';
  entries: OutboxEntry[] = [];
  filter = '';
  private shownMemo: { entries: OutboxEntry[]; needle: string; shown: OutboxEntry[] } | undefined;

  protected override firstUpdated(): void {
    // Its own stacking context gives the rows a paint layer of their own, so the browser replays them
    // instead of repainting them (3 ms a frame) on every frame of the scan form's flash. Set through
    // the CSSOM: the CSP allows no inline style attribute.
    this.querySelector<HTMLElement>('table.entries')!.style.isolation = 'isolate';
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('version')) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.entries = await outbox.list(LIMIT);
    } catch {
      // The worker is starting; the next change reloads.
    }
  }

  /** The listed entries, the same array for as long as the entries and the search are the same. */
  private shownEntries(needle: string): OutboxEntry[] {
    const memo = this.shownMemo;
    if (memo && memo.entries === this.entries && memo.needle === needle) return memo.shown;
    const shown = needle ? this.entries.filter((e) => JSON.stringify(e.tx).toLowerCase().includes(needle)) : this.entries;
    this.shownMemo = { entries: this.entries, needle, shown };
    return shown;
  }

  protected override render() {
    const shown = this.shownEntries(this.filter.trim().toLowerCase());
    return html`<section class="card recent" aria-labelledby="recent-title">
      <h2 id="recent-title">${TEXT.heading}</h2>
      <label class="inline">${TEXT.search} <input type="search" .value=${this.filter} @input=${(e: Event) => { this.filter = (e.target as HTMLInputElement).value; }}></label>
      <div class="entries-scroll">
      <table class="entries">
        <caption class="visually-hidden">${TEXT.caption}</caption>
        <thead><tr>${TEXT.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
        <tbody>
          ${guard([shown, this.noncatNames, this.zone, getLocale()], () => repeat(shown, (e) => e.id, (e) => row(e, this.noncatNames, this.zone)))}
        </tbody>
      </table>
      </div>
      ${shown.length ? '' : html`<p class="muted">${TEXT.empty}</p>`}
    </section>`;
  }
}
customElements.define('oc-recent-entries', RecentEntries);

/** One row; rows are keyed by id, so a new scan adds its row and the others' text stays as it is. */
function row(e: OutboxEntry, noncatNames: Readonly<Record<string, string>>, zone: string) {
  const { tx } = e;
  const what = tx.item_barcode ? code(tx.item_barcode) : tx.noncat_type ? TEXT.noncat(tx.count ?? 1, noncatNames[tx.noncat_type] ?? tx.noncat_type)
    // A payment's row shows its sum where a loan's shows its item (its type says it is a payment).
    : tx.type === 'payment' ? formatMoney(tx.amount_cents ?? 0) : '';
  return html`<tr class=${`state-${e.state}`}>
    <td>${tx.seq}</td><td>${time(tx.occurred_at, formatTime(tx.occurred_at, zone))}</td><td>${TYPE_LABELS[tx.type]}</td>
    <td>${what}</td>
    <td>${code(tx.patron_barcode ?? tx.patron?.barcode)}</td><td>${tx.due_at ? time(tx.due_at, formatDate(tx.due_at, zone)) : ''}</td>
    <td>${stateText(e)}</td>
  </tr>`;
}

function stateText(e: OutboxEntry): string {
  if (e.state === 'uploaded') return e.duplicate ? TEXT.duplicate : TEXT.uploaded;
  return e.state === 'rejected' ? TEXT.refused(refusalReason(e)) : TEXT.pending;
}
