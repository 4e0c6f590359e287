import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { ApiRequestError } from '../services/api.js';
import type { ImportCounts, ImportError, ImportFile, ImportRejected, ImportReport } from '../../shared/api.js';

/** The files, in the order the server checks and writes them, with their columns (README documents each). */
const FILES: { kind: ImportFile; label: string; columns: string }[] = [
  { kind: 'branches', label: 'Branches', columns: 'code,name,parent[,time_zone]' },
  { kind: 'hours', label: 'Opening hours', columns: 'branch,mon,tue,wed,thu,fri,sat,sun' },
  { kind: 'closed', label: 'Closures', columns: 'branch,first,last,reason' },
  { kind: 'policies', label: 'Loan policies', columns: 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out' },
  { kind: 'patrons', label: 'Patrons', columns: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred' },
  { kind: 'items', label: 'Items', columns: 'barcode,title,author,call_number,item_type,owning_branch,status[,record_id]' },
  { kind: 'loans', label: 'Open loans', columns: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch' },
  { kind: 'holds', label: 'Holds', columns: 'patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status' },
  { kind: 'bills', label: 'Bills', columns: 'patron_barcode,amount_cents,reason,billed_at' },
];

/** What `removed` means for a file declared complete. */
const REMOVED: Partial<Record<ImportFile, string>> = { loans: 'closed', holds: 'cancelled', bills: 'settled' };

function describeCounts(kind: ImportFile, c: ImportCounts): string {
  const parts = [`${c.inserted} new`, `${c.updated} updated`, `${c.unchanged} unchanged`];
  if (c.removed !== undefined) parts.push(`${c.removed} ${REMOVED[kind] ?? 'removed'}`);
  if (c.kept_newer) parts.push(`${c.kept_newer} kept (changed here after the as-of time)`);
  return parts.join(', ');
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
    if (!Object.keys(body).length) { this.message = 'Choose at least one file.'; return; }
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
        this.message = reply.message ?? `The server answered ${response.status}`;
        this.errors = reply.errors ?? [];
      } else {
        this.report = await response.json() as ImportReport;
        this.message = `Imported, as of ${new Date(this.report.as_of).toLocaleString()}.`;
      }
    } catch (err) {
      this.message = err instanceof ApiRequestError ? err.message : `The server cannot be reached: ${(err as Error).message}`;
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const label = (kind: ImportFile) => FILES.find((f) => f.kind === kind)?.label ?? kind;
    return html`
      ${adminNav('#/admin/import')}
      <section class="card">
        <h1>Import library data</h1>
        <p>CSV files with a header row (UTF-8), any of them at once. Rows update by code or barcode; running the same files again
          changes nothing. A file with any bad row imports nothing, from any file. The README describes every column.</p>
        <form @submit=${this.submit}>
          <fieldset>
            <legend>Files</legend>
            ${FILES.map((f) => html`<label>${f.label} <small><code>${f.columns}</code></small>
              <input type="file" name=${f.kind} accept=".csv,text/csv"></label>`)}
          </fieldset>
          <label>As of <small>when the files were written by the library system (default: now). What the import changes takes effect then:
            scans made before it are skipped as stale, and what this server changed after it is kept.</small>
            <input type="datetime-local" name="as_of" step="1"></label>
          <label class="check"><input type="checkbox" name="complete"> The files are complete: open loans, holds and bills they do not have
            are closed, cancelled and settled; closures, policies and hours they do not have are removed</label>
          <button type="submit" ?disabled=${this.busy}>Import</button>
        </form>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.report ? html`<table><caption>Imported</caption>
          <thead><tr><th>File</th><th>Rows</th></tr></thead>
          <tbody>${Object.entries(this.report.counts).map(([kind, c]) => html`<tr><td>${label(kind as ImportFile)}</td>
            <td>${describeCounts(kind as ImportFile, c!)}</td></tr>`)}</tbody></table>` : ''}
        ${this.errors.length ? html`<table><caption>Rows refused (nothing was imported)</caption>
          <thead><tr><th>File</th><th>Line</th><th>Reason</th></tr></thead>
          <tbody>${this.errors.map((e) => html`<tr><td>${label(e.file)}</td><td>${e.line}</td><td>${e.reason}</td></tr>`)}</tbody></table>` : ''}
      </section>`;
  }
}
customElements.define('oc-import-page', ImportPage);
