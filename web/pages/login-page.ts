import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { SubmitController } from '../controllers/submit-controller.js';
import { api } from '../services/api.js';
import type { Me } from '../../shared/api.js';

/** Fired with the logged-in staff member. */
export class LoggedInEvent extends Event {
  constructor(readonly me: Me) { super('logged-in', { bubbles: true, composed: true }); }
}

export class LoginPage extends LightElement {
  private readonly form = new SubmitController(this);

  private submit(event: SubmitEvent): Promise<void> {
    return this.form.submit(event, async (form) => {
      const me = await api<Me>('POST', '/auth/login', { username: String(form.get('username')).trim(), password: String(form.get('password')) });
      this.dispatchEvent(new LoggedInEvent(me));
    });
  }

  protected override render() {
    return html`
      <section class="card narrow">
        <h1>Log in</h1>
        <form @submit=${this.submit}>
          <label>Username <input name="username" autocomplete="username" required autofocus></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit" ?disabled=${this.form.busy}>Log in</button>
          ${this.form.error ? html`<p role="alert" class="error">${this.form.error}</p>` : ''}
        </form>
      </section>`;
  }
}
customElements.define('oc-login-page', LoginPage);
