import { html } from 'lit';
import { cameraButton, type DeskFormHost } from './fields.js';

/** Profiles to offer before any offline data arrived. */
const DEFAULT_PROFILES = ['adult', 'juvenile'];

/** A new patron, who can borrow at once with the new card. */
export function registerForm(host: DeskFormHost) {
  const profiles = host.meta?.profiles.length ? host.meta.profiles : DEFAULT_PROFILES;
  const branches = host.meta?.branches.filter((b) => b.parent !== null) ?? [{ code: host.device.branch, name: host.device.branch }];
  return html`
    <label>Card barcode <input name="card_barcode" autocomplete="off" required></label>${cameraButton(host, 'card_barcode')}
    <label>First name <input name="first_name" autocomplete="off" required maxlength="100"></label>
    <label>Last name <input name="last_name" autocomplete="off" required maxlength="100"></label>
    <label>Profile <select name="profile">
      ${profiles.map((p) => html`<option ?selected=${p === 'adult'}>${p}</option>`)}
    </select></label>
    <label>Home branch <select name="home_branch">
      ${branches.map((b) => html`<option value=${b.code} ?selected=${b.code === host.device.branch}>${b.name}</option>`)}
    </select></label>
    <label>Email <input name="email" type="email" autocomplete="off" maxlength="200"></label>
    <label>Phone <input name="phone" type="tel" autocomplete="off" maxlength="200"></label>
    <button type="submit">Register patron</button>`;
}
