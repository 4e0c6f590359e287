import { html } from 'lit';
import { LightElement } from './light-element.js';
import { api, errorMessage } from '../services/api.js';
import type { Correction, RetryReply, TransactionDetail } from '../../shared/api.js';
import { describeCode } from '../../shared/result-codes.js';
import { detailFromApi } from '../../shared/result-details.js';
import { formatZonedTime, OUTCOME_LABELS, TYPE_LABELS } from '../format.js';
import { msg, str } from '@lit/localize';
import { formatLocale } from '../../shared/i18n/locale.js';
import { isLocalDate, localDateOf } from '../../shared/library-time.js';
import { code, name, time } from './data-text.js';

type Corrected = 'item_barcode' | 'patron_barcode' | 'due_at';

const TEXT = {
  retried: (outcome: string, code: string) => msg(str`Retried: ${outcome} (${code}).`),
  get voided() { return msg('Voided.'); },
  get noReason() { return msg('Give a reason for voiding.'); },
  get itemBarcode() { return msg('Item barcode'); },
  get patronBarcode() { return msg('Patron barcode'); },
  get dueDate() { return msg('Due date'); },
  get retry() { return msg('Retry'); },
  get reason() { return msg('Reason'); },
  get reasonExample() { return msg('e.g. test scan, duplicate by hand'); },
  get void() { return msg('Void'); },
  get transaction() { return msg('Transaction'); },
  seq: (seq: number) => msg(str`#${seq}`),
  scanned: (at: string, staff: string) => msg(str`Scanned ${at} by ${staff}.`),
  get history() { return msg('History'); },
  /** What was done, as the history lists it. */
  action: (action: 'fix' | 'retry' | 'void') =>
    action === 'fix' ? msg('corrected') : action === 'retry' ? msg('retried') : msg('voided'),
  /** A corrected field and the value it had before. */
  was: (field: Corrected, value: string | null | undefined) => {
    const label = field === 'item_barcode' ? TEXT.itemBarcode : field === 'patron_barcode' ? TEXT.patronBarcode : TEXT.dueDate;
    return value == null ? msg(str`${label} (none)`) : msg(str`${label}: ${value}`);
  },
  before: (fields: string) => msg(str`was ${fields}`),
  previousCode: (code: string) => msg(str`(was ${code})`),
  get loading() { return msg('Loading…'); },
  get close() { return msg('Close'); },
};

/** Items of a list joined as the desk's language joins them ("a, b, c"). */
const list = (items: string[]): string => new Intl.ListFormat(formatLocale(), { style: 'narrow', type: 'unit' }).format(items);

export class ResultChangedEvent extends Event {
  constructor(readonly message: string) { super('result-changed', { bubbles: true, composed: true }); }
}

/** Correct an exception and retry it, or void it with a reason; shows the transaction's history. */
export class FixDialog extends LightElement {
  static override properties = { detail: { state: true }, error: { state: true }, busy: { state: true } };
  sessionId = 0;
  detail: TransactionDetail | null = null;
  error = '';
  busy = false;

