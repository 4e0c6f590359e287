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
  /**
   * Administers every library system of the installation, those imported later included (the first start's admin).
   * Always sent; optional because a device may hold a login stored before it existed.
   */
  installation_admin?: boolean;
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
  /** Why the last processing run stopped, while the session waits in `processing` to be resumed; null otherwise. */
  processing_error: string | null;
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
  /** How many transactions carry each result code (their main code or any notice). */
  code_counts: Record<string, number>;
}

/** Live progress of a processing run, as streamed to the admin page. */
export interface ProcessProgress {
  done: number;
  total: number;
  rate: number;
  eta_seconds: number | null;
  counts: Record<Outcome, number>;
  finished: boolean;
  state: SessionState;
  error?: string;
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
  /** Every notice the transaction produced; `code` is the most actionable of them. */
  notice_codes: string[];
}

export interface HistoryEntry {
  action: 'fix' | 'retry' | 'void';
  staff: string;
  at: string;
  before: Partial<OfflineTransaction> | null;
  after: Partial<OfflineTransaction> | null;
  reason: string | null;
  previous_outcome: Outcome | null;
  previous_code: string | null;
}

export interface TransactionDetail extends TransactionResult {
  transaction: OfflineTransaction;
  notices: { code: string; detail: string | null }[];
  history: HistoryEntry[];
}

export interface Correction { item_barcode?: string; patron_barcode?: string; due_at?: string }

export interface FollowUpBranch {
  branch: string;
  branch_name: string;
  route: { txn_id: string; item_barcode: string; title: string; call_number: string; to_branch: string; to_branch_name: string; reason: string }[];
  shelve: { txn_id: string; item_barcode: string; title: string; call_number: string; patron_card: string | null; patron_name: string }[];
  returned: { txn_id: string; code: string; item_barcode: string; title: string; detail: string | null }[];
  /** Items lent though their status said not to (non-circulating, damaged, in transit, on the hold shelf): the patron named is the one a shelved hold was for. */
  lent: { txn_id: string; code: string; item_barcode: string; title: string; call_number: string; patron_card: string | null; patron_name: string | null; detail: string | null }[];
  overridden: { txn_id: string; code: string; patron_card: string | null; patron_name: string; detail: string | null }[];
}

export interface ResultsPage { total: number; results: TransactionResult[] }
