/** Shapes of the HTTP API's replies, shared by the server's schemas and the app. */
import type { Outcome } from './result-codes.js';
import type { OfflineTransaction } from './transaction.js';

export type SessionState = 'open' | 'processing' | 'processed' | 'closed';
export type Role = 'circulation' | 'admin';

export interface ApiError { code: string; message: string }

export interface Me {
  username: string;
  display_name: string;
  roles: { branch: string; role: Role }[];
}

export interface Branch { code: string; name: string; parent: string | null }

export interface Workstation { name: string; branch: string }

export interface SessionSummary {
  id: number;
  name: string;
  branch: string;
  state: SessionState;
  override_policy: boolean;
  created_by: string;
  created_at: string;
  processed_at: string | null;
  counts: Record<Outcome, number> & { total: number };
}

export interface UploadSummary {
  id: number;
  workstation: string;
  staff: string;
  received_at: string;
  device_time: string;
  clock_offset_ms: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface SessionDetail extends SessionSummary {
  uploads: UploadSummary[];
  progress: { done: number; total: number };
}

export interface UploadReply {
  upload_id: number;
  accepted: string[];
  duplicates: string[];
  rejected: { index: number; id: string | null; field: string; reason: string }[];
}

export interface TransactionResult {
  id: string;
  type: OfflineTransaction['type'];
  workstation: string;
  staff: string;
  seq: number;
  occurred_at: string;
  item_barcode: string | null;
  patron_barcode: string | null;
  outcome: Outcome;
  code: string | null;
  detail: string | null;
  processed_at: string | null;
}

export interface ResultsPage { total: number; results: TransactionResult[] }
