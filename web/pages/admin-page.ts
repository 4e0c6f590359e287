import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { api, errorMessage } from '../services/api.js';
import type { Branch, BranchCalendar, Me, SessionSummary } from '../../shared/api.js';
import { formatZonedTime } from '../format.js';
import { hostTimeZone, today } from '../../shared/library-time.js';
import { adminNav } from '../components/admin-nav.js';

const TEXT = {
  heading: 'Offline sessions',
  name: 'Session name',
  defaultName: (day: string) => `Internet Down ${day}`,
  branch: 'Branch',
  branchOption: (name: string, code: string) => `${name} (${code})`,
  override: 'Override blocks (the desk already handed items over)',
  create: 'Create session',
  created: (name: string, branch: string) => `Session “${name}” created for ${branch}. It is open for uploads and selected below.`,
  caption: 'Sessions',
  columns: ['Name', 'Branch', 'State', 'Transactions', 'Exceptions', 'Created'],
  createdBy: (at: string, by: string) => `${at} by ${by}`,
  justCreated: 'new',
  none: 'No sessions yet.',
};

/** Sessions: the list, and the form that creates one. */
export class AdminPage extends LightElement {
  static override properties = { me: { attribute: false }, created: { state: true }, error: { state: true }, notice: { state: true } };
  me!: Me;
  /** Sessions created here, shown above the loaded list; the list loads once, so none appears twice. */
  created: SessionSummary[] = [];
  error = '';
  /** What the last create did, said in words. */
  notice = '';
  private readonly load = new Task(this, {
    task: async () => {
      // The server says which branches this account administers: a role at a system covers the branches below it.
      const [sessions, branches, calendars] = await Promise.all([api<SessionSummary[]>('GET', '/sessions'), api<Branch[]>('GET', '/branches?for=admin'),
        // Each session's times in its branch's zone; a branch not among them (none here) in the device's, named either way.
        api<BranchCalendar[]>('GET', '/calendars').catch(() => [] as BranchCalendar[])]);
      return { sessions, branches, zones: new Map(calendars.map((c) => [c.code, c.zone])) };
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
      this.notice = TEXT.created(created.name, created.branch);
      formEl.reset();
      // The new session is selected: its row is marked and its link has the focus, ready to open.
      await this.updateComplete;
      this.querySelector<HTMLAnchorElement>(`a[href="#/admin/sessions/${created.id}"]`)?.focus();
    } catch (err) {
      this.notice = '';
      this.error = errorMessage(err);
    }
  }

  protected override render() {
    const sessions = [...this.created, ...(this.load.value?.sessions ?? [])];
    const branches = this.load.value?.branches ?? [];
    const newest = this.created[0]?.id;
    const zones = this.load.value?.zones;
    const zoneOf = (branch: string) => zones?.get(branch) ?? hostTimeZone();
    return html`
      ${adminNav('#/admin')}
      <section class="card">
        <h1>${TEXT.heading}</h1>
        <form class="row" @submit=${this.create}>
          <label>${TEXT.name} <input name="name" required maxlength="200" .value=${TEXT.defaultName(today(hostTimeZone()))}></label>
          <label>${TEXT.branch} <select name="branch" required>
            ${branches.map((b) => html`<option value=${b.code}>${TEXT.branchOption(b.name, b.code)}</option>`)}
          </select></label>
          <label class="check"><input type="checkbox" name="override_policy" checked> ${TEXT.override}</label>
          <button type="submit">${TEXT.create}</button>
        </form>
        <p role="status">${this.notice}</p>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      <section class="card">
        <table>
          <caption>${TEXT.caption}</caption>
          <thead><tr>${TEXT.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
          <tbody>
            ${sessions.map((s) => html`<tr class=${s.id === newest ? 'just-created' : ''} aria-current=${s.id === newest ? 'true' : nothing}>
              <td><a href=${`#/admin/sessions/${s.id}`}>${s.name}</a>${s.id === newest ? html` <span class="badge state-open">${TEXT.justCreated}</span>` : ''}</td>
              <td>${s.branch}</td>
              <td><span class=${`badge state-${s.state}`}>${s.state}</span></td><td>${s.counts.total}</td><td>${s.counts.exception}</td>
              <td>${TEXT.createdBy(formatZonedTime(s.created_at, zoneOf(s.branch)), s.created_by)}</td>
            </tr>`)}
          </tbody>
        </table>
        ${sessions.length ? '' : html`<p class="muted">${TEXT.none}</p>`}
      </section>`;
  }
}
customElements.define('oc-admin-page', AdminPage);
