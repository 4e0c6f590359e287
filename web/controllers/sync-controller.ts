import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OUTBOX_CHANNEL, SYNC_TAG, type OutboxBroadcast, type UploadProgress, type UploadTarget } from '../../shared/outbox-messages.js';
import * as outbox from '../services/outbox-client.js';
import { OutboxError } from '../services/outbox-client.js';
import { retryDelay } from '../services/retry-schedule.js';

export type SyncStatus =
  | { kind: 'idle' }
  | { kind: 'uploading'; target: UploadTarget; progress: UploadProgress | null }
  | { kind: 'done'; target: UploadTarget; progress: UploadProgress }
  | { kind: 'waiting-retry'; target: UploadTarget; at: number; error: string }
  | { kind: 'failed'; target: UploadTarget; code: string; error: string };

/**
 * Every way an upload starts: the staff's choice in the prompt, the server
 * coming back (with a session already chosen), Background Sync, and a retry
 * with backoff and jitter after a network failure. Nothing here picks a
 * session on its own: without a remembered one it asks the host to prompt.
 */
export class SyncController implements ReactiveController {
  status: SyncStatus = { kind: 'idle' };
  private channel?: BroadcastChannel;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private attempt = 0;

  constructor(private readonly host: ReactiveControllerHost, private readonly prompt: (reason?: string) => void) {
    host.addController(this);
  }

  hostConnected(): void {
    this.channel = new BroadcastChannel(OUTBOX_CHANNEL);
    // Uploads started by another tab or by Background Sync show here too.
    this.channel.addEventListener('message', (event: MessageEvent<OutboxBroadcast>) => {
      const m = event.data;
      if (m.type === 'upload-progress') this.set({ kind: 'uploading', target: m.target, progress: m.progress });
      else if (m.type === 'upload-done') this.set({ kind: 'done', target: m.target, progress: m.progress });
    });
  }

  hostDisconnected(): void {
    this.channel?.close();
    clearTimeout(this.retryTimer);
  }

  private set(status: SyncStatus): void {
    this.status = status;
    this.host.requestUpdate();
  }

  /** The server answers again (or the app starts, or the tab comes back): continue or ask. */
  async resume(pending: number): Promise<void> {
    if (pending === 0 || this.status.kind === 'uploading') return;
    const target = await outbox.getUploadTarget().catch(() => null);
    if (target) await this.upload(target, { promptOnFailure: true }).catch(() => undefined);
    else this.prompt();
  }

  /** Back to idle before a new prompt, unless an upload is still running. */
  reset(): void {
    if (this.status.kind !== 'uploading') this.set({ kind: 'idle' });
  }

  /**
   * Uploads to the target; resolves with the final progress or rejects with
   * the reason. Started without staff watching (a trigger, a retry), a
   * failure that needs them opens the prompt.
   */
  async upload(target: UploadTarget, { promptOnFailure = false } = {}): Promise<UploadProgress> {
    clearTimeout(this.retryTimer);
    this.set({ kind: 'uploading', target, progress: null });
    try {
      const progress = await outbox.upload(target);
      this.attempt = 0;
      this.set({ kind: 'done', target, progress });
      return progress;
    } catch (err) {
      const code = err instanceof OutboxError ? err.code ?? 'UPLOAD_FAILED' : 'UPLOAD_FAILED';
      const message = (err as Error).message;
      if (code === 'NETWORK') {
        this.scheduleRetry(target, message);
      } else {
        this.set({ kind: 'failed', target, code, error: message });
        if (promptOnFailure) this.prompt(message);
      }
      throw err;
    }
  }

  private scheduleRetry(target: UploadTarget, error: string): void {
    const delay = retryDelay(this.attempt);
    this.attempt++;
    this.set({ kind: 'waiting-retry', target, at: Date.now() + delay, error });
    this.retryTimer = setTimeout(() => void this.upload(target, { promptOnFailure: true }).catch(() => undefined), delay);
  }

  /** Asks the browser to run an upload when it next has a connection, where it can (Chromium). */
  static async requestBackgroundSync(): Promise<void> {
    try {
      const registration = await navigator.serviceWorker.ready as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } };
      await registration.sync?.register(SYNC_TAG);
    } catch {
      // No Background Sync here: the online event, app start, visibility and the retry timer still cover it.
    }
  }
}
