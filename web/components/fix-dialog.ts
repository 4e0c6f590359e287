import { html } from 'lit';
import { LightElement } from './light-element.js';
import { api, ApiRequestError } from '../services/api.js';
import type { Correction, RetryReply, TransactionDetail } from '../../shared/api.js';
import { describeCode } from '../../shared/result-codes.js';
import { formatZonedTime, OUTCOME_LABELS, TYPE_LABELS } from '../format.js';
import { isLocalDate, localDateOf } from '../../shared/library-time.js';

const TEXT = {
  /** The loan's due time as the branch reads it, and the instant stored, which the API gives as due_at. */
  due: (local: string, stored: string) => `Due ${local} (stored as ${stored}).`,
  scanned: (time: string, staff: string) => `Scanned ${time} by ${staff}.`,
};

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
      this.error = (err as Error).message;
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
      (r) => `Retried: ${OUTCOME_LABELS[r.outcome]} (${r.code}).`);
  }

  private async voidIt(): Promise<void> {
    const reason = this.querySelector<HTMLInputElement>('input[name="reason"]')?.value.trim();
    if (!reason) { this.error = 'Give a reason for voiding.'; return; }
    await this.act(() => api('POST', `/sessions/${this.sessionId}/transactions/${this.detail!.id}/void`, { reason }), () => 'Voided.');
  }

  private async act<T>(request: () => Promise<T>, describe: (r: T) => string): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const reply = await request();
      this.close();
      this.dispatchEvent(new ResultChangedEvent(describe(reply)));
    } catch (err) {
      this.error = err instanceof ApiRequestError ? err.message : String(err);
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
        ${t.type !== 'register' && !t.noncat_type ? html`<label>Item barcode <input name="item_barcode" .value=${t.item_barcode ?? ''} autocomplete="off"></label>` : ''}
        ${lends ? html`<label>Patron barcode <input name="patron_barcode" .value=${t.patron_barcode ?? ''} autocomplete="off"></label>
          <label>Due date <input name="due_at" type="date" .value=${dueDateGiven(t.due_at, d.time_zone)}></label>` : ''}
        <button type="submit" ?disabled=${this.busy}>Retry</button>
      </form>` : ''}
      ${canVoid ? html`<div class="row void">
        <label>Reason <input name="reason" maxlength="500" placeholder="e.g. test scan, duplicate by hand"></label>
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.voidIt}>Void</button>
      </div>` : ''}`;
  }

  protected override render() {
    const d = this.detail;
    const info = d?.code ? describeCode(d.code) : undefined;
    return html`
      <dialog aria-labelledby="fix-title">
        <h2 id="fix-title">${d ? `${TYPE_LABELS[d.type]} · ${d.workstation} #${d.seq}` : 'Transaction'}</h2>
        ${d ? html`
          <p><strong>${OUTCOME_LABELS[d.outcome]}${d.code ? ` — ${d.code}` : ''}.</strong> ${info?.title ?? ''}. ${d.detail ?? ''}</p>
          ${info ? html`<p class="muted">${info.fix}</p>` : ''}
          ${d.due_at ? html`<p class="due">${TEXT.due(formatZonedTime(d.due_at, d.time_zone), d.due_at)}</p>` : ''}
          <p class="muted">${TEXT.scanned(formatZonedTime(d.occurred_at, d.time_zone), d.staff)}</p>
          ${this.renderForm(d)}
          ${d.history.length ? html`<h3>History</h3><ul>${d.history.map((h) => html`<li>${formatZonedTime(h.at, d.time_zone)} ${h.staff}: ${h.action}
            ${h.before ? html` — was ${Object.entries(h.before).map(([k, v]) => `${k} ${v ?? '(none)'}`).join(', ')}` : ''}
            ${h.reason ? html` — ${h.reason}` : ''}${h.previous_code ? html` (was ${h.previous_code})` : ''}</li>`)}</ul>` : ''}
        ` : html`<p>${this.error ? '' : 'Loading…'}</p>`}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        <div class="actions"><button type="button" class="secondary" @click=${this.close}>Close</button></div>
      </dialog>`;
  }
}
customElements.define('oc-fix-dialog', FixDialog);

/** The due date the desk gave, as the date input shows it: a local date as it is, an instant as its date at the branch. */
function dueDateGiven(value: string | undefined, zone: string): string {
  if (!value) return '';
  return isLocalDate(value) ? value : localDateOf(value, zone);
}
