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

/** Where the registration's events reach the controllers, typed: a listener gets the event class it is for. */
interface UpdateEvents extends EventTarget {
  addEventListener(type: typeof UpdateWaitingEvent.type, listener: (event: UpdateWaitingEvent) => void): void;
  removeEventListener(type: typeof UpdateWaitingEvent.type, listener: (event: UpdateWaitingEvent) => void): void;
}

const updates = new EventTarget() as UpdateEvents;
let workbox: Workbox | undefined;
let waiting = false;

/** The worker both serves the app offline and stores every scan, so main.ts registers it before anything else. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || workbox) return;
  workbox = new Workbox('/sw.js', { type: 'classic' });
  workbox.addEventListener('waiting', () => {
    waiting = true;
    updates.dispatchEvent(new UpdateWaitingEvent());
  });
  void workbox.register();
}

/** Gives a view (the app shell) whether an update waits, and the way to apply it. */
export class AppUpdateController implements ReactiveController {
  private readonly changed = (): void => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get ready(): boolean {
    return waiting;
  }

  hostConnected(): void {
    updates.addEventListener(UpdateWaitingEvent.type, this.changed);
  }

  hostDisconnected(): void {
    updates.removeEventListener(UpdateWaitingEvent.type, this.changed);
  }

  /** Lets the waiting version take over (workbox-window's SKIP_WAITING request), then reloads into it. */
  apply(): void {
    if (!workbox) return;
    workbox.addEventListener('controlling', () => window.location.reload());
    workbox.messageSkipWaiting();
  }
}
