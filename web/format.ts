/**
 * Dates, times and names as staff read them; dates and times in the device's own time zone.
 * Building an Intl formatter costs far more than using one, and lists call
 * these for every row, so each formatter is built once, on first use.
 */
import type { Outcome, TransactionType } from '../shared/api.js';

let timeFormat: Intl.DateTimeFormat | undefined;
let dateFormat: Intl.DateTimeFormat | undefined;

/** Same text as toLocale*String, which says "Invalid Date" where format() would throw. */
const formatWith = (format: Intl.DateTimeFormat, date: Date): string =>
  Number.isNaN(date.getTime()) ? 'Invalid Date' : format.format(date);

export const formatTime = (iso: string | null | undefined): string =>
  iso ? formatWith(timeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' }), new Date(iso)) : '';

export const formatDate = (iso: string | null | undefined): string =>
  iso ? formatWith(dateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }), new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)) : '';

export function formatSkew(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (Math.abs(seconds) < 2) return 'in step';
  const abs = Math.abs(seconds);
  const text = abs >= 120 ? `${Math.round(abs / 60)} min` : `${abs} s`;
  return seconds > 0 ? `device ${text} slow` : `device ${text} fast`;
}

/** What staff call each type of transaction: the one place the app names them. */
export const TYPE_LABELS: Record<TransactionType, string> = {
  checkout: 'Checkout', renew: 'Renewal', checkin: 'Checkin', in_house_use: 'In-house use', register: 'Registration', payment: 'Payment',
};

/** What staff call each outcome of processing. */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  pending: 'Pending', applied: 'Applied', applied_with_notice: 'Applied with notice', exception: 'Exception', skipped: 'Skipped', voided: 'Voided',
};
