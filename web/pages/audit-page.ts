import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api } from '../services/api.js';
import { formatTime } from '../format.js';
import type { AuditEntry, AuditPage as AuditPageReply } from '../../shared/api.js';

/** The audit trail: who created, processed, fixed, voided, closed, reopened, imported, and changed accounts. */
export class AuditPage extends LightElement {
  static override properties = { entries: { state: true }, total: { state: true }, error: { state: true } };
  entries: AuditEntry[] = [];
  total = 0;
  error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    api<AuditPageReply>('GET', '/audit?limit=500').then((r) => { this.entries = r.entries; this.total = r.total; },
      (err: Error) => { this.error = err.message; });
  }

  protected override render() {
    return html`
      ${adminNav('#/admin/audit')}
      <section class="card">
        <h1>Audit trail</h1>
        <p><a class="button secondary" href="/api/audit.csv" download>Export CSV</a> ${this.total > this.entries.length ? `Showing the newest ${this.entries.length} of ${this.total}.` : ''}</p>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        <table>
          <caption class="visually-hidden">Audit trail, newest first</caption>
          <thead><tr><th>When</th><th>Who</th><th>Workstation</th><th>Action</th><th>On</th><th>Details</th></tr></thead>
          <tbody>${this.entries.map((e) => html`<tr><td>${formatTime(e.at)}</td><td>${e.staff}</td><td>${e.workstation ?? ''}</td>
            <td><code>${e.action}</code></td><td>${e.target ?? ''}</td><td><small>${e.details ? JSON.stringify(e.details) : ''}</small></td></tr>`)}</tbody>
        </table>
      </section>`;
  }
}
customElements.define('oc-audit-page', AuditPage);
