/**
 * The service worker: serves the app shell from the precache so the desk
 * loads with no network, is the single writer of the device's outbox, and
 * runs the upload (for the page, and for Background Sync).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import type { OutboxBroadcast, OutboxReply, OutboxRequest, UploadTarget } from '../shared/outbox-messages.js';
import { OUTBOX_CHANNEL, SYNC_TAG } from '../shared/outbox-messages.js';
import * as outbox from './outbox-db.js';
import { UploadError, uploadAll } from './uploader.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));
// The first install takes control at once so the very first visit can record scans;
// later updates wait until the page agrees to reload (SKIP_WAITING below).
clientsClaim();

let dbPromise: Promise<outbox.OutboxDb> | undefined;
const db = (): Promise<outbox.OutboxDb> => (dbPromise ??= outbox.openOutbox());
const channel = new BroadcastChannel(OUTBOX_CHANNEL);
const broadcast = (message: OutboxBroadcast): void => channel.postMessage(message);

/** Runs the upload, telling every tab how it goes; a session that stopped taking uploads is forgotten. */
async function upload(target: UploadTarget) {
  const d = await db();
  try {
    const progress = await uploadAll(d, target, (p) => broadcast({ type: 'upload-progress', target, progress: p }));
    broadcast({ type: 'changed' });
    broadcast({ type: 'upload-done', target, progress });
    return progress;
  } catch (err) {
    const code = err instanceof UploadError ? err.code : 'UPLOAD_FAILED';
    if (code === 'SESSION_NOT_OPEN' || code === 'NOT_FOUND') await outbox.setUploadTarget(d, null);
    broadcast({ type: 'changed' });
    broadcast({ type: 'upload-failed', target, code, error: (err as Error).message });
    throw err;
  }
}

async function handle(request: OutboxRequest): Promise<OutboxReply> {
  const d = await db();
  switch (request.type) {
    case 'record': {
      const entry = await outbox.record(d, request.tx);
      broadcast({ type: 'changed' });
      return { ok: true, entry };
    }
    case 'counts': return { ok: true, counts: await outbox.counts(d) };
    case 'list': return { ok: true, entries: await outbox.list(d, request.limit, request.state) };
    case 'pending-batch': return { ok: true, entries: await outbox.pendingBatch(d, request.limit) };
    case 'import': {
      const changed = await outbox.addImported(d, request.transactions);
      broadcast({ type: 'changed' });
      return { ok: true, changed };
    }
    case 'export': return { ok: true, transactions: (await outbox.exportEntries(d, request.include_uploaded)).map((e) => e.tx) };
    case 'registrations': return { ok: true, entries: await outbox.registrations(d) };
    case 'get-device': return { ok: true, device: await outbox.getDevice(d) };
    case 'set-device': {
      await outbox.setDevice(d, request.device);
      broadcast({ type: 'device' });
      return { ok: true };
    }
    case 'upload': {
      await outbox.setUploadTarget(d, request.target);
      return { ok: true, progress: await upload(request.target) };
    }
    case 'get-upload-target': return { ok: true, target: await outbox.getUploadTarget(d) };
    case 'forget-upload-target': {
      await outbox.setUploadTarget(d, null);
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
    (err: unknown) => port.postMessage({
      ok: false, error: err instanceof Error ? err.message : String(err), code: err instanceof UploadError ? err.code : undefined,
    } satisfies OutboxReply),
  ));
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
    const d = await db();
    if ((await outbox.counts(d)).pending === 0) return;
    const target = await outbox.getUploadTarget(d);
    // No session chosen yet: only staff can choose one, and open tabs prompt them when the server answers.
    if (!target) return;
    try {
      await upload(target);
    } catch (err) {
      if (err instanceof UploadError && err.code === 'NETWORK') throw err;
    }
  })());
}) as EventListener);
