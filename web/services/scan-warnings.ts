/**
 * Which warnings a scan raises before it is saved: from the offline data
 * (the card, the item's barcode, a hold for someone else, a card number
 * already in use) and from this desk's last scan (the same item twice).
 */
import type { NewTransaction } from '../../shared/outbox-messages.js';
import { TYPE_LABELS } from '../format.js';
import * as rules from './desk-rules.js';

export type { Warning } from './desk-rules.js';

const TEXT = {
  cardInUse: () => 'Card already in use',
  cardInUseMessage: (card: string) => `Card ${card} already belongs to a patron. Register anyway?`,
  sameItem: () => 'Same item again',
  sameItemMessage: (item: string, type: NewTransaction['type']) => `${item} was just scanned for ${TYPE_LABELS[type].toLowerCase()}. Record it again?`,
};

/** In the order staff are asked: the card, the item, a hold, a card in use, then a repeat of the last scan. */
export async function scanWarnings(tx: NewTransaction, lastSaved: NewTransaction | null): Promise<rules.Warning[]> {
  const warnings: rules.Warning[] = [];
  if ((tx.type === 'checkout' || tx.type === 'renew') && tx.patron_barcode) warnings.push(...await rules.patronWarnings(tx.patron_barcode));
  if (tx.item_barcode) warnings.push(...await rules.itemWarnings(tx.item_barcode));
  if ((tx.type === 'checkout' || tx.type === 'renew') && tx.item_barcode) warnings.push(...await rules.holdWarnings(tx.type, tx.item_barcode, tx.patron_barcode));
  if (tx.type === 'register' && tx.patron && await rules.patronEntry(tx.patron.barcode)) {
    warnings.push({ code: 'PATRON_BARCODE_EXISTS', heading: TEXT.cardInUse(), message: TEXT.cardInUseMessage(tx.patron.barcode) });
  }
  if (tx.item_barcode && lastSaved && lastSaved.type === tx.type && lastSaved.item_barcode === tx.item_barcode) {
    warnings.push({ code: 'DUPLICATE_SCAN', heading: TEXT.sameItem(), message: TEXT.sameItemMessage(tx.item_barcode, tx.type) });
  }
  return warnings;
}
