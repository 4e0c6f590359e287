/**
 * Dates, times and names as staff read them, in the desk's language; dates and times in the device's own time zone.
 * Building an Intl formatter costs far more than using one, and lists call
 * these for every row, so each formatter is built once per language, on first use.
 */
import type { Outcome, TransactionType } from '../shared/api.js';
import { msg, str } from '@lit/localize';
import { formatCount, formatLocale } from '../shared/i18n/locale.js';

const formats = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormat = (key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
  const id = `${formatLocale()}|${key}`;
  let format = formats.get(id);
  if (!format) formats.set(id, (format = new Intl.DateTimeFormat(formatLocale(), options)));
  return format;
};

/** Same text as toLocale*String, which says "Invalid Date" where format() would throw. */
const formatWith = (format: Intl.DateTimeFormat, date: Date): string =>
  Number.isNaN(date.getTime()) ? 'Invalid Date' : format.format(date);

export const formatTime = (iso: string | null | undefined): string =>
  iso ? formatWith(dateTimeFormat('time', { dateStyle: 'short', timeStyle: 'medium' }), new Date(iso)) : '';

export const formatDate = (iso: string | null | undefined): string =>
  iso ? formatWith(dateTimeFormat('date', { dateStyle: 'medium' }), new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)) : '';

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
