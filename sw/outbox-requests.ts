/**
 * The worker's side of the page ↔ worker protocol: one handler per request
 * type of `OutboxProtocol`, each typed to give exactly that type's reply.
 * Kept apart from the service worker's globals so it runs in tests.
 */
import type {
  OutboxBroadcast, OutboxReply, OutboxRequest, OutboxRequestType, OutboxResult, UploadProgress, UploadTarget,
} from '../shared/outbox-messages.js';
import * as outbox from './outbox-db.js';
import { UploadError, uploadAll } from './uploader.js';

export interface WorkerContext {
  /** Opened on first use: a waiting new version answering SKIP_WAITING must not open (or upgrade) the outbox. */
  db(): Promise<outbox.OutboxDb>;
  broadcast(message: OutboxBroadcast): void;
  skipWaiting(): Promise<void>;
}

/** Tells every tab the outbox changed, with the counts it now holds, so no tab has to ask for them. */
export async function announceChange(ctx: WorkerContext): Promise<void> {
  ctx.broadcast({ type: 'changed', counts: await outbox.counts(await ctx.db()) });
}

/** Runs the upload, telling every tab how it goes; a session that stopped taking uploads is forgotten. */
export async function upload(ctx: WorkerContext, target: UploadTarget): Promise<UploadProgress> {
  const db = await ctx.db();
  try {
    const progress = await uploadAll(db, target, (p, counts) => {
      ctx.broadcast({ type: 'changed', counts });
      ctx.broadcast({ type: 'upload-progress', target, progress: p });
    });
    await announceChange(ctx);
    ctx.broadcast({ type: 'upload-done', target, progress });
    return progress;
  } catch (err) {
    const code = err instanceof UploadError ? err.code : 'UPLOAD_FAILED';
    if (code === 'SESSION_NOT_OPEN' || code === 'NOT_FOUND') await outbox.setUploadTarget(db, null);
    await announceChange(ctx);
    ctx.broadcast({ type: 'upload-failed', target, code, error: (err as Error).message, ...(err instanceof UploadError && err.say ? { say: err.say } : {}) });
    throw err;
  }
}

type Handlers = { [K in OutboxRequestType]: (request: OutboxRequest<K>, ctx: WorkerContext) => Promise<OutboxResult<K>> };

const handlers: Handlers = {
  record: async ({ tx }, ctx) => ({ entry: await outbox.record(await ctx.db(), tx) }),
  counts: async (_, ctx) => ({ counts: await outbox.counts(await ctx.db()) }),
  list: async ({ limit, state }, ctx) => ({ entries: await outbox.list(await ctx.db(), limit, state) }),
  'pending-batch': async ({ limit }, ctx) => ({ entries: await outbox.pendingBatch(await ctx.db(), limit) }),
  import: async ({ transactions }, ctx) => ({ changed: await outbox.addImported(await ctx.db(), transactions) }),
  export: async ({ include_uploaded }, ctx) => ({ transactions: (await outbox.exportEntries(await ctx.db(), include_uploaded)).map((e) => e.tx) }),
  registrations: async (_, ctx) => ({ entries: await outbox.registrations(await ctx.db()) }),
  'get-device': async (_, ctx) => ({ device: await outbox.getDevice(await ctx.db()) }),
  'set-device': async ({ device }, ctx) => {
    await outbox.setDevice(await ctx.db(), device);
    ctx.broadcast({ type: 'device' });
    return {};
  },
  upload: async ({ target }, ctx) => {
    await outbox.setUploadTarget(await ctx.db(), target);
    return { progress: await upload(ctx, target) };
  },
  'get-upload-target': async (_, ctx) => ({ target: await outbox.getUploadTarget(await ctx.db()) }),
  'forget-upload-target': async (_, ctx) => {
    await outbox.setUploadTarget(await ctx.db(), null);
    return {};
  },
  SKIP_WAITING: async (_, ctx) => {
    await ctx.skipWaiting();
    return {};
  },
};

/** Requests that add entries: every tab hears of them, with the new counts, once the reply is on its way. */
const ADDS_ENTRIES: ReadonlySet<OutboxRequestType> = new Set(['record', 'import']);

function handle<K extends OutboxRequestType>(request: OutboxRequest<K>, ctx: WorkerContext): Promise<OutboxResult<K>> {
  const type: K = request.type;
  if (!Object.hasOwn(handlers, type)) {
    return Promise.reject(Object.assign(new Error(`Unknown request “${String(type)}”; reload the page`), { code: 'UNKNOWN_REQUEST' }));
  }
  return (handlers[type] as Handlers[K])(request, ctx);
}

/**
 * The code the page words an error from, in the desk's language: the upload's and the outbox's own,
 * and a full disk. Other storage errors have none, and the page shows the browser's own words.
 */
function errorCode(err: unknown): string | undefined {
  if (err instanceof DOMException && err.name === 'QuotaExceededError') return 'STORAGE_FULL';
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Answers one request through `reply`, only after its IndexedDB work has
 * committed, and only then tells the other tabs: the scan's confirmation
 * does not wait for the broadcast.
 */
export async function answer(request: OutboxRequest, ctx: WorkerContext, reply: (message: OutboxReply) => void): Promise<void> {
  let result: OutboxResult;
  try {
    result = await handle(request, ctx);
  } catch (err) {
    reply({ ok: false, error: err instanceof Error ? err.message : String(err), code: errorCode(err), ...(err instanceof UploadError && err.say ? { say: err.say } : {}) });
    return;
  }
  reply({ ok: true, ...result });
  if (ADDS_ENTRIES.has(request.type)) await announceChange(ctx);
}
