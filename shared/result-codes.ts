/**
 * Result codes (SPEC §6), named after Evergreen's events, with the text staff
 * read next to each transaction: what happened, and what to do about it (in
 * the desk's language: read when shown, never kept).
 */
import { msg } from './i18n/msg.js';

export const OUTCOMES = ['pending', 'applied', 'applied_with_notice', 'exception', 'skipped', 'voided'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface CodeInfo {
  readonly outcome: Outcome;
  readonly title: string;
  readonly fix: string;
}

export const RESULT_CODES = {
  SUCCESS: { outcome: 'applied', get title() { return msg('Applied'); }, get fix() { return msg('Nothing to do.'); } },
  ASSET_COPY_NOT_FOUND: {
    outcome: 'exception',
    get title() { return msg('Item barcode not found'); },
    get fix() { return msg('Probably a mis-scan or a typo: correct the item barcode and retry.'); },
  },
  ACTOR_USER_NOT_FOUND: {
    outcome: 'exception',
    get title() { return msg('Patron barcode not found'); },
    get fix() { return msg('Correct the patron barcode and retry.'); },
  },
  PATRON_CARD_INACTIVE: {
    outcome: 'exception',
    get title() { return msg('Old patron card'); },
    get fix() { return msg('The card is no longer active; retry with the patron’s current card.'); },
  },
  PATRON_BARCODE_EXISTS: {
    outcome: 'exception',
    get title() { return msg('Card barcode already in use'); },
    get fix() { return msg('The registration used a card barcode another patron has; give the new patron another card.'); },
  },
  ACTION_CIRCULATION_NOT_FOUND: {
    outcome: 'exception',
    get title() { return msg('Renewal of an item not on loan'); },
    get fix() { return msg('The item was not checked out when it was renewed; check the item and the patron’s account.'); },
  },
  SKIP_ASSET_CHANGED: {
    outcome: 'skipped',
    get title() { return msg('Item changed online after this scan'); },
    get fix() { return msg('Check the item by hand and redo the transaction if it is still needed.'); },
  },
  OPEN_CIRCULATION_EXISTS: {
    outcome: 'applied_with_notice',
    get title() { return msg('Item was on loan to someone else'); },
    get fix() { return msg('The earlier loan was closed at the offline time and the new one made; review the earlier patron’s account.'); },
  },
  ROUTE_ITEM: {
    outcome: 'applied_with_notice',
    get title() { return msg('Route the item'); },
    get fix() { return msg('Send the item to the named branch.'); },
  },
  HOLD_CAPTURED: {
    outcome: 'applied_with_notice',
    get title() { return msg('Hold captured'); },
    get fix() { return msg('Put the item on the hold shelf for the named patron.'); },
  },
  HOLD_FOR_OTHER_PATRON: {
    outcome: 'applied_with_notice',
    get title() { return msg('Another patron’s hold was waiting'); },
    get fix() { return msg('The item was lent or renewed while another patron’s hold waited; the hold waits for the next copy.'); },
  },
  COPY_STATUS_LOST: {
    outcome: 'applied_with_notice',
    get title() { return msg('Item was marked lost'); },
    get fix() { return msg('Review the patron’s account for lost-item charges.'); },
  },
  COPY_STATUS_MISSING: {
    outcome: 'applied_with_notice',
    get title() { return msg('Item was marked missing'); },
    get fix() { return msg('The item is back; review its record.'); },
  },
  CIRC_CLAIMS_RETURNED: {
    outcome: 'applied_with_notice',
    get title() { return msg('Item was claimed returned'); },
    get fix() { return msg('Review the patron’s account and the claim.'); },
  },
  PATRON_BARRED: {
    outcome: 'applied_with_notice',
    get title() { return msg('Patron is barred'); },
    get fix() { return msg('Lent despite the block; review the patron’s account.'); },
  },
  PATRON_ACCOUNT_EXPIRED: {
    outcome: 'applied_with_notice',
    get title() { return msg('Patron account expired'); },
    get fix() { return msg('Lent despite the expiry; ask the patron to renew their card.'); },
  },
  PATRON_INACTIVE: {
    outcome: 'applied_with_notice',
    get title() { return msg('Patron account inactive'); },
    get fix() { return msg('Lent despite the block; review the patron’s account.'); },
  },
  MAX_RENEWALS_REACHED: {
    outcome: 'applied_with_notice',
    get title() { return msg('Renewed beyond the limit'); },
    get fix() { return msg('Renewed despite the limit; review the loan.'); },
  },
  COPY_CIRC_NOT_ALLOWED: {
    outcome: 'applied_with_notice',
    get title() { return msg('Item does not circulate'); },
    get fix() { return msg('Lent although the item is for use in the library only; get it back, or check its status is right.'); },
  },
  COPY_NOT_AVAILABLE: {
    outcome: 'applied_with_notice',
    get title() { return msg('Item was not available'); },
    get fix() { return msg('Lent although the item was damaged or in transit; check its condition, and tell the branch it was travelling to.'); },
  },
  ITEM_ON_HOLDS_SHELF: {
    outcome: 'applied_with_notice',
    get title() { return msg('Item was waiting on the hold shelf'); },
    get fix() { return msg('Lent although it waited on the hold shelf; tell the patron it was waiting for (their hold stays, first in line for the next copy), and check the shelf.'); },
  },
  RENEWED_AT_CHECKOUT: {
    outcome: 'applied_with_notice',
    get title() { return msg('Checked out again to the same patron'); },
    get fix() { return msg('The patron already had the item: the checkout was recorded as a renewal, and counts toward the renewal limit.'); },
  },
  PATRON_EXCEEDS_CHECKOUT_COUNT: {
    outcome: 'applied_with_notice',
    get title() { return msg('Patron had too many items out'); },
    get fix() { return msg('Lent beyond the profile’s limit of items out; review the patron’s loans.'); },
  },
  PATRON_EXCEEDS_FINES: {
    outcome: 'applied_with_notice',
    get title() { return msg('Patron owed more than the fine limit'); },
    get fix() { return msg('Lent although the patron’s balance was over the limit; ask them to pay at their next visit.'); },
  },
  PAYMENT_EXCEEDS_BALANCE: {
    outcome: 'applied_with_notice',
    get title() { return msg('Paid more than owed'); },
    get fix() { return msg('Every open bill is paid and the rest is a credit on the patron’s account: refund it, or let it count against later bills.'); },
  },
  ITEM_NOT_CHECKED_OUT: {
    outcome: 'applied_with_notice',
    get title() { return msg('Checked in but not on loan'); },
    get fix() { return msg('The item was not on loan; check that it is shelved correctly.'); },
  },
  OVERDUE_FINE: {
    outcome: 'applied_with_notice',
    get title() { return msg('Overdue fine billed'); },
    get fix() { return msg('A fine was billed for the late return; tell the patron.'); },
  },
  PROCESSING_FAILED: {
    outcome: 'exception',
    get title() { return msg('The server could not apply this transaction'); },
    get fix() { return msg('Nothing was changed for it. Report the detail to the system administrator; retry once the cause is fixed.'); },
  },
  DUPLICATE_TRANSACTION: {
    outcome: 'applied',
    get title() { return msg('Already received'); },
    get fix() { return msg('This transaction was uploaded before; it is stored once.'); },
  },
} as const satisfies Record<string, CodeInfo>;

export type ResultCode = keyof typeof RESULT_CODES;

export function describeCode(code: string): CodeInfo | undefined {
  return (RESULT_CODES as Record<string, CodeInfo>)[code];
}
