import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { api, ApiRequestError } from '../services/api.js';
import { ProgressController } from '../controllers/progress-controller.js';
import type { BranchCalendar, ExportFormat, ExportSummary, ResultsPage, RetryAllReply, SessionDetail } from '../../shared/api.js';
import { describeCode, OUTCOMES } from '../../shared/result-codes.js';
import { TRANSACTION_TYPES } from '../../shared/transaction.js';
import { formatDate, formatSkew, formatZonedTime, OUTCOME_LABELS, TYPE_LABELS } from '../format.js';
import { hostTimeZone } from '../../shared/library-time.js';
import type { FixDialog, ResultChangedEvent } from '../components/fix-dialog.js';
import '../components/fix-dialog.js';

const PAGE_SIZE = 100;

/** The results table's columns; the last holds each row's button. The due date comes after "What to do", which the desk PC's layout widens as the 8th. */
const RESULT_COLUMNS = ['Time', 'Workstation', 'Type', 'Item', 'Patron', 'Outcome', 'Code', 'What to do', 'Due', 'Actions'];
const SKEW_FLAG_MS = 2 * 60_000;

type Filter = 'outcome' | 'code' | 'workstation' | 'type';

/** Rows of the not-carried list the page shows: a session of in-house uses exported for Koha lists every one of them. */
const NOT_CARRIED_SHOWN = 100;

