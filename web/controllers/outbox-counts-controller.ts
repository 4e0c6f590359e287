import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OUTBOX_CHANNEL, type OutboxCounts } from '../../shared/outbox-messages.js';
import * as outbox from '../services/outbox-client.js';

/**
 * Keeps the host's view of the outbox counts current. Every tab hears the
 * service worker's change broadcasts, so a scan in one tab shows in all.
 */
export class OutboxCountsController implements ReactiveController {
  counts: OutboxCounts = { pending: 0, uploaded: 0, rejected: 0 };
  /** Bumps on every change, so views that list entries know to reload. */
  version = 0;
  private channel?: BroadcastChannel;

  constructor(private readonly host: ReactiveControllerHost, private readonly onChange?: (counts: OutboxCounts) => void) {
    host.addController(this);
  }

  hostConnected(): void {
    this.channel = new BroadcastChannel(OUTBOX_CHANNEL);
    this.channel.onmessage = () => void this.refresh();
    void this.refresh();
  }

  hostDisconnected(): void {
    this.channel?.close();
  }

  async refresh(): Promise<void> {
    try {
      this.counts = await outbox.counts();
      this.version++;
      this.onChange?.(this.counts);
      this.host.requestUpdate();
    } catch {
      // The worker is still starting; the next broadcast or call will bring the counts.
    }
  }
}
