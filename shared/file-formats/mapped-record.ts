/** A line of another system's file mapped onto our fields, or why it could not be. */
import type { OfflineTransaction, TransactionType } from '../transaction.js';

export type MappedRecord =
  | { ok: true; fields: Partial<OfflineTransaction> & { type: TransactionType; occurred_at: string } }
  | { ok: false; reason: string };
