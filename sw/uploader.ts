/**
 * Uploads the outbox to the session staff chose, in chunks. It runs in the
 * service worker so that Background Sync, the page's triggers and a second
 * tab all reach the same single upload. A transaction is marked uploaded
 * only when the server named its id as accepted or already held.
 */
import type { OutboxCounts, ServerSentence, UploadProgress, UploadTarget } from '../shared/outbox-messages.js';
import type { ApiError, UploadReply } from '../shared/api.js';
import * as outbox from './outbox-db.js';

export const CHUNK_SIZE = 250;

export class UploadError extends Error {
  /** `say`: the server's sentence key and data for its refusal, passed on for the page to word in the desk's language. */
  constructor(readonly code: string, message: string, readonly say?: ServerSentence) { super(message); }
}

async function post(target: UploadTarget, workstation: string, transactions: unknown[]): Promise<UploadReply> {
  let response: Response;
  try {
    response = await fetch(`/api/sessions/${target.session_id}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: JSON.stringify({ workstation, device_time: new Date().toISOString(), transactions }),
    });
  } catch {
    throw new UploadError('NETWORK', 'The server cannot be reached; the upload will continue when it can.');
  }
  const body = (await response.json().catch(() => null)) as (UploadReply & Partial<ApiError>) | null;
  if (!response.ok) {
    throw new UploadError(body?.code ?? `HTTP_${response.status}`, body?.message ?? `The server answered ${response.status}`,
      body?.message_key ? { message_key: body.message_key, params: body.params } : undefined);
  }
  return body!;
}

/** Told after every chunk: the progress, and the outbox's counts just read for it. */
export type ProgressListener = (progress: UploadProgress, counts: OutboxCounts) => void;

let running: Promise<UploadProgress> | null = null;

/**
 * Uploads every pending transaction. A second call while one runs joins it
 * rather than sending the same chunk twice.
 */
export function uploadAll(db: outbox.OutboxDb, target: UploadTarget, onProgress: ProgressListener): Promise<UploadProgress> {
  running ??= run(db, target, onProgress).finally(() => { running = null; });
  return running;
}

async function run(db: outbox.OutboxDb, target: UploadTarget, onProgress: ProgressListener): Promise<UploadProgress> {
  const device = await outbox.getDevice(db);
  if (!device) throw new UploadError('NO_WORKSTATION', 'This device is not registered as a workstation');
  const progress: UploadProgress = { sent: 0, total: (await outbox.counts(db)).pending, accepted: 0, duplicates: 0, rejected: 0 };
  for (;;) {
    const batch = await outbox.pendingBatch(db, CHUNK_SIZE);
    if (!batch.length) break;
    const reply = await post(target, device.workstation, batch.map((e) => e.tx));
    await outbox.markUploaded(db, reply.accepted, reply.duplicates, target.session_id);
    const rejected = reply.rejected.filter((r) => r.id !== null).map((r) => ({ id: r.id!, reason: r.reason }));
    await outbox.markRejected(db, rejected);
    progress.sent += batch.length;
    // Scans recorded while the upload runs join the queue; the total grows with them.
    const counts = await outbox.counts(db);
    progress.total = progress.sent + counts.pending;
    progress.accepted += reply.accepted.length;
    progress.duplicates += reply.duplicates.length;
    progress.rejected += reply.rejected.length;
    onProgress({ ...progress }, counts);
    // A reply that settles nothing would make the next chunk the same one: stop rather than loop.
    if (reply.accepted.length + reply.duplicates.length + rejected.length === 0) {
      throw new UploadError('NOTHING_ACKNOWLEDGED', 'The server acknowledged none of the transactions sent; they stay on this device');
    }
  }
  return progress;
}
