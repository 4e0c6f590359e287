/**
 * Reading Evergreen's offline transactions (`pending.xacts`): one JSON object
 * a line with `type` and `timestamp` (epoch seconds) and no id. Field names
 * follow what the Evergreen staff clients write and what its offline.pl reads
 * back.
 */
import type { NewPatron, TransactionType } from '../transaction.js';
import { calendarDate, dateOrInstant } from './dates.js';
import { parseJson } from './lines.js';
import type { MappedRecord } from './mapped-record.js';
import { given, wholeNumber } from './values.js';
import type { ZoneOffsetAt } from './zone-offset.js';
import { msg, str } from '../i18n/msg.js';

const EVERGREEN_TYPES: readonly string[] = ['checkout', 'renew', 'checkin', 'in_house_use', 'register'];

export function mapEvergreenLine(text: string, zone: ZoneOffsetAt): MappedRecord {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const x = parsed.value;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { ok: false, reason: msg('must be a JSON object') };
  const r = x as Record<string, unknown>;
  if (typeof r.type !== 'string' || !EVERGREEN_TYPES.includes(r.type)) {
    return { ok: false, reason: msg(str`unknown transaction type ${JSON.stringify(r.type ?? null)}`) };
  }
  // Evergreen's offline file has no payments (EVERGREEN_TYPES refuses them above).
  const type = r.type as Exclude<TransactionType, 'payment'>;
  // `delta` is ignored because the clients that record one have already added
  // it to `timestamp`. The upper bound (year 5138) turns a millisecond value,
  // which the earliest clients wrote, into a clear error instead of a date
  // thousands of years ahead.
  const seconds = wholeNumber(r.timestamp);
  if (seconds === undefined || seconds <= 0 || seconds >= 1e11) {
    return { ok: false, reason: msg('timestamp must be a time in epoch seconds') };
  }
  const occurred_at = new Date(seconds * 1000).toISOString();
  const base = { type, occurred_at };

  switch (type) {
    case 'checkout':
    case 'renew': {
      const due = optionalDue(r.due_date, zone);
      if (!due.ok) return due;
      const patron_barcode = given(r.patron_barcode);
      const isNoncat = type === 'checkout' && (Boolean(r.noncat) || given(r.noncat_type) !== undefined);
      if (isNoncat) {
        const noncat_type = given(r.noncat_type);
        if (noncat_type === undefined) return { ok: false, reason: msg('a non-cataloged checkout needs noncat_type') };
        const rawCount = r.noncat_count ?? r.count;
        const count = rawCount === undefined || rawCount === '' ? undefined : wholeNumber(rawCount);
        if (rawCount !== undefined && rawCount !== '' && count === undefined) return { ok: false, reason: msg('noncat_count must be a whole number') };
        // Evergreen ignores `barcode` on non-cataloged checkouts (older clients put the type's label there).
        return { ok: true, fields: { ...base, patron_barcode, noncat_type, count, due_at: due.value } };
      }
      return { ok: true, fields: { ...base, item_barcode: given(r.barcode), patron_barcode, due_at: due.value } };
    }
    case 'checkin': {
      let backdate: string | undefined;
      if (r.backdate !== undefined && r.backdate !== null && r.backdate !== '') {
        backdate = typeof r.backdate === 'string' ? calendarDate(r.backdate, zone) : undefined;
        if (!backdate) return { ok: false, reason: msg(str`backdate ${JSON.stringify(r.backdate)} is not a date`) };
      }
      return { ok: true, fields: { ...base, item_barcode: given(r.barcode), backdate } };
    }
    case 'in_house_use': {
      const count = r.count === undefined || r.count === '' ? undefined : wholeNumber(r.count);
      if (r.count !== undefined && r.count !== '' && count === undefined) return { ok: false, reason: msg('count must be a whole number') };
      return { ok: true, fields: { ...base, item_barcode: given(r.barcode), count } };
    }
    case 'register': {
      const patron = patronFromEvergreenUser(r.user);
      if (!patron.ok) return patron;
      return { ok: true, fields: { ...base, patron: patron.value } };
    }
  }
}

/**
 * Evergreen's `user` is its actor.usr record (first_given_name, family_name,
 * card.barcode, …). Only what our patron record has a place for comes across:
 * profile and home_ou are ids in the other system's database and would mean
 * nothing here, so the server's defaults (and staff review) apply instead;
 * password, addresses, identification, date of birth and survey answers have
 * no field in SPEC §4.
 */
function patronFromEvergreenUser(user: unknown): { ok: true; value: NewPatron } | { ok: false; reason: string } {
  if (typeof user !== 'object' || user === null || Array.isArray(user)) {
    return { ok: false, reason: msg('a registration needs the user record (user)') };
  }
  const u = user as Record<string, unknown>;
  const card = u.card as Record<string, unknown> | undefined;
  const cards = Array.isArray(u.cards) ? (u.cards as Record<string, unknown>[]) : [];
  const barcode = given(typeof card === 'object' && card !== null ? card.barcode : undefined) ??
    cards.map((c) => given(c?.barcode)).find((b) => b !== undefined);
  if (!barcode) return { ok: false, reason: msg('user.card.barcode is required for a registration') };
  const first_name = given(u.first_given_name);
  if (!first_name) return { ok: false, reason: msg('user.first_given_name is required for a registration') };
  const last_name = given(u.family_name);
  if (!last_name) return { ok: false, reason: msg('user.family_name is required for a registration') };
  const patron: NewPatron = { barcode, first_name, last_name };
  const email = given(u.email);
  if (email) patron.email = email;
  const phone = given(u.day_phone) ?? given(u.evening_phone) ?? given(u.other_phone);
  if (phone) patron.phone = phone;
  return { ok: true, value: patron };
}

function optionalDue(value: unknown, zone: ZoneOffsetAt): { ok: true; value: string | undefined } | { ok: false; reason: string } {
  if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
  const due = typeof value === 'string' ? dateOrInstant(value, zone) : undefined;
  return due ? { ok: true, value: due } : { ok: false, reason: msg(str`due_date ${JSON.stringify(value)} is not a date`) };
}
