import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { ApiRequestError } from '../services/api.js';
import type { ImportError, ImportRejected, ImportReport } from '../../shared/api.js';

/** Loads a library's own branches, patrons and items from CSV files, all or nothing. */
export class ImportPage extends LightElement {
  static override properties = { message: { state: true }, errors: { state: true }, busy: { state: true } };
  message = '';
  errors: ImportError[] = [];
  busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const body: Record<string, string> = {};
    for (const kind of ['branches', 'patrons', 'items']) {
      const file = form.get(kind);
      if (file instanceof File && file.size > 0) body[kind] = await file.text();
    }
    if (!Object.keys(body).length) { this.message = 'Choose at least one file.'; return; }
    this.busy = true;
    this.errors = [];
    this.message = '';
    try {
      const response = await fetch('/api/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) {
        const reply = await response.json() as Partial<ImportRejected>;
        this.message = reply.message ?? `The server answered ${response.status}`;
        this.errors = reply.errors ?? [];
      } else {
        const reply = await response.json() as ImportReport;
        this.message = Object.entries(reply.counts).filter(([k]) => body[k])
          .map(([k, c]) => `${k}: ${c.inserted} new, ${c.updated} updated, ${c.unchanged} unchanged`).join('; ') + '.';
      }
    } catch (err) {
      this.message = err instanceof ApiRequestError ? err.message : `The server cannot be reached: ${(err as Error).message}`;
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    return html`
      ${adminNav('#/admin/import')}
      <section class="card">
        <h1>Import library data</h1>
        <p>CSV files with a header row (UTF-8). Branches: <code>code,name,parent</code>. Patrons:
          <code>barcode,first_name,last_name,profile,home_branch,expires_on,barred</code>. Items:
          <code>barcode,title,author,call_number,item_type,owning_branch,status</code>. Rows update by code or barcode;
          a file with any bad row imports nothing.</p>
        <form @submit=${this.submit}>
          <label>Branches file <input type="file" name="branches" accept=".csv,text/csv"></label>
          <label>Patrons file <input type="file" name="patrons" accept=".csv,text/csv"></label>
          <label>Items file <input type="file" name="items" accept=".csv,text/csv"></label>
          <button type="submit" ?disabled=${this.busy}>Import</button>
        </form>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.errors.length ? html`<table><caption>Rows refused (nothing was imported)</caption>
          <thead><tr><th>File</th><th>Line</th><th>Reason</th></tr></thead>
          <tbody>${this.errors.map((e) => html`<tr><td>${e.file}</td><td>${e.line}</td><td>${e.reason}</td></tr>`)}</tbody></table>` : ''}
      </section>`;
  }
}
customElements.define('oc-import-page', ImportPage);
