import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api, errorMessage } from '../services/api.js';
import type { Branch, Me, StaffAccount } from '../../shared/api.js';

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
    onError: (err) => { this.error = (err as Error).message; },
    // A reload that fails leaves the last rows on screen (a failed Task forgets its value).
    onComplete: (value) => { this.shown = value; },
  });
  private shown?: { accounts: StaffAccount[]; branches: Branch[] };

  private async run(action: () => Promise<unknown>, done: string): Promise<void> {
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

  private create(event: SubmitEvent): void {
    event.preventDefault();
    const formEl = event.target as HTMLFormElement;
    const f = new FormData(formEl);
    const body = { username: String(f.get('username')).trim(), display_name: String(f.get('display_name')).trim(), password: String(f.get('password')),
      branch: String(f.get('branch')), role: String(f.get('role')) };
    void this.run(async () => { await api('POST', '/staff', body); formEl.reset(); }, `Account ${body.username} created.`);
  }

  private resetPassword(username: string): void {
    const input = this.querySelector<HTMLInputElement>(`input[data-reset="${username}"]`);
    const password = input?.value ?? '';
    void this.run(() => api('POST', `/staff/${encodeURIComponent(username)}/password`, { password }), `New password set for ${username}; their logins were ended.`);
  }

  private setRole(username: string, event: SubmitEvent): void {
    event.preventDefault();
    const f = new FormData(event.target as HTMLFormElement);
    const role = String(f.get('role'));
    void this.run(() => api('POST', `/staff/${encodeURIComponent(username)}/roles`, { branch: String(f.get('branch')), role: role === 'none' ? null : role }),
      `Roles of ${username} changed.`);
  }

  protected override render() {
    const accounts = this.shown?.accounts ?? [];
    const branchOptions = (this.shown?.branches ?? []).map((b) => html`<option value=${b.code}>${b.name} (${b.code})</option>`);
    return html`
      ${adminNav('#/admin/staff')}
      <section class="card">
        <h1>Staff accounts</h1>
        <form class="row" @submit=${this.create}>
          <label>New username <input name="username" required maxlength="64" autocomplete="off"></label>
          <label>Display name <input name="display_name" required maxlength="100"></label>
          <label>Initial password <input name="password" type="password" required minlength="10" autocomplete="new-password"></label>
          <label>Branch <select name="branch">${branchOptions}</select></label>
          <label>Role <select name="role"><option value="circulation">Circulation</option><option value="admin">Admin</option></select></label>
          <button type="submit">Create account</button>
        </form>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <section class="card">
        <table>
          <caption>Accounts</caption>
          <thead><tr><th>Username</th><th>Name</th><th>Roles</th><th>State</th><th>Change role</th><th>Password</th></tr></thead>
          <tbody>${accounts.map((a) => html`<tr>
            <td>${a.username}</td><td>${a.display_name}</td>
            <td>${a.roles.map((r) => `${r.role} at ${r.branch}`).join(', ') || 'none'}</td>
            <td>${a.active ? 'active' : 'disabled'}
              ${a.username === this.me.username ? '' : html`<button class="secondary" @click=${() => this.run(
                () => api('POST', `/staff/${encodeURIComponent(a.username)}/${a.active ? 'disable' : 'enable'}`), `${a.username} ${a.active ? 'disabled' : 'enabled'}.`)}>
                ${a.active ? 'Disable' : 'Enable'}</button>`}</td>
            <td>${a.username === this.me.username ? '' : html`<form class="row" @submit=${(e: SubmitEvent) => this.setRole(a.username, e)}>
              <select name="branch" aria-label=${`Branch for ${a.username}`}>${branchOptions}</select>
              <select name="role" aria-label=${`Role for ${a.username}`}><option value="circulation">Circulation</option><option value="admin">Admin</option><option value="none">No role</option></select>
              <button type="submit" class="secondary">Set</button></form>`}</td>
            <td><input type="password" data-reset=${a.username} minlength="10" aria-label=${`New password for ${a.username}`} autocomplete="new-password">
              <button class="secondary" @click=${() => this.resetPassword(a.username)}>Reset</button></td>
          </tr>`)}</tbody>
        </table>
      </section>`;
  }
}
customElements.define('oc-staff-page', StaffPage);
