import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { LightElement } from '../components/light-element.js';
import { api, errorMessage } from '../services/api.js';
import { ProgressController } from '../controllers/progress-controller.js';
import type { BranchCalendar, ExportFormat, ExportSummary, Outcome, ResultsPage, RetryAllReply, SessionDetail, TransactionType } from '../../shared/api.js';
import { describeCode, OUTCOMES } from '../../shared/result-codes.js';
import { detailFromApi, sessionStateWord } from '../../shared/result-details.js';
import { TRANSACTION_TYPES } from '../../shared/transaction.js';
import { formatDate, formatSkew, formatZonedTime, OUTCOME_LABELS, TYPE_LABELS } from '../format.js';
import { formatCount } from '../../shared/i18n/locale.js';
import { plural } from '../../shared/i18n/plural.js';
import { hostTimeZone } from '../../shared/library-time.js';
import { getLocale } from '../i18n/locale.js';
import { code, name, time } from '../components/data-text.js';
import type { FixDialog, ResultChangedEvent } from '../components/fix-dialog.js';
import '../components/fix-dialog.js';

const PAGE_SIZE = 100;

const SKEW_FLAG_MS = 2 * 60_000;

type Filter = 'outcome' | 'code' | 'workstation' | 'type';

/** Rows of the not-carried list the page shows: a session of in-house uses exported for Koha lists every one of them. */
const NOT_CARRIED_SHOWN = 100;

/** How many a session has of an outcome, as the counts under its name say it. */
const outcomeCount = (outcome: Outcome, n: number): string => {
  const count = formatCount(n);
  switch (outcome) {
    case 'pending': return msg(str`${count} pending`);
    case 'applied': return msg(str`${count} applied`);
    case 'applied_with_notice': return msg(str`${count} applied with notice`);
    case 'exception': return plural(n, { one: msg(str`${count} exception`), other: msg(str`${count} exceptions`) });
    case 'skipped': return msg(str`${count} skipped`);
    case 'voided': return msg(str`${count} voided`);
  }
};

