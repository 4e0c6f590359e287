import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { ApiRequestError, errorMessage } from '../services/api.js';
import type { ImportCounts, ImportError, ImportFile, ImportRejected, ImportReport } from '../../shared/api.js';
import { importErrorTextOf } from '../../shared/import-errors.js';
import { formatCount } from '../../shared/i18n/locale.js';
import { plural } from '../../shared/i18n/plural.js';
import { formatTime } from '../format.js';
import { msg, str } from '@lit/localize';

/** The files, in the order the server checks and writes them, with their columns (README documents each); labels read at render. */
const FILES: { kind: ImportFile; label: () => string; columns: string }[] = [
  { kind: 'branches', label: () => msg('Branches'), columns: 'code,name,parent[,time_zone]' },
  { kind: 'hours', label: () => msg('Opening hours'), columns: 'branch,mon,tue,wed,thu,fri,sat,sun' },
  { kind: 'closed', label: () => msg('Closures'), columns: 'branch,first,last,reason' },
  { kind: 'policies', label: () => msg('Loan policies'), columns: 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out' },
  { kind: 'patrons', label: () => msg('Patrons'), columns: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred' },
  { kind: 'items', label: () => msg('Items'), columns: 'barcode,title,author,call_number,item_type,owning_branch,status[,record_id]' },
  { kind: 'loans', label: () => msg('Open loans'), columns: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch' },
  { kind: 'holds', label: () => msg('Holds'), columns: 'patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status' },
  { kind: 'bills', label: () => msg('Bills'), columns: 'patron_barcode,amount_cents,reason,billed_at' },
];

const n = formatCount;

const TEXT = {
  inserted: (count: number) => msg(str`${n(count)} new`),
  updated: (count: number) => msg(str`${n(count)} updated`),
  unchanged: (count: number) => msg(str`${n(count)} unchanged`),
  /** What `removed` means for a file declared complete. */
  removed: (kind: ImportFile, count: number) =>
    kind === 'loans' ? msg(str`${n(count)} closed`)
    : kind === 'holds' ? msg(str`${n(count)} cancelled`)
    : kind === 'bills' ? msg(str`${n(count)} settled`)
    : msg(str`${n(count)} removed`),
  keptNewer: (count: number) => msg(str`${n(count)} kept (changed here after the as-of time)`),
  get chooseFile() { return msg('Choose at least one file.'); },
  serverAnswered: (status: number) => msg(str`The server answered ${status}`),
  rejected: (count: number) => plural(count, {
    one: msg(str`${n(count)} bad row: nothing was imported`),
    other: msg(str`${n(count)} bad rows: nothing was imported`),
  }),
  nothingComplete: (files: string) => msg(str`“The files are complete” applies to the files ${files}: give one of them.`),
  imported: (at: string) => msg(str`Imported, as of ${at}.`),
  unreachable: (why: string) => msg(str`The server cannot be reached: ${why}`),
  get heading() { return msg('Import library data'); },
  get intro() {
    return msg('CSV files with a header row (UTF-8), any of them at once. Rows update by code or barcode; running the same files again changes nothing. A file with any bad row imports nothing, from any file. The README describes every column.');
  },
  get files() { return msg('Files'); },
  get asOf() { return msg('As of'); },
  get asOfHelp() {
    return msg('when the files were written by the library system (default: now). What the import changes takes effect then: scans made before it are skipped as stale, and what this server changed after it is kept.');
  },
  get complete() {
    return msg('The files are complete: open loans, holds and bills they do not have are closed, cancelled and settled; closures, policies and hours they do not have are removed');
  },
  get importButton() { return msg('Import'); },
  get importedCaption() { return msg('Imported'); },
  get file() { return msg('File'); },
  get rows() { return msg('Rows'); },
  get refusedCaption() { return msg('Rows refused (nothing was imported)'); },
  get line() { return msg('Line'); },
  get reason() { return msg('Reason'); },
};

function describeCounts(kind: ImportFile, c: ImportCounts): string {
  const parts = [TEXT.inserted(c.inserted), TEXT.updated(c.updated), TEXT.unchanged(c.unchanged)];
  if (c.removed !== undefined) parts.push(TEXT.removed(kind, c.removed));
  if (c.kept_newer) parts.push(TEXT.keptNewer(c.kept_newer));
  return parts.join(', ');
}

/** A refused row's problem in the desk's language, from its code and params; the server's English for a code this build does not know. */
const reasonOf = (e: ImportError): string => importErrorTextOf(e.code, e.params) ?? e.reason;

/** Why the server refused the request, in the desk's language where the app knows the code. */
function refusal(reply: Partial<ImportRejected>, status: number): string {
  if (reply.code === 'IMPORT_REJECTED' && reply.errors) return TEXT.rejected(reply.errors.length);
  if (reply.code === 'NOTHING_COMPLETE') return TEXT.nothingComplete('hours, closed, policies, loans, holds, bills');
  return reply.message ?? TEXT.serverAnswered(status);
}

/** Loads a library's own data and state from CSV files, all or nothing. */
export class ImportPage extends LightElement {
  static override properties = { message: { state: true }, errors: { state: true }, busy: { state: true }, report: { state: true } };
  message = '';
  errors: ImportError[] = [];
  report: ImportReport | null = null;
  busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const body: Record<string, string | boolean> = {};
    for (const { kind } of FILES) {
      const file = form.get(kind);
      if (file instanceof File && file.size > 0) body[kind] = await file.text();
    }
    if (!Object.keys(body).length) { this.message = TEXT.chooseFile; return; }
    // The browser's own clock and zone: the picker shows local time, the server stores the instant.
    const asOf = String(form.get('as_of') ?? '');
    if (asOf) body.as_of = new Date(asOf).toISOString();
    if (form.get('complete') === 'on') body.complete = true;
    this.busy = true;
    this.errors = [];
    this.report = null;
    this.message = '';
    try {
      const response = await fetch('/api/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) {
        const reply = await response.json() as Partial<ImportRejected>;
        this.message = refusal(reply, response.status);
        this.errors = reply.errors ?? [];
      } else {
        this.report = await response.json() as ImportReport;
        this.message = TEXT.imported(formatTime(this.report.as_of));
      }
    } catch (err) {
      this.message = err instanceof ApiRequestError ? errorMessage(err) : TEXT.unreachable((err as Error).message);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const label = (kind: ImportFile) => FILES.find((f) => f.kind === kind)?.label() ?? kind;
    return html`
      ${adminNav('#/admin/import')}
      <section class="card">
        <h1>${TEXT.heading}</h1>
        <p>${TEXT.intro}</p>
        <form @submit=${this.submit}>
          <fieldset>
            <legend>${TEXT.files}</legend>
            ${FILES.map((f) => html`<label>${f.label()} <small><code translate="no">${f.columns}</code></small>
              <input type="file" name=${f.kind} accept=".csv,text/csv"></label>`)}
          </fieldset>
          <label>${TEXT.asOf} <small>${TEXT.asOfHelp}</small>
            <input type="datetime-local" name="as_of" step="1"></label>
          <label class="check"><input type="checkbox" name="complete"> ${TEXT.complete}</label>
          <button type="submit" ?disabled=${this.busy}>${TEXT.importButton}</button>
        </form>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.report ? html`<table><caption>${TEXT.importedCaption}</caption>
          <thead><tr><th>${TEXT.file}</th><th>${TEXT.rows}</th></tr></thead>
          <tbody>${Object.entries(this.report.counts).map(([kind, c]) => html`<tr><td>${label(kind as ImportFile)}</td>
            <td>${describeCounts(kind as ImportFile, c!)}</td></tr>`)}</tbody></table>` : ''}
        ${this.errors.length ? html`<table><caption>${TEXT.refusedCaption}</caption>
          <thead><tr><th>${TEXT.file}</th><th>${TEXT.line}</th><th>${TEXT.reason}</th></tr></thead>
          <tbody>${this.errors.map((e) => html`<tr><td>${label(e.file)}</td><td>${formatCount(e.line)}</td><td>${reasonOf(e)}</td></tr>`)}</tbody></table>` : ''}
      </section>`;
  }
}
customElements.define('oc-import-page', ImportPage);
