import { html, nothing } from 'lit';
import { cameraButton, describedBy, invalid, type DeskFormHost } from './fields.js';

/** Profiles to offer before any offline data arrived. */
const DEFAULT_PROFILES = ['adult', 'juvenile'];

const TEXT = {
  card: 'Card barcode', first: 'First name', last: 'Last name', profile: 'Profile', branch: 'Home branch', email: 'Email', phone: 'Phone',
  submit: 'Register patron',
};

/** A new patron, who can borrow at once with the new card. A scanner's Enter on the card moves on to the name. */
export function registerForm(host: DeskFormHost) {
  const profiles = host.meta?.profiles.length ? host.meta.profiles : DEFAULT_PROFILES;
  const branches = host.meta?.branches.filter((b) => b.parent !== null) ?? [{ code: host.device.branch, name: host.device.branch }];
  const field = (name: string) => ({ invalid: invalid(host, name), describedBy: describedBy(host, name) });
  // No maxlength on the card: a cut-off scan would be saved as another card; the transaction builder refuses a bad one instead.
  const text = (name: string, label: string, extra: { type?: string; required?: boolean; maxlength?: number }) => {
    const f = field(name);
    return html`<label>${label} <input name=${name} type=${extra.type ?? 'text'} autocomplete="off" ?required=${!!extra.required}
      maxlength=${extra.maxlength ?? nothing} aria-invalid=${f.invalid} aria-describedby=${f.describedBy}></label>`;
  };
  return html`
    ${text('card_barcode', TEXT.card, { required: true })}${cameraButton(host, 'card_barcode')}
    ${text('first_name', TEXT.first, { required: true, maxlength: 100 })}
    ${text('last_name', TEXT.last, { required: true, maxlength: 100 })}
    <label>${TEXT.profile} <select name="profile">
      ${profiles.map((p) => html`<option ?selected=${p === 'adult'}>${p}</option>`)}
    </select></label>
    <label>${TEXT.branch} <select name="home_branch">
      ${branches.map((b) => html`<option value=${b.code} ?selected=${b.code === host.device.branch}>${b.name}</option>`)}
    </select></label>
    ${text('email', TEXT.email, { type: 'email', maxlength: 200 })}
    ${text('phone', TEXT.phone, { type: 'tel', maxlength: 200 })}
    <button type="submit">${TEXT.submit}</button>`;
}
