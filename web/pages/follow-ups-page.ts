import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { api } from '../services/api.js';
import type { FollowUpBranch, SessionDetail } from '../../shared/api.js';
import { plural } from '../../shared/i18n/plural.js';
import { formatMoney } from '../../shared/i18n/locale.js';

type Overridden = FollowUpBranch['overridden'][number];

/**
 * The overridden blocks by patron: a barred patron who took five items is one
 * line (one talk at the desk), with every block and how many loans it concerned.
 */
function byPatron(rows: Overridden[]): { name: string; card: string | null; codes: string[]; details: string[]; count: number }[] {
  const patrons = new Map<string, { name: string; card: string | null; codes: string[]; details: string[]; count: number }>();
  for (const r of rows) {
    const key = r.patron_card ?? `name:${r.patron_name}`;
    const p = patrons.get(key) ?? { name: r.patron_name, card: r.patron_card, codes: [], details: [], count: 0 };
    if (!p.codes.includes(r.code)) p.codes.push(r.code);
    if (r.detail && !p.details.includes(r.detail)) p.details.push(r.detail);
    p.count++;
    patrons.set(key, p);
  }
  return [...patrons.values()];
}

const loans = (n: number) => plural(n, { one: '1 transaction', other: `${n} transactions` });

const TEXT = {
  payments: (n: number, total: string) => plural(n, { one: `Payments taken (1, ${total} in all)`, other: `Payments taken (${n}, ${total} in all)` }),
  paymentColumns: ['Patron', 'Amount', 'Credit left', 'Note', 'Done'],
};

/** The printable list of what staff must physically do after processing, one section per branch. */
export class FollowUpsPage extends LightElement {
  static override properties = { sessionId: { type: Number }, groups: { state: true }, session: { state: true }, error: { state: true } };
  sessionId = 0;
  groups: FollowUpBranch[] | null = null;
  session: SessionDetail | null = null;
  error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    Promise.all([api<SessionDetail>('GET', `/sessions/${this.sessionId}`), api<FollowUpBranch[]>('GET', `/sessions/${this.sessionId}/follow-ups`)])
      .then(([session, groups]) => { this.session = session; this.groups = groups; }, (err: Error) => { this.error = err.message; });
  }

  protected override render() {
    if (!this.groups) return html`<section class="card"><p>${this.error || 'Loading…'}</p></section>`;
    return html`
      <p class="no-print"><a href=${`#/admin/sessions/${this.sessionId}`}>← Back to the session</a>
        <button class="secondary" @click=${() => window.print()}>Print</button></p>
      <h1>Follow-up list — ${this.session?.name}</h1>
      ${this.groups.length ? '' : html`<p>Nothing to do by hand.</p>`}
      ${this.groups.map((g) => html`<section class="card follow-up">
        <h2>${g.branch_name} (${g.branch})</h2>
        ${g.route.length ? html`<table><caption>Items to route (${g.route.length})</caption>
          <thead><tr><th>Item</th><th>Title</th><th>Call number</th><th>Send to</th><th>Why</th><th>Done</th></tr></thead>
          <tbody>${g.route.map((r) => html`<tr><td>${r.item_barcode}</td><td>${r.title}</td><td>${r.call_number}</td>
            <td><strong>${r.to_branch}</strong> ${r.to_branch_name}</td><td>${r.reason}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.shelve.length ? html`<table><caption>Holds to shelve (${g.shelve.length})</caption>
          <thead><tr><th>Item</th><th>Title</th><th>Call number</th><th>For</th><th>Done</th></tr></thead>
          <tbody>${g.shelve.map((r) => html`<tr><td>${r.item_barcode}</td><td>${r.title}</td><td>${r.call_number}</td>
            <td>${r.patron_name} (${r.patron_card ?? 'no active card'})</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.returned.length ? html`<table><caption>Lost, missing or claimed-returned items back (${g.returned.length})</caption>
          <thead><tr><th>Item</th><th>Title</th><th>Code</th><th>Detail</th><th>Done</th></tr></thead>
          <tbody>${g.returned.map((r) => html`<tr><td>${r.item_barcode}</td><td>${r.title}</td><td><code>${r.code}</code></td><td>${r.detail}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.lent.length ? html`<table><caption>Items lent despite their status (${g.lent.length})</caption>
          <thead><tr><th>Item</th><th>Title</th><th>Call number</th><th>Code</th><th>Detail</th><th>Done</th></tr></thead>
          <tbody>${g.lent.map((r) => html`<tr><td>${r.item_barcode}</td><td>${r.title}</td><td>${r.call_number}</td><td><code>${r.code}</code></td>
            <td>${r.detail}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.overridden.length ? html`<table><caption>Patrons whose blocks were overridden (${byPatron(g.overridden).length})</caption>
          <thead><tr><th>Patron</th><th>Block</th><th>Transactions</th><th>Detail</th><th>Done</th></tr></thead>
          <tbody>${byPatron(g.overridden).map((p) => html`<tr><td>${p.name} (${p.card ?? '—'})</td>
            <td>${p.codes.map((c, i) => html`${i ? ', ' : ''}<code>${c}</code>`)}</td><td>${loans(p.count)}</td>
            <td>${p.details.join(' ')}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.payments.length ? html`<table><caption>${TEXT.payments(g.payments.length, formatMoney(g.payments.reduce((sum, p) => sum + p.amount_cents, 0)))}</caption>
          <thead><tr>${TEXT.paymentColumns.map((c) => html`<th>${c}</th>`)}</tr></thead>
          <tbody>${g.payments.map((p) => html`<tr><td>${p.patron_name} (${p.patron_card})</td><td>${formatMoney(p.amount_cents)}</td>
            <td>${p.credit_cents ? formatMoney(p.credit_cents) : ''}</td><td>${p.note ?? ''}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
      </section>`)}`;
  }
}
customElements.define('oc-follow-ups-page', FollowUpsPage);
