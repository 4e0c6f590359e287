/**
 * Dates, times and names as staff read them, in the desk's language. Dates and times are shown
 * in a branch's time zone when one is given (the desk's branch, a session's, a transaction's),
 * else in the device's own. A "YYYY-MM-DD" date is a branch's local date already, and is shown
 * as that day whatever the zone.
 * Building an Intl formatter costs far more than using one, and lists call
 * these for every row, so each formatter is built once per language and zone, on first use.
 */
import type { Outcome, TransactionType } from '../shared/api.js';
import { msg, str } from '@lit/localize';
import { formatCount, formatLocale } from '../shared/i18n/locale.js';
import { isLocalDate } from '../shared/library-time.js';

const formats = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormat = (key: string, options: Intl.DateTimeFormatOptions, zone?: string): Intl.DateTimeFormat => {
  const id = `${formatLocale()}|${key}|${zone ?? ''}`;
  let format = formats.get(id);
  if (!format) formats.set(id, (format = new Intl.DateTimeFormat(formatLocale(), { ...options, ...(zone ? { timeZone: zone } : {}) })));
  return format;
};

const TIME: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'medium' };
/** The zone's short name (PST, GMT+13) after the time: where several zones meet, a time says which it is. */
const ZONED_TIME: Intl.DateTimeFormatOptions = {
  year: '2-digit', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
};

/** Same text as toLocale*String, which says "Invalid Date" where format() would throw. */
const formatWith = (format: Intl.DateTimeFormat, date: Date): string =>
  Number.isNaN(date.getTime()) ? 'Invalid Date' : format.format(date);

/**
 * An instant's date and time in the zone; without one, in the device's zone with the zone's
 * name, since lists that span branches (the audit trail, sessions) are read on devices that
 * may keep another zone than the branches they show.
 */
export const formatTime = (iso: string | null | undefined, zone?: string): string =>
  !iso ? '' : zone ? formatWith(dateTimeFormat('time', TIME, zone), new Date(iso)) : formatWith(dateTimeFormat('zoned', ZONED_TIME), new Date(iso));

/** An instant's date and time in the zone, with the zone's short name. */
export const formatZonedTime = (iso: string | null | undefined, zone: string): string =>
  iso ? formatWith(dateTimeFormat('zoned', ZONED_TIME, zone), new Date(iso)) : '';

/** A date: a "YYYY-MM-DD" date as that day; an instant as its date in the zone (the device's when none is given). */
export function formatDate(value: string | null | undefined, zone?: string): string {
  if (!value) return '';
  // A calendar date names its day everywhere: read and shown in UTC, it cannot slip to the day before or after.
  if (isLocalDate(value)) return formatWith(dateTimeFormat('date', { dateStyle: 'medium' }, 'UTC'), new Date(`${value}T00:00:00Z`));
  return formatWith(dateTimeFormat('date', { dateStyle: 'medium' }, zone), new Date(value));
}

/** A time of day today (a retry's), hours and minutes and seconds. */
export const formatClock = (ms: number): string => formatWith(dateTimeFormat('clock', { timeStyle: 'medium' }), new Date(ms));

export function formatSkew(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (Math.abs(seconds) < 2) return msg('in step');
  const abs = Math.abs(seconds);
  const minutes = Math.round(abs / 60);
  if (abs >= 120) return seconds > 0 ? msg(str`device ${formatCount(minutes)} min slow`) : msg(str`device ${formatCount(minutes)} min fast`);
  return seconds > 0 ? msg(str`device ${formatCount(abs)} s slow`) : msg(str`device ${formatCount(abs)} s fast`);
}

/** What staff call each type of transaction: the one place the app names them (read at render, so in the desk's language). */
export const TYPE_LABELS: Readonly<Record<TransactionType, string>> = {
  get checkout() { return msg('Checkout'); },
  get renew() { return msg('Renewal'); },
  get checkin() { return msg('Checkin'); },
  get in_house_use() { return msg('In-house use'); },
  get register() { return msg('Registration'); },
  get payment() { return msg('Payment'); },
};

/** What staff call each outcome of processing. */
export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  get pending() { return msg('Pending'); },
  get applied() { return msg('Applied'); },
  get applied_with_notice() { return msg('Applied with notice'); },
  get exception() { return msg('Exception'); },
  get skipped() { return msg('Skipped'); },
  get voided() { return msg('Voided'); },
};
