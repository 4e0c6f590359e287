/**
 * The service worker: serves the app shell from the precache so the desk
 * loads with no network, is the single writer of the device's outbox, and
 * runs the upload (for the page, and for Background Sync).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import type { OutboxRequest } from '../shared/outbox-messages.js';
import { OUTBOX_CHANNEL, SYNC_TAG } from '../shared/outbox-messages.js';
import * as outbox from './outbox-db.js';
import { UploadError } from './uploader.js';
import { answer, upload, type WorkerContext } from './outbox-requests.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));
// The first install takes control at once so the very first visit can record scans;
// later updates wait until the page agrees to reload (the SKIP_WAITING request).
clientsClaim();

let dbPromise: Promise<outbox.OutboxDb> | undefined;
const channel = new BroadcastChannel(OUTBOX_CHANNEL);
const ctx: WorkerContext = {
  db: () => (dbPromise ??= outbox.openOutbox()),
  broadcast: (message) => channel.postMessage(message),
  skipWaiting: () => self.skipWaiting(),
};

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  // waitUntil keeps the worker alive until the write has committed, the reply is sent and the tabs are told.
  event.waitUntil(answer(event.data as OutboxRequest, ctx, (reply) => port.postMessage(reply)));
});

interface SyncEvent extends ExtendableEvent { readonly tag: string }

/**
 * Background Sync: continue an upload to the session staff already chose.
 * With none chosen it does nothing. A network failure rejects, so the
 * browser tries again later.
 */
self.addEventListener('sync', ((event: SyncEvent) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil((async () => {
    const d = await ctx.db();
    if ((await outbox.counts(d)).pending === 0) return;
    const target = await outbox.getUploadTarget(d);
    // No session chosen yet: only staff can choose one, and open tabs prompt them when the server answers.
    if (!target) return;
    try {
      await upload(ctx, target);
    } catch (err) {
      if (err instanceof UploadError && err.code === 'NETWORK') throw err;
    }
  })());
}) as EventListener);