const TEXT = {
  get loading() { return msg('Loading…'); },
  get allSessions() { return msg('← All sessions'); },
  branch: (branch: string) => msg(str`Branch ${branch}`),
  created: (at: string, by: string) => msg(str`created ${at} by ${by}`),
  get overrideOn() { return msg('override policy on'); },
  get overrideOff() { return msg('override policy off'); },
  get process() { return msg('Process'); },
  get resume() { return msg('Resume processing'); },
  get reopen() { return msg('Reopen'); },
  get close() { return msg('Close'); },
  get followUps() { return msg('Follow-up list'); },
  get exportCsv() { return msg('Export CSV'); },
  stopped: (error: string) => msg(str`Processing stopped: ${error}. What was applied stays applied; resuming goes on from the first transaction not yet processed.`),
  retried: (r: RetryAllReply) => msg(str`Retried ${formatCount(r.retried)}: ${formatCount(r.applied + r.applied_with_notice)} applied, ${formatCount(r.exception)} still exceptions.`),

  get processing() { return msg('Processing'); },
  get processingProgress() { return msg('Processing progress'); },
  processed: (done: number, total: number) => msg(str`${formatCount(done)} of ${formatCount(total)} processed`),
  rate: (perSecond: number) => msg(str`${formatCount(perSecond)}/s`),
  get estimating() { return msg('estimating…'); },
  secondsLeft: (s: number) => msg(str`${formatCount(s)} s left`),
  minutesLeft: (m: number, s: number) => msg(str`${formatCount(m)} min ${formatCount(s)} s left`),
  soFar: (applied: number, exceptions: number, skipped: number) =>
    msg(str`applied: ${formatCount(applied)}, exceptions: ${formatCount(exceptions)}, skipped: ${formatCount(skipped)}`),

  get exportHeading() { return msg('Export for the library system'); },
  get format() { return msg('Format'); },
  get onlyApplied() { return msg('Only what processing applied'); },
  leftOut: (n: number) => plural(n, { one: msg(str`(${formatCount(n)} exception left out)`), other: msg(str`(${formatCount(n)} exceptions left out)`) }),
  get download() { return msg('Download'); },
  inFile: (written: number, total: number) => plural(total, {
    one: msg(str`${formatCount(written)} of ${formatCount(total)} transaction in the file.`),
    other: msg(str`${formatCount(written)} of ${formatCount(total)} transactions in the file.`),
  }),
  inFileZoned: (written: number, total: number, zone: string) => plural(total, {
    one: msg(str`${formatCount(written)} of ${formatCount(total)} transaction in the file, times in ${zone}.`),
    other: msg(str`${formatCount(written)} of ${formatCount(total)} transactions in the file, times in ${zone}.`),
  }),
  notCarried: (n: number) => plural(n, {
    one: msg(str`${formatCount(n)} thing the file does not carry, to do by hand in the library system:`),
    other: msg(str`${formatCount(n)} things the file does not carry, to do by hand in the library system:`),
  }),
  get carriesAll() { return msg('The file carries everything.'); },
  kindField: (type: string, field: string) => msg(str`${type}, its ${field}`),
  kindWhole: (type: string) => msg(str`${type}, the whole transaction`),
  get notInFile() { return msg('Not in the file'); },
  notInFileFirst: (shown: number, total: number) =>
    msg(str`Not in the file (the first ${formatCount(shown)} of ${formatCount(total)}; all of them in the export summary)`),
  get notCarriedColumns() { return [msg('Transaction'), msg('Type'), msg('What'), msg('What to do')]; },
  detailsOf: (what: string) => msg(str`Details of ${what}`),
  get wholeTransaction() { return msg('the whole transaction'); },
  get wholeList() { return msg('The whole list (JSON)'); },
  neverCarried: (list: string) => msg(str`Never in this format: ${list}.`),
  fieldReason: (field: string, reason: string) => msg(str`${field} (${reason})`),

  get uploadsCaption() { return msg('Uploads by workstation'); },
  get uploadColumns() {
    return [msg('Workstation'), msg('Staff'), msg('Uploads'), msg('Last received'), msg('New'), msg('Already received'), msg('Refused'), msg('Device clock')];
  },
  corrected: (skew: string) => msg(str`${skew} — times corrected`),
  get noUploads() { return msg('No uploads yet.'); },

  get outcome() { return msg('Outcome'); },
  get code() { return msg('Code'); },
  get workstation() { return msg('Workstation'); },
  get type() { return msg('Type'); },
  get all() { return msg('All'); },
  withCount: (label: string, n: number) => msg(str`${label} (${formatCount(n)})`),
  retryAll: (code: string) => msg(str`Retry all ${code}`),

  results: (n: number) => msg(str`Results (${formatCount(n)})`),
  /** The results table's columns; the last holds each row's button. The due date comes after "What to do", which the desk PC's layout widens as the 8th. */
  get resultColumns() {
    return [msg('Time'), msg('Workstation'), msg('Type'), msg('Item'), msg('Patron'), msg('Outcome'), msg('Code'), msg('What to do'), msg('Due'), msg('Actions')];
  },
  seq: (seq: number) => msg(str`#${seq}`),
  also: (codes: string) => msg(str`also ${codes}`),
  get fix() { return msg('Fix'); },
  get review() { return msg('Review'); },
  get details() { return msg('Details'); },
  get previous() { return msg('Previous'); },
  get next() { return msg('Next'); },
  range: (from: number, to: number, total: number) => msg(str`${formatCount(from)}–${formatCount(to)} of ${formatCount(total)}`),
};

/** How many of each kind the file does not carry: a type, whole or a field of it. */
function notCarriedByKind(summary: ExportSummary): { type: TransactionType; field: string | undefined; count: number }[] {
  const counts = new Map<string, { type: TransactionType; field: string | undefined; count: number }>();
  for (const n of summary.not_carried) {
    const key = `${n.type} ${n.field ?? ''}`;
    const kind = counts.get(key) ?? { type: n.type, field: n.field, count: 0 };
    kind.count++;
    counts.set(key, kind);
  }
  return [...counts.values()];
}

