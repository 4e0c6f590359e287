/**
 * The service worker: serves the app shell from the precache so the desk
 * loads with no network, and is the single writer of the device's outbox.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import type { OutboxReply, OutboxRequest } from '../shared/outbox-messages.js';
import { OUTBOX_CHANNEL } from '../shared/outbox-messages.js';
import * as outbox from './outbox-db.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));
// The first install takes control at once so the very first visit can record scans;
// later updates wait until the page agrees to reload.
clientsClaim();

let dbPromise: Promise<outbox.OutboxDb> | undefined;
const db = (): Promise<outbox.OutboxDb> => (dbPromise ??= outbox.openOutbox());
const channel = new BroadcastChannel(OUTBOX_CHANNEL);

async function handle(request: OutboxRequest): Promise<OutboxReply> {
  const d = await db();
  switch (request.type) {
    case 'record': {
      const entry = await outbox.record(d, request.tx);
      channel.postMessage({ type: 'changed' });
      return { ok: true, entry };
    }
    case 'counts': return { ok: true, counts: await outbox.counts(d) };
    case 'list': return { ok: true, entries: await outbox.list(d, request.limit, request.state) };
    case 'pending-batch': return { ok: true, entries: await outbox.pendingBatch(d, request.limit) };
    case 'mark-uploaded': {
      const changed = await outbox.markUploaded(d, request.ids, request.duplicates, request.session_id);
      channel.postMessage({ type: 'changed' });
      return { ok: true, changed };
    }
    case 'mark-rejected': {
      const changed = await outbox.markRejected(d, request.rejected);
      channel.postMessage({ type: 'changed' });
      return { ok: true, changed };
    }
    case 'get-device': return { ok: true, device: await outbox.getDevice(d) };
    case 'set-device': {
      await outbox.setDevice(d, request.device);
      channel.postMessage({ type: 'device' });
      return { ok: true };
    }
  }
}

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as OutboxRequest | { type: 'SKIP_WAITING' };
  if (data?.type === 'SKIP_WAITING') { void self.skipWaiting(); return; }
  const port = event.ports[0];
  if (!port) return;
  // waitUntil keeps the worker alive until the write has committed and the reply is sent.
  event.waitUntil(handle(data as OutboxRequest).then(
    (reply) => port.postMessage(reply),
    (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies OutboxReply),
  ));
});
