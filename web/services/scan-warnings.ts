/**
 * Which warnings a scan raises before it is saved. The card's own (a block,
 * a barcode that breaks the rule) are asked once, when the card is taken for
 * a visit (desk-rules' patronWarnings); each scan then raises those of its
 * item (its barcode, an item the offline data does not know, a hold for
 * someone else), a card number already in use, and the same item twice.
 */
import type { NewTransaction } from '../../shared/outbox-messages.js';
import type { ItemInfo } from './snapshot-store.js';
import * as rules from './desk-rules.js';
import { msg, str } from '@lit/localize';

export type { Warning } from './desk-rules.js';

/** Read when a scan is judged, so in the desk's language. */
const TEXT = {
  get cardInUse() { return msg('Card already in use'); },
  cardInUseMessage: (card: string) => msg(str`Card ${card} already belongs to a patron. Register anyway?`),
  get sameItem() { return msg('Same item again'); },
  sameItemMessage: {
    checkout: (item: string) => msg(str`${item} was just checked out. Record the checkout again?`),
    renew: (item: string) => msg(str`${item} was just renewed. Record the renewal again?`),
    checkin: (item: string) => msg(str`${item} was just checked in. Record the checkin again?`),
    in_house_use: (item: string) => msg(str`${item} was just recorded as used in the library. Record the use again?`),
  },
};

/**
 * In the order staff are asked: the item, a hold, a card in use, then a repeat of the last scan.
 * `item` is what the offline data knows of the scan's item (desk-rules' itemInfo), looked up once per scan.
 */
export async function scanWarnings(tx: NewTransaction, lastSaved: NewTransaction | null, item: ItemInfo | null): Promise<rules.Warning[]> {
  const warnings: rules.Warning[] = [];
  if (tx.item_barcode) warnings.push(...await rules.itemWarnings(tx.item_barcode, item));
  if ((tx.type === 'checkout' || tx.type === 'renew') && tx.item_barcode) {
    warnings.push(...await rules.holdWarnings(tx.type, tx.item_barcode, tx.patron_barcode, item));
  }
  if (tx.type === 'register' && tx.patron && await rules.patronEntry(tx.patron.barcode)) {
    warnings.push({ code: 'PATRON_BARCODE_EXISTS', heading: TEXT.cardInUse, message: TEXT.cardInUseMessage(tx.patron.barcode) });
  }
  const again = tx.type in TEXT.sameItemMessage ? TEXT.sameItemMessage[tx.type as keyof typeof TEXT.sameItemMessage] : null;
  if (again && tx.item_barcode && lastSaved && lastSaved.type === tx.type && lastSaved.item_barcode === tx.item_barcode) {
    warnings.push({ code: 'DUPLICATE_SCAN', heading: TEXT.sameItem, message: again(tx.item_barcode) });
  }
  return warnings;
}
