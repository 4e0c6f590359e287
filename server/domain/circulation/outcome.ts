/**
 * What a rule decides for one transaction: its outcome and code, and the
 * notices that tell staff what to do. Which notice names the result, and
 * which notices the session's override policy turns into exceptions, are
 * decided here once for every rule.
 */
import type { Outcome, ResultCode } from '../../../shared/result-codes.js';
import { RESULT_CODES } from '../../../shared/result-codes.js';
import { part, type DetailPart } from '../../../shared/result-details.js';

/** One thing staff must know or do; a transaction can have several. */
export interface Notice {
  code: ResultCode;
  /** Its sentence, as a key and data (shared/result-details.ts): each reader words it in its language. */
  detail: DetailPart;
  branchId?: number | null;
  itemId?: number | null;
  patronId?: number | null;
  toBranchId?: number | null;
}

export interface Result {
  outcome: Outcome; code: ResultCode; detail: DetailPart[] | null; notices: Notice[];
  /** For an applied checkout or renewal: the due instant stored, so what the patron was told can be checked. */
  dueAt?: string;
}

/** Codes that the session's override policy turns from notices into exceptions. */
const OVERRIDABLE = new Set<ResultCode>(['PATRON_BARRED', 'PATRON_ACCOUNT_EXPIRED', 'PATRON_INACTIVE', 'MAX_RENEWALS_REACHED',
  'HOLD_FOR_OTHER_PATRON', 'COPY_STATUS_LOST', 'COPY_STATUS_MISSING', 'CIRC_CLAIMS_RETURNED', 'COPY_CIRC_NOT_ALLOWED', 'COPY_NOT_AVAILABLE',
  'ITEM_ON_HOLDS_SHELF', 'PATRON_EXCEEDS_CHECKOUT_COUNT', 'PATRON_EXCEEDS_FINES']);

/** Which notice names the result when there are several: what staff must physically do comes first. */
const PRIORITY: ResultCode[] = ['HOLD_CAPTURED', 'ROUTE_ITEM', 'ITEM_ON_HOLDS_SHELF', 'HOLD_FOR_OTHER_PATRON', 'OPEN_CIRCULATION_EXISTS',
  'COPY_NOT_AVAILABLE', 'COPY_CIRC_NOT_ALLOWED', 'COPY_STATUS_LOST', 'COPY_STATUS_MISSING', 'CIRC_CLAIMS_RETURNED', 'PATRON_BARRED',
  'PATRON_INACTIVE', 'PATRON_ACCOUNT_EXPIRED', 'PATRON_EXCEEDS_FINES', 'PATRON_EXCEEDS_CHECKOUT_COUNT', 'MAX_RENEWALS_REACHED',
  'RENEWED_AT_CHECKOUT', 'PAYMENT_EXCEEDS_BALANCE', 'OVERDUE_FINE', 'ITEM_NOT_CHECKED_OUT'];

export function exception(code: ResultCode, ...detail: DetailPart[]): Result {
  return { outcome: RESULT_CODES[code].outcome === 'skipped' ? 'skipped' : 'exception', code, detail, notices: [] };
}

export function finish(notices: Notice[], successDetail: DetailPart | null): Result {
  if (!notices.length) return { outcome: 'applied', code: 'SUCCESS', detail: successDetail ? [successDetail] : null, notices };
  const sorted = [...notices].sort((a, b) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code));
  const detail = sorted.map((n) => n.detail);
  if (successDetail) detail.push(successDetail);
  return { outcome: 'applied_with_notice', code: sorted[0].code, detail, notices: sorted };
}

/** With the override policy off, the first overridable notice stops the transaction before it writes anything. */
export function blocked(notices: Notice[], overridePolicy: boolean): Result | null {
  if (overridePolicy) return null;
  const stop = notices.find((n) => OVERRIDABLE.has(n.code));
  if (!stop) return null;
  const all = notices.filter((n) => OVERRIDABLE.has(n.code)).map((n) => n.detail);
  return exception(stop.code, ...all, part('notApplied'));
}

/** A failure inside a rule: nothing of the transaction is kept, and the message is its result. */
export function failed(message: string): Result {
  return { outcome: 'exception', code: 'PROCESSING_FAILED', detail: [part('text', { text: message })], notices: [] };
}

export const isApplied = (result: Result): boolean => result.outcome === 'applied' || result.outcome === 'applied_with_notice';
