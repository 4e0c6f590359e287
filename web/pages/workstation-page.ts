import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import { api, ApiRequestError } from '../services/api.js';
import type { Branch, Me, Workstation } from '../../shared/api.js';
import type { DeviceInfo } from '../../shared/outbox-messages.js';
import * as outbox from '../services/outbox-client.js';

export class DeviceRegisteredEvent extends Event {
  constructor(readonly device: DeviceInfo) { super('device-registered', { bubbles: true, composed: true }); }
}

/** Registers this device as a workstation of a branch, once, while online. */
export class WorkstationPage extends LightElement {
  static override properties = { me: { attribute: false }, branches: { state: true }, error: { state: true }, busy: { state: true } };
  me!: Me;
  branches: Branch[] = [];
  error = '';
  busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    api<Branch[]>('GET', '/branches').then((b) => { this.branches = b; }, (err: Error) => { this.error = err.message; });
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = '';
    try {
      const ws = await api<Workstation>('POST', '/workstations', { name: String(form.get('name')).trim(), branch: String(form.get('branch')) });
      const device: DeviceInfo = { workstation: ws.name, branch: ws.branch, staff: this.me };
      await outbox.setDevice(device);
      this.dispatchEvent(new DeviceRegisteredEvent(device));
    } catch (err) {
      this.error = err instanceof ApiRequestError ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    return html`
      <section class="card narrow">
        <h1>Register this device</h1>
        <p>Name this desk once. Its scans are kept on this device and uploaded under this name.</p>
        <form @submit=${this.submit}>
          <label>Workstation name <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]*" placeholder="CENTRAL-DESK-1"
            title="Letters, digits, dot, dash and underscore"></label>
          <label>Branch
            <select name="branch" required>
              ${this.branches.map((b) => html`<option value=${b.code}>${b.name} (${b.code})</option>`)}
            </select>
          </label>
          <button type="submit" ?disabled=${this.busy || !this.branches.length}>Register workstation</button>
          ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        </form>
      </section>`;
  }
}
customElements.define('oc-workstation-page', WorkstationPage);
