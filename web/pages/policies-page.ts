import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api, errorMessage } from '../services/api.js';
import type { LoanPolicyBody, LoanPolicyRecord } from '../../shared/api.js';
import { msg, str } from '@lit/localize';
import { runAction } from '../services/admin-action.js';

/** The numbers of a policy, each with its label (read when the form is drawn). */
const NUMBERS = [
  ['loan_days', () => msg('Loan days')], ['max_renewals', () => msg('Renewals')], ['daily_fine_cents', () => msg('Fine a day (cents)')],
  ['max_fine_cents', () => msg('Most fine (cents)')], ['max_items_out', () => msg('Items out at most')],
] as const;

/** A policy by what it applies to; item types and profiles are the library's own codes. */
const describe = (p: Pick<LoanPolicyRecord, 'item_type' | 'patron_profile'>): string =>
  p.item_type !== null && p.patron_profile !== null ? msg(str`${p.item_type} × ${p.patron_profile}`)
  : p.item_type !== null ? msg(str`${p.item_type} × any profile`)
  : p.patron_profile !== null ? msg(str`any item type × ${p.patron_profile}`)
  : msg('Default');

const TEXT = {
  saved: (policy: string) => msg(str`${policy} saved.`),
  added: (policy: string) => msg(str`${policy} added.`),
  removed: (policy: string) => msg(str`${policy} removed.`),
  get newPolicy() { return msg('the new policy'); },
  get itemType() { return msg('Item type'); },
  get profile() { return msg('Patron profile'); },
  get any() { return msg('any'); },
  get noLimit() { return msg('no limit'); },
  itemTypeOf: (policy: string) => msg(str`Item type of ${policy}`),
  profileOf: (policy: string) => msg(str`Patron profile of ${policy}`),
  numberOf: (label: string, policy: string) => msg(str`${label} of ${policy}`),
  get heading() { return msg('Loan policies'); },
  get intro() { return msg('Blank item type or profile means any. The most specific policy applies (item type and profile, then item type, then profile, then the default).'); },
  /** The command is a placeholder: typed as it is, never translated. */
  intro2: (command: string) => msg(str`A policy file loads them all at once (${command}).`),
  policy: (policy: string) => msg(str`Policy ${policy}`),
  get save() { return msg('Save'); },
  get remove() { return msg('Remove'); },
  get add() { return msg('Add a policy'); },
  get addButton() { return msg('Add policy'); },
};

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

  private change(action: () => Promise<unknown>, done: string): Promise<void> {
    return runAction(this, action, done, () => this.load.run());
  }

  private save(policy: LoanPolicyRecord, event: SubmitEvent): void {
    event.preventDefault();
    const body = fromForm(new FormData(event.target as HTMLFormElement));
    void this.change(() => api('POST', `/policies/${policy.id}`, body), TEXT.saved(describe(body)));
  }

  private add(event: SubmitEvent): void {
    event.preventDefault();
    const formEl = event.target as HTMLFormElement;
    const body = fromForm(new FormData(formEl));
    void this.change(async () => { await api('POST', '/policies', body); formEl.reset(); }, TEXT.added(describe(body)));
  }

  private fields(p?: LoanPolicyRecord) {
    const isDefault = p !== undefined && p.item_type === null && p.patron_profile === null;
    const name = p ? describe(p) : TEXT.newPolicy;
    return html`
      <label>${TEXT.itemType} <input name="item_type" maxlength="64" .value=${p?.item_type ?? ''} ?disabled=${isDefault} placeholder=${TEXT.any}
        aria-label=${TEXT.itemTypeOf(name)}></label>
      <label>${TEXT.profile} <input name="patron_profile" maxlength="64" .value=${p?.patron_profile ?? ''} ?disabled=${isDefault} placeholder=${TEXT.any}
        aria-label=${TEXT.profileOf(name)}></label>
      ${NUMBERS.map(([key, label]) => html`<label>${label()} <input name=${key} type="number" min="0" step="1" inputmode="numeric"
        ?required=${key !== 'max_items_out'} placeholder=${key === 'max_items_out' ? TEXT.noLimit : ''}
        .value=${p?.[key] == null ? '' : String(p[key])} aria-label=${TEXT.numberOf(label(), name)}></label>`)}`;
  }

  protected override render() {
    return html`
      ${adminNav('#/admin/policies')}
      <section class="card">
        <h1>${TEXT.heading}</h1>
        <p>${TEXT.intro} ${TEXT.intro2('npm run import -- --policies')}</p>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      ${this.shown.map((p) => html`<section class="card">
        <h2>${describe(p)}</h2>
        <form class="row" @submit=${(e: SubmitEvent) => this.save(p, e)} aria-label=${TEXT.policy(describe(p))}>
          ${this.fields(p)}
          <button type="submit">${TEXT.save}</button>
          ${p.item_type === null && p.patron_profile === null ? '' : html`<button type="button" class="secondary"
            @click=${() => this.change(() => api('POST', `/policies/${p.id}/remove`), TEXT.removed(describe(p)))}>${TEXT.remove}</button>`}
        </form>
      </section>`)}
      <section class="card">
        <h2>${TEXT.add}</h2>
        <form class="row" @submit=${this.add} aria-label=${TEXT.add}>
          ${this.fields()}
          <button type="submit">${TEXT.addButton}</button>
        </form>
      </section>`;
  }
}
customElements.define('oc-policies-page', PoliciesPage);
