import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { api, ApiRequestError } from '../services/api.js';
import type { Me } from '../../shared/api.js';

/** Fired with the logged-in staff member. */
export class LoggedInEvent extends Event {
  constructor(readonly me: Me) { super('logged-in', { bubbles: true, composed: true }); }
}

export class LoginPage extends LightElement {
  static override properties = { error: { state: true }, busy: { state: true } };
  error = '';
  busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = '';
    try {
      const me = await api<Me>('POST', '/auth/login', { username: String(form.get('username')).trim(), password: String(form.get('password')) });
      this.dispatchEvent(new LoggedInEvent(me));
    } catch (err) {
      this.error = err instanceof ApiRequestError ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    return html`
      <section class="card narrow">
        <h1>Log in</h1>
        <form @submit=${this.submit}>
          <label>Username <input name="username" autocomplete="username" required autofocus></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit" ?disabled=${this.busy}>Log in</button>
          ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        </form>
      </section>`;
  }
}
customElements.define('oc-login-page', LoginPage);
