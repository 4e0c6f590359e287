import { html } from 'lit';
import { LightElement } from './light-element.js';
import { api, ApiRequestError } from '../services/api.js';
import type { SessionSummary } from '../../shared/api.js';
import type { DeviceInfo, UploadTarget } from '../../shared/outbox-messages.js';
import type { SyncController, SyncStatus } from '../controllers/sync-controller.js';

/**
 * "N transactions waiting — upload to session: [...]". Opens as a modal
 * dialog; nothing leaves the device until staff pick a session (or picked
 * one before, which the device remembers until it is no longer open).
 */
export class SyncDialog extends LightElement {
  static override properties = {
    device: { attribute: false }, pending: { type: Number }, loggedIn: { type: Boolean }, sync: { attribute: false },
    status: { attribute: false },
    sessions: { state: true }, reason: { state: true }, error: { state: true }, remembered: { state: true },
  };
  device!: DeviceInfo;
  pending = 0;
  loggedIn = false;
  sync!: SyncController;
  /** The controller's current status, passed in so the dialog renders each change. */
  status: SyncStatus = { kind: 'idle' };
  sessions: SessionSummary[] | null = null;
  reason = '';
  error = '';
  remembered: UploadTarget | null = null;

  private get dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  /** Shows the prompt and loads the open sessions that cover this workstation's branch. */
  async open(reason = '', remembered: UploadTarget | null = null): Promise<void> {
    this.reason = reason;
    this.error = '';
    this.sessions = null;
    this.remembered = remembered;
    this.sync.reset();
    await this.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
    if (!this.loggedIn) return;
    try {
      this.sessions = await api<SessionSummary[]>('GET', `/sessions?state=open&branch=${encodeURIComponent(this.device.branch)}`);
    } catch (err) {
      this.error = err instanceof ApiRequestError && err.code === 'NOT_LOGGED_IN' ? 'Log in again to upload; everything stays on this device.' : (err as Error).message;
    }
  }

  /** Closing never stops an upload: it runs in the service worker, and the header keeps showing it. */
  close(): void {
    this.dialog?.close();
  }

  private async upload(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const sessionId = Number(new FormData(event.target as HTMLFormElement).get('session'));
    const session = this.sessions?.find((s) => s.id === sessionId);
    if (!session) return;
    this.error = '';
    this.reason = '';
    try {
      await this.sync.upload({ session_id: session.id, session_name: session.name });
    } catch (err) {
      const code = (err as { code?: string }).code;
      this.error = code === 'NOT_LOGGED_IN' ? 'Your login has expired. Log in again to upload; everything stays on this device.'
        : code === 'NETWORK' ? `${(err as Error).message} Nothing is lost.`
        : `Upload stopped: ${(err as Error).message} Everything not yet acknowledged stays on this device.`;
      if (code === 'SESSION_NOT_OPEN') this.sessions = (this.sessions ?? []).filter((s) => s.id !== sessionId);
    }
  }

  private renderBody() {
    if (!this.loggedIn) {
      return html`<p>Log in again to upload. Everything stays on this device until then.</p>
        <a class="button" href="#/login" @click=${() => this.dialog?.close()}>Log in</a>`;
    }
    if (this.sessions === null) return this.error ? '' : html`<p>Looking for open sessions…</p>`;
    if (!this.sessions.length) {
      return html`<p>No session is open for ${this.device.branch}. Ask an administrator to create one; everything stays on this device.</p>`;
    }
    const busy = this.status.kind === 'uploading';
    return html`
      <form @submit=${this.upload}>
        <label>Session
          <select name="session" required ?disabled=${busy}>
            ${this.sessions.map((s) => html`<option value=${s.id} ?selected=${s.id === this.remembered?.session_id}>${s.name} (${s.branch})</option>`)}
          </select>
        </label>
        <button type="submit" ?disabled=${busy || this.pending === 0}>Upload</button>
      </form>`;
  }

  private renderStatus() {
    const s = this.status;
    if (s.kind === 'uploading') {
      const p = s.progress;
      return html`<p><progress max=${Math.max(p?.total ?? this.pending, 1)} value=${p?.sent ?? 0} aria-label="Upload progress"></progress>
        ${p?.sent ?? 0} of ${p?.total ?? this.pending} sent to “${s.target.session_name}”</p>`;
    }
    if (s.kind === 'done') {
      const p = s.progress;
      return html`<p role="status">Uploaded ${p.accepted} transaction${p.accepted === 1 ? '' : 's'} to “${s.target.session_name}”${
        p.duplicates ? `; ${p.duplicates} had already been received and were stored once` : ''}${
        p.rejected ? `; ${p.rejected} were refused and stay on this device with the reason` : ''}.</p>`;
    }
    if (s.kind === 'waiting-retry') {
      return html`<p role="status">The server did not answer; trying again at ${new Date(s.at).toLocaleTimeString()}. Nothing is lost.</p>`;
    }
    return '';
  }

  protected override render() {
    const uploading = this.status.kind === 'uploading';
    const done = this.status.kind === 'done';
    return html`
      <dialog aria-labelledby="sync-title">
        <h2 id="sync-title">${this.pending} transaction${this.pending === 1 ? '' : 's'} waiting — upload to session:</h2>
        ${this.reason ? html`<p class="warn">${this.reason}</p>` : ''}
        ${this.renderBody()}
        ${this.renderStatus()}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        <div class="actions"><button type="button" class="secondary" @click=${this.close}>
          ${done ? 'Close' : uploading ? 'Hide (the upload goes on)' : 'Later'}</button></div>
      </dialog>`;
  }
}
customElements.define('oc-sync-dialog', SyncDialog);
