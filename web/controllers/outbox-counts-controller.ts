import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { OUTBOX_CHANNEL, type OutboxBroadcast, type OutboxCounts } from '../../shared/outbox-messages.js';
import * as outbox from '../services/outbox-client.js';

/**
 * Keeps the host's view of the outbox counts current. Every tab hears the
 * service worker's change broadcasts, which carry the new counts, so a scan
 * in one tab shows in all without any tab asking the worker again.
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
    this.channel.onmessage = (event: MessageEvent<OutboxBroadcast>) => {
      if (event.data.type === 'changed') this.set(event.data.counts);
    };
    void this.refresh();
  }

  hostDisconnected(): void {
    this.channel?.close();
  }

  /** Asks the worker: at start, before any change was broadcast, and when the server answers again. */
  async refresh(): Promise<void> {
    try {
      this.set(await outbox.counts());
    } catch {
      // The worker is still starting; the next broadcast or call will bring the counts.
    }
  }

  private set(counts: OutboxCounts): void {
    this.counts = counts;
    this.version++;
    this.onChange?.(counts);
    this.host.requestUpdate();
  }
}
