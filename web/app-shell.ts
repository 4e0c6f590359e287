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
import type { LoggedInEvent } from './pages/login-page.js';
import type { DeviceRegisteredEvent } from './pages/workstation-page.js';
import { modeFromPath } from './pages/desk-page.js';
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

/**
 * The app shell: who is here (the server's login, or offline the device's
 * last one), which page the hash names, and the header with the pending
 * count and the server's reachability.
 */
export class AppShell extends LightElement {
  static override properties = {
    me: { state: true }, device: { state: true }, route: { state: true }, ready: { state: true }, persisted: { state: true },
  };
  /** The login the server confirmed; null when it did not (or could not be asked). */
  me: Me | null = null;
  device: DeviceInfo | null = null;
  route = location.hash || '#/desk/checkout';
  ready = false;
  /** Whether the browser promised not to clear this site's storage under pressure; null until asked. */
  persisted: boolean | null = null;
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
    document.addEventListener('visibilitychange', this.onVisible);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    document.removeEventListener('visibilitychange', this.onVisible);
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
    try {
      this.device = await outbox.getDevice();
    } catch {
      this.device = null;
    }
    await this.refreshLogin();
    this.ready = true;
    if (this.device) void this.askPersistence();
  }

  private async refreshLogin(): Promise<void> {
    try {
      this.me = await api<Me>('GET', '/auth/me');
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) this.me = null;
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

  private async logout(): Promise<void> {
    try { await api('POST', '/auth/logout'); } catch { /* offline: the cookie expires on its own */ }
    this.me = null;
    location.hash = '#/login';
  }

  private get isAdmin(): boolean {
    return !!this.me?.roles.some((r) => r.role === 'admin');
  }

  private renderPage() {
    if (!this.ready) return html`<p class="muted">Starting…</p>`;
    const route = this.route;
    if (route === '#/login' || (!this.me && !this.device)) {
      return html`<oc-login-page @logged-in=${this.loggedIn}></oc-login-page>`;
    }
    if (route.startsWith('#/admin')) {
      if (!this.me) return html`<oc-login-page @logged-in=${this.loggedIn}></oc-login-page>`;
      if (!this.isAdmin) return html`<section class="card"><p role="alert">The admin pages need the admin role.</p></section>`;
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
      return html`<oc-workstation-page .me=${this.me!} @device-registered=${(e: DeviceRegisteredEvent) => { this.device = e.device; }}></oc-workstation-page>`;
    }
    if (route === '#/files') return html`<oc-files-page .device=${this.device}></oc-files-page>`;
    return html`<oc-desk-page .device=${this.device} .mode=${modeFromPath(route)} .version=${this.counts.version}
      .snapshotVersion=${this.snapshot.version}></oc-desk-page>`;
  }

  private renderSyncStatus() {
    const s = this.sync.status;
    if (s.kind === 'uploading') return html`<span class="sync">Uploading to “${s.target.session_name}”${s.progress ? html` · ${s.progress.sent} of ${s.progress.total}` : ''}</span>`;
    if (s.kind === 'waiting-retry') return html`<span class="sync warn">Upload paused: retrying at ${new Date(s.at).toLocaleTimeString()}</span>`;
    return '';
  }

  protected override render() {
    const { pending, rejected } = this.counts.counts;
    const online = this.connectivity.reachable;
    return html`
      ${this.appUpdate.ready ? html`<div class="update-banner" role="alert">A new version of the app is ready. Everything recorded on this device is kept.
        <button @click=${() => this.appUpdate.apply()}>Reload now</button></div>` : ''}
      <header class="top">
        <a class="brand" href="#/desk/checkout">Offline Circulation</a>
        ${this.device ? html`<span class="where">${this.device.workstation} · ${this.device.branch} · ${this.device.staff.display_name}</span>` : ''}
        <span class=${`net ${online ? 'up' : 'down'}`}>${online ? 'Server reachable' : 'Offline'}</span>
        <span class="pending" aria-live="polite">${pending} pending</span>
        ${rejected ? html`<span class="warn">${rejected} refused</span>` : ''}
        ${this.renderSyncStatus()}
        <nav aria-label="Main">
          <a href="#/desk/checkout">Desk</a>
          ${this.device ? html`<a href="#/files">Files</a>` : ''}
          ${this.isAdmin ? html`<a href="#/admin">Admin</a>` : ''}
          ${this.device && online && pending > 0 ? html`<button class="secondary" @click=${() => this.promptSync()}>Sync now</button>` : ''}
          ${this.me ? html`<button class="link" @click=${this.logout}>Log out</button>` : online ? html`<a href="#/login">Log in</a>` : ''}
        </nav>
      </header>
      <main>${this.renderPage()}</main>
      ${this.device ? html`<footer class="device-status">
        <span>${this.persisted === null ? '' : this.persisted ? 'Storage: kept by the browser' : 'Storage: the browser may clear it — export a file regularly'}</span>
      </footer>` : ''}
      ${this.device ? html`<oc-sync-dialog .device=${this.device} .pending=${pending} .loggedIn=${!!this.me} .sync=${this.sync}
        .status=${this.sync.status}></oc-sync-dialog>` : ''}`;
  }
}
customElements.define('oc-app', AppShell);
