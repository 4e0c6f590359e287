import { html } from 'lit';
import { LightElement } from './light-element.js';
import { api, ApiRequestError, errorMessage } from '../services/api.js';
import type { SessionSummary } from '../../shared/api.js';
import type { DeviceInfo, UploadTarget } from '../../shared/outbox-messages.js';
import type { SyncController, SyncStatus } from '../controllers/sync-controller.js';
import type { ScanRefusedEvent } from '../controllers/scan-gate-controller.js';
import { formatClock, formatTime } from '../format.js';
import { plural } from '../../shared/i18n/plural.js';
import { formatCount } from '../../shared/i18n/locale.js';
import { msg, str } from '@lit/localize';

const TEXT = {
  waiting: (n: number) => plural(n, {
    one: msg(str`${formatCount(n)} transaction waiting — upload to session:`),
    other: msg(str`${formatCount(n)} transactions waiting — upload to session:`),
  }),
  get finished() { return msg('Upload finished'); },
  get logInToUpload() { return msg('Log in again to upload. Everything stays on this device until then.'); },
  get logIn() { return msg('Log in'); },
  get looking() { return msg('Looking for open sessions…'); },
  noSession: (branch: string) => msg(str`No session is open for ${branch}. Ask an administrator to create one; everything stays on this device.`),
  get session() { return msg('Session'); },
  /** Sessions may share a name: the branch and when it was created tell them apart. */
  option: (name: string, branch: string, created: string) => msg(str`${name} (${branch}, created ${created})`),
  get upload() { return msg('Upload'); },
  get progress() { return msg('Upload progress'); },
  sent: (sent: number, total: number, session: string) => msg(str`${formatCount(sent)} of ${formatCount(total)} sent to “${session}”`),
  uploaded: (n: number, session: string) => plural(n, {
    one: msg(str`Uploaded ${formatCount(n)} transaction to “${session}”.`),
    other: msg(str`Uploaded ${formatCount(n)} transactions to “${session}”.`),
  }),
  duplicates: (n: number) => plural(n, {
    one: msg(str`${formatCount(n)} had already been received and was stored once.`),
    other: msg(str`${formatCount(n)} had already been received and were stored once.`),
  }),
  rejected: (n: number) => plural(n, {
    one: msg(str`${formatCount(n)} was refused and stays on this device with the reason.`),
    other: msg(str`${formatCount(n)} were refused and stay on this device with the reason.`),
  }),
  get nothingLeft() { return msg('Nothing is waiting on this device now.'); },
  stillWaiting: (n: number) => plural(n, {
    one: msg(str`${formatCount(n)} transaction is still waiting.`),
    other: msg(str`${formatCount(n)} transactions are still waiting.`),
  }),
  retrying: (time: string) => msg(str`The server did not answer; trying again at ${time}. Nothing is lost.`),
  get loginExpired() { return msg('Your login has expired. Log in again to upload; everything stays on this device.'); },
  networkLost: (message: string) => msg(str`${message} Nothing is lost.`),
  stopped: (message: string) => msg(str`Upload stopped: ${message} Everything not yet acknowledged stays on this device.`),
  refused: (code: string) => msg(str`${code} was scanned while this window was open and was not recorded. Close it, then scan it again.`),
  get close() { return msg('Close'); },
  get hide() { return msg('Hide (the upload goes on)'); },
  get later() { return msg('Later'); },
};

/**
 * "N transactions waiting — upload to session: [...]". Opens as a modal
 * dialog; nothing leaves the device until staff pick a session (or picked
 * one before, which the device remembers until it is no longer open).
 */
