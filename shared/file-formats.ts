/**
 * Reading and writing offline transaction files (SPEC §4, "Import and export").
 *
 * Three formats are read, and the format is told from the content because
 * staff rename files and browsers add " (1)" to downloads:
 *
 * - our own JSON lines: one OfflineTransaction per line, written by
 *   exportJsonLines. Each record already has its id, so it is kept as is.
 * - Evergreen's `pending.xacts`: one JSON object per line with `type` and
 *   `timestamp` (epoch seconds) and no id. Field names follow what the
 *   Evergreen staff clients write and what its offline.pl reads back.
 * - Koha's `.koc` (format version 1.0): a `Version=` header line of
 *   tab-separated key=value pairs, then tab-separated rows
 *   `YYYY-MM-DD HH:MM:SS[ mmm]`, action, arguments.
 *
 * Evergreen and Koha records carry no id, yet the server deduplicates by id.
 * So each gets an id derived from what the line is and where it stands:
 * SHA-256 of `format`, the line number and the line's text, shaped as a UUID
 * v4 so it passes the same validator as device-made ids. Loading the same
 * file twice (or a renamed copy, or one with CRLF line ends, since neither
 * the file name nor the line terminator is hashed) gives the same ids and
 * adds nothing. The line number is part of it so that two genuinely separate
 * scans that happen to produce identical lines (same second, same item) stay
 * two transactions. Both tools append to the end of their file, so a file
 * that has grown since the last import keeps the ids of its older lines.
 *
 * Pure and isomorphic: runs in the page, the service worker and the server.
 */
import { isDateOrInstant, isIsoInstant, validateTransaction, type NewPatron, type OfflineTransaction, type TransactionType }
  from './transaction.js';

export type FileFormat = 'jsonl' | 'evergreen' | 'koha';

export interface FileLineError {
  /** 1-based line number in the file as staff would see it in an editor. */
  line: number;
  reason: string;
}

export interface ParsedFile {
  format: FileFormat;
  transactions: OfflineTransaction[];
  errors: FileLineError[];
}

export interface ImportDevice {
  workstation: string;
  staff: string;
  /**
   * Minutes east of UTC of the clock that wrote the file (UTC+01:00 → 60,
   * UTC−05:00 → −300; the opposite sign of Date#getTimezoneOffset). Koha rows
   * and some Evergreen dates carry no zone; without this they are read as UTC.
   */
  timeZoneOffsetMinutes?: number;
  /**
   * For a zone with daylight-saving time: the offset (minutes east of UTC) in
   * force at a wall-clock time, given as milliseconds as if that wall clock
   * were UTC. Takes precedence over timeZoneOffsetMinutes; the desk passes
   * `localOffsetAt`, its own zone's rules, so a file spanning a clock change
   * is read right on both sides of it.
   */
  timeZoneOffsetAt?: (wallClockMs: number) => number;
}

/** The offset in force at a wall-clock time, by this device's own time zone rules (see ImportDevice). */
export function localOffsetAt(wallClockMs: number): number {
  const w = new Date(wallClockMs);
  const local = new Date(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds(), w.getUTCMilliseconds());
  return -local.getTimezoneOffset();
}

/** Minutes east of UTC in force at a wall-clock time (as if UTC, in milliseconds). */
type Zone = (wallClockMs: number) => number;

/** Our own format. One record a line, so a truncated file loses only its last line. */
export function exportJsonLines(txs: OfflineTransaction[]): string {
  return txs.map((tx) => `${JSON.stringify(tx)}\n`).join('');
}

type Mapped = { ok: true; fields: Partial<OfflineTransaction> & { type: TransactionType; occurred_at: string } }
  | { ok: false; reason: string };

interface Line { number: number; text: string }

/**
 * One bad line never costs the good ones: each is kept or reported on its
 * own. `fileName` is only a hint for files whose content says nothing;
 * `now` is what "not in the future" is measured against.
 */
