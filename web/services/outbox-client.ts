/**
 * The page's side of the outbox: each helper sends one message to the
 * service worker and resolves with its reply, which the worker sends only
 * after IndexedDB has committed.
 */
import type {
  DeviceInfo, EntryState, NewTransaction, OutboxCounts, OutboxEntry, OutboxProtocol, OutboxReply, OutboxRequestType, OutboxResult,
  ServerSentence, UploadProgress, UploadTarget,
} from '../../shared/outbox-messages.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import { msg, str } from '@lit/localize';
import { ApiRequestError, errorMessage } from './api.js';

const TIMEOUT_MS = 10_000;

/** A failed request to the worker; its message is in the desk's language, written when it fails. */
export class OutboxError extends Error {
  constructor(message: string, readonly code?: string) { super(message); }
}

/**
 * What staff read for a reply the worker could not give. The worker answers in codes (its English
 * `error` is for the console): its own are worded here, the server's (an upload refused) go
 * through errorMessage like every server error; an error with no code is the browser's own
 * words for a storage failure, shown as they are.
 */
function replyText(error: string, code: string | undefined, say?: ServerSentence): string {
  switch (code) {
    case undefined: return error;
    case 'NETWORK': return msg('The server cannot be reached; the upload will continue when it can.');
    case 'NO_WORKSTATION': return msg('This device is not registered as a workstation yet.');
    case 'NOTHING_ACKNOWLEDGED': return msg('The server acknowledged none of the transactions sent; they stay on this device.');
    case 'UNKNOWN_REQUEST': return msg('The offline worker did not understand the request; reload the page.');
    case 'STORAGE_FULL': return msg('This device’s storage is full, so nothing was saved. Export a file from the Files page, then free some space.');
  }
  const status = /^HTTP_(\d{3})$/.exec(code)?.[1];
  return status ? msg(str`The server answered ${status}.`) : errorMessage(new ApiRequestError(0, code, error, say));
}

/** Sends one request; the reply's type follows from the request's. */
async function send<T extends OutboxRequestType>(request: { type: T } & OutboxProtocol[T]['request'],
  timeoutMs: number | null = TIMEOUT_MS): Promise<OutboxResult<T>> {
  if (!('serviceWorker' in navigator)) throw new OutboxError(msg('This browser has no service worker support, so scans cannot be kept offline.'), 'NO_SERVICE_WORKER');
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) throw new OutboxError(msg('The offline worker is not running yet; reload the page.'), 'NO_WORKER');
  const reply = await new Promise<OutboxReply<T>>((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = timeoutMs === null ? undefined
      : setTimeout(() => reject(new OutboxError(msg('The offline worker did not answer; nothing was saved.'), 'WORKER_TIMEOUT')), timeoutMs);
    channel.port1.onmessage = (event: MessageEvent<OutboxReply<T>>) => { clearTimeout(timer); resolve(event.data); };
    worker.postMessage(request, [channel.port2]);
  });
  if (!reply.ok) throw new OutboxError(replyText(reply.error, reply.code, reply.say), reply.code);
  return reply;
}

/** Saves a scan durably; resolves with the stored entry (seq, workstation and staff filled in). */
export const record = async (tx: NewTransaction): Promise<OutboxEntry> => (await send({ type: 'record', tx })).entry;
export const counts = async (): Promise<OutboxCounts> => (await send({ type: 'counts' })).counts;
export const list = async (limit: number, state?: EntryState): Promise<OutboxEntry[]> => (await send({ type: 'list', limit, state })).entries;
export const registrations = async (): Promise<OutboxEntry[]> => (await send({ type: 'registrations' })).entries;
/** Adds transactions read from a file; resolves with how many were new. */
export const importTransactions = async (transactions: OfflineTransaction[]): Promise<number> =>
  (await send({ type: 'import', transactions }, 60_000)).changed;
export const exportTransactions = async (includeUploaded: boolean): Promise<OfflineTransaction[]> =>
  (await send({ type: 'export', include_uploaded: includeUploaded }, 60_000)).transactions;
export const getDevice = async (): Promise<DeviceInfo | null> => (await send({ type: 'get-device' })).device;
export const setDevice = async (device: DeviceInfo | null): Promise<void> => { await send({ type: 'set-device', device }); };
/** Uploads everything pending to the target; progress arrives as broadcasts. No time limit: a large upload takes a while. */
export const upload = async (target: UploadTarget): Promise<UploadProgress> => (await send({ type: 'upload', target }, null)).progress;
export const getUploadTarget = async (): Promise<UploadTarget | null> => (await send({ type: 'get-upload-target' })).target;
export const forgetUploadTarget = async (): Promise<void> => { await send({ type: 'forget-upload-target' }); };