/** The library systems a session exports to, as staff know them. */
const EXPORT_LABELS: Readonly<Record<ExportFormat, string>> = {
  get koc() { return msg('Koha (.koc, for “Upload offline circulation file”)'); },
  get evergreen() { return msg('Evergreen (offline transactions, for its offline upload)'); },
  get jsonl() { return msg('This app’s own file (JSON lines, everything)'); },
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
  if (seconds === null) return TEXT.estimating;
  if (seconds < 60) return TEXT.secondsLeft(seconds);
  return TEXT.minutesLeft(Math.floor(seconds / 60), seconds % 60);
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
    window.addEventListener('lit-localize-status', this.languageChanged);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('lit-localize-status', this.languageChanged);
  }

  /** The page words itself again on its own; the export summary's reasons come worded from the server, so they are asked for again. */
  private readonly languageChanged = (event: WindowEventMap['lit-localize-status']): void => {
    if (event.detail.status === 'ready' && this.session && this.session.state !== 'processing') void this.loadExportSummary();
  };

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
      this.error = errorMessage(err);
    }
  }

  /** The list's filters (the CSV holds what the list shows), with what else a request needs. */
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

  /** The summary's reasons are sentences for staff: asked for in the desk's language. */
  private summaryQuery(): string {
    return `${this.exportQuery()}&${new URLSearchParams({ lang: getLocale() })}`;
  }

  /** What the file in the chosen format will not carry: shown beside the download, never written into the file. */
  private async loadExportSummary(): Promise<void> {
    try {
      this.exportSummary = await api<ExportSummary>('GET', `/sessions/${this.sessionId}/export-summary?${this.summaryQuery()}`);
    } catch (err) {
      this.exportSummary = null;
      this.error = errorMessage(err);
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
    const notCarried = current?.not_carried ?? [];
    return html`<section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">${TEXT.exportHeading}</h2>
      <div class="row">
        <label>${TEXT.format} <select @change=${(e: Event) => this.setExport((e.target as HTMLSelectElement).value as ExportFormat, this.exportApplied)}>
          ${(Object.keys(EXPORT_LABELS) as ExportFormat[]).map((f) => html`<option value=${f} ?selected=${f === this.exportFormat}>${EXPORT_LABELS[f]}</option>`)}
        </select></label>
        <label class="check"><input type="checkbox" .checked=${this.exportApplied}
          @change=${(e: Event) => this.setExport(this.exportFormat, (e.target as HTMLInputElement).checked)}> ${TEXT.onlyApplied}
          ${s.counts.exception ? html`<span class="warn">${TEXT.leftOut(s.counts.exception)}</span>` : ''}</label>
        <a class="button" href=${`/api/sessions/${s.id}/export?${this.exportQuery()}`} download=${current?.file_name ?? ''}>${TEXT.download}</a>
      </div>
      ${current ? html`
        <p role="status">${current.format === 'koc' ? TEXT.inFileZoned(current.written, current.transactions, current.time_zone)
          : TEXT.inFile(current.written, current.transactions)}
          ${notCarried.length ? TEXT.notCarried(notCarried.length) : TEXT.carriesAll}</p>
        ${notCarried.length ? html`<ul>${notCarriedByKind(current).map((k) => html`<li>${k.field
          ? TEXT.kindField(TYPE_LABELS[k.type], k.field) : TEXT.kindWhole(TYPE_LABELS[k.type])}: <strong>${formatCount(k.count)}</strong></li>`)}</ul>
          <table class="not-carried">
          <caption>${notCarried.length > NOT_CARRIED_SHOWN ? TEXT.notInFileFirst(NOT_CARRIED_SHOWN, notCarried.length) : TEXT.notInFile}</caption>
          <thead><tr>${TEXT.notCarriedColumns.map((c) => html`<th>${c}</th>`)}</tr></thead>
          <tbody>${notCarried.slice(0, NOT_CARRIED_SHOWN).map((n) => html`<tr>
            <td><button class="link" @click=${() => this.openFix(n.id)} aria-label=${TEXT.detailsOf(n.id)}>${code(n.id.slice(0, 8))}</button></td>
            <td>${TYPE_LABELS[n.type]}</td><td>${n.field ? code(n.field) : TEXT.wholeTransaction}</td><td>${n.reason}</td>
          </tr>`)}</tbody></table>
          ${notCarried.length > NOT_CARRIED_SHOWN
            ? html`<p><a href=${`/api/sessions/${s.id}/export-summary?${this.summaryQuery()}`} target="_blank" rel="noopener">${TEXT.wholeList}</a></p>` : ''}` : ''}
        ${current.never_carried.length
          ? html`<p class="muted">${TEXT.neverCarried(current.never_carried.map((n) => TEXT.fieldReason(n.field, n.reason)).join('; '))}</p>` : ''}` : ''}
    </section>`;
  }

  private async act(action: 'process' | 'resume' | 'close' | 'reopen'): Promise<void> {
    this.error = '';
    this.notice = '';
    try {
      await api('POST', `/sessions/${this.sessionId}/${action}`);
    } catch (err) {
      this.error = errorMessage(err);
    }
    await this.load();
  }

  private async retryAll(code: string): Promise<void> {
    this.error = '';
    try {
      const r = await api<RetryAllReply>('POST', `/sessions/${this.sessionId}/retry`, { code });
      this.notice = TEXT.retried(r);
    } catch (err) {
      this.error = errorMessage(err);
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
      return html`<div class="progress" role="group" aria-label=${TEXT.processing}>
        <p><progress max=${Math.max(total, 1)} value=${done} aria-label=${TEXT.processingProgress}></progress></p>
        <p aria-live="polite"><strong>${TEXT.processed(done, total)}</strong>${p ? html` · ${TEXT.rate(p.rate)} · ${formatDuration(p.eta_seconds)}
          · ${TEXT.soFar(p.counts.applied + p.counts.applied_with_notice, p.counts.exception, p.counts.skipped)}` : ''}</p>
      </div>`;
    }
    return '';
  }

  private renderFilters(s: SessionDetail) {
    // Codes and workstations are data, named as the library system and the desks name them.
    const select = (key: Filter, label: string, options: [string, string][], data = false) => html`<label>${label}
      <select @change=${(e: Event) => this.setFilter(key, (e.target as HTMLSelectElement).value)}>
        <option value="">${TEXT.all}</option>
        ${options.map(([value, text]) => html`<option value=${value} ?selected=${value === this.filters[key]} translate=${data ? 'no' : 'yes'}>${text}</option>`)}
      </select></label>`;
    const workstations = [...new Set(s.uploads.map((u) => u.workstation))].sort();
    const filtered = this.filters.code;
    return html`<div class="row">
      ${select('outcome', TEXT.outcome, OUTCOMES.map((o) => [o, TEXT.withCount(OUTCOME_LABELS[o], s.counts[o])]))}
      ${select('code', TEXT.code, Object.entries(s.code_counts).map(([c, n]) => [c, `${c} (${formatCount(n)})`]), true)}
      ${select('workstation', TEXT.workstation, workstations.map((w) => [w, w]), true)}
      ${select('type', TEXT.type, TRANSACTION_TYPES.map((t) => [t, TYPE_LABELS[t]]))}
      ${filtered && describeCode(filtered)?.outcome === 'exception' && s.state === 'processed'
        ? html`<button class="secondary" @click=${() => this.retryAll(filtered)}>${TEXT.retryAll(filtered)}</button>` : ''}
    </div>`;
  }

  protected override render() {
    const s = this.session;
    if (!s) return html`<section class="card"><p>${this.error || TEXT.loading}</p></section>`;
    const r = this.results;
    const workable = s.state === 'processed';
    const columns = TEXT.resultColumns;
    return html`
      <p><a href="#/admin">${TEXT.allSessions}</a></p>
      <section class="card">
        <h1>${name(s.name)}</h1>
        <p>${TEXT.branch(s.branch)} · <span class=${`badge state-${s.state}`}>${sessionStateWord(s.state)}</span>
          · ${TEXT.created(formatZonedTime(s.created_at, this.zone), s.created_by)} · ${s.override_policy ? TEXT.overrideOn : TEXT.overrideOff}</p>
        <ul class="counts">
          ${OUTCOMES.map((o) => html`<li>${outcomeCount(o, s.counts[o])}</li>`)}
        </ul>
        <div class="actions">
          ${s.state === 'open' ? html`<button @click=${() => this.act('process')} ?disabled=${s.counts.pending === 0}>${TEXT.process}</button>` : ''}
          ${s.state === 'processing' && s.processing_error ? html`<button @click=${() => this.act('resume')}>${TEXT.resume}</button>` : ''}
          ${s.state === 'processed' ? html`<button class="secondary" @click=${() => this.act('reopen')}>${TEXT.reopen}</button>
            <button class="secondary" @click=${() => this.act('close')}>${TEXT.close}</button>` : ''}
          ${s.counts.total ? html`<a class="button secondary" href=${`#/admin/sessions/${s.id}/follow-ups`}>${TEXT.followUps}</a>
            <a class="button secondary" href=${`/api/sessions/${s.id}/results.csv?${this.query({ lang: getLocale() })}`} download>${TEXT.exportCsv}</a>` : ''}
        </div>
        ${s.processing_error ? html`<p role="alert" class="error">${TEXT.stopped(s.processing_error)}</p>` : ''}
        ${this.renderProgress(s)}
        ${this.notice ? html`<p role="status">${this.notice}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      ${s.counts.total ? this.renderExport(s) : ''}
      <section class="card">
        <table>
          <caption>${TEXT.uploadsCaption}</caption>
          <thead><tr>${TEXT.uploadColumns.map((c) => html`<th>${c}</th>`)}</tr></thead>
          <tbody>${byWorkstation(s.uploads).map((w) => {
            const off = Math.abs(w.clock_offset_ms) > SKEW_FLAG_MS;
            const skew = formatSkew(w.clock_offset_ms);
            return html`<tr>
              <td>${code(w.workstation)}</td><td>${w.staff.map((who, i) => html`${i ? ', ' : ''}${code(who)}`)}</td><td>${formatCount(w.uploads)}</td>
              <td>${time(w.received_at, formatZonedTime(w.received_at, this.zone))}</td><td>${formatCount(w.accepted)}</td>
              <td>${formatCount(w.duplicates)}</td><td>${formatCount(w.rejected)}</td>
              <td class=${off ? 'warn' : ''}>${off ? `⚠ ${TEXT.corrected(skew)}` : skew}</td>
            </tr>`;
          })}</tbody>
        </table>
        ${s.uploads.length ? '' : html`<p class="muted">${TEXT.noUploads}</p>`}
      </section>
      <section class="card">
        ${this.renderFilters(s)}
        <table class="results" role="table">
          <caption>${TEXT.results(r?.total ?? 0)}</caption>
          <thead><tr role="row">${columns.map((c, i) => html`<th scope="col" role="columnheader">${
            i === columns.length - 1 ? html`<span class="visually-hidden">${c}</span>` : c}</th>`)}</tr></thead>
          <tbody>${(r?.results ?? []).map((t) => {
            const info = t.code ? describeCode(t.code) : undefined;
            const others = t.notice_codes.filter((c) => c !== t.code);
            // The explanation in the desk's language, worded from its sentences' keys and data (`detail` is English, for scripts).
            const detail = detailFromApi(t.detail_parts) ?? '';
            // Each cell names its column (data-label): on a tablet the rows are drawn as cards, without the header row.
            const [at, workstation, type, item, patron, outcome, codeLabel, what, due] = columns;
            return html`<tr role="row" class=${`outcome-${t.outcome}`}>
              <td role="cell" data-label=${at}>${time(t.occurred_at, formatZonedTime(t.occurred_at, t.time_zone))}</td>
              <td role="cell" data-label=${workstation}>${code(t.workstation)} ${TEXT.seq(t.seq)}</td>
              <td role="cell" data-label=${type}>${TYPE_LABELS[t.type]}</td>
              <td role="cell" data-label=${item}>${code(t.item_barcode)}</td><td role="cell" data-label=${patron}>${code(t.patron_barcode)}</td>
              <td role="cell" data-label=${outcome}>${OUTCOME_LABELS[t.outcome]}</td>
              <td role="cell" data-label=${codeLabel}><code translate="no">${t.code ?? ''}</code>${others.length
                ? html`<br><small>${TEXT.also(others.join(', '))}</small>` : ''}</td>
              <td role="cell" class="what" data-label=${what}>${info ? html`<strong>${info.title}.</strong> ${detail} ${info.fix}` : detail}</td>
              <td role="cell" data-label=${due}>${t.due_date ? time(t.due_date, formatDate(t.due_date)) : ''}</td>
              <td role="cell" class="row-actions">${workable && (t.outcome === 'exception' || t.outcome === 'skipped')
                ? html`<button class="secondary" @click=${() => this.openFix(t.id)}>${t.outcome === 'exception' ? TEXT.fix : TEXT.review}</button>`
                : html`<button class="link" @click=${() => this.openFix(t.id)}
                    aria-label=${TEXT.detailsOf(`${t.workstation} ${TEXT.seq(t.seq)}`)}>${TEXT.details}</button>`}</td>
            </tr>`;
          })}</tbody>
        </table>
        ${r && r.total > PAGE_SIZE ? html`<div class="actions">
          <button class="secondary" ?disabled=${this.offset === 0} @click=${() => { this.offset -= PAGE_SIZE; void this.loadResults(); }}>${TEXT.previous}</button>
          <span>${TEXT.range(this.offset + 1, Math.min(this.offset + PAGE_SIZE, r.total), r.total)}</span>
          <button class="secondary" ?disabled=${this.offset + PAGE_SIZE >= r.total} @click=${() => { this.offset += PAGE_SIZE; void this.loadResults(); }}>${TEXT.next}</button>
        </div>` : ''}
      </section>
      <oc-fix-dialog @result-changed=${(e: ResultChangedEvent) => { this.notice = e.message; void this.load(); }}></oc-fix-dialog>`;
  }
}
customElements.define('oc-session-page', SessionPage);
