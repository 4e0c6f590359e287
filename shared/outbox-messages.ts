/**
 * The page ↔ service worker protocol for the device's outbox. The service
 * worker is the only writer of the outbox; the page asks it through these
 * messages and each reply comes only after the IndexedDB transaction has
 * committed, so a confirmation on screen means the scan is on disk.
 */
import type { OfflineTransaction } from './transaction.js';
import type { Me } from './api.js';

export type EntryState = 'pending' | 'uploaded' | 'rejected';

export interface OutboxEntry {
  id: string;
  tx: OfflineTransaction;
  state: EntryState;
  recorded_at: string;
  uploaded_at?: string;
  session_id?: number;
  /** True when the server already held this id (a re-upload). */
  duplicate?: boolean;
  reason?: string;
}

/** What the device remembers across restarts: its workstation, and who last logged in here. */
export interface DeviceInfo {
  workstation: string;
  branch: string;
  staff: Me;
}

/** A scan as the page makes it; the service worker adds seq, workstation and staff. */
export type NewTransaction = Omit<OfflineTransaction, 'seq' | 'workstation' | 'staff'>;

export interface OutboxCounts { pending: number; uploaded: number; rejected: number }

/** The session staff chose to upload to; remembered until the server says it is no longer open. */
export interface UploadTarget { session_id: number; session_name: string }

export interface UploadProgress { sent: number; total: number; accepted: number; duplicates: number; rejected: number }

/**
 * Every request the page sends the service worker, by type, with what it
 * carries and what the worker answers. Requests, replies and the worker's
 * handlers are all derived from this one map, so a request cannot get the
 * wrong reply. The wire form of each entry is kept as it is: a page still
 * on the previous version talks to the new worker until it reloads.
 */
export interface OutboxProtocol {
  record: { request: { tx: NewTransaction }; reply: { entry: OutboxEntry } };
  counts: { request: object; reply: { counts: OutboxCounts } };
  list: { request: { state?: EntryState; limit: number }; reply: { entries: OutboxEntry[] } };
  'pending-batch': { request: { limit: number }; reply: { entries: OutboxEntry[] } };
  /** Adds transactions read from a file; `changed` is how many were new. */
  import: { request: { transactions: OfflineTransaction[] }; reply: { changed: number } };
  export: { request: { include_uploaded: boolean }; reply: { transactions: OfflineTransaction[] } };
  registrations: { request: object; reply: { entries: OutboxEntry[] } };
  'get-device': { request: object; reply: { device: DeviceInfo | null } };
  'set-device': { request: { device: DeviceInfo | null }; reply: object };
  upload: { request: { target: UploadTarget }; reply: { progress: UploadProgress } };
  'get-upload-target': { request: object; reply: { target: UploadTarget | null } };
  'forget-upload-target': { request: object; reply: object };
  /**
   * Sent to a new version waiting to take over, once staff agreed to reload.
   * Its name is Workbox's (workbox-window's messageSkipWaiting sends it), and
   * it must never change: the page that sends it is the previous version.
   */
  SKIP_WAITING: { request: object; reply: object };
}

export type OutboxRequestType = keyof OutboxProtocol;

/** One request as posted to the worker (with a MessagePort for the reply). */
export type OutboxRequest<T extends OutboxRequestType = OutboxRequestType> =
  { [K in T]: { type: K } & OutboxProtocol[K]['request'] }[T];

/** What the worker answers a request of type T, only after IndexedDB committed. */
export type OutboxResult<T extends OutboxRequestType = OutboxRequestType> = OutboxProtocol[T]['reply'];

/** The reply as it crosses the MessagePort. */
export type OutboxReply<T extends OutboxRequestType = OutboxRequestType> =
  | ({ ok: true } & OutboxResult<T>)
  | { ok: false; error: string; code?: string; say?: ServerSentence };

/** A server refusal's sentence key and data (shared/api-errors.ts), carried for the page to word in the desk's language. */
export interface ServerSentence { message_key?: string; params?: Record<string, string | number | null> }

/** What the service worker broadcasts to every tab. */
export type OutboxBroadcast =
  /** The outbox changed; the counts are those just after the change, so tabs need not ask. */
  | { type: 'changed'; counts: OutboxCounts }
  | { type: 'device' }
  | { type: 'upload-progress'; target: UploadTarget; progress: UploadProgress }
  | { type: 'upload-done'; target: UploadTarget; progress: UploadProgress }
  | { type: 'upload-failed'; target: UploadTarget; code: string; error: string; say?: ServerSentence };

/** The BroadcastChannel the worker tells every open tab on: after every change, and as uploads go. */
export const OUTBOX_CHANNEL = 'offline-circ-outbox';

/** The Background Sync tag the page registers whenever something is waiting. */
export const SYNC_TAG = 'outbox-sync';