export async function parseTransactionFile(
  text: string,
  fileName: string,
  device: ImportDevice,
  now: Date = new Date(),
): Promise<ParsedFile> {
  const offset = device.timeZoneOffsetMinutes ?? 0;
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
    throw new RangeError('timeZoneOffsetMinutes must be whole minutes between -840 and 840');
  }
  const zone: Zone = device.timeZoneOffsetAt ?? (() => offset);
  const lines = splitLines(text);
  const format = detectFormat(lines, fileName);
  const transactions: OfflineTransaction[] = [];
  const errors: FileLineError[] = [];

  if (format === 'jsonl') {
    for (const line of lines) {
      const parsed = parseJson(line.text);
      if (!parsed.ok) { errors.push({ line: line.number, reason: parsed.reason }); continue; }
      const result = validateTransaction(parsed.value, now);
      if (result.ok) transactions.push(result.tx);
      else errors.push({ line: line.number, reason: fieldReason(result.field, result.reason) });
    }
    return { format, transactions, errors };
  }

  let rows = lines;
  if (format === 'koha') {
    const header = lines[0];
    if (header && header.text.startsWith('Version=')) {
      rows = lines.slice(1);
      const version = readKocHeader(header.text).Version;
      // Koha itself warns and carries on; rows still have to fit the 1.0 layout below.
      if (version !== '1.0') errors.push({ line: header.number, reason: `unknown .koc version '${version}' (only 1.0 is known)` });
    } else if (header) {
      errors.push({ line: header.number, reason: 'a .koc file starts with a Version=1.0 header line' });
    }
  }

  for (const line of rows) {
    const mapped = format === 'koha' ? mapKocRow(line.text, zone) : mapEvergreenLine(line.text, zone);
    if (!mapped.ok) { errors.push({ line: line.number, reason: mapped.reason }); continue; }
    const { type, occurred_at, ...rest } = mapped.fields;
    const candidate: Record<string, unknown> = {
      id: await derivedTransactionId(format, line.number, line.text),
      type,
      occurred_at,
      seq: line.number,
      workstation: device.workstation,
      staff: device.staff,
    };
    // Absent, not undefined: the record must look the same after a JSON or IndexedDB round trip.
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) candidate[key] = value;
    const result = validateTransaction(candidate, now);
    if (result.ok) transactions.push(result.tx);
    else errors.push({ line: line.number, reason: fieldReason(result.field, result.reason) });
  }
  return { format, transactions, errors };
}

/**
 * The id an id-less record gets: stable for the same format, line number and
 * line text, and UUID v4 shaped (version nibble 4, variant bits 10).
 */
export async function derivedTransactionId(format: FileFormat, lineNumber: number, lineText: string): Promise<string> {
  const data = new TextEncoder().encode(`${format}\n${lineNumber}\n${lineText}`);
  const bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data)).slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Keeps the original line numbers so errors point at the line staff can find. */
function splitLines(text: string): Line[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/)
    .map((t, i) => ({ number: i + 1, text: t }))
    .filter((l) => l.text.trim() !== '');
}

/**
 * The content decides; the file name only breaks a tie when no line says
 * what it is (e.g. every line is damaged).
 */
function detectFormat(lines: Line[], fileName: string): FileFormat {
  if (lines[0]?.text.startsWith('Version=')) return 'koha';
  for (const line of lines) {
    const parsed = parseJson(line.text);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) continue;
    const o = parsed.value as Record<string, unknown>;
    if ('id' in o && 'occurred_at' in o) return 'jsonl';
    if ('type' in o && 'timestamp' in o && !('id' in o)) return 'evergreen';
  }
  if (/\.koc$/i.test(fileName)) return 'koha';
  if (/xacts$/i.test(fileName)) return 'evergreen';
  return 'jsonl';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'is not valid JSON' };
  }
}

function fieldReason(field: string, reason: string): string {
  return field ? `${field} ${reason}` : reason;
}

// ---------------------------------------------------------------- Evergreen

const EVERGREEN_TYPES: readonly string[] = ['checkout', 'renew', 'checkin', 'in_house_use', 'register'];

