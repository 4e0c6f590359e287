import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api, errorMessage } from '../services/api.js';
import { formatTime } from '../format.js';
import type { WorkstationRecord } from '../../shared/api.js';
import { code } from '../components/data-text.js';
import { msg, str } from '@lit/localize';
import { runAction } from '../services/admin-action.js';

const TEXT = {
  renamed: (from: string, to: string) => msg(str`${from} is now ${to}.`),
  retired: (workstation: string) => msg(str`${workstation} retired.`),
  get heading() { return msg('Workstations'); },
  get columns() { return [msg('Name'), msg('Branch'), msg('Registered'), msg('State'), msg('Rename')]; },
  get retire() { return msg('Retire'); },
  registered: (at: string, by: string) => msg(str`${at} by ${by}`),
  retiredAt: (at: string) => msg(str`retired ${at}`),
  get inUse() { return msg('in use'); },
  newNameFor: (workstation: string) => msg(str`New name for ${workstation}`),
  get rename() { return msg('Rename'); },
};

/** Workstations of the branches one administers: rename, or retire a lost or replaced device. */
export class WorkstationsAdminPage extends LightElement {
  static override properties = { message: { state: true }, error: { state: true } };
  message = '';
  error = '';
  private readonly load = new Task(this, {
    task: () => api<WorkstationRecord[]>('GET', '/workstations'),
    // Empty args: load once and after each action, not on every render.
    args: () => [],
    // Load and action errors share one alert, which the next action clears.
    onError: (err) => { this.error = errorMessage(err); },
    // A reload that fails leaves the last rows on screen (a failed Task forgets its value).
    onComplete: (value) => { this.shown = value; },
  });
  private shown?: WorkstationRecord[];

  private run(action: () => Promise<unknown>, done: string): Promise<void> {
    return runAction(this, action, done, () => this.load.run());
  }

  private rename(name: string, event: SubmitEvent): void {
    event.preventDefault();
    const to = String(new FormData(event.target as HTMLFormElement).get('to')).trim();
    void this.run(() => api('POST', `/workstations/${encodeURIComponent(name)}/rename`, { name: to }), TEXT.renamed(name, to));
  }

  protected override render() {
    return html`
      ${adminNav('#/admin/workstations')}
      <section class="card">
        <h1>${TEXT.heading}</h1>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        <table>
          <caption class="visually-hidden">${TEXT.heading}</caption>
          <thead><tr>${TEXT.columns.map((c) => html`<th>${c}</th>`)}<th><span class="visually-hidden">${TEXT.retire}</span></th></tr></thead>
          <tbody>${(this.shown ?? []).map((w) => html`<tr>
            <td>${code(w.name)}</td><td>${code(w.branch)}</td><td>${TEXT.registered(formatTime(w.registered_at), w.registered_by)}</td>
            <td>${w.retired_at ? TEXT.retiredAt(formatTime(w.retired_at)) : TEXT.inUse}</td>
            <td><form class="row" @submit=${(e: SubmitEvent) => this.rename(w.name, e)}>
              <input name="to" required maxlength="64" aria-label=${TEXT.newNameFor(w.name)}><button type="submit" class="secondary">${TEXT.rename}</button></form></td>
            <td>${w.retired_at ? '' : html`<button class="secondary" @click=${() => this.run(() => api('POST', `/workstations/${encodeURIComponent(w.name)}/retire`), TEXT.retired(w.name))}>${TEXT.retire}</button>`}</td>
          </tr>`)}</tbody>
        </table>
      </section>`;
  }
}
customElements.define('oc-workstations-admin-page', WorkstationsAdminPage);
