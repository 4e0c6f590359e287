import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { api, errorMessage } from '../services/api.js';
import type { Branch, BranchCalendar, Me, SessionState, SessionSummary } from '../../shared/api.js';
import { formatZonedTime } from '../format.js';
import { formatCount } from '../../shared/i18n/locale.js';
import { hostTimeZone, today } from '../../shared/library-time.js';
import { adminNav } from '../components/admin-nav.js';
import { code, name } from '../components/data-text.js';
import { msg, str } from '@lit/localize';

const TEXT = {
  get heading() { return msg('Offline sessions'); },
  get name() { return msg('Session name'); },
  /** The name a new session is offered; the date is written as the server sorts it (YYYY-MM-DD). */
  defaultName: (day: string) => msg(str`Internet Down ${day}`),
  get branch() { return msg('Branch'); },
  branchOption: (branchName: string, branchCode: string) => msg(str`${branchName} (${branchCode})`),
  get override() { return msg('Override blocks (the desk already handed items over)'); },
  get create() { return msg('Create session'); },
  created: (session: string, branch: string) => msg(str`Session “${session}” created for ${branch}. It is open for uploads and selected below.`),
  get caption() { return msg('Sessions'); },
  get columns() { return [msg('Name'), msg('Branch'), msg('State'), msg('Transactions'), msg('Exceptions'), msg('Created')]; },
  createdBy: (at: string, by: string) => msg(str`${at} by ${by}`),
  get justCreated() { return msg('new'); },
  get none() { return msg('No sessions yet.'); },
};

/** What staff call each state of a session. */
const STATES: Readonly<Record<SessionState, string>> = {
  get open() { return msg('open'); },
  get processing() { return msg('processing'); },
  get processed() { return msg('processed'); },
  get closed() { return msg('closed'); },
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
    onError: (err) => { this.error = errorMessage(err); },
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
              <td><a href=${`#/admin/sessions/${s.id}`}>${name(s.name)}</a>${s.id === newest ? html` <span class="badge state-open">${TEXT.justCreated}</span>` : ''}</td>
              <td>${code(s.branch)}</td>
              <td><span class=${`badge state-${s.state}`}>${STATES[s.state] ?? s.state}</span></td>
              <td>${formatCount(s.counts.total)}</td><td>${formatCount(s.counts.exception)}</td>
              <td>${TEXT.createdBy(formatZonedTime(s.created_at, zoneOf(s.branch)), s.created_by)}</td>
            </tr>`)}
          </tbody>
        </table>
        ${sessions.length ? '' : html`<p class="muted">${TEXT.none}</p>`}
      </section>`;
  }
}
customElements.define('oc-admin-page', AdminPage);
