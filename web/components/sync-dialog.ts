import { html } from 'lit';
import { LightElement } from './light-element.js';
import { api, ApiRequestError } from '../services/api.js';
import { uploadPending, type UploadProgress } from '../services/sync.js';
import type { SessionSummary } from '../../shared/api.js';
import type { DeviceInfo } from '../../shared/outbox-messages.js';

/**
 * "N transactions waiting — upload to session: [...]". Opens as a modal
 * dialog; nothing leaves the device until staff pick a session.
 */
export class SyncDialog extends LightElement {
  static override properties = {
    device: { attribute: false }, pending: { type: Number }, loggedIn: { type: Boolean },
    sessions: { state: true }, message: { state: true }, error: { state: true }, progress: { state: true }, uploading: { state: true },
  };
  device!: DeviceInfo;
  pending = 0;
  loggedIn = false;
  sessions: SessionSummary[] | null = null;
  message = '';
  error = '';
  progress: UploadProgress | null = null;
  uploading = false;

  private get dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  /** Shows the prompt and loads the open sessions that cover this workstation's branch. */
  async open(): Promise<void> {
    this.message = '';
    this.error = '';
    this.progress = null;
    this.sessions = null;
    await this.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
    if (!this.loggedIn) return;
    try {
      this.sessions = await api<SessionSummary[]>('GET', `/sessions?state=open&branch=${encodeURIComponent(this.device.branch)}`);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  close(): void {
    if (this.uploading) return;
    this.dialog?.close();
  }

  private async upload(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const sessionId = Number(new FormData(event.target as HTMLFormElement).get('session'));
    const session = this.sessions?.find((s) => s.id === sessionId);
    if (!session) return;
    this.uploading = true;
    this.error = '';
    this.message = '';
    this.progress = { sent: 0, total: this.pending, accepted: 0, duplicates: 0, rejected: 0 };
    try {
      const done = await uploadPending(sessionId, this.device.workstation, this.pending, (p) => { this.progress = p; });
      this.message = `Uploaded ${done.accepted} transaction${done.accepted === 1 ? '' : 's'} to “${session.name}”` +
        (done.duplicates ? `; ${done.duplicates} had already been received and were stored once` : '') +
        (done.rejected ? `; ${done.rejected} were refused and stay on this device with the reason` : '') + '.';
    } catch (err) {
      this.error = err instanceof ApiRequestError && err.code === 'NOT_LOGGED_IN'
        ? 'Your login has expired. Log in again to upload; everything stays on this device.'
        : `Upload stopped: ${(err as Error).message} Everything not yet acknowledged stays on this device.`;
      if (err instanceof ApiRequestError && err.code === 'SESSION_NOT_OPEN') {
        this.sessions = (this.sessions ?? []).filter((s) => s.id !== sessionId);
      }
    } finally {
      this.uploading = false;
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
    return html`
      <form @submit=${this.upload}>
        <label>Session
          <select name="session" required ?disabled=${this.uploading}>
            ${this.sessions.map((s) => html`<option value=${s.id}>${s.name} (${s.branch})</option>`)}
          </select>
        </label>
        <button type="submit" ?disabled=${this.uploading || this.pending === 0}>Upload</button>
      </form>`;
  }

  protected override render() {
    const p = this.progress;
    return html`
      <dialog aria-labelledby="sync-title" @cancel=${(e: Event) => { if (this.uploading) e.preventDefault(); }}>
        <h2 id="sync-title">${this.pending} transaction${this.pending === 1 ? '' : 's'} waiting — upload to session:</h2>
        ${this.renderBody()}
        ${p ? html`<p><progress max=${Math.max(p.total, 1)} value=${p.sent} aria-label="Upload progress"></progress>
          ${p.sent} of ${p.total} sent</p>` : ''}
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        <div class="actions"><button type="button" class="secondary" ?disabled=${this.uploading} @click=${this.close}>
          ${this.message ? 'Close' : 'Later'}</button></div>
      </dialog>`;
  }
}
customElements.define('oc-sync-dialog', SyncDialog);
