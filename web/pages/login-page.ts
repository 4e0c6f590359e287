import { html, nothing } from 'lit';
import { LightElement } from '../components/light-element.js';
import { SubmitController } from '../controllers/submit-controller.js';
import { api } from '../services/api.js';
import type { Me } from '../../shared/api.js';
import { msg, str } from '@lit/localize';

/** Fired with the logged-in staff member. */
export class LoggedInEvent extends Event {
  constructor(readonly me: Me) { super('logged-in', { bubbles: true, composed: true }); }
}

/**
 * Fired when, with no server to log in to, a staff member takes over the
 * desk by name: their scans are recorded under it and stay on the device.
 */
export class TakeOverEvent extends Event {
  constructor(readonly staff: Me) { super('take-over', { bubbles: true, composed: true }); }
}

const TEXT = {
  get heading() { return msg('Log in'); },
  get username() { return msg('Username'); },
  get password() { return msg('Password'); },
  get submit() { return msg('Log in'); },
  get offline() { return msg('The server cannot be reached, and logging in needs it.'); },
  get takeOverHeading() { return msg('Work at this desk while offline'); },
  get takeOverText() {
    return msg('Your scans are recorded under the name you give here and stay on this device. Uploading them needs a real login once the server answers.');
  },
  get takeOverName() { return msg('Your username'); },
  get takeOver() { return msg('Take over the desk'); },
  continueAs: (name: string) => msg(str`Continue as ${name}`),
};

export class LoginPage extends LightElement {
  static override properties = { offline: { type: Boolean }, lastStaff: { attribute: false } };
  /** The server does not answer: offer to take over the desk by name. */
  offline = false;
  /** Who worked this desk last, who may go on working offline; null on a device never registered. */
  lastStaff: Me | null = null;
  private readonly form = new SubmitController(this);

  private submit(event: SubmitEvent): Promise<void> {
    return this.form.submit(event, async (form) => {
      const me = await api<Me>('POST', '/auth/login', { username: String(form.get('username')).trim(), password: String(form.get('password')) });
      this.dispatchEvent(new LoggedInEvent(me));
    });
  }

  private takeOver(event: SubmitEvent): void {
    event.preventDefault();
    const username = String(new FormData(event.target as HTMLFormElement).get('staff')).trim();
    if (username) this.dispatchEvent(new TakeOverEvent({ username, display_name: username, roles: [] }));
  }

  protected override render() {
    const last = this.lastStaff;
    return html`
      <section class="card narrow" aria-labelledby="login-title">
        <h1 id="login-title">${TEXT.heading}</h1>
        ${this.offline ? html`<p class="warn">${TEXT.offline}</p>` : nothing}
        <form @submit=${this.submit}>
          <label>${TEXT.username} <input name="username" autocomplete="username" required autofocus></label>
          <label>${TEXT.password} <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit" ?disabled=${this.form.busy}>${TEXT.submit}</button>
          ${this.form.error ? html`<p role="alert" class="error">${this.form.error}</p>` : ''}
        </form>
      </section>
      ${this.offline && last ? html`<section class="card narrow" aria-labelledby="take-over-title">
        <h2 id="take-over-title">${TEXT.takeOverHeading}</h2>
        <p>${TEXT.takeOverText}</p>
        <form @submit=${this.takeOver}>
          <label>${TEXT.takeOverName} <input name="staff" autocomplete="off" required maxlength="64"></label>
          <button type="submit">${TEXT.takeOver}</button>
        </form>
        <div class="actions"><button type="button" class="secondary" @click=${() => this.dispatchEvent(new TakeOverEvent(last))}>
          ${TEXT.continueAs(last.display_name)}</button></div>
      </section>` : nothing}`;
  }
}
customElements.define('oc-login-page', LoginPage);
