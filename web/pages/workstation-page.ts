import { html } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { LightElement } from '../components/light-element.js';
import { SubmitController } from '../controllers/submit-controller.js';
import { api, errorMessage } from '../services/api.js';
import type { Branch, Me, Workstation } from '../../shared/api.js';
import type { DeviceInfo } from '../../shared/outbox-messages.js';
import * as outbox from '../services/outbox-client.js';
import { msg, str } from '@lit/localize';

const TEXT = {
  get heading() { return msg('Register this device'); },
  get intro() { return msg('Name this desk once. Its scans are kept on this device and uploaded under this name.'); },
  get name() { return msg('Workstation name'); },
  get example() { return msg('CENTRAL-DESK-1', { desc: 'An example of a workstation name: letters, digits, dot, dash and underscore only' }); },
  get pattern() { return msg('Letters, digits, dot, dash and underscore'); },
  get branch() { return msg('Branch'); },
  /** A branch in the list: its name and its code. */
  branchOption: (name: string, code: string) => msg(str`${name} (${code})`),
  get noBranch() { return msg('Your account may not register a desk at any branch. Ask an administrator for a role at your branch.'); },
  get register() { return msg('Register workstation'); },
};

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
    const error = this.form.error || (this.branches.status === TaskStatus.ERROR ? errorMessage(this.branches.error) : '');
    return html`
      <section class="card narrow">
        <h1>${TEXT.heading}</h1>
        <p>${TEXT.intro}</p>
        <form @submit=${this.submit}>
          <label>${TEXT.name} <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]*" placeholder=${TEXT.example}
            title=${TEXT.pattern}></label>
          <label>${TEXT.branch}
            <select name="branch" required>
              ${branches.map((b) => html`<option value=${b.code}>${TEXT.branchOption(b.name, b.code)}</option>`)}
            </select>
          </label>
          ${this.branches.status === TaskStatus.COMPLETE && !branches.length
            ? html`<p role="alert" class="error">${TEXT.noBranch}</p>` : ''}
          <button type="submit" ?disabled=${this.form.busy || !branches.length}>${TEXT.register}</button>
          ${error ? html`<p role="alert" class="error">${error}</p>` : ''}
        </form>
      </section>`;
  }
}
customElements.define('oc-workstation-page', WorkstationPage);
