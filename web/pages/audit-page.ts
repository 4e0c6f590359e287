import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api } from '../services/api.js';
import { auditSentence, type AuditEntry } from '../services/audit-text.js';
import { formatTime } from '../format.js';
import type { AuditPage as AuditPageReply } from '../../shared/api.js';
import { formatCount } from '../../shared/i18n/locale.js';
import { code, time } from '../components/data-text.js';
import { msg, str } from '@lit/localize';

const TEXT = {
  get heading() { return msg('Audit trail'); },
  get exportCsv() { return msg('Export CSV (with the action codes and details as recorded)'); },
  showing: (shown: number, total: number) => msg(str`Showing the newest ${formatCount(shown)} of ${formatCount(total)}.`),
  get caption() { return msg('Audit trail, newest first'); },
  get columns() { return [msg('When'), msg('Who'), msg('Workstation'), msg('What was done')]; },
};

/** The audit trail in words: who created, processed, fixed, voided, closed, reopened, imported, and changed accounts. */
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
        <h1>${TEXT.heading}</h1>
        <p><a class="button secondary" href="/api/audit.csv" download>${TEXT.exportCsv}</a>
          ${this.total > this.entries.length ? TEXT.showing(this.entries.length, this.total) : ''}</p>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        <table>
          <caption class="visually-hidden">${TEXT.caption}</caption>
          <thead><tr>${TEXT.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
          <tbody>${this.entries.map((e) => html`<tr><td>${time(e.at, formatTime(e.at))}</td><td>${code(e.staff)}</td><td>${e.workstation ? code(e.workstation) : ''}</td>
            <td>${auditSentence(e)}</td></tr>`)}</tbody>
        </table>
      </section>`;
  }
}
customElements.define('oc-audit-page', AuditPage);
