import type { OutboxEntry } from '../../shared/outbox-messages.js';
import { refusalText, validateTransaction } from '../../shared/transaction.js';

/**
 * Why the server refused a record, in the desk's language: the server checked it with the same
 * validator this device has (shared/transaction.ts), so checked here again at the time it was
 * recorded, the fault is the same one and is worded here. The server's English stays for a fault
 * this device cannot see (a time the server judged by its own clock).
 */
export function refusalReason(entry: Pick<OutboxEntry, 'tx' | 'reason' | 'recorded_at'>): string | undefined {
  const check = validateTransaction(entry.tx, new Date(entry.recorded_at));
  if (check.ok) return entry.reason;
  return refusalText(check);
}
