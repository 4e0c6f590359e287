import { html, nothing } from 'lit';
import { cameraButton, describedBy, invalid, type DeskFormHost } from './fields.js';
import { msg } from '@lit/localize';

/** Profiles to offer before any offline data arrived. */
const DEFAULT_PROFILES = ['adult', 'juvenile'];

const TEXT = {
  get card() { return msg('Card barcode'); },
  get first() { return msg('First name'); },
  get last() { return msg('Last name'); },
  get profile() { return msg('Profile'); },
  get branch() { return msg('Home branch'); },
  get email() { return msg('Email'); },
  get phone() { return msg('Phone'); },
  get submit() { return msg('Register patron'); },
};

/** A new patron, who can borrow at once with the new card. A scanner's Enter on the card moves on to the name. */
export function registerForm(host: DeskFormHost) {
  const profiles = host.meta?.profiles.length ? host.meta.profiles : DEFAULT_PROFILES;
  const branches = host.meta?.branches.filter((b) => b.parent !== null) ?? [{ code: host.device.branch, name: host.device.branch }];
  const field = (name: string) => ({ invalid: invalid(host, name), describedBy: describedBy(host, name) });
  // No maxlength on the card: a cut-off scan would be saved as another card; the transaction builder refuses a bad one instead.
  // A card, an address and a number are written left to right in every language; names in their own direction.
  const text = (name: string, label: string, extra: { type?: string; required?: boolean; maxlength?: number; ltr?: boolean }) => {
    const f = field(name);
    return html`<label>${label} <input name=${name} type=${extra.type ?? 'text'} dir=${extra.ltr ? 'ltr' : 'auto'} autocomplete="off" ?required=${!!extra.required}
      maxlength=${extra.maxlength ?? nothing} aria-invalid=${f.invalid} aria-describedby=${f.describedBy}></label>`;
  };
  return html`
    ${text('card_barcode', TEXT.card, { required: true, ltr: true })}${cameraButton(host, 'card_barcode')}
    ${text('first_name', TEXT.first, { required: true, maxlength: 100 })}
    ${text('last_name', TEXT.last, { required: true, maxlength: 100 })}
    <label>${TEXT.profile} <select name="profile">
      ${profiles.map((p) => html`<option ?selected=${p === 'adult'} translate="no">${p}</option>`)}
    </select></label>
    <label>${TEXT.branch} <select name="home_branch">
      ${branches.map((b) => html`<option value=${b.code} ?selected=${b.code === host.device.branch} translate="no">${b.name}</option>`)}
    </select></label>
    ${text('email', TEXT.email, { type: 'email', maxlength: 200, ltr: true })}
    ${text('phone', TEXT.phone, { type: 'tel', maxlength: 200, ltr: true })}
    <button type="submit">${TEXT.submit}</button>`;
}
