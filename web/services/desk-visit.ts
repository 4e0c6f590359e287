/**
 * A patron's visit at the desk: the card taken, with the warnings about it
 * staff allowed (asked once, when the card was scanned), and what was
 * recorded for the visit, until "Done / next patron" ends it with one receipt.
 * Kept here, not in the page, so moving between the desk's modes and pages
 * keeps the visit.
 */
import type { OutboxEntry } from '../../shared/outbox-messages.js';

export interface VisitLine {
  entry: OutboxEntry;
  /** The item's title from the offline data ('' when it does not know it). */
  title: string;
}

export interface Visit {
  /** The card taken for the visit; null when none was (a visit of returns only). */
  card: string | null;
  /** The patron's name from the offline data ('' when it does not know it). */
  name: string;
  /** The codes of the warnings about the card staff allowed; every loan of the visit carries them. */
  acknowledged: string[];
  /**
   * What the card's warnings were asked for: a checkout's (blocks, fines, items out) cover a renewal's (blocks),
   * not the other way round. Null: not yet — a payment takes the card without them (paying needs nobody's
   * leave), and the visit's first loan asks them then, with the payment counted.
   */
  asked: 'checkout' | 'renew' | null;
  /** The card's profile, and its items out when the card was taken (the data's and this device's); null where no limit applies. */
  profile: string | null;
  itemsOut: number | null;
  lines: VisitLine[];
}

export const NO_VISIT: Visit = Object.freeze({ card: null, name: '', acknowledged: [], asked: null, profile: null, itemsOut: null, lines: [] }) as Visit;

/** Items lent in the visit so far: each takes one more of the patron's items out. */
export const visitLoans = (visit: Visit): number =>
  visit.lines.filter(({ entry: { tx } }) => tx.type === 'checkout' && tx.item_barcode !== undefined).length;

let current: Visit = NO_VISIT;

export const currentVisit = (): Visit => current;

export function setVisit(visit: Visit): void {
  current = visit;
}

/** Whether there is anything to finish: a card taken or something recorded. */
export const visitOpen = (visit: Visit): boolean => visit.card !== null || visit.lines.length > 0;
