import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api, errorMessage } from '../services/api.js';
import type { BranchCalendar } from '../../shared/api.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Branch calendars: the time zone and opening hours each branch keeps (loaded with the
 * import), and its closures, which an administrator adds and removes here. Due dates move
 * off closed days and fines skip them, at the desks and in processing alike.
 */
export class CalendarsPage extends LightElement {
  static override properties = { selected: { state: true }, message: { state: true }, error: { state: true } };
  selected = '';
  message = '';
  error = '';
  private shown: BranchCalendar[] = [];
  private readonly load = new Task(this, {
    task: () => api<BranchCalendar[]>('GET', '/calendars'),
    args: () => [],
    onError: (err) => { this.error = errorMessage(err); },
    onComplete: (value) => {
      this.shown = value;
      if (!value.some((c) => c.code === this.selected)) this.selected = value[0]?.code ?? '';
    },
  });

  private async change(action: () => Promise<unknown>, done: string): Promise<void> {
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

  private add(event: SubmitEvent): void {
    event.preventDefault();
    const formEl = event.target as HTMLFormElement;
    const form = new FormData(formEl);
    const first = String(form.get('first_date'));
    const last = String(form.get('last_date') ?? '');
    const reason = String(form.get('reason')).trim();
    void this.change(async () => {
      await api('POST', `/calendars/${encodeURIComponent(this.selected)}/closures`, { first_date: first, ...(last ? { last_date: last } : {}), reason });
      formEl.reset();
    }, `${this.selected} is closed ${last && last !== first ? `${first} to ${last}` : `on ${first}`}: ${reason}.`);
  }

  protected override render() {
    const calendar = this.shown.find((c) => c.code === this.selected);
    return html`
      ${adminNav('#/admin/calendars')}
      <section class="card">
        <h1>Branch calendars</h1>
        <p>Loans fall due at the end of an open day in the branch's time zone; fines count open days only. Time zones and weekly
          hours come from the import (<code>--branches</code> with <code>time_zone</code>, <code>--hours</code>); closures are added here or
          with <code>--closed</code>. A library system's closures close every branch of it.</p>
        <label>Branch <select @change=${(e: Event) => { this.selected = (e.target as HTMLSelectElement).value; this.message = ''; }}>
          ${this.shown.map((c) => html`<option value=${c.code} ?selected=${c.code === this.selected}>${c.name} (${c.code})</option>`)}
        </select></label>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      ${calendar ? html`
        <section class="card">
          <h2>${calendar.name}</h2>
          <p>Time zone <strong>${calendar.zone}</strong>${calendar.time_zone ? '' : html` <span class="muted">(${calendar.parent ? `from ${calendar.parent}` : 'the server’s default'})</span>`}</p>
          <table>
            <caption>Opening hours${calendar.hours_from && calendar.hours_from !== calendar.code ? ` (from ${calendar.hours_from})` : ''}</caption>
            <tbody>${WEEKDAYS.map((day, i) => html`<tr><th scope="row">${day}</th>
              <td>${calendar.hours_from === null ? 'open (no hours given)' : calendar.hours[i] ? calendar.hours[i].replaceAll(',', ', ') : 'closed'}</td></tr>`)}</tbody>
          </table>
        </section>
        <section class="card">
          <table>
            <caption>Closures</caption>
            <thead><tr><th>From</th><th>To</th><th>Reason</th><th>Entered at</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>${calendar.closures.map((c) => html`<tr>
              <td>${c.first_date}</td><td>${c.last_date}</td><td>${c.reason}</td><td>${c.branch}</td>
              <td>${c.branch === calendar.code ? html`<button class="secondary" aria-label=${`Remove the closure ${c.first_date} ${c.reason}`}
                @click=${() => this.change(() => api('POST', `/calendars/${encodeURIComponent(c.branch)}/closures/${c.id}/remove`),
                  `The closure of ${c.first_date} (${c.reason}) is removed.`)}>Remove</button>`
                : html`<span class="muted">change it at ${c.branch}</span>`}</td>
            </tr>`)}</tbody>
          </table>
          ${calendar.closures.length ? '' : html`<p class="muted">No closures.</p>`}
          <form class="row" @submit=${this.add} aria-label="Add a closure">
            <label>First day <input type="date" name="first_date" required></label>
            <label>Last day <small>(blank: one day)</small> <input type="date" name="last_date"></label>
            <label>Reason <input name="reason" required maxlength="200"></label>
            <button type="submit">Add closure</button>
          </form>
        </section>` : ''}`;
  }
}
customElements.define('oc-calendars-page', CalendarsPage);
