/**
 * The words for the states and kinds the data names by code (an item's status, a transaction's
 * type, an outcome, a session's state), inside sentences, in the current language.
 */
import { msg } from './i18n/msg.js';

/** An item's status in words. */
export function statusWord(status: string): string {
  switch (status) {
    case 'available': return msg('available');
    case 'checked_out': return msg('checked out');
    case 'in_transit': return msg('in transit');
    case 'on_hold_shelf': return msg('on the hold shelf');
    case 'lost': return msg('lost');
    case 'missing': return msg('missing');
    case 'claims_returned': return msg('claimed returned');
    case 'damaged': return msg('damaged');
    case 'non_circulating': return msg('library use only');
    default: return status.replaceAll('_', ' ');
  }
}

/** A kind of transaction in words, inside a sentence. */
export function typeWord(type: string): string {
  switch (type) {
    case 'checkout': return msg('checkout');
    case 'renew': return msg('renewal');
    case 'checkin': return msg('checkin');
    case 'in_house_use': return msg('in-house use');
    case 'register': return msg('registration');
    case 'payment': return msg('payment');
    default: return type;
  }
}

/** An outcome of processing in words, inside a sentence. */
export function outcomeWord(outcome: string): string {
  switch (outcome) {
    case 'pending': return msg('pending');
    case 'applied': return msg('applied');
    case 'applied_with_notice': return msg('applied with notice');
    case 'exception': return msg('an exception');
    case 'skipped': return msg('skipped');
    case 'voided': return msg('voided');
    default: return outcome.replaceAll('_', ' ');
  }
}

/** A session's state in words, inside a sentence. */
export function sessionStateWord(state: string): string {
  switch (state) {
    case 'open': return msg('open');
    case 'processing': return msg('processing');
    case 'processed': return msg('processed');
    case 'closed': return msg('closed');
    default: return state;
  }
}
