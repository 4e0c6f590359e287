import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api, errorMessage } from '../services/api.js';
import type { LoanPolicyBody, LoanPolicyRecord } from '../../shared/api.js';

const NUMBERS = [
  ['loan_days', 'Loan days'], ['max_renewals', 'Renewals'], ['daily_fine_cents', 'Fine a day (cents)'], ['max_fine_cents', 'Most fine (cents)'],
  ['max_items_out', 'Items out at most'],
] as const;

const describe = (p: Pick<LoanPolicyRecord, 'item_type' | 'patron_profile'>): string =>
  p.item_type === null && p.patron_profile === null ? 'Default' : `${p.item_type ?? 'any item type'} × ${p.patron_profile ?? 'any profile'}`;

/** A policy as the form holds it: blank criteria are "any", a blank items-out limit is none. */
function fromForm(form: FormData): LoanPolicyBody {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const whole = (name: string) => (text(name) === '' ? null : Number(text(name)));
  return {
    item_type: text('item_type') || null, patron_profile: text('patron_profile') || null,
    loan_days: whole('loan_days') ?? 0, max_renewals: whole('max_renewals') ?? 0, daily_fine_cents: whole('daily_fine_cents') ?? 0,
    max_fine_cents: whole('max_fine_cents') ?? 0, max_items_out: whole('max_items_out'),
  };
}

/**
 * Loan policies, one table for the whole library: the most specific policy for an item's
 * type and a patron's profile applies, else the default. Desks carry them offline, so a
 * change reaches them with their next offline data.
 */
export class PoliciesPage extends LightElement {
  static override properties = { message: { state: true }, error: { state: true } };
  message = '';
  error = '';
  private shown: LoanPolicyRecord[] = [];
  private readonly load = new Task(this, {
    task: () => api<LoanPolicyRecord[]>('GET', '/policies'),
    args: () => [],
    onError: (err) => { this.error = errorMessage(err); },
    onComplete: (value) => { this.shown = value; },
  });

  private async change(action: () => Promise<unknown>, done: string): Promise<void> {
    this.error = '';
    this.message = '';
    try {
      await action();
      this.message = done;
      await this.load.run();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  private save(policy: LoanPolicyRecord, event: SubmitEvent): void {
    event.preventDefault();
    const body = fromForm(new FormData(event.target as HTMLFormElement));
    void this.change(() => api('POST', `/policies/${policy.id}`, body), `${describe(body)} saved.`);
  }

  private add(event: SubmitEvent): void {
    event.preventDefault();
    const formEl = event.target as HTMLFormElement;
    const body = fromForm(new FormData(formEl));
    void this.change(async () => { await api('POST', '/policies', body); formEl.reset(); }, `${describe(body)} added.`);
  }

  private fields(p?: LoanPolicyRecord) {
    const isDefault = p !== undefined && p.item_type === null && p.patron_profile === null;
    const name = p ? describe(p) : 'the new policy';
    return html`
      <label>Item type <input name="item_type" maxlength="64" .value=${p?.item_type ?? ''} ?disabled=${isDefault} placeholder="any"
        aria-label=${`Item type of ${name}`}></label>
      <label>Patron profile <input name="patron_profile" maxlength="64" .value=${p?.patron_profile ?? ''} ?disabled=${isDefault} placeholder="any"
        aria-label=${`Patron profile of ${name}`}></label>
      ${NUMBERS.map(([key, label]) => html`<label>${label} <input name=${key} type="number" min="0" step="1" inputmode="numeric"
        ?required=${key !== 'max_items_out'} placeholder=${key === 'max_items_out' ? 'no limit' : ''}
        .value=${p?.[key] == null ? '' : String(p[key])} aria-label=${`${label} of ${name}`}></label>`)}`;
  }

  protected override render() {
    return html`
      ${adminNav('#/admin/policies')}
      <section class="card">
        <h1>Loan policies</h1>
        <p>Blank item type or profile means any. The most specific policy applies (item type and profile, then item type, then profile, then
          the default). A policy file loads them all at once (<code>npm run import -- --policies</code>).</p>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      ${this.shown.map((p) => html`<section class="card">
        <h2>${describe(p)}</h2>
        <form class="row" @submit=${(e: SubmitEvent) => this.save(p, e)} aria-label=${`Policy ${describe(p)}`}>
          ${this.fields(p)}
          <button type="submit">Save</button>
          ${p.item_type === null && p.patron_profile === null ? '' : html`<button type="button" class="secondary"
            @click=${() => this.change(() => api('POST', `/policies/${p.id}/remove`), `${describe(p)} removed.`)}>Remove</button>`}
        </form>
      </section>`)}
      <section class="card">
        <h2>Add a policy</h2>
        <form class="row" @submit=${this.add} aria-label="Add a policy">
          ${this.fields()}
          <button type="submit">Add policy</button>
        </form>
      </section>`;
  }
}
customElements.define('oc-policies-page', PoliciesPage);
