import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api, errorMessage } from '../services/api.js';
import type { Branch, Me, StaffAccount } from '../../shared/api.js';
import { code, name } from '../components/data-text.js';
import { msg, str } from '@lit/localize';
import { runAction } from '../services/admin-action.js';

const TEXT = {
  created: (user: string) => msg(str`Account ${user} created.`),
  passwordSet: (user: string) => msg(str`New password set for ${user}; their logins were ended.`),
  rolesChanged: (user: string) => msg(str`Roles of ${user} changed.`),
  disabled: (user: string) => msg(str`${user} disabled.`),
  enabled: (user: string) => msg(str`${user} enabled.`),
  branchOption: (branchName: string, branchCode: string) => msg(str`${branchName} (${branchCode})`),
  get heading() { return msg('Staff accounts'); },
  get username() { return msg('New username'); },
  get displayName() { return msg('Display name'); },
  get password() { return msg('Initial password'); },
  get branch() { return msg('Branch'); },
  get role() { return msg('Role'); },
  get circulation() { return msg('Circulation'); },
  get admin() { return msg('Admin'); },
  get noRole() { return msg('No role'); },
  get create() { return msg('Create account'); },
  get caption() { return msg('Accounts'); },
  get columns() { return [msg('Username'), msg('Name'), msg('Roles'), msg('State'), msg('Change role'), msg('Password')]; },
  roleAt: (role: string, branch: string) => msg(str`${role} at ${branch}`),
  get none() { return msg('none'); },
  get active() { return msg('active'); },
  get disabledState() { return msg('disabled'); },
  get disable() { return msg('Disable'); },
  get enable() { return msg('Enable'); },
  branchFor: (user: string) => msg(str`Branch for ${user}`),
  roleFor: (user: string) => msg(str`Role for ${user}`),
  get set() { return msg('Set'); },
  newPasswordFor: (user: string) => msg(str`New password for ${user}`),
  get reset() { return msg('Reset'); },
};

/** What staff call each role (the server's codes are admin and circulation). */
const ROLES: Readonly<Record<string, string>> = {
  get admin() { return msg('admin'); },
  get circulation() { return msg('circulation'); },
};

/** Staff accounts: create, disable or enable, reset a password, and set roles by branch. */
export class StaffPage extends LightElement {
  static override properties = { me: { attribute: false }, message: { state: true }, error: { state: true } };
  me!: Me;
  message = '';
  error = '';
  private readonly load = new Task(this, {
    task: async () => {
      const [accounts, branches] = await Promise.all([api<StaffAccount[]>('GET', '/staff'), api<Branch[]>('GET', '/branches?for=admin')]);
      return { accounts, branches };
    },
    // Empty args: load once and after each action, not on every render (nor when the shell hands over a fresh `me`).
    args: () => [],
    // Load and action errors share one alert, which the next action clears.
    onError: (err) => { this.error = errorMessage(err); },
    // A reload that fails leaves the last rows on screen (a failed Task forgets its value).
    onComplete: (value) => { this.shown = value; },
  });
  private shown?: { accounts: StaffAccount[]; branches: Branch[] };

  private run(action: () => Promise<unknown>, done: string): Promise<void> {
    return runAction(this, action, done, () => this.load.run());
  }

  private create(event: SubmitEvent): void {
    event.preventDefault();
    const formEl = event.target as HTMLFormElement;
    const f = new FormData(formEl);
    const body = { username: String(f.get('username')).trim(), display_name: String(f.get('display_name')).trim(), password: String(f.get('password')),
      branch: String(f.get('branch')), role: String(f.get('role')) };
    void this.run(async () => { await api('POST', '/staff', body); formEl.reset(); }, TEXT.created(body.username));
  }

  private resetPassword(username: string): void {
    const input = this.querySelector<HTMLInputElement>(`input[data-reset="${username}"]`);
    const password = input?.value ?? '';
    void this.run(() => api('POST', `/staff/${encodeURIComponent(username)}/password`, { password }), TEXT.passwordSet(username));
  }

  private setRole(username: string, event: SubmitEvent): void {
    event.preventDefault();
    const f = new FormData(event.target as HTMLFormElement);
    const role = String(f.get('role'));
    void this.run(() => api('POST', `/staff/${encodeURIComponent(username)}/roles`, { branch: String(f.get('branch')), role: role === 'none' ? null : role }),
      TEXT.rolesChanged(username));
  }

  protected override render() {
    const accounts = this.shown?.accounts ?? [];
    const branchOptions = (this.shown?.branches ?? []).map((b) => html`<option value=${b.code}>${TEXT.branchOption(b.name, b.code)}</option>`);
    const roleOptions = html`<option value="circulation">${TEXT.circulation}</option><option value="admin">${TEXT.admin}</option>`;
    return html`
      ${adminNav('#/admin/staff')}
      <section class="card">
        <h1>${TEXT.heading}</h1>
        <form class="row" @submit=${this.create}>
          <label>${TEXT.username} <input name="username" required maxlength="64" autocomplete="off"></label>
          <label>${TEXT.displayName} <input name="display_name" required maxlength="100"></label>
          <label>${TEXT.password} <input name="password" type="password" required minlength="10" autocomplete="new-password"></label>
          <label>${TEXT.branch} <select name="branch">${branchOptions}</select></label>
          <label>${TEXT.role} <select name="role">${roleOptions}</select></label>
          <button type="submit">${TEXT.create}</button>
        </form>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <section class="card">
        <table>
          <caption>${TEXT.caption}</caption>
          <thead><tr>${TEXT.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
          <tbody>${accounts.map((a) => html`<tr>
            <td>${code(a.username)}</td><td>${name(a.display_name)}</td>
            <td>${a.roles.map((r) => TEXT.roleAt(ROLES[r.role] ?? r.role, r.branch)).join(', ') || TEXT.none}</td>
            <td>${a.active ? TEXT.active : TEXT.disabledState}
              ${a.username === this.me.username ? '' : html`<button class="secondary" @click=${() => this.run(
                () => api('POST', `/staff/${encodeURIComponent(a.username)}/${a.active ? 'disable' : 'enable'}`),
                a.active ? TEXT.disabled(a.username) : TEXT.enabled(a.username))}>
                ${a.active ? TEXT.disable : TEXT.enable}</button>`}</td>
            <td>${a.username === this.me.username ? '' : html`<form class="row" @submit=${(e: SubmitEvent) => this.setRole(a.username, e)}>
              <select name="branch" aria-label=${TEXT.branchFor(a.username)}>${branchOptions}</select>
              <select name="role" aria-label=${TEXT.roleFor(a.username)}>${roleOptions}<option value="none">${TEXT.noRole}</option></select>
              <button type="submit" class="secondary">${TEXT.set}</button></form>`}</td>
            <td><input type="password" data-reset=${a.username} minlength="10" aria-label=${TEXT.newPasswordFor(a.username)} autocomplete="new-password">
              <button class="secondary" @click=${() => this.resetPassword(a.username)}>${TEXT.reset}</button></td>
          </tr>`)}</tbody>
        </table>
      </section>`;
  }
}
customElements.define('oc-staff-page', StaffPage);
