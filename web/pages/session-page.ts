import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { api, ApiRequestError } from '../services/api.js';
import type { ResultsPage, SessionDetail } from '../../shared/api.js';
import { describeCode, OUTCOMES, RESULT_CODES } from '../../shared/result-codes.js';
import { formatSkew, formatTime, OUTCOME_LABELS, TYPE_LABELS } from '../format.js';

const PAGE_SIZE = 100;
const SKEW_FLAG_MS = 2 * 60_000;

/** One session: uploads by workstation, processing with progress, and the results to work through. */
export class SessionPage extends LightElement {
  static override properties = {
    sessionId: { type: Number }, session: { state: true }, results: { state: true }, error: { state: true },
    outcome: { state: true }, code: { state: true }, offset: { state: true },
  };
  sessionId = 0;
  session: SessionDetail | null = null;
  results: ResultsPage | null = null;
  error = '';
  outcome = '';
  code = '';
  offset = 0;
  private poll?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.poll);
  }

  private async load(): Promise<void> {
    clearTimeout(this.poll);
    try {
      this.session = await api<SessionDetail>('GET', `/sessions/${this.sessionId}`);
      await this.loadResults();
      // While processing, follow the progress.
      if (this.session.state === 'processing') this.poll = setTimeout(() => void this.load(), 700);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async loadResults(): Promise<void> {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(this.offset) });
    if (this.outcome) query.set('outcome', this.outcome);
    if (this.code) query.set('code', this.code);
    this.results = await api<ResultsPage>('GET', `/sessions/${this.sessionId}/results?${query}`);
  }

  private async act(action: 'process' | 'close' | 'reopen'): Promise<void> {
    this.error = '';
    try {
      await api('POST', `/sessions/${this.sessionId}/${action}`);
    } catch (err) {
      this.error = err instanceof ApiRequestError ? err.message : String(err);
    }
    await this.load();
  }

  private setFilter(key: 'outcome' | 'code', value: string): void {
    this[key] = value;
    this.offset = 0;
    void this.loadResults();
  }

  private renderProgress(s: SessionDetail) {
    if (s.state !== 'processing' && s.progress.done === 0) return '';
    return html`<p><progress max=${Math.max(s.progress.total, 1)} value=${s.progress.done} aria-label="Processing progress"></progress>
      ${s.progress.done} of ${s.progress.total} processed</p>`;
  }

  protected override render() {
    const s = this.session;
    if (!s) return html`<section class="card"><p>${this.error || 'Loading…'}</p></section>`;
    const r = this.results;
    return html`
      <p><a href="#/admin">← All sessions</a></p>
      <section class="card">
        <h1>${s.name}</h1>
        <p>Branch ${s.branch} · <span class=${`badge state-${s.state}`}>${s.state}</span> · created ${formatTime(s.created_at)} by ${s.created_by}
          · override policy ${s.override_policy ? 'on' : 'off'}</p>
        <ul class="counts">
          ${(['pending', 'applied', 'applied_with_notice', 'exception', 'skipped', 'voided'] as const).map((o) =>
            html`<li><strong>${s.counts[o]}</strong> ${OUTCOME_LABELS[o].toLowerCase()}</li>`)}
        </ul>
        <div class="actions">
          ${s.state === 'open' ? html`<button @click=${() => this.act('process')} ?disabled=${s.counts.pending === 0}>Process</button>` : ''}
          ${s.state === 'processed' ? html`<button class="secondary" @click=${() => this.act('reopen')}>Reopen</button>
            <button class="secondary" @click=${() => this.act('close')}>Close</button>` : ''}
        </div>
        ${this.renderProgress(s)}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <section class="card">
        <table>
          <caption>Uploads by workstation</caption>
          <thead><tr><th>Workstation</th><th>Staff</th><th>Received</th><th>New</th><th>Already received</th><th>Refused</th><th>Clock</th></tr></thead>
          <tbody>${s.uploads.map((u) => html`<tr>
            <td>${u.workstation}</td><td>${u.staff}</td><td>${formatTime(u.received_at)}</td><td>${u.accepted}</td><td>${u.duplicates}</td>
            <td>${u.rejected}</td><td class=${Math.abs(u.clock_offset_ms) > SKEW_FLAG_MS ? 'warn' : ''}>${formatSkew(u.clock_offset_ms)}</td>
          </tr>`)}</tbody>
        </table>
        ${s.uploads.length ? '' : html`<p class="muted">No uploads yet.</p>`}
      </section>
      <section class="card">
        <div class="row">
          <label>Outcome <select @change=${(e: Event) => this.setFilter('outcome', (e.target as HTMLSelectElement).value)}>
            <option value="">All</option>${OUTCOMES.map((o) => html`<option value=${o} ?selected=${o === this.outcome}>${OUTCOME_LABELS[o]}</option>`)}
          </select></label>
          <label>Code <select @change=${(e: Event) => this.setFilter('code', (e.target as HTMLSelectElement).value)}>
            <option value="">All</option>${Object.keys(RESULT_CODES).map((c) => html`<option ?selected=${c === this.code}>${c}</option>`)}
          </select></label>
        </div>
        <table class="results">
          <caption>Results (${r?.total ?? 0})</caption>
          <thead><tr><th>Time</th><th>Workstation</th><th>Type</th><th>Item</th><th>Patron</th><th>Outcome</th><th>Code</th><th>What to do</th></tr></thead>
          <tbody>${(r?.results ?? []).map((t) => {
            const info = t.code ? describeCode(t.code) : undefined;
            return html`<tr class=${`outcome-${t.outcome}`}>
              <td>${formatTime(t.occurred_at)}</td><td>${t.workstation} #${t.seq}</td><td>${TYPE_LABELS[t.type] ?? t.type}</td>
              <td>${t.item_barcode ?? ''}</td><td>${t.patron_barcode ?? ''}</td><td>${OUTCOME_LABELS[t.outcome]}</td><td><code>${t.code ?? ''}</code></td>
              <td>${info ? html`<strong>${info.title}.</strong> ${t.detail ?? ''} ${info.fix}` : t.detail ?? ''}</td>
            </tr>`;
          })}</tbody>
        </table>
        ${r && r.total > PAGE_SIZE ? html`<div class="actions">
          <button class="secondary" ?disabled=${this.offset === 0} @click=${() => { this.offset -= PAGE_SIZE; void this.loadResults(); }}>Previous</button>
          <span>${this.offset + 1}–${Math.min(this.offset + PAGE_SIZE, r.total)} of ${r.total}</span>
          <button class="secondary" ?disabled=${this.offset + PAGE_SIZE >= r.total} @click=${() => { this.offset += PAGE_SIZE; void this.loadResults(); }}>Next</button>
        </div>` : ''}
      </section>`;
  }
}
customElements.define('oc-session-page', SessionPage);
