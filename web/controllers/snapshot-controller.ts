import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { refreshSnapshot } from '../services/snapshot-store.js';
import { snapshotDb } from '../services/desk-rules.js';

const REFRESH_EVERY_MS = 3 * 3600_000;

/**
 * Keeps the offline data fresh while the server answers: on login, on app
 * start, and every few hours. An unchanged snapshot costs one 304.
 */
export class SnapshotController implements ReactiveController {
  /** Bumps after every successful check, so pages re-read the stored snapshot and its age. */
  version = 0;
  error = '';
  private timer?: ReturnType<typeof setInterval>;
  private running?: Promise<void>;

  constructor(private readonly host: ReactiveControllerHost, private readonly canRefresh: () => boolean) {
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
  }

  refresh(): Promise<void> {
    if (!this.canRefresh()) return Promise.resolve();
    this.running ??= (async () => {
      try {
        await refreshSnapshot(await snapshotDb());
        this.error = '';
        this.version++;
      } catch (err) {
        this.error = (err as Error).message;
      } finally {
        this.running = undefined;
        this.host.requestUpdate();
      }
    })();
    return this.running;
  }
}
