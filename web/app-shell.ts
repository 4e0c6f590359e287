import { html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { LightElement } from './components/light-element.js';
import { ConnectivityController } from './controllers/connectivity-controller.js';
import { OutboxCountsController } from './controllers/outbox-counts-controller.js';
import { SyncController } from './controllers/sync-controller.js';
import { SnapshotController } from './controllers/snapshot-controller.js';
import { AppUpdateController } from './controllers/app-update-controller.js';
import { api, ApiRequestError, setWorkstationHeader } from './services/api.js';
import * as outbox from './services/outbox-client.js';
import type { Me } from '../shared/api.js';
import type { DeviceInfo } from '../shared/outbox-messages.js';
import type { SyncDialog } from './components/sync-dialog.js';
import type { LoggedInEvent, TakeOverEvent } from './pages/login-page.js';
import type { DeviceRegisteredEvent } from './pages/workstation-page.js';
import { modeFromPath } from './pages/desk-page.js';
import { NO_VISIT, setVisit } from './services/desk-visit.js';
import './components/sync-dialog.js';
import './pages/login-page.js';
import './pages/workstation-page.js';
import './pages/desk-page.js';
import './pages/admin-page.js';
import './pages/session-page.js';
import './pages/follow-ups-page.js';
import './pages/files-page.js';
import './pages/staff-page.js';
import './pages/workstations-admin-page.js';
import './pages/audit-page.js';
import './pages/import-page.js';
import './pages/calendars-page.js';
import './pages/policies-page.js';
import { formatClock, formatTime } from './format.js';
import { msg, str } from '@lit/localize';
import { formatCount } from '../shared/i18n/locale.js';
import { applyLocale, preferredLocale } from './i18n/locale.js';
import './components/locale-picker.js';
import { code, name } from './components/data-text.js';

/** Set by "Log out" and kept across reloads: the desk waits for a login (or, offline, someone taking it over). */
const LOCK_KEY = 'oc-desk-locked';
/** Set by a log-out the server did not hear (offline); the server's login is ended when it answers again. */
const LOGOUT_KEY = 'oc-logout-pending';

const TEXT = {
  get starting() { return msg('Starting…'); },
  get adminOnly() { return msg('The admin pages need the admin role.'); },
  get update() { return msg('A new version of the app is ready. Everything recorded on this device is kept.'); },
  get reload() { return msg('Reload now'); },
  get brand() { return msg('Offline Circulation'); },
  get reachable() { return msg('Server reachable'); },
  get offline() { return msg('Offline'); },
  pending: (n: number) => msg(str`${formatCount(n)} pending`),
  refused: (n: number) => msg(str`${formatCount(n)} refused`),
  uploading: (session: string) => msg(str`Uploading to “${session}”`),
  uploadingSent: (session: string, sent: number, total: number) =>
    msg(str`Uploading to “${session}” · ${formatCount(sent)} of ${formatCount(total)}`),
  paused: (time: string) => msg(str`Upload paused: retrying at ${time}`),
  get main() { return msg('Main'); },
  get desk() { return msg('Desk'); },
  get files() { return msg('Files'); },
  get admin() { return msg('Admin'); },
  get syncNow() { return msg('Sync now'); },
  get logOut() { return msg('Log out'); },
  get switchStaff() { return msg('Switch staff'); },
  get logIn() { return msg('Log in'); },
  get storageKept() { return msg('Storage: kept by the browser.'); },
  get storageAtRisk() { return msg('Storage: the browser may clear it —'); },
  get exportFile() { return msg('export a file regularly'); },
  get filesLink() { return msg('Files'); },
  printed: (at: string) => msg(str`Printed ${at}`),
};

/**
 * The app shell: who is here (the server's login, or offline the device's
 * last one), which page the hash names, and the header with the pending
 * count and the server's reachability.
 */
export class AppShell extends LightElement {
  static override properties = {
    me: { state: true }, device: { state: true }, route: { state: true }, ready: { state: true }, persisted: { state: true },
    locked: { state: true }, printedAt: { state: true },
  };
  /** The login the server confirmed; null when it did not (or could not be asked). */
  me: Me | null = null;
  device: DeviceInfo | null = null;
  route = location.hash || '#/desk/checkout';
  ready = false;
  /** Whether the browser promised not to clear this site's storage under pressure; null until asked. */
  persisted: boolean | null = null;
  /** Someone logged out here: the desk waits for the next staff member. */
  locked = localStorage.getItem(LOCK_KEY) === 'yes';
  /** When the page was last printed, for the printed page's date line. */
  printedAt = '';
  private readonly onBeforePrint = (): void => {
    this.printedAt = new Date().toISOString();
    // Printing starts right after this event: the date must be drawn now, not in the next frame.
    this.performUpdate();
  };
  private readonly counts = new OutboxCountsController(this, (c) => this.countsChanged(c.pending));
  private readonly connectivity = new ConnectivityController(this, () => void this.onReachable());
  private readonly sync = new SyncController(this, (reason) => void this.promptSync(reason));
  private readonly snapshot = new SnapshotController(this, () => !!this.me && this.connectivity.reachable);
  private readonly appUpdate = new AppUpdateController(this);
  private readonly onHash = (): void => { this.route = location.hash || '#/desk/checkout'; };
  private readonly onVisible = (): void => {
    // Coming back to the tab continues a chosen upload; it does not prompt again.
    if (document.visibilityState === 'visible' && this.connectivity.reachable && this.counts.counts.pending > 0
      && this.sync.status.kind !== 'uploading') {
      void outbox.getUploadTarget().then((t) => t && this.sync.upload(t, { promptOnFailure: true })).catch(() => undefined);
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('beforeprint', this.onBeforePrint);
    document.addEventListener('visibilitychange', this.onVisible);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('beforeprint', this.onBeforePrint);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  private setLocked(locked: boolean): void {
    this.locked = locked;
    if (locked) localStorage.setItem(LOCK_KEY, 'yes');
    else localStorage.removeItem(LOCK_KEY);
  }

  private lastPending = 0;

  /**
   * New scans wait on the device: let the browser upload them when it can, even
   * with the app closed. Only a growing count asks, so a sync that changes
   * nothing cannot set off another one.
   */
  private countsChanged(pending: number): void {
    if (pending > this.lastPending && this.device) void SyncController.requestBackgroundSync();
    this.lastPending = pending;
  }

  /** Asks the browser to keep this site's data; the answer is shown, since a "no" means clearing data loses scans. */
  private async askPersistence(): Promise<void> {
    if (!navigator.storage?.persist) return;
    try {
      this.persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
    } catch {
      this.persisted = false;
    }
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('device')) setWorkstationHeader(this.device?.workstation ?? null);
  }

  private async start(): Promise<void> {
    // The first screen is drawn in the desk's language, not in English and then again.
    await applyLocale(preferredLocale()).catch(() => undefined);
    try {
      this.device = await outbox.getDevice();
    } catch {
      this.device = null;
    }
    await this.refreshLogin();
    this.ready = true;
    if (this.device) void this.askPersistence();
  }

  /**
   * Asks the server who is logged in. A log-out made offline could not end
   * the server's login: it is ended first, so the last staff member is not
   * logged in again behind the next one's back.
   */
  private async refreshLogin(): Promise<void> {
    try {
      if (localStorage.getItem(LOGOUT_KEY)) {
        await api('POST', '/auth/logout');
        localStorage.removeItem(LOGOUT_KEY);
      }
      this.me = await api<Me>('GET', '/auth/me');
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) {
        this.me = null;
        localStorage.removeItem(LOGOUT_KEY);
      }
    }
  }

  /** The server answers again: continue the chosen upload, or ask where to upload what is waiting. */
  private async onReachable(): Promise<void> {
    while (!this.ready) await new Promise((r) => setTimeout(r, 100));
    await this.refreshLogin();
    await this.counts.refresh();
    void this.snapshot.refresh();
    if (this.device && this.me) await this.sync.resume(this.counts.counts.pending);
    else if (this.device && this.counts.counts.pending > 0) await this.promptSync();
  }

  private async promptSync(reason = ''): Promise<void> {
    await this.updateComplete;
    const remembered = await outbox.getUploadTarget().catch(() => null);
    await this.querySelector<SyncDialog>('oc-sync-dialog')?.open(reason, remembered);
  }

  private async loggedIn(event: LoggedInEvent): Promise<void> {
    this.me = event.me;
    this.setLocked(false);
    if (this.device && this.device.staff.username !== event.me.username) {
      // Offline, the device keeps working for whoever logged in here last.
      this.device = { ...this.device, staff: event.me };
      await outbox.setDevice(this.device);
    }
    if (this.device) void this.askPersistence();
    void this.snapshot.refresh();
    location.hash = this.isAdmin ? (this.route.startsWith('#/admin') ? this.route : '#/desk/checkout') : '#/desk/checkout';
    if (this.device && this.connectivity.reachable) await this.sync.resume(this.counts.counts.pending);
  }

  /**
   * Offline, with no server to log in to, the next staff member takes the desk
   * over by name; what the last one scanned stays on the device, under their name.
   */
  private async tookOver(event: TakeOverEvent): Promise<void> {
    if (!this.device) return;
    this.device = { ...this.device, staff: event.staff };
    await outbox.setDevice(this.device);
    this.setLocked(false);
    location.hash = '#/desk/checkout';
  }

  /** Logging out locks the desk until the next login (or, offline, someone taking it over); the scans stay on the device. */
  private async logout(): Promise<void> {
    try {
      await api('POST', '/auth/logout');
    } catch (err) {
      // Offline the server's login cannot be ended now: it is, as soon as the server answers.
      if (!(err instanceof ApiRequestError && err.status === 401)) localStorage.setItem(LOGOUT_KEY, 'yes');
    }
    this.me = null;
    this.setLocked(true);
    // The patron being served was this staff member's: the next one starts with no visit open.
    setVisit(NO_VISIT);
    location.hash = '#/login';
  }

  private get isAdmin(): boolean {
    return !!this.me?.roles.some((r) => r.role === 'admin');
  }

  private renderPage() {
    if (!this.ready) return html`<p class="muted">${TEXT.starting}</p>`;
    const route = this.route;
    const login = html`<oc-login-page .offline=${!this.connectivity.reachable} .lastStaff=${this.device?.staff ?? null}
      @logged-in=${this.loggedIn} @take-over=${this.tookOver}></oc-login-page>`;
    if (route === '#/login' || (!this.me && (!this.device || this.locked))) return login;
    if (route.startsWith('#/admin')) {
      if (!this.me) return login;
      if (!this.isAdmin) return html`<section class="card"><p role="alert">${TEXT.adminOnly}</p></section>`;
      if (route === '#/admin/staff') return html`<oc-staff-page .me=${this.me}></oc-staff-page>`;
      if (route === '#/admin/workstations') return html`<oc-workstations-admin-page></oc-workstations-admin-page>`;
      if (route === '#/admin/audit') return html`<oc-audit-page></oc-audit-page>`;
      if (route === '#/admin/import') return html`<oc-import-page></oc-import-page>`;
      if (route === '#/admin/calendars') return html`<oc-calendars-page></oc-calendars-page>`;
      if (route === '#/admin/policies') return html`<oc-policies-page></oc-policies-page>`;
      const match = /^#\/admin\/sessions\/(\d+)(\/follow-ups)?$/.exec(route);
      if (match?.[2]) return html`<oc-follow-ups-page .sessionId=${Number(match[1])}></oc-follow-ups-page>`;
      // Keyed by id so moving between sessions builds a fresh page.
      return match ? keyed(match[1], html`<oc-session-page .sessionId=${Number(match[1])}></oc-session-page>`) : html`<oc-admin-page .me=${this.me}></oc-admin-page>`;
    }
    if (!this.device) {
      return html`<oc-workstation-page .me=${this.me!} @device-registered=${(e: DeviceRegisteredEvent) => { this.device = e.device; void this.askPersistence(); }}></oc-workstation-page>`;
    }
    if (route === '#/files') return html`<oc-files-page .device=${this.device}></oc-files-page>`;
    return html`<oc-desk-page .device=${this.device} .mode=${modeFromPath(route)} .version=${this.counts.version}
      .snapshotVersion=${this.snapshot.version}></oc-desk-page>`;
  }

  private renderSyncStatus() {
    const s = this.sync.status;
    if (s.kind === 'uploading') {
      return html`<span class="sync">${s.progress ? TEXT.uploadingSent(s.target.session_name, s.progress.sent, s.progress.total)
        : TEXT.uploading(s.target.session_name)}</span>`;
    }
    if (s.kind === 'waiting-retry') return html`<span class="sync warn">${TEXT.paused(formatClock(s.at))}</span>`;
    return '';
  }

  private renderStorage() {
    if (this.persisted === null) return '';
    return this.persisted
      ? html`${TEXT.storageKept} <a href="#/files">${TEXT.filesLink}</a>`
      : html`${TEXT.storageAtRisk} <a href="#/files">${TEXT.exportFile}</a>.`;
  }

  protected override render() {
    const { pending, rejected } = this.counts.counts;
    const online = this.connectivity.reachable;
    const device = this.device;
    return html`
      ${this.appUpdate.ready ? html`<div class="update-banner" role="alert">${TEXT.update}
        <button @click=${() => this.appUpdate.apply()}>${TEXT.reload}</button></div>` : ''}
      <header class="top">
        <a class="brand" href="#/desk/checkout">${TEXT.brand}</a>
        ${device ? html`<span class="where">${code(device.workstation)} · ${code(device.branch)} · ${name(device.staff.display_name)}</span>` : ''}
        <span class=${`net ${online ? 'up' : 'down'}`}>${online ? TEXT.reachable : TEXT.offline}</span>
        <span class="pending">${TEXT.pending(pending)}</span>
        ${rejected ? html`<span class="warn">${TEXT.refused(rejected)}</span>` : ''}
        ${this.renderSyncStatus()}
        <oc-locale-picker></oc-locale-picker>
        <nav aria-label=${TEXT.main}>
          <a href="#/desk/checkout">${TEXT.desk}</a>
          ${device ? html`<a href="#/files">${TEXT.files}</a>` : ''}
          ${this.isAdmin ? html`<a href="#/admin">${TEXT.admin}</a>` : ''}
          ${device && online && pending > 0 ? html`<button class="secondary" @click=${() => this.promptSync()}>${TEXT.syncNow}</button>` : ''}
          ${device && !online ? html`<a href="#/login">${TEXT.switchStaff}</a>` : ''}
          ${this.me || (device && !this.locked) ? html`<button class="link" @click=${this.logout}>${TEXT.logOut}</button>`
            : online ? html`<a href="#/login">${TEXT.logIn}</a>` : ''}
        </nav>
      </header>
      <p class="print-date">${this.printedAt ? TEXT.printed(formatTime(this.printedAt)) : ''}</p>
      <main>${this.renderPage()}</main>
      ${device ? html`<footer class="device-status"><p>${this.renderStorage()}</p></footer>` : ''}
      ${device ? html`<oc-sync-dialog .device=${device} .pending=${pending} .loggedIn=${!!this.me} .sync=${this.sync}
        .status=${this.sync.status}></oc-sync-dialog>` : ''}`;
  }
}
customElements.define('oc-app', AppShell);