function mapEvergreenLine(text: string, zone: Zone): Mapped {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const x = parsed.value;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return { ok: false, reason: 'must be a JSON object' };
  const r = x as Record<string, unknown>;
  if (typeof r.type !== 'string' || !EVERGREEN_TYPES.includes(r.type)) {
    return { ok: false, reason: `unknown transaction type ${JSON.stringify(r.type ?? null)}` };
  }
  const type = r.type as TransactionType;
  // `delta` is ignored because the clients that record one have already added
  // it to `timestamp`. The upper bound (year 5138) turns a millisecond value,
  // which the earliest clients wrote, into a clear error instead of a date
  // thousands of years ahead.
  const seconds = wholeNumber(r.timestamp);
  if (seconds === undefined || seconds <= 0 || seconds >= 1e11) {
    return { ok: false, reason: 'timestamp must be a time in epoch seconds' };
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
        if (noncat_type === undefined) return { ok: false, reason: 'a non-cataloged checkout needs noncat_type' };
        const rawCount = r.noncat_count ?? r.count;
        const count = rawCount === undefined || rawCount === '' ? undefined : wholeNumber(rawCount);
        if (rawCount !== undefined && rawCount !== '' && count === undefined) return { ok: false, reason: 'noncat_count must be a whole number' };
        // Evergreen ignores `barcode` on non-cataloged checkouts (older clients put the type's label there).
        return { ok: true, fields: { ...base, patron_barcode, noncat_type, count, due_at: due.value } };
      }
      return { ok: true, fields: { ...base, item_barcode: given(r.barcode), patron_barcode, due_at: due.value } };
    }
    case 'checkin': {
      let backdate: string | undefined;
      if (r.backdate !== undefined && r.backdate !== null && r.backdate !== '') {
        backdate = typeof r.backdate === 'string' ? calendarDate(r.backdate, zone) : undefined;
        if (!backdate) return { ok: false, reason: `backdate ${JSON.stringify(r.backdate)} is not a date` };
      }
      return { ok: true, fields: { ...base, item_barcode: given(r.barcode), backdate } };
    }
    case 'in_house_use': {
      const count = r.count === undefined || r.count === '' ? undefined : wholeNumber(r.count);
      if (r.count !== undefined && r.count !== '' && count === undefined) return { ok: false, reason: 'count must be a whole number' };
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
    return { ok: false, reason: 'a registration needs the user record (user)' };
  }
  const u = user as Record<string, unknown>;
  const card = u.card as Record<string, unknown> | undefined;
  const cards = Array.isArray(u.cards) ? (u.cards as Record<string, unknown>[]) : [];
  const barcode = given(typeof card === 'object' && card !== null ? card.barcode : undefined) ??
    cards.map((c) => given(c?.barcode)).find((b) => b !== undefined);
  if (!barcode) return { ok: false, reason: 'user.card.barcode is required for a registration' };
  const first_name = given(u.first_given_name);
  if (!first_name) return { ok: false, reason: 'user.first_given_name is required for a registration' };
  const last_name = given(u.family_name);
  if (!last_name) return { ok: false, reason: 'user.family_name is required for a registration' };
  const patron: NewPatron = { barcode, first_name, last_name };
  const email = given(u.email);
  if (email) patron.email = email;
  const phone = given(u.day_phone) ?? given(u.evening_phone) ?? given(u.other_phone);
  if (phone) patron.phone = phone;
  return { ok: true, value: patron };
}

function optionalDue(value: unknown, zone: Zone): { ok: true; value: string | undefined } | { ok: false; reason: string } {
  if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
  const due = typeof value === 'string' ? dateOrInstant(value, zone) : undefined;
  return due ? { ok: true, value: due } : { ok: false, reason: `due_date ${JSON.stringify(value)} is not a date` };
}

// -------------------------------------------------------------------- Koha

