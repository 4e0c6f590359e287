/**
 * Dates, times, money and names as staff read them. Dates and times are shown
 * in a branch's time zone when one is given (the desk's branch, a session's,
 * a transaction's), else in the device's own. A "YYYY-MM-DD" date is a
 * branch's local date already, and is shown as that day whatever the zone.
 * Building an Intl formatter costs far more than using one, and lists call
 * these for every row, so each formatter is built once per zone, on first use.
 */
import type { Outcome, TransactionType } from '../shared/api.js';
import { isLocalDate } from '../shared/library-time.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'date' | 'time' | 'zoned', zone: string | undefined): Intl.DateTimeFormat {
  const key = `${kind} ${zone ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = kind === 'date' ? { dateStyle: 'medium' }
      : kind === 'time' ? { dateStyle: 'short', timeStyle: 'medium' }
      // The zone's short name (PST, GMT+13) after the time: where several zones meet, a time says which it is.
      : { year: '2-digit', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' };
    format = new Intl.DateTimeFormat(undefined, { ...options, ...(zone ? { timeZone: zone } : {}) });
    formats.set(key, format);
  }
  return format;
}

/** Same text as toLocale*String, which says "Invalid Date" where format() would throw. */
const formatWith = (format: Intl.DateTimeFormat, date: Date): string =>
  Number.isNaN(date.getTime()) ? 'Invalid Date' : format.format(date);

/** An instant's date and time, in the zone (the device's when none is given). */
export const formatTime = (iso: string | null | undefined, zone?: string): string =>
  iso ? formatWith(formatter('time', zone), new Date(iso)) : '';

/** An instant's date and time in the zone, with the zone's short name. */
export const formatZonedTime = (iso: string | null | undefined, zone: string): string =>
  iso ? formatWith(formatter('zoned', zone), new Date(iso)) : '';

/** A date: a "YYYY-MM-DD" date as that day; an instant as its date in the zone (the device's when none is given). */
export function formatDate(value: string | null | undefined, zone?: string): string {
  if (!value) return '';
  // A calendar date names its day everywhere: read and shown in UTC, it cannot slip to the day before or after.
  if (isLocalDate(value)) return formatWith(formatter('date', 'UTC'), new Date(`${value}T00:00:00Z`));
  return formatWith(formatter('date', zone), new Date(value));
}

let moneyFormat: Intl.NumberFormat | undefined;

/** A sum of money in cents, as staff type it and the server writes it: two decimals, no currency sign (the library has one). */
export const formatMoney = (cents: number): string =>
  (moneyFormat ??= new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(cents / 100);

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
