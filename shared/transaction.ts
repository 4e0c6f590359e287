/**
 * The offline transaction format (SPEC §4) and its validator. One function
 * validates for the server's upload route and the device's file import, so
 * a record the device accepts is a record the server accepts.
 */

import type { OfflineTransaction } from './schemas/transaction.js';
import { msg, str } from './i18n/msg.js';

// The record's shape is the TypeBox schema in schemas/transaction.ts; this module stays free of
// TypeBox at run time, so the app that bundles this validator does not bundle TypeBox.
export type { NewPatron, OfflineTransaction } from './schemas/transaction.js';

export const TRANSACTION_TYPES = ['checkout', 'renew', 'checkin', 'in_house_use', 'register', 'payment'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export type ValidationResult =
  | { ok: true; tx: OfflineTransaction }
  | { ok: false; field: string; reason: string };

// Without flags (either case spelled out), so that JSON Schema can use their source as a pattern.
export const UUID_V4 = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
export const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Printable ASCII without spaces: what scanners type. */
export const BARCODE_PATTERN = /^[\x21-\x7e]{1,64}$/;

/** The fields each type takes besides COMMON_FIELDS. */
export const FIELDS_BY_TYPE = {
  checkout: ['item_barcode', 'patron_barcode', 'noncat_type', 'count', 'due_at'],
  renew: ['item_barcode', 'patron_barcode', 'due_at'],
  checkin: ['item_barcode', 'backdate'],
  in_house_use: ['item_barcode', 'count'],
  register: ['patron'],
  payment: ['patron_barcode', 'amount_cents', 'note'],
} as const satisfies Record<TransactionType, readonly (keyof OfflineTransaction)[]>;
export const COMMON_FIELDS = ['id', 'type', 'occurred_at', 'seq', 'workstation', 'staff', 'acknowledged'] as const;
export const PATRON_FIELDS = ['barcode', 'first_name', 'last_name', 'profile', 'home_branch', 'email', 'phone'] as const;

/** A time is valid when it matches the ISO form and names a real instant. */
export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_UTC_MS.test(value) && !Number.isNaN(Date.parse(value)) &&
    new Date(value).toISOString() === value;
}

