/**
 * The page's side of the outbox: each helper sends one message to the
 * service worker and resolves with its reply, which the worker sends only
 * after IndexedDB has committed.
 */
import type {
  DeviceInfo, EntryState, NewTransaction, OutboxCounts, OutboxEntry, OutboxReply, OutboxRequest,
} from '../../shared/outbox-messages.js';

const TIMEOUT_MS = 10_000;

async function send(request: OutboxRequest): Promise<Extract<OutboxReply, { ok: true }>> {
  if (!('serviceWorker' in navigator)) throw new Error('This browser has no service worker support, so scans cannot be kept offline');
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) throw new Error('The offline worker is not running yet; reload the page');
  const reply = await new Promise<OutboxReply>((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new Error('The offline worker did not answer; the scan was not saved')), TIMEOUT_MS);
    channel.port1.onmessage = (event: MessageEvent<OutboxReply>) => { clearTimeout(timer); resolve(event.data); };
    worker.postMessage(request, [channel.port2]);
  });
  if (!reply.ok) throw new Error(reply.error);
  return reply;
}

/** Saves a scan durably; resolves with the stored entry (seq, workstation and staff filled in). */
export const record = async (tx: NewTransaction): Promise<OutboxEntry> => (await send({ type: 'record', tx })).entry!;
export const counts = async (): Promise<OutboxCounts> => (await send({ type: 'counts' })).counts!;
export const list = async (limit: number, state?: EntryState): Promise<OutboxEntry[]> => (await send({ type: 'list', limit, state })).entries!;
export const pendingBatch = async (limit: number): Promise<OutboxEntry[]> => (await send({ type: 'pending-batch', limit })).entries!;
export const markUploaded = async (ids: string[], duplicates: string[], sessionId: number): Promise<number> =>
  (await send({ type: 'mark-uploaded', ids, duplicates, session_id: sessionId })).changed!;
export const markRejected = async (rejected: { id: string; reason: string }[]): Promise<number> =>
  (await send({ type: 'mark-rejected', rejected })).changed!;
export const getDevice = async (): Promise<DeviceInfo | null> => (await send({ type: 'get-device' })).device ?? null;
export const setDevice = async (device: DeviceInfo | null): Promise<void> => { await send({ type: 'set-device', device }); };
