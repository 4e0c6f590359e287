/**
 * The service worker's registration and the app's own updates, in one
 * place. A new version must not take over mid-shift: it waits, the shell
 * says so, and only staff's "Reload now" lets it take over; the page then
 * reloads into it, every scan still in IndexedDB.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Workbox } from 'workbox-window';

/** A new version of the app is installed and waits for staff to agree to reload. */
export class UpdateWaitingEvent extends Event {
  static readonly type = 'update-waiting';
  constructor() { super(UpdateWaitingEvent.type); }
}

interface AppUpdateEvents { [UpdateWaitingEvent.type]: UpdateWaitingEvent }

/** The app's one service worker registration; its events are typed. */
class AppUpdates extends EventTarget {
  waiting = false;
  private workbox?: Workbox;

  /** The worker both serves the app offline and stores every scan, so this runs before anything else. */
  register(): void {
    if (!('serviceWorker' in navigator) || this.workbox) return;
    this.workbox = new Workbox('/sw.js', { type: 'classic' });
    this.workbox.addEventListener('waiting', () => {
      this.waiting = true;
      this.dispatchEvent(new UpdateWaitingEvent());
    });
    void this.workbox.register();
  }

  /** Lets the waiting version take over (workbox-window's SKIP_WAITING request), then reloads into it. */
  apply(): void {
    if (!this.workbox) return;
    this.workbox.addEventListener('controlling', () => window.location.reload());
    this.workbox.messageSkipWaiting();
  }

  on<K extends keyof AppUpdateEvents>(type: K, listener: (event: AppUpdateEvents[K]) => void): () => void {
    const handler = (event: Event): void => listener(event as AppUpdateEvents[K]);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }
}

export const appUpdates = new AppUpdates();

/** Registers the service worker; main.ts calls it once. */
export const registerServiceWorker = (): void => appUpdates.register();

/** Gives a view (the app shell) whether an update waits, and the way to apply it. */
export class AppUpdateController implements ReactiveController {
  private off?: () => void;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get ready(): boolean {
    return appUpdates.waiting;
  }

  hostConnected(): void {
    this.off = appUpdates.on(UpdateWaitingEvent.type, () => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.off?.();
  }

  apply(): void {
    appUpdates.apply();
  }
}
