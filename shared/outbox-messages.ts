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

export type OutboxRequest =
  | { type: 'record'; tx: NewTransaction }
  | { type: 'counts' }
  | { type: 'list'; state?: EntryState; limit: number }
  | { type: 'pending-batch'; limit: number }
  | { type: 'import'; transactions: OfflineTransaction[] }
  | { type: 'export'; include_uploaded: boolean }
  | { type: 'registrations' }
  | { type: 'get-device' }
  | { type: 'set-device'; device: DeviceInfo | null }
  | { type: 'upload'; target: UploadTarget }
  | { type: 'get-upload-target' }
  | { type: 'forget-upload-target' };

export type OutboxReply =
  | {
    ok: true; entry?: OutboxEntry; entries?: OutboxEntry[]; counts?: OutboxCounts; device?: DeviceInfo | null; changed?: number;
    target?: UploadTarget | null; progress?: UploadProgress; transactions?: OfflineTransaction[];
  }
  | { ok: false; error: string; code?: string };

/** What the service worker broadcasts besides plain changes. */
export type OutboxBroadcast =
  | { type: 'changed' }
  | { type: 'device' }
  | { type: 'upload-progress'; target: UploadTarget; progress: UploadProgress }
  | { type: 'upload-done'; target: UploadTarget; progress: UploadProgress }
  | { type: 'upload-failed'; target: UploadTarget; code: string; error: string };

/** Sent on this BroadcastChannel after every change, so every open tab refreshes its counts. */
export const OUTBOX_CHANNEL = 'offline-circ-outbox';

/** The Background Sync tag the page registers whenever something is waiting. */
export const SYNC_TAG = 'outbox-sync';
