import { html } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { SubmitController } from '../controllers/submit-controller.js';
import { api } from '../services/api.js';
import type { Branch, Me, Workstation } from '../../shared/api.js';
import type { DeviceInfo } from '../../shared/outbox-messages.js';
import * as outbox from '../services/outbox-client.js';

export class DeviceRegisteredEvent extends Event {
  constructor(readonly device: DeviceInfo) { super('device-registered', { bubbles: true, composed: true }); }
}

/** Registers this device as a workstation of a branch, once, while online. */
export class WorkstationPage extends LightElement {
  static override properties = { me: { attribute: false } };
  me!: Me;
  // Empty args: load once, not again on every render.
  // Only the branches where this account may register a desk, by name: the server decides, so none is offered and then refused.
  private readonly branches = new Task(this, { task: () => api<Branch[]>('GET', '/branches?for=workstation'), args: () => [] });
  private readonly form = new SubmitController(this);

  private submit(event: SubmitEvent): Promise<void> {
    return this.form.submit(event, async (form) => {
      const ws = await api<Workstation>('POST', '/workstations', { name: String(form.get('name')).trim(), branch: String(form.get('branch')) });
      const device: DeviceInfo = { workstation: ws.name, branch: ws.branch, staff: this.me };
      await outbox.setDevice(device);
      this.dispatchEvent(new DeviceRegisteredEvent(device));
    });
  }

  protected override render() {
    const branches = this.branches.value ?? [];
    // Without branches the button stays disabled, so no submit can replace a load error.
    const error = this.form.error || (this.branches.status === TaskStatus.ERROR ? (this.branches.error as Error).message : '');
    return html`
      <section class="card narrow">
        <h1>Register this device</h1>
        <p>Name this desk once. Its scans are kept on this device and uploaded under this name.</p>
        <form @submit=${this.submit}>
          <label>Workstation name <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]*" placeholder="CENTRAL-DESK-1"
            title="Letters, digits, dot, dash and underscore"></label>
          <label>Branch
            <select name="branch" required>
              ${branches.map((b) => html`<option value=${b.code}>${b.name} (${b.code})</option>`)}
            </select>
          </label>
          ${this.branches.status === TaskStatus.COMPLETE && !branches.length
            ? html`<p role="alert" class="error">Your account may not register a desk at any branch. Ask an administrator for a role at your branch.</p>` : ''}
          <button type="submit" ?disabled=${this.form.busy || !branches.length}>Register workstation</button>
          ${error ? html`<p role="alert" class="error">${error}</p>` : ''}
        </form>
      </section>`;
  }
}
customElements.define('oc-workstation-page', WorkstationPage);