  async open(sessionId: number, txnId: string): Promise<void> {
    this.sessionId = sessionId;
    this.error = '';
    this.detail = null;
    await this.updateComplete;
    this.querySelector('dialog')?.showModal();
    try {
      this.detail = await api<TransactionDetail>('GET', `/sessions/${sessionId}/transactions/${txnId}`);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  private close(): void {
    this.querySelector('dialog')?.close();
  }

  private async retry(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const d = this.detail!;
    const form = new FormData(event.target as HTMLFormElement);
    const correction: Correction = {};
    for (const key of ['item_barcode', 'patron_barcode', 'due_at'] as const) {
      const value = form.get(key);
      if (typeof value !== 'string') continue;
      const trimmed = value.trim();
      const original = d.transaction[key] ?? '';
      if (trimmed && trimmed !== original) correction[key] = trimmed;
    }
    await this.act(() => api<RetryReply>('POST', `/sessions/${this.sessionId}/transactions/${d.id}/retry`, correction),
      (r) => TEXT.retried(OUTCOME_LABELS[r.outcome], r.code));
  }

  private async voidIt(): Promise<void> {
    const reason = this.querySelector<HTMLInputElement>('input[name="reason"]')?.value.trim();
    if (!reason) { this.error = TEXT.noReason; return; }
    await this.act(() => api('POST', `/sessions/${this.sessionId}/transactions/${this.detail!.id}/void`, { reason }), () => TEXT.voided);
  }

  private async act<T>(request: () => Promise<T>, describe: (r: T) => string): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const reply = await request();
      this.close();
      this.dispatchEvent(new ResultChangedEvent(describe(reply)));
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private renderForm(d: TransactionDetail) {
    const t = d.transaction;
    const lends = t.type === 'checkout' || t.type === 'renew';
    const canRetry = d.outcome === 'exception';
    const canVoid = d.outcome === 'exception' || d.outcome === 'skipped' || d.outcome === 'pending';
    return html`
      ${canRetry ? html`<form @submit=${this.retry}>
        ${t.type !== 'register' && !t.noncat_type ? html`<label>${TEXT.itemBarcode} <input name="item_barcode" .value=${t.item_barcode ?? ''} autocomplete="off"></label>` : ''}
        ${lends ? html`<label>${TEXT.patronBarcode} <input name="patron_barcode" .value=${t.patron_barcode ?? ''} autocomplete="off"></label>
          <label>${TEXT.dueDate} <input name="due_at" type="date" .value=${dueDateGiven(t.due_at, d.time_zone)}></label>` : ''}
        <button type="submit" ?disabled=${this.busy}>${TEXT.retry}</button>
      </form>` : ''}
      ${canVoid ? html`<div class="row void">
        <label>${TEXT.reason} <input name="reason" maxlength="500" placeholder=${TEXT.reasonExample}></label>
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.voidIt}>${TEXT.void}</button>
      </div>` : ''}`;
  }

  protected override render() {
    const d = this.detail;
    const info = d?.code ? describeCode(d.code) : undefined;
    return html`
      <dialog aria-labelledby="fix-title">
        <h2 id="fix-title">${d ? html`${TYPE_LABELS[d.type]} · ${code(d.workstation)} ${TEXT.seq(d.seq)}` : TEXT.transaction}</h2>
        ${d ? html`
          <p><strong>${OUTCOME_LABELS[d.outcome]}${d.code ? html` — ${code(d.code)}` : ''}.</strong> ${info ? `${info.title}. ` : ''}${detailFromApi(d.detail_parts) ?? ''}</p>
          ${info ? html`<p class="muted">${info.fix}</p>` : ''}
          ${d.due_at ? html`<dl class="due"><dt>${TEXT.dueDate}</dt>
            <dd>${time(d.due_at, formatZonedTime(d.due_at, d.time_zone))} <small>${code(d.due_at)}</small></dd></dl>` : ''}
          <p class="muted">${TEXT.scanned(formatZonedTime(d.occurred_at, d.time_zone), d.staff)}</p>
          ${this.renderForm(d)}
          ${d.history.length ? html`<h3>${TEXT.history}</h3><ul>${d.history.map((h) => html`<li>${time(h.at, formatZonedTime(h.at, d.time_zone))} ${code(h.staff)}: ${TEXT.action(h.action)}
            ${h.before ? html` — ${TEXT.before(list(Object.entries(h.before).map(([k, v]) => TEXT.was(k as Corrected, v))))}` : ''}
            ${h.reason ? html` — ${name(h.reason)}` : ''}${h.previous_code ? html` ${TEXT.previousCode(h.previous_code)}` : ''}</li>`)}</ul>` : ''}
        ` : html`<p>${this.error ? '' : TEXT.loading}</p>`}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        <div class="actions"><button type="button" class="secondary" @click=${this.close}>${TEXT.close}</button></div>
      </dialog>`;
  }
}
customElements.define('oc-fix-dialog', FixDialog);

/** The due date the desk gave, as the date input shows it: a local date as it is, an instant as its date at the branch. */
function dueDateGiven(value: string | undefined, zone: string): string {
  if (!value) return '';
  return isLocalDate(value) ? value : localDateOf(value, zone);
}
