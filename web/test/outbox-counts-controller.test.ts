import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import { OUTBOX_CHANNEL, type OutboxBroadcast, type OutboxCounts } from '../../shared/outbox-messages.js';

const asked = vi.hoisted(() => ({ counts: vi.fn() }));
vi.mock('../services/outbox-client.js', () => asked);
const { OutboxCountsController } = await import('../controllers/outbox-counts-controller.js');

describe('the counts a tab shows', () => {
  const worker = new BroadcastChannel(OUTBOX_CHANNEL);
  const host = { addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) };
  let seen: OutboxCounts[];
  let controller: InstanceType<typeof OutboxCountsController>;

  beforeEach(async () => {
    asked.counts.mockReset().mockResolvedValue({ pending: 2, uploaded: 5, rejected: 0 });
    seen = [];
    controller = new OutboxCountsController(host as unknown as ReactiveControllerHost, (c) => seen.push(c));
    controller.hostConnected();
    await vi.waitFor(() => expect(controller.counts.pending).toBe(2));
  });
  afterEach(() => controller.hostDisconnected());
  afterAll(() => worker.close());

  const broadcast = (message: OutboxBroadcast) => worker.postMessage(message);

  it('are the counts a change broadcast carries, with no question to the worker', async () => {
    broadcast({ type: 'changed', counts: { pending: 3, uploaded: 5, rejected: 0 } });
    await vi.waitFor(() => expect(controller.counts).toEqual({ pending: 3, uploaded: 5, rejected: 0 }));
    expect(asked.counts).toHaveBeenCalledOnce();
    expect(seen).toEqual([{ pending: 2, uploaded: 5, rejected: 0 }, { pending: 3, uploaded: 5, rejected: 0 }]);
    expect(controller.version).toBe(2);
  });

  it('stay as they are on broadcasts that are not changes', async () => {
    const target = { session_id: 1, session_name: 'S' };
    broadcast({ type: 'upload-progress', target, progress: { sent: 1, total: 2, accepted: 1, duplicates: 0, rejected: 0 } });
    broadcast({ type: 'device' });
    broadcast({ type: 'changed', counts: { pending: 1, uploaded: 6, rejected: 0 } });
    await vi.waitFor(() => expect(controller.counts.pending).toBe(1));
    expect(seen).toHaveLength(2);
    expect(asked.counts).toHaveBeenCalledOnce();
  });
});