function readKocHeader(line: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const pair of line.split('\t')) {
    const at = pair.indexOf('=');
    if (at > 0) info[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return info;
}

function mapKocRow(text: string, zone: Zone): Mapped {
  const [stamp = '', action = '', ...args] = text.split('\t').map((f) => f.trim());
  const occurred_at = kocTime(stamp, zone);
  if (!occurred_at) return { ok: false, reason: `timestamp '${stamp}' is not YYYY-MM-DD HH:MM:SS with optional milliseconds` };
  switch (action) {
    case 'issue': {
      const [cardnumber, barcode] = args;
      if (!cardnumber || !barcode) return { ok: false, reason: 'issue needs a card number and an item barcode' };
      return { ok: true, fields: { type: 'checkout', occurred_at, patron_barcode: cardnumber, item_barcode: barcode } };
    }
    case 'return': {
      const [barcode] = args;
      if (!barcode) return { ok: false, reason: 'return needs an item barcode' };
      return { ok: true, fields: { type: 'checkin', occurred_at, item_barcode: barcode } };
    }
    case 'payment':
      // Money is not circulation: refusing it visibly keeps a payment from vanishing unnoticed.
      return { ok: false, reason: 'payments are not imported; record this payment in the library system' };
    default:
      return { ok: false, reason: action ? `unknown action '${action}'` : 'missing action' };
  }
}

/**
 * `YYYY-MM-DD HH:MM:SS mmm` (the millisecond column is left out by some
 * generators). The file has no zone, so the device's offset applies.
 */
function kocTime(stamp: string, zone: Zone): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:\s+(\d{1,3}))?$/.exec(stamp);
  if (!m) return undefined;
  return localToIso(m.slice(1, 7).map(Number), m[7] ? Number(m[7]) : 0, zone);
}

// ------------------------------------------------------------------ shared

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A calendar date stays a date; a time becomes an ISO instant, zone-less times read in the device's zone. */
function dateOrInstant(value: string, zone: Zone): string | undefined {
  const v = value.trim();
  if (DATE_ONLY.test(v)) return isDateOrInstant(v) ? v : undefined;
  if (isIsoInstant(v)) return v;
  const instant = parseDateTime(v, zone);
  return instant === undefined ? undefined : new Date(instant).toISOString();
}

/** The date on the device's calendar, which is what a backdate means to staff. */
function calendarDate(value: string, zone: Zone): string | undefined {
  const v = value.trim();
  if (DATE_ONLY.test(v)) return isDateOrInstant(v) ? v : undefined;
  const m = DATE_TIME.exec(v);
  if (!m) return undefined;
  if (!m[8]) {
    // A zone-less time is already on the device's calendar.
    const date = v.slice(0, 10);
    return isDateOrInstant(date) && parseDateTime(v, zone) !== undefined ? date : undefined;
  }
  const instant = parseDateTime(v, zone);
  // The offset at the instant read as a wall clock: off only within the hour of a clock change, which falls at night.
  return instant === undefined ? undefined : new Date(instant + zone(instant) * 60_000).toISOString().slice(0, 10);
}

function parseDateTime(value: string, zone: Zone): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const fields = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const written = m[8];
  let zoneOf = zone;
  if (written) {
    if (written.toUpperCase() === 'Z') zoneOf = () => 0;
    else {
      const digits = written.slice(1).replace(':', '');
      const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
      zoneOf = () => (written.startsWith('-') ? -minutes : minutes);
    }
  }
  const iso = localToIso(fields, ms, zoneOf);
  return iso === undefined ? undefined : Date.parse(iso);
}

/** Wall-clock fields in `zone` → ISO instant; undefined for impossible dates like Feb 30. */
function localToIso([y, mo, d, h, mi, s]: number[], ms: number, zone: Zone): string | undefined {
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d) return undefined;
  const offset = zone(wall.getTime());
  if (!Number.isFinite(offset) || Math.abs(offset) > 14 * 60) return undefined;
  return new Date(wall.getTime() - offset * 60_000).toISOString();
}

function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Barcodes and type ids sometimes arrive as JSON numbers; blanks mean "not given". */
function given(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}
