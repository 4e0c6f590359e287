import type { ReactiveController, ReactiveControllerHost } from 'lit';

const CHECK_EVERY_MS = 15_000;

/**
 * Whether the server answers, checked with a real request: `navigator.onLine`
 * says only that some network is there, not that the library's server is.
 */
export class ConnectivityController implements ReactiveController {
  reachable = false;
  private timer?: ReturnType<typeof setInterval>;
  private readonly check = (): void => void this.probe();

  constructor(private readonly host: ReactiveControllerHost, private readonly onReachable: () => void) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.check);
    window.addEventListener('offline', this.check);
    document.addEventListener('visibilitychange', this.check);
    this.timer = setInterval(this.check, CHECK_EVERY_MS);
    this.check();
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.check);
    window.removeEventListener('offline', this.check);
    document.removeEventListener('visibilitychange', this.check);
    clearInterval(this.timer);
  }

  async probe(): Promise<boolean> {
    let ok = false;
    if (navigator.onLine !== false) {
      try {
        const response = await fetch('/api/health', { cache: 'no-store', signal: AbortSignal.timeout(5000) });
        ok = response.ok;
      } catch {
        ok = false;
      }
    }
    const cameBack = ok && !this.reachable;
    this.reachable = ok;
    this.host.requestUpdate();
    if (cameBack) this.onReachable();
    return ok;
  }
}