export class SyncDialog extends LightElement {
  static override properties = {
    device: { attribute: false }, pending: { type: Number }, loggedIn: { type: Boolean }, sync: { attribute: false },
    status: { attribute: false },
    sessions: { state: true }, reason: { state: true }, error: { state: true }, remembered: { state: true }, refused: { state: true },
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
  /** A scan refused while this dialog was open (ScanGateController). */
  refused = '';

  private get dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  /** Shows the prompt and loads the open sessions that cover this workstation's branch. */
  async open(reason = '', remembered: UploadTarget | null = null): Promise<void> {
    this.reason = reason;
    this.error = '';
    this.refused = '';
    this.sessions = null;
    this.remembered = remembered;
    this.sync.reset();
    await this.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
    if (!this.loggedIn) return;
    try {
      this.sessions = await api<SessionSummary[]>('GET', `/sessions?state=open&branch=${encodeURIComponent(this.device.branch)}`);
      // The sessions are there: the next Enter uploads (to the one selected), as staff expect of the prompt.
      await this.updateComplete;
      this.querySelector<HTMLButtonElement>('button.upload:not(:disabled)')?.focus();
    } catch (err) {
      this.error = err instanceof ApiRequestError && err.code === 'NOT_LOGGED_IN' ? TEXT.logInToUpload : errorMessage(err);
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
      await this.updateComplete;
      this.querySelector<HTMLButtonElement>('button.close')?.focus();
    } catch (err) {
      const code = (err as { code?: string }).code;
      this.error = code === 'NOT_LOGGED_IN' ? TEXT.loginExpired
        : code === 'NETWORK' ? TEXT.networkLost((err as Error).message)
        : TEXT.stopped((err as Error).message);
      if (code === 'SESSION_NOT_OPEN') this.sessions = (this.sessions ?? []).filter((s) => s.id !== sessionId);
    }
  }

  private renderBody() {
    if (!this.loggedIn) {
      return html`<p>${TEXT.logInToUpload}</p>
        <a class="button" href="#/login" @click=${() => this.dialog?.close()}>${TEXT.logIn}</a>`;
    }
    if (this.status.kind === 'done') return '';
    if (this.sessions === null) return this.error ? '' : html`<p>${TEXT.looking}</p>`;
    if (!this.sessions.length) return html`<p>${TEXT.noSession(this.device.branch)}</p>`;
    const busy = this.status.kind === 'uploading';
    return html`
      <form @submit=${this.upload}>
        <label>${TEXT.session}
          <select name="session" required ?disabled=${busy}>
            ${this.sessions.map((s) => html`<option value=${s.id} ?selected=${s.id === this.remembered?.session_id}>${
              TEXT.option(s.name, s.branch, formatTime(s.created_at))}</option>`)}
          </select>
        </label>
        <button type="submit" class="upload" ?disabled=${busy || this.pending === 0}>${TEXT.upload}</button>
      </form>`;
  }

  private renderStatus() {
    const s = this.status;
    if (s.kind === 'uploading') {
      const p = s.progress;
      return html`<p><progress max=${Math.max(p?.total ?? this.pending, 1)} value=${p?.sent ?? 0} aria-label=${TEXT.progress}></progress>
        ${TEXT.sent(p?.sent ?? 0, p?.total ?? this.pending, s.target.session_name)}</p>`;
    }
    if (s.kind === 'done') {
      const p = s.progress;
      return html`<p role="status">${TEXT.uploaded(p.accepted, s.target.session_name)}${
        p.duplicates ? html` ${TEXT.duplicates(p.duplicates)}` : ''}${p.rejected ? html` ${TEXT.rejected(p.rejected)}` : ''}
        ${this.pending ? TEXT.stillWaiting(this.pending) : TEXT.nothingLeft}</p>`;
    }
    if (s.kind === 'waiting-retry') {
      return html`<p role="status">${TEXT.retrying(formatClock(s.at))}</p>`;
    }
    return '';
  }

  protected override render() {
    const uploading = this.status.kind === 'uploading';
    const done = this.status.kind === 'done';
    return html`
      <dialog class="sync" aria-labelledby="sync-title" @scan-refused=${(e: ScanRefusedEvent) => { this.refused = e.code; }}>
        <h2 id="sync-title">${done ? TEXT.finished : TEXT.waiting(this.pending)}</h2>
        ${this.reason ? html`<p class="warn">${this.reason}</p>` : ''}
        ${this.renderBody()}
        ${this.renderStatus()}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : ''}
        ${this.refused ? html`<p role="alert" class="error">${TEXT.refused(this.refused)}</p>` : ''}
        <div class="actions"><button type="button" class="secondary close" @click=${this.close}>
          ${done ? TEXT.close : uploading ? TEXT.hide : TEXT.later}</button></div>
      </dialog>`;
  }
}
customElements.define('oc-sync-dialog', SyncDialog);
