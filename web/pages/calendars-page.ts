import { html } from 'lit';
import { Task } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { adminNav } from '../components/admin-nav.js';
import { api, errorMessage } from '../services/api.js';
import type { BranchCalendar } from '../../shared/api.js';
import { formatDate } from '../format.js';
import { code, name, time } from '../components/data-text.js';
import { msg, str } from '@lit/localize';
import { formatLocale } from '../../shared/i18n/locale.js';
import { runAction } from '../services/admin-action.js';

/**
 * Monday to Sunday in the desk's language (2024-01-01 was a Monday). Intl writes them, as it writes
 * dates: marked translate="no" like a date, for browsers' translators and the pseudo-locale walk.
 */
const weekdays = (): string[] => {
  const format = new Intl.DateTimeFormat(formatLocale(), { weekday: 'long', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
};

const TEXT = {
  closedOn: (branch: string, day: string, reason: string) => msg(str`${branch} is closed on ${day}: ${reason}.`),
  closedFromTo: (branch: string, first: string, last: string, reason: string) => msg(str`${branch} is closed from ${first} to ${last}: ${reason}.`),
  get heading() { return msg('Branch calendars'); },
  get intro1() { return msg('Loans fall due at the end of an open day in the branch\'s time zone; fines count open days only.'); },
  /** The import's options are placeholders: typed as they are, never translated. */
  intro2: (branches: string, zone: string, hours: string, closed: string) =>
    msg(str`Time zones and weekly hours come from the import (${branches} with ${zone}, ${hours}); closures are added here or with ${closed}.`),
  get intro3() { return msg('A library system\'s closures close every branch of it.'); },
  get branch() { return msg('Branch'); },
  branchOption: (branchName: string, branchCode: string) => msg(str`${branchName} (${branchCode})`),
  get timeZone() { return msg('Time zone'); },
  zoneFrom: (parent: string) => msg(str`(from ${parent})`),
  get zoneDefault() { return msg('(the server’s default)'); },
  get hours() { return msg('Opening hours'); },
  hoursFrom: (branch: string) => msg(str`Opening hours (from ${branch})`),
  get openNoHours() { return msg('open (no hours given)'); },
  get closed() { return msg('closed'); },
  get closures() { return msg('Closures'); },
  get from() { return msg('From'); },
  get to() { return msg('To'); },
  get reason() { return msg('Reason'); },
  get enteredAt() { return msg('Entered at'); },
  get actions() { return msg('Actions'); },
  removeLabel: (day: string, reason: string) => msg(str`Remove the closure of ${day} (${reason})`),
  removed: (day: string, reason: string) => msg(str`The closure of ${day} (${reason}) is removed.`),
  get remove() { return msg('Remove'); },
  get changeAt() { return msg('change it at'); },
  get none() { return msg('No closures.'); },
  get add() { return msg('Add a closure'); },
  get firstDay() { return msg('First day'); },
  get lastDay() { return msg('Last day'); },
  get oneDay() { return msg('(blank: one day)'); },
  get addButton() { return msg('Add closure'); },
};

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

  private change(action: () => Promise<unknown>, done: string): Promise<void> {
    return runAction(this, action, done, () => this.load.run());
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
    }, last && last !== first ? TEXT.closedFromTo(this.selected, formatDate(first), formatDate(last), reason)
      : TEXT.closedOn(this.selected, formatDate(first), reason));
  }

  protected override render() {
    const calendar = this.shown.find((c) => c.code === this.selected);
    const day = (iso: string) => time(iso, formatDate(iso));
    return html`
      ${adminNav('#/admin/calendars')}
      <section class="card">
        <h1>${TEXT.heading}</h1>
        <p>${TEXT.intro1} ${TEXT.intro2('--branches', 'time_zone', '--hours', '--closed')} ${TEXT.intro3}</p>
        <label>${TEXT.branch} <select @change=${(e: Event) => { this.selected = (e.target as HTMLSelectElement).value; this.message = ''; }}>
          ${this.shown.map((c) => html`<option value=${c.code} ?selected=${c.code === this.selected}>${TEXT.branchOption(c.name, c.code)}</option>`)}
        </select></label>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
      </section>
      ${calendar ? html`
        <section class="card">
          <h2>${name(calendar.name)}</h2>
          <p>${TEXT.timeZone} <strong>${code(calendar.zone)}</strong>${calendar.time_zone ? '' : html` <span class="muted">${calendar.parent ? TEXT.zoneFrom(calendar.parent) : TEXT.zoneDefault}</span>`}</p>
          <table>
            <caption>${calendar.hours_from && calendar.hours_from !== calendar.code ? TEXT.hoursFrom(calendar.hours_from) : TEXT.hours}</caption>
            <tbody>${weekdays().map((weekday, i) => html`<tr><th scope="row" translate="no">${weekday}</th>
              <td>${calendar.hours_from === null ? TEXT.openNoHours : calendar.hours[i] ? code(calendar.hours[i].replaceAll(',', ', ')) : TEXT.closed}</td></tr>`)}</tbody>
          </table>
        </section>
        <section class="card">
          <table>
            <caption>${TEXT.closures}</caption>
            <thead><tr><th>${TEXT.from}</th><th>${TEXT.to}</th><th>${TEXT.reason}</th><th>${TEXT.enteredAt}</th><th><span class="visually-hidden">${TEXT.actions}</span></th></tr></thead>
            <tbody>${calendar.closures.map((c) => html`<tr>
              <td>${day(c.first_date)}</td><td>${day(c.last_date)}</td><td>${name(c.reason)}</td><td>${code(c.branch)}</td>
              <td>${c.branch === calendar.code ? html`<button class="secondary" aria-label=${TEXT.removeLabel(formatDate(c.first_date), c.reason)}
                @click=${() => this.change(() => api('POST', `/calendars/${encodeURIComponent(c.branch)}/closures/${c.id}/remove`),
                  TEXT.removed(formatDate(c.first_date), c.reason))}>${TEXT.remove}</button>`
                : html`<span class="muted">${TEXT.changeAt} ${code(c.branch)}</span>`}</td>
            </tr>`)}</tbody>
          </table>
          ${calendar.closures.length ? '' : html`<p class="muted">${TEXT.none}</p>`}
          <form class="row" @submit=${this.add} aria-label=${TEXT.add}>
            <label>${TEXT.firstDay} <input type="date" name="first_date" required></label>
            <label>${TEXT.lastDay} <small>${TEXT.oneDay}</small> <input type="date" name="last_date"></label>
            <label>${TEXT.reason} <input name="reason" required maxlength="200"></label>
            <button type="submit">${TEXT.addButton}</button>
          </form>
        </section>` : ''}`;
  }
}
customElements.define('oc-calendars-page', CalendarsPage);