/** How many of each kind the file does not carry: a type, whole or a field of it. */
function notCarriedByKind(summary: ExportSummary): [string, number][] {
  const counts = new Map<string, number>();
  for (const n of summary.not_carried) {
    const what = `${TYPE_LABELS[n.type]}${n.field ? `, its ${n.field}` : ', the whole transaction'}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return [...counts];
}

/** The library systems a session exports to, as staff know them. */
const EXPORT_LABELS: Record<ExportFormat, string> = {
  koc: 'Koha (.koc, for “Upload offline circulation file”)',
  evergreen: 'Evergreen (offline transactions, for its offline upload)',
  jsonl: 'This app’s own file (JSON lines, everything)',
};

interface WorkstationUploads {
  workstation: string; staff: string[]; uploads: number; received_at: string; accepted: number; duplicates: number; rejected: number;
  /** The largest clock difference seen from this workstation. */
  clock_offset_ms: number;
}

/** One line per workstation: a desk that uploaded in many chunks is still one desk. */
function byWorkstation(uploads: SessionDetail['uploads']): WorkstationUploads[] {
  const rows = new Map<string, WorkstationUploads>();
  for (const u of uploads) {
    const row = rows.get(u.workstation) ?? { workstation: u.workstation, staff: [], uploads: 0, received_at: u.received_at, accepted: 0, duplicates: 0, rejected: 0, clock_offset_ms: 0 };
    if (!row.staff.includes(u.staff)) row.staff.push(u.staff);
    row.uploads++;
    if (u.received_at > row.received_at) row.received_at = u.received_at;
    row.accepted += u.accepted;
    row.duplicates += u.duplicates;
    row.rejected += u.rejected;
    if (Math.abs(u.clock_offset_ms) > Math.abs(row.clock_offset_ms)) row.clock_offset_ms = u.clock_offset_ms;
    rows.set(u.workstation, row);
  }
  return [...rows.values()];
}

function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'estimating…';
  if (seconds < 60) return `${seconds} s left`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s left`;
}

/** One session: uploads by workstation, processing with live progress, and the results to work through. */
export class SessionPage extends LightElement {
  static override properties = {
    sessionId: { type: Number }, session: { state: true }, results: { state: true }, error: { state: true }, notice: { state: true },
    filters: { state: true }, offset: { state: true }, exportFormat: { state: true }, exportApplied: { state: true }, exportSummary: { state: true },
  };
  sessionId = 0;
  session: SessionDetail | null = null;
  results: ResultsPage | null = null;
  error = '';
  notice = '';
  filters: Record<Filter, string> = { outcome: '', code: '', workstation: '', type: '' };
  offset = 0;
  exportFormat: ExportFormat = 'koc';
  exportApplied = false;
  exportSummary: ExportSummary | null = null;
  private readonly live = new ProgressController(this, () => void this.load());

  /** The session branch's zone (from its calendar), which its own times (created, uploads) are shown in; each result's in its own branch's. */
  private zones: Map<string, string> | null = null;

  private get zone(): string {
    return (this.session && this.zones?.get(this.session.branch)) ?? hostTimeZone();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      // Zones change rarely: read once. Shown with its name, a time in the device's zone (the calendars unreadable) is still no lie.
      this.zones ??= new Map((await api<BranchCalendar[]>('GET', '/calendars').catch(() => [] as BranchCalendar[])).map((c) => [c.code, c.zone]));
      this.session = await api<SessionDetail>('GET', `/sessions/${this.sessionId}`);
      await this.loadResults();
      // Worked out from the whole session: in the background, and not while a run is changing it.
      if (this.session.state !== 'processing') void this.loadExportSummary();
      // A run that stopped on an error waits for "Resume processing": there is nothing live to follow.
      if (this.session.state === 'processing' && !this.session.processing_error) this.live.follow(this.sessionId);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private query(extra: Record<string, string> = {}): URLSearchParams {
    const query = new URLSearchParams(extra);
    for (const [key, value] of Object.entries(this.filters)) if (value) query.set(key, value);
    return query;
  }

  private async loadResults(): Promise<void> {
    this.results = await api<ResultsPage>('GET', `/sessions/${this.sessionId}/results?${this.query({ limit: String(PAGE_SIZE), offset: String(this.offset) })}`);
  }

  private exportQuery(): string {
    return new URLSearchParams({ format: this.exportFormat, ...(this.exportApplied ? { outcome: 'applied' } : {}) }).toString();
  }

  /** What the file in the chosen format will not carry: shown beside the download, never written into the file. */
  private async loadExportSummary(): Promise<void> {
    try {
      this.exportSummary = await api<ExportSummary>('GET', `/sessions/${this.sessionId}/export-summary?${this.exportQuery()}`);
    } catch (err) {
      this.exportSummary = null;
      this.error = (err as Error).message;
    }
  }

  private setExport(format: ExportFormat, applied: boolean): void {
    this.exportFormat = format;
    this.exportApplied = applied;
    void this.loadExportSummary();
  }

  private renderExport(s: SessionDetail) {
    const summary = this.exportSummary;
    const current = summary && summary.format === this.exportFormat && (summary.outcome === 'applied') === this.exportApplied ? summary : null;
    return html`<section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">Export for the library system</h2>
      <div class="row">
        <label>Format <select @change=${(e: Event) => this.setExport((e.target as HTMLSelectElement).value as ExportFormat, this.exportApplied)}>
          ${(Object.keys(EXPORT_LABELS) as ExportFormat[]).map((f) => html`<option value=${f} ?selected=${f === this.exportFormat}>${EXPORT_LABELS[f]}</option>`)}
        </select></label>
        <label class="check"><input type="checkbox" .checked=${this.exportApplied}
          @change=${(e: Event) => this.setExport(this.exportFormat, (e.target as HTMLInputElement).checked)}> Only what processing applied
          ${s.counts.exception ? html`<span class="warn">(${s.counts.exception} exception${s.counts.exception === 1 ? '' : 's'} left out)</span>` : ''}</label>
        <a class="button" href=${`/api/sessions/${s.id}/export?${this.exportQuery()}`} download=${current?.file_name ?? ''}>Download</a>
      </div>
      ${current ? html`
        <p role="status">${current.written} of ${current.transactions} transactions in the file${current.format === 'koc' ? `, times in ${current.time_zone}` : ''}.
          ${current.not_carried.length ? `${current.not_carried.length} thing(s) the file does not carry, to do by hand in the library system:` : 'The file carries everything.'}</p>
        ${current.not_carried.length ? html`<ul>${notCarriedByKind(current).map(([what, n]) => html`<li>${what}: <strong>${n}</strong></li>`)}</ul>
          <table class="not-carried">
          <caption>Not in the file${current.not_carried.length > NOT_CARRIED_SHOWN
            ? ` (the first ${NOT_CARRIED_SHOWN} of ${current.not_carried.length}; all of them in the export summary)` : ''}</caption>
          <thead><tr><th>Transaction</th><th>Type</th><th>What</th><th>What to do</th></tr></thead>
          <tbody>${current.not_carried.slice(0, NOT_CARRIED_SHOWN).map((n) => html`<tr>
            <td><button class="link" @click=${() => this.openFix(n.id)} aria-label=${`Details of ${n.id}`}>${n.id.slice(0, 8)}</button></td>
            <td>${TYPE_LABELS[n.type]}</td><td>${n.field ? html`its <code>${n.field}</code>` : 'the whole transaction'}</td><td>${n.reason}</td>
          </tr>`)}</tbody></table>
          ${current.not_carried.length > NOT_CARRIED_SHOWN
            ? html`<p><a href=${`/api/sessions/${s.id}/export-summary?${this.exportQuery()}`} target="_blank" rel="noopener">The whole list (JSON)</a></p>` : ''}` : ''}
        ${current.never_carried.length ? html`<p class="muted">Never in this format: ${current.never_carried.map((n) => `${n.field} (${n.reason})`).join('; ')}.</p>` : ''}` : ''}
    </section>`;
  }

  private async act(action: 'process' | 'resume' | 'close' | 'reopen'): Promise<void> {
    this.error = '';
    this.notice = '';
    try {
      await api('POST', `/sessions/${this.sessionId}/${action}`);
    } catch (err) {
      this.error = err instanceof ApiRequestError ? err.message : String(err);
    }
    await this.load();
  }

  private async retryAll(code: string): Promise<void> {
    this.error = '';
    try {
      const r = await api<RetryAllReply>('POST', `/sessions/${this.sessionId}/retry`, { code });
      this.notice = `Retried ${r.retried}: ${r.applied + r.applied_with_notice} applied, ${r.exception} still exceptions.`;
    } catch (err) {
      this.error = (err as Error).message;
    }
    await this.load();
  }

  private setFilter(key: Filter, value: string): void {
    this.filters = { ...this.filters, [key]: value };
    this.offset = 0;
    void this.loadResults();
  }

  private openFix(txnId: string): void {
    void this.querySelector<FixDialog>('oc-fix-dialog')?.open(this.sessionId, txnId);
  }

  private renderProgress(s: SessionDetail) {
    const p = this.live.progress;
    if (s.state === 'processing' || (p && !p.finished)) {
      const done = p?.done ?? s.progress.done;
      const total = p?.total ?? s.progress.total;
      return html`<div class="progress" role="group" aria-label="Processing">
        <p><progress max=${Math.max(total, 1)} value=${done} aria-label="Processing progress"></progress></p>
        <p aria-live="polite"><strong>${done} of ${total} processed</strong>${p ? html` · ${p.rate}/s · ${formatDuration(p.eta_seconds)}
          · ${p.counts.applied + p.counts.applied_with_notice} applied, ${p.counts.exception} exceptions, ${p.counts.skipped} skipped` : ''}</p>
      </div>`;
    }
    return '';
  }

  private renderFilters(s: SessionDetail) {
    const select = (key: Filter, label: string, options: [string, string][]) => html`<label>${label}
      <select @change=${(e: Event) => this.setFilter(key, (e.target as HTMLSelectElement).value)}>
        <option value="">All</option>
        ${options.map(([value, text]) => html`<option value=${value} ?selected=${value === this.filters[key]}>${text}</option>`)}
      </select></label>`;
    const workstations = [...new Set(s.uploads.map((u) => u.workstation))].sort();
    const code = this.filters.code;
    return html`<div class="row">
      ${select('outcome', 'Outcome', OUTCOMES.map((o) => [o, `${OUTCOME_LABELS[o]} (${s.counts[o]})`]))}
      ${select('code', 'Code', Object.entries(s.code_counts).map(([c, n]) => [c, `${c} (${n})`]))}
      ${select('workstation', 'Workstation', workstations.map((w) => [w, w]))}
      ${select('type', 'Type', TRANSACTION_TYPES.map((t) => [t, TYPE_LABELS[t]]))}
      ${code && describeCode(code)?.outcome === 'exception' && s.state === 'processed'
        ? html`<button class="secondary" @click=${() => this.retryAll(code)}>Retry all ${code}</button>` : ''}
    </div>`;
  }

  protected override render() {
    const s = this.session;
    if (!s) return html`<section class="card"><p>${this.error || 'Loading…'}</p></section>`;
    const r = this.results;
    const workable = s.state === 'processed';
    return html`
      <p><a href="#/admin">← All sessions</a></p>
      <section class="card">
        <h1>${s.name}</h1>
        <p>Branch ${s.branch} · <span class=${`badge state-${s.state}`}>${s.state}</span> · created ${formatZonedTime(s.created_at, this.zone)} by ${s.created_by}
          · override policy ${s.override_policy ? 'on' : 'off'}</p>
        <ul class="counts">
          ${OUTCOMES.map((o) => html`<li><strong>${s.counts[o]}</strong> ${OUTCOME_LABELS[o].toLowerCase()}</li>`)}
        </ul>
        <div class="actions">
          ${s.state === 'open' ? html`<button @click=${() => this.act('process')} ?disabled=${s.counts.pending === 0}>Process</button>` : ''}
          ${s.state === 'processing' && s.processing_error ? html`<button @click=${() => this.act('resume')}>Resume processing</button>` : ''}
          ${s.state === 'processed' ? html`<button class="secondary" @click=${() => this.act('reopen')}>Reopen</button>
            <button class="secondary" @click=${() => this.act('close')}>Close</button>` : ''}
          ${s.counts.total ? html`<a class="button secondary" href=${`#/admin/sessions/${s.id}/follow-ups`}>Follow-up list</a>
            <a class="button secondary" href=${`/api/sessions/${s.id}/results.csv`} download>Export CSV</a>` : ''}
        </div>
        ${s.processing_error ? html`<p role="alert" class="error">Processing stopped: ${s.processing_error}. What was applied stays applied;
          resuming goes on from the first transaction not yet processed.</p>` : ''}
        ${this.renderProgress(s)}
        ${this.notice ? html`<p role="status">${this.notice}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      ${s.counts.total ? this.renderExport(s) : ''}
      <section class="card">
        <table>
          <caption>Uploads by workstation</caption>
          <thead><tr><th>Workstation</th><th>Staff</th><th>Uploads</th><th>Last received</th><th>New</th><th>Already received</th><th>Refused</th><th>Device clock</th></tr></thead>
          <tbody>${byWorkstation(s.uploads).map((w) => {
            const off = Math.abs(w.clock_offset_ms) > SKEW_FLAG_MS;
            return html`<tr>
              <td>${w.workstation}</td><td>${w.staff.join(', ')}</td><td>${w.uploads}</td><td>${formatZonedTime(w.received_at, this.zone)}</td><td>${w.accepted}</td>
              <td>${w.duplicates}</td><td>${w.rejected}</td>
              <td class=${off ? 'warn' : ''}>${off ? '⚠ ' : ''}${formatSkew(w.clock_offset_ms)}${off ? ' — times corrected' : ''}</td>
            </tr>`;
          })}</tbody>
        </table>
        ${s.uploads.length ? '' : html`<p class="muted">No uploads yet.</p>`}
      </section>
      <section class="card">
        ${this.renderFilters(s)}
        <table class="results" role="table">
          <caption>Results (${r?.total ?? 0})</caption>
          <thead><tr role="row">${RESULT_COLUMNS.map((c, i) => html`<th scope="col" role="columnheader">${
            i === RESULT_COLUMNS.length - 1 ? html`<span class="visually-hidden">${c}</span>` : c}</th>`)}</tr></thead>
          <tbody>${(r?.results ?? []).map((t) => {
            const info = t.code ? describeCode(t.code) : undefined;
            const others = t.notice_codes.filter((c) => c !== t.code);
            // Each cell names its column (data-label): on a tablet the rows are drawn as cards, without the header row.
            const [time, workstation, type, item, patron, outcome, code, what, due] = RESULT_COLUMNS;
            return html`<tr role="row" class=${`outcome-${t.outcome}`}>
              <td role="cell" data-label=${time}>${formatZonedTime(t.occurred_at, t.time_zone)}</td><td role="cell" data-label=${workstation}>${t.workstation} #${t.seq}</td>
              <td role="cell" data-label=${type}>${TYPE_LABELS[t.type]}</td>
              <td role="cell" data-label=${item}>${t.item_barcode ?? ''}</td><td role="cell" data-label=${patron}>${t.patron_barcode ?? ''}</td>
              <td role="cell" data-label=${outcome}>${OUTCOME_LABELS[t.outcome]}</td>
              <td role="cell" data-label=${code}><code>${t.code ?? ''}</code>${others.length ? html`<br><small>also ${others.join(', ')}</small>` : ''}</td>
              <td role="cell" class="what" data-label=${what}>${info ? html`<strong>${info.title}.</strong> ${t.detail ?? ''} ${info.fix}` : t.detail ?? ''}</td>
              <td role="cell" data-label=${due}>${formatDate(t.due_date)}</td>
              <td role="cell" class="row-actions">${workable && (t.outcome === 'exception' || t.outcome === 'skipped')
                ? html`<button class="secondary" @click=${() => this.openFix(t.id)}>${t.outcome === 'exception' ? 'Fix' : 'Review'}</button>`
                : html`<button class="link" @click=${() => this.openFix(t.id)} aria-label=${`Details of ${t.workstation} #${t.seq}`}>Details</button>`}</td>
            </tr>`;
          })}</tbody>
        </table>
        ${r && r.total > PAGE_SIZE ? html`<div class="actions">
          <button class="secondary" ?disabled=${this.offset === 0} @click=${() => { this.offset -= PAGE_SIZE; void this.loadResults(); }}>Previous</button>
          <span>${this.offset + 1}–${Math.min(this.offset + PAGE_SIZE, r.total)} of ${r.total}</span>
          <button class="secondary" ?disabled=${this.offset + PAGE_SIZE >= r.total} @click=${() => { this.offset += PAGE_SIZE; void this.loadResults(); }}>Next</button>
        </div>` : ''}
      </section>
      <oc-fix-dialog @result-changed=${(e: ResultChangedEvent) => { this.notice = e.message; void this.load(); }}></oc-fix-dialog>`;
  }
}
customElements.define('oc-session-page', SessionPage);
