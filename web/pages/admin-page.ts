import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { api, errorMessage } from '../services/api.js';
import type { Branch, Me, SessionSummary } from '../../shared/api.js';
import { formatTime } from '../format.js';
import { adminNav } from '../components/admin-nav.js';

/** Sessions: the list, and the form that creates one. */
export class AdminPage extends LightElement {
  static override properties = { me: { attribute: false }, created: { state: true }, error: { state: true } };
  me!: Me;
  /** Sessions created here, shown above the loaded list; the list loads once, so none appears twice. */
  created: SessionSummary[] = [];
  error = '';
  private readonly load = new Task(this, {
    task: async () => {
      // The server says which branches this account administers: a role at a system covers the branches below it.
      const [sessions, branches] = await Promise.all([api<SessionSummary[]>('GET', '/sessions'), api<Branch[]>('GET', '/branches?for=admin')]);
      return { sessions, branches };
    },
    // Empty args: load once, not again on every render (nor when the shell hands over a fresh `me`).
    args: () => [],
    // Load and create errors share one alert, which the next create clears.
    onError: (err) => { this.error = (err as Error).message; },
  });

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formEl = event.target as HTMLFormElement;
    const form = new FormData(formEl);
    this.error = '';
    try {
      const created = await api<SessionSummary>('POST', '/sessions', {
        name: String(form.get('name')).trim(), branch: String(form.get('branch')), override_policy: form.get('override_policy') === 'on',
      });
      this.created = [created, ...this.created];
      formEl.reset();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  protected override render() {
    const sessions = [...this.created, ...(this.load.value?.sessions ?? [])];
    const branches = this.load.value?.branches ?? [];
    const defaultName = `Internet Down ${new Date().toISOString().slice(0, 10)}`;
    return html`
      ${adminNav('#/admin')}
      <section class="card">
        <h1>Offline sessions</h1>
        <form class="row" @submit=${this.create}>
          <label>Session name <input name="name" required maxlength="200" .value=${defaultName}></label>
          <label>Branch <select name="branch" required>
            ${branches.map((b) => html`<option value=${b.code}>${b.name} (${b.code})</option>`)}
          </select></label>
          <label class="check"><input type="checkbox" name="override_policy" checked> Override blocks (the desk already handed items over)</label>
          <button type="submit">Create session</button>
        </form>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <section class="card">
        <table>
          <caption>Sessions</caption>
          <thead><tr><th>Name</th><th>Branch</th><th>State</th><th>Transactions</th><th>Exceptions</th><th>Created</th></tr></thead>
          <tbody>
            ${sessions.map((s) => html`<tr>
              <td><a href=${`#/admin/sessions/${s.id}`}>${s.name}</a></td><td>${s.branch}</td>
              <td><span class=${`badge state-${s.state}`}>${s.state}</span></td><td>${s.counts.total}</td><td>${s.counts.exception}</td>
              <td>${formatTime(s.created_at)} by ${s.created_by}</td>
            </tr>`)}
          </tbody>
        </table>
        ${sessions.length ? '' : html`<p class="muted">No sessions yet.</p>`}
      </section>`;
  }
}
customElements.define('oc-admin-page', AdminPage);