/** Accepts a full ISO instant or a calendar date (YYYY-MM-DD). */
export function isDateOrInstant(value: unknown): value is string {
  if (isIsoInstant(value)) return true;
  if (typeof value !== 'string' || !DATE_ONLY.test(value)) return false;
  // No month 13 or day 00: such a date parses to NaN, whose toISOString() would throw.
  const time = Date.parse(`${value}T00:00:00.000Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** A lone UTF-16 surrogate: not text, and stored as U+FFFD (so silently changed) by SQLite's UTF-8. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whitespace, control and format characters (zero-width space, joiners, direction marks) and the
 * blank letters (Hangul fillers, the braille blank): a name made only of these shows nothing.
 */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** True when the text would show nothing on screen or on paper. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

function shortText(value: unknown, max: number): value is string {
  return typeof value === 'string' && !isBlank(value) && value.length <= max && !LONE_SURROGATE.test(value);
}

/** A refusal as one line (the field, then why), as the upload reply and the desk's list show it. */
export function refusalText(refusal: { field: string; reason: string }): string {
  return refusal.field ? `${refusal.field} ${refusal.reason}` : refusal.reason;
}

function fail(field: string, reason: string): ValidationResult {
  return { ok: false, field, reason };
}

/**
 * Checks one record against SPEC §4. Unknown fields are refused rather than
 * dropped, so nothing the device recorded is silently lost on the way.
 */
export function validateTransaction(raw: unknown, now: Date = new Date()): ValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('', msg('must be a JSON object'));
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !UUID_V4.test(r.id)) return fail('id', msg('must be a UUID v4'));
  if (typeof r.type !== 'string' || !(TRANSACTION_TYPES as readonly string[]).includes(r.type)) {
    return fail('type', msg(str`must be one of ${TRANSACTION_TYPES.join(', ')}`));
  }
  const type = r.type as TransactionType;
  const allowed = new Set<string>([...COMMON_FIELDS, ...FIELDS_BY_TYPE[type]]);
  for (const key of Object.keys(r)) {
    if (!allowed.has(key)) return fail(key, msg(str`is not a field of a ${type} transaction`));
  }
  if (!isIsoInstant(r.occurred_at)) return fail('occurred_at', msg('must be an ISO 8601 UTC time with milliseconds'));
  if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 0) return fail('seq', msg('must be a non-negative integer'));
  if (!shortText(r.workstation, 64)) return fail('workstation', msg('must be a non-empty text of at most 64 characters'));
  if (!shortText(r.staff, 64)) return fail('staff', msg('must be a non-empty text of at most 64 characters'));
  if (r.acknowledged !== undefined) {
    if (!Array.isArray(r.acknowledged) || r.acknowledged.length > 20 ||
      !r.acknowledged.every((a) => shortText(a, 64))) {
      return fail('acknowledged', msg('must be a list of at most 20 warning codes'));
    }
  }
  for (const key of ['item_barcode', 'patron_barcode'] as const) {
    if (r[key] !== undefined && (typeof r[key] !== 'string' || !BARCODE_PATTERN.test(r[key] as string))) {
      return fail(key, msg('must be 1–64 printable characters without spaces'));
    }
  }
  if (r.count !== undefined && (typeof r.count !== 'number' || !Number.isInteger(r.count) || r.count < 1 || r.count > 99)) {
    return fail('count', msg('must be a whole number from 1 to 99'));
  }
  if (r.due_at !== undefined && !isDateOrInstant(r.due_at)) return fail('due_at', msg('must be a date (YYYY-MM-DD) or an ISO 8601 time'));

  switch (type) {
    case 'checkout':
      if (!r.patron_barcode) return fail('patron_barcode', msg('is required for a checkout'));
      if (r.noncat_type !== undefined) {
        if (!shortText(r.noncat_type, 64)) return fail('noncat_type', msg('must be a non-empty text'));
        if (r.item_barcode !== undefined) return fail('item_barcode', msg('a non-cataloged checkout has no item barcode'));
      } else if (!r.item_barcode) {
        return fail('item_barcode', msg('is required for a checkout (or give noncat_type)'));
      } else if (r.count !== undefined) {
        return fail('count', msg('is only for non-cataloged checkouts'));
      }
      break;
    case 'renew':
    case 'in_house_use':
      if (!r.item_barcode) return fail('item_barcode', type === 'renew' ? msg('is required for a renewal') : msg('is required for an in-house use'));
      break;
    case 'checkin':
      if (!r.item_barcode) return fail('item_barcode', msg('is required for a checkin'));
      if (r.backdate !== undefined) {
        if (!isDateOrInstant(r.backdate)) return fail('backdate', msg('must be a date (YYYY-MM-DD) or an ISO 8601 time'));
        const effective = Date.parse(r.backdate.length === 10 ? `${r.backdate}T00:00:00.000Z` : r.backdate);
        if (effective > now.getTime() + 24 * 3600_000) return fail('backdate', msg('must not be in the future'));
      }
      break;
    case 'payment':
      if (!r.patron_barcode) return fail('patron_barcode', msg('is required for a payment'));
      // Whole cents, so no sum is ever off by a rounding; a desk never takes a million in one go.
      if (typeof r.amount_cents !== 'number' || !Number.isSafeInteger(r.amount_cents) || r.amount_cents < 1 || r.amount_cents > 100_000_000) {
        return fail('amount_cents', msg('must be a whole number of cents from 1 to 100000000'));
      }
      if (r.note !== undefined && !shortText(r.note, 200)) return fail('note', msg('must be a non-empty text of at most 200 characters'));
      break;
    case 'register': {
      const p = r.patron as Record<string, unknown> | undefined;
      if (typeof p !== 'object' || p === null || Array.isArray(p)) return fail('patron', msg('is required for a registration'));
      for (const key of Object.keys(p)) {
        if (!(PATRON_FIELDS as readonly string[]).includes(key)) return fail(`patron.${key}`, msg('is not a field of a patron'));
      }
      if (typeof p.barcode !== 'string' || !BARCODE_PATTERN.test(p.barcode)) return fail('patron.barcode', msg('must be 1–64 printable characters without spaces'));
      if (!shortText(p.first_name, 100)) return fail('patron.first_name', msg('is required (at most 100 characters)'));
      if (!shortText(p.last_name, 100)) return fail('patron.last_name', msg('is required (at most 100 characters)'));
      for (const key of ['profile', 'home_branch', 'email', 'phone']) {
        if (p[key] !== undefined && !shortText(p[key], 200)) return fail(`patron.${key}`, msg('must be a non-empty text of at most 200 characters'));
      }
      break;
    }
  }
  return { ok: true, tx: r as unknown as OfflineTransaction };
}
