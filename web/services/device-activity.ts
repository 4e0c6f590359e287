/**
 * What this device recorded that its offline data cannot know yet: payments
 * taken and items lent here since the data was made. The desk takes them off
 * a card's balance and adds them to its items out, so a patron who paid at
 * this desk is not warned for fines, and one who borrowed up to the limit is.
 *
 * An entry is "since the data" when the library cannot have processed it
 * before the data was made: still on the device (pending), or uploaded after
 * the data was generated. One uploaded before that but not yet processed when
 * it was made is neither here nor in the data: the desk then warns as the data
 * says, on the safe side, until the next refresh after processing. A refused
 * entry never reached the library and never counts. (Uploads are stamped by
 * the device's clock, the data by the server's.)
 */
import type { EntryState, OutboxEntry } from '../../shared/outbox-messages.js';
import type { PatronEntry } from '../../shared/snapshot.js';

export interface CardActivity {
  /** Paid at this desk since the data, in cents. */
  paidCents: number;
  /** Items lent to the card here since the data and still out as far as this device knows. */
  lent: number;
}

/** Whether the offline data made at `generatedAt` cannot reflect this entry (null: there is no data). */
export function sinceData(entry: OutboxEntry, generatedAt: string | null): boolean {
  if (entry.state === 'rejected') return false;
  if (entry.state === 'pending' || generatedAt === null) return true;
  return (entry.uploaded_at ?? entry.recorded_at) > generatedAt;
}

/**
 * A card's payments and loans among the entries. A loan counts while the
 * item's last checkout or checkin here (by the device's sequence) is that
 * checkout; a non-cataloged checkout is no loan of an item, and processing
 * does not count it as one out.
 */
export function cardActivity(entries: readonly OutboxEntry[], card: string, generatedAt: string | null): CardActivity {
  let paidCents = 0;
  const lastMove = new Map<string, { seq: number; toCard: boolean }>();
  for (const entry of entries) {
    if (!sinceData(entry, generatedAt)) continue;
    const { tx } = entry;
    if (tx.type === 'payment' && tx.patron_barcode === card) paidCents += tx.amount_cents ?? 0;
    if ((tx.type === 'checkout' || tx.type === 'checkin') && tx.item_barcode) {
      const last = lastMove.get(tx.item_barcode);
      if (!last || tx.seq > last.seq) {
        lastMove.set(tx.item_barcode, { seq: tx.seq, toCard: tx.type === 'checkout' && tx.patron_barcode === card });
      }
    }
  }
  let lent = 0;
  for (const move of lastMove.values()) if (move.toCard) lent++;
  return { paidCents, lent };
}

/** The card's entry as the desk should judge it: the balance less what was paid here, items out plus what was lent here. */
export function withActivity(entry: PatronEntry, activity: CardActivity): PatronEntry {
  const adjusted = [...entry] as PatronEntry;
  adjusted[5] = (entry[5] ?? 0) - activity.paidCents;
  // Items out are known only where a policy limits the profile (null otherwise): nothing to add to.
  adjusted[6] = entry[6] === null || entry[6] === undefined ? null : entry[6] + activity.lent;
  return adjusted;
}

type ListEntries = (limit: number, state?: EntryState) => Promise<OutboxEntry[]>;

/** How many uploaded entries to ask for first: the data is refreshed every few hours, so few are newer. */
const FIRST_PAGE = 200;

/**
 * The entries the data made at `generatedAt` cannot reflect, through the
 * service worker's list: every pending one, and the uploaded ones newest
 * first until one uploaded before the data was made.
 */
export async function entriesSinceData(list: ListEntries, generatedAt: string | null): Promise<OutboxEntry[]> {
  const pending = await list(Number.MAX_SAFE_INTEGER, 'pending');
  if (generatedAt === null) return pending;
  for (let limit = FIRST_PAGE; ; limit *= 4) {
    const uploaded = await list(limit, 'uploaded');
    const reachedOlder = uploaded.some((e) => !sinceData(e, generatedAt));
    if (reachedOlder || uploaded.length < limit) return [...pending, ...uploaded.filter((e) => sinceData(e, generatedAt))];
  }
}
