import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { LightElement } from '../components/light-element.js';
import { api, errorMessage } from '../services/api.js';
import type { FollowUpBranch, SessionDetail } from '../../shared/api.js';
import { plural } from '../../shared/i18n/plural.js';
import { formatCount, formatMoney } from '../../shared/i18n/locale.js';
import { detailFromApi } from '../../shared/result-details.js';
import { code, name } from '../components/data-text.js';

type Overridden = FollowUpBranch['overridden'][number];

/**
 * The overridden blocks by patron: a barred patron who took five items is one
 * line (one talk at the desk), with every block and how many loans it concerned.
 * Details are worded in the desk's language before they are compared, as they are shown.
 */
function byPatron(rows: Overridden[]): { name: string; card: string | null; codes: string[]; details: string[]; count: number }[] {
  const patrons = new Map<string, { name: string; card: string | null; codes: string[]; details: string[]; count: number }>();
  for (const r of rows) {
    const key = r.patron_card ?? `name:${r.patron_name}`;
    const p = patrons.get(key) ?? { name: r.patron_name, card: r.patron_card, codes: [], details: [], count: 0 };
    if (!p.codes.includes(r.code)) p.codes.push(r.code);
    const detail = detailFromApi(r.detail_parts);
    if (detail && !p.details.includes(detail)) p.details.push(detail);
    p.count++;
    patrons.set(key, p);
  }
  return [...patrons.values()];
}

const TEXT = {
  get loading() { return msg('Loading…'); },
  get back() { return msg('← Back to the session'); },
  get print() { return msg('Print'); },
  heading: (session: string) => msg(str`Follow-up list — ${session}`),
  get nothing() { return msg('Nothing to do by hand.'); },
  branch: (branchName: string, branchCode: string) => msg(str`${branchName} (${branchCode})`),
  route: (n: number) => msg(str`Items to route (${formatCount(n)})`),
  get routeColumns() { return [msg('Item'), msg('Title'), msg('Call number'), msg('Send to'), msg('Why'), msg('Done')]; },
  shelve: (n: number) => msg(str`Holds to shelve (${formatCount(n)})`),
  get shelveColumns() { return [msg('Item'), msg('Title'), msg('Call number'), msg('For'), msg('Done')]; },
  get noActiveCard() { return msg('no active card'); },
  returned: (n: number) => msg(str`Lost, missing or claimed-returned items back (${formatCount(n)})`),
  get returnedColumns() { return [msg('Item'), msg('Title'), msg('Code'), msg('Detail'), msg('Done')]; },
  lent: (n: number) => msg(str`Items lent despite their status (${formatCount(n)})`),
  get lentColumns() { return [msg('Item'), msg('Title'), msg('Call number'), msg('Code'), msg('Detail'), msg('Done')]; },
  overridden: (n: number) => msg(str`Patrons whose blocks were overridden (${formatCount(n)})`),
  get overriddenColumns() { return [msg('Patron'), msg('Block'), msg('Transactions'), msg('Detail'), msg('Done')]; },
  transactions: (n: number) => plural(n, { one: msg(str`${formatCount(n)} transaction`), other: msg(str`${formatCount(n)} transactions`) }),
  payments: (n: number, total: string) => plural(n, {
    one: msg(str`Payments taken (${formatCount(n)}, ${total} in all)`),
    other: msg(str`Payments taken (${formatCount(n)}, ${total} in all)`),
  }),
  get paymentColumns() { return [msg('Patron'), msg('Amount'), msg('Credit left'), msg('Note'), msg('Done')]; },
};

const head = (columns: string[]) => html`<thead><tr>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead>`;
/** A patron as the lists name them: name, and card in brackets. */
const patron = (patronName: string | null, card: string | null | undefined, noCard = '—') =>
  html`${name(patronName)} (${card ? code(card) : noCard})`;

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
      .then(([session, groups]) => { this.session = session; this.groups = groups; }, (err: unknown) => { this.error = errorMessage(err); });
  }

  protected override render() {
    if (!this.groups) return html`<section class="card"><p>${this.error || TEXT.loading}</p></section>`;
    return html`
      <p class="no-print"><a href=${`#/admin/sessions/${this.sessionId}`}>${TEXT.back}</a>
        <button class="secondary" @click=${() => window.print()}>${TEXT.print}</button></p>
      <h1>${TEXT.heading(this.session?.name ?? '')}</h1>
      ${this.groups.length ? '' : html`<p>${TEXT.nothing}</p>`}
      ${this.groups.map((g) => html`<section class="card follow-up">
        <h2>${name(g.branch_name)} (${code(g.branch)})</h2>
        ${g.route.length ? html`<table><caption>${TEXT.route(g.route.length)}</caption>
          ${head(TEXT.routeColumns)}
          <tbody>${g.route.map((r) => html`<tr><td>${code(r.item_barcode)}</td><td>${name(r.title)}</td><td>${code(r.call_number)}</td>
            <td><strong>${code(r.to_branch)}</strong> ${name(r.to_branch_name)}</td><td>${detailFromApi(r.reason_parts) ?? ''}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.shelve.length ? html`<table><caption>${TEXT.shelve(g.shelve.length)}</caption>
          ${head(TEXT.shelveColumns)}
          <tbody>${g.shelve.map((r) => html`<tr><td>${code(r.item_barcode)}</td><td>${name(r.title)}</td><td>${code(r.call_number)}</td>
            <td>${patron(r.patron_name, r.patron_card, TEXT.noActiveCard)}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.returned.length ? html`<table><caption>${TEXT.returned(g.returned.length)}</caption>
          ${head(TEXT.returnedColumns)}
          <tbody>${g.returned.map((r) => html`<tr><td>${code(r.item_barcode)}</td><td>${name(r.title)}</td><td><code translate="no">${r.code}</code></td>
            <td>${detailFromApi(r.detail_parts) ?? ''}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.lent.length ? html`<table><caption>${TEXT.lent(g.lent.length)}</caption>
          ${head(TEXT.lentColumns)}
          <tbody>${g.lent.map((r) => html`<tr><td>${code(r.item_barcode)}</td><td>${name(r.title)}</td><td>${code(r.call_number)}</td>
            <td><code translate="no">${r.code}</code></td><td>${detailFromApi(r.detail_parts) ?? ''}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.overridden.length ? html`<table><caption>${TEXT.overridden(byPatron(g.overridden).length)}</caption>
          ${head(TEXT.overriddenColumns)}
          <tbody>${byPatron(g.overridden).map((p) => html`<tr><td>${patron(p.name, p.card)}</td>
            <td>${p.codes.map((c, i) => html`${i ? ', ' : ''}<code translate="no">${c}</code>`)}</td><td>${TEXT.transactions(p.count)}</td>
            <td>${p.details.join(' ')}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
        ${g.payments.length ? html`<table><caption>${TEXT.payments(g.payments.length, formatMoney(g.payments.reduce((sum, p) => sum + p.amount_cents, 0)))}</caption>
          ${head(TEXT.paymentColumns)}
          <tbody>${g.payments.map((p) => html`<tr><td>${patron(p.patron_name, p.patron_card)}</td><td>${formatMoney(p.amount_cents)}</td>
            <td>${p.credit_cents ? formatMoney(p.credit_cents) : ''}</td><td>${p.note ? name(p.note) : ''}</td><td>☐</td></tr>`)}</tbody></table>` : ''}
      </section>`)}`;
  }
}
customElements.define('oc-follow-ups-page', FollowUpsPage);
