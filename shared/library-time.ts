/**
 * Library time: each branch's time zone and calendar, and the one rule for
 * due dates, fines and "today" that the desk (web, sw) and the server share.
 *
 * Instants are ISO 8601 UTC strings with milliseconds ("2026-12-22T07:59:59.000Z"),
 * as the database stores them. Every date a person sees is a local calendar
 * date, "YYYY-MM-DD", in a branch's IANA time zone. Calendar dates are counted
 * as whole days (UTC day numbers), so adding days never meets a DST change;
 * only turning a date into an instant, or an instant into a date, consults
 * the zone.
 *
 * Why the platform's Intl and not @date-fns/tz (1.5.0). Measured with
 * esbuild 0.28 (bundle, minify, ESM, es2022), gzipped, on a tiny entry that
 * calls dueAt, overdueFine, today and formatLocalDate:
 *   this module on Intl alone ........................... 1 488 B
 *   the same, its offset lookup from `tzOffset` ......... 1 537 B  (+49 B)
 *   the same, wall time <-> instant through `TZDateMini` . 2 536 B  (+1 048 B)
 *   (`TZDate` from the package root: 2 854 B; this whole module: 2 076 B)
 * and for correctness, every local day 2010-2027 in 17 zones (the tested
 * ones plus Santiago, Havana, Beirut, Apia, Lord Howe, Chatham), end of day
 * and 11 wall times a day, under host TZ=UTC, America/Los_Angeles and
 * Australia/Lord_Howe:
 * - `tzOffset` gave the same instants as this module everywhere. It is a
 *   thin layer over Intl too (the package carries no zone data), and it
 *   would replace ten lines here; but it returns NaN for an unknown zone,
 *   which surfaces later as "Invalid time value", where this module throws
 *   a RangeError naming the zone. Not worth a dependency in desk and worker.
 * - `TZDate`, the part that would spare us the DST-gap arithmetic, builds
 *   wall times through the host's own zone, so its answers depend on the
 *   machine: under TZ=Australia/Lord_Howe, 02:00 in Honolulu (no DST) came
 *   out 30 minutes late on each day Lord Howe skips 02:00-02:30; under
 *   TZ=America/Los_Angeles, the end of 2010-10-30 in Havana came out on the
 *   31st. A desk and a server in different zones must agree, so no.
 * So the zone arithmetic below is Intl.DateTimeFormat#formatToParts (one
 * cached formatter per zone) and a documented rule for gaps and overlaps.
 */

/** A local calendar date, "YYYY-MM-DD". */
export type LocalDate = string;
/** An instant as stored: ISO 8601 UTC with milliseconds. */
export type Instant = string;

/** Weekday keys in the order `hours` uses: ISO 8601, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Opening hours for each weekday, Monday first (see WEEKDAYS): "09:00-17:00",
 * several ranges "09:00-12:00,13:00-17:00", or "" when closed that weekday.
 */
export type WeekHours = readonly [string, string, string, string, string, string, string];

/** A dated closure: first and last local date (inclusive) and why, e.g. ["2026-12-24", "2026-12-26", "Christmas"]. */
export type Closure = readonly [first: LocalDate, last: LocalDate, reason: string];

/**
 * A branch's calendar, resolved (zone inherited already), in the shape the
 * offline snapshot carries: a zone, seven strings and a list of closures.
 * A run of closed days is one entry, so a year of holidays is a dozen short
 * tuples, and identical closures across branches compress well under gzip.
 */
export interface LibraryCalendar {
  zone: string;
  hours: WeekHours;
  closures: readonly Closure[];
}

/** Where only the zone matters, a calendar or a bare zone name will do. */
export type ZoneLike = string | { readonly zone: string };

/** Hours for a branch whose opening hours are not known: no weekday is closed. */
export const OPEN_ALL_WEEK: WeekHours = ['00:00-24:00', '00:00-24:00', '00:00-24:00', '00:00-24:00', '00:00-24:00', '00:00-24:00', '00:00-24:00'];

const DAY_MS = 86_400_000;
/** How far to look for an open day before giving up on a calendar (a year and a day). */
const OPEN_DAY_SEARCH_LIMIT = 366;

// ---------------------------------------------------------------------------
// Calendar dates: whole days, no zone involved.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real "YYYY-MM-DD" date; null for anything else (2026-02-30, 2026-2-3). */
function parseDay(value: string): number | null {
  const m = DATE_RE.exec(value);
  if (!m) return null;
  // setUTCFullYear rather than Date.UTC, which reads years 0-99 as 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = Math.round(d.getTime() / DAY_MS);
  // Date rolls 02-30 over into March; a real date survives the round trip.
  return dateOfDay(day) === value ? day : null;
}

/** Days since 1970-01-01 of a calendar date; a RangeError for anything else. */
export function dayNumber(date: LocalDate): number {
  const day = parseDay(date);
  if (day === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return day;
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isLocalDate(value: string): boolean {
  return parseDay(value) !== null;
}

/** Recent day numbers' dates: turning one into text through Date is most of a due-date computation. */
const dateTexts = new Map<number, LocalDate>();

/** The calendar date of a day number (days since 1970-01-01). */
export function dateOfDay(day: number): LocalDate {
  let text = dateTexts.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dateTexts.size > 50_000) dateTexts.clear();
    dateTexts.set(day, text);
  }
  return text;
}

/** The date n days after (or before, for negative n) a date. */
export function addLocalDays(date: LocalDate, n: number): LocalDate {
  return dateOfDay(dayNumber(date) + n);
}

/** Whole days from a to b (positive when b is later). */
export function localDaysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** The weekday of a date as an index into WeekHours: 0 Monday … 6 Sunday. */
export function weekdayIndex(date: LocalDate): number {
  // 1970-01-01, day 0, was a Thursday (index 3).
  return (((dayNumber(date) + 3) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------
// Zones: Intl.DateTimeFormat is the only source of offsets.

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown time zone ${JSON.stringify(zone)}`);
    }
    zoneFormats.set(zone, format);
  }
  return format;
}

function zoneOf(zone: ZoneLike): string {
  return typeof zone === 'string' ? zone : zone.zone;
}

/**
 * The zone's offset from UTC at an instant, in milliseconds (+05:45 is 20 700 000), as Intl
 * says: the wall clock's fields to the second (Intl shows no milliseconds, and offsets, even
 * historic ones like London's −00:01:15, are whole seconds) less the instant to the second.
 */
function offsetByIntl(zone: string, epochMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of zoneFormat(zone).formatToParts(epochMs)) fields[part.type] = Number(part.value);
  const d = new Date(0);
  d.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  d.setUTCHours(fields.hour, fields.minute, fields.second);
  return d.getTime() - Math.floor(epochMs / 1000) * 1000;
}

/**
 * Offsets by zone and quarter hour. Asking Intl costs a few microseconds, and processing asks
 * several times a transaction (a due date, an expiry, a fine), for instants that fall in a
 * handful of days. A quarter hour is cached only when its first and last second have the same
 * offset, so one holding a change of offset is always asked afresh.
 */
const OFFSET_SPAN_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

function offsetAt(zone: string, epochMs: number): number {
  const span = Math.floor(epochMs / OFFSET_SPAN_MS);
  let cache = offsetCache.get(zone);
  if (!cache) offsetCache.set(zone, cache = new Map());
  const known = cache.get(span);
  if (known !== undefined) return known;
  const first = offsetByIntl(zone, span * OFFSET_SPAN_MS);
  if (first !== offsetByIntl(zone, (span + 1) * OFFSET_SPAN_MS - 1000)) return offsetByIntl(zone, epochMs);
  if (cache.size > 50_000) cache.clear();
  cache.set(span, first);
  return first;
}

/** The zone's wall clock at an instant, as milliseconds of a UTC date with the same fields, to the second. */
function wallClock(zone: string, epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000 + offsetAt(zone, epochMs);
}

/**
 * The instant a zone's clock reads a wall time (given as the ms of a UTC date
 * with those fields). Around a change of offset, a wall time can occur twice
 * (clocks set back) or not at all (clocks set forward); the choice is the one
 * most platforms make (Temporal's "compatible", java.time):
 * - occurs twice: the earlier instant;
 * - does not occur: read with the offset in force before the change, which
 *   lands as far past the change as the wall time was into the gap
 *   (02:30 on the day Los Angeles skips 02:00-03:00 is 03:30 PDT).
 * It assumes at most one change of offset within a day either side, which
 * holds for every zone in use.
 */
function instantOfWall(zone: string, wall: number): number {
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((t) => wallClock(zone, t) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

function toEpochMs(at: Date | string | number): number {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not an instant: ${JSON.stringify(at)}`);
  return ms;
}

/** True when the platform knows the IANA zone name. */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    zoneFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The machine's own zone (the server's default when OFFLINE_CIRC_TIME_ZONE is unset); UTC when it has none. */
export function hostTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && zone !== 'Etc/Unknown' ? zone : 'UTC';
}

/**
 * The first of the candidates that is set: a branch's zone, then its
 * parent's, then the server's configured default. When none is, the host's.
 * A set but unknown zone is an error, not a silent fall-through to the next.
 */
export function resolveTimeZone(...candidates: readonly (string | null | undefined)[]): string {
  for (const zone of candidates) {
    if (zone === null || zone === undefined || zone.trim() === '') continue;
    if (!isTimeZone(zone)) throw new RangeError(`Unknown time zone ${JSON.stringify(zone)}`);
    return zone;
  }
  return hostTimeZone();
}

/** The zone's offset from UTC at an instant, in minutes (UTC+05:45 → 345, UTC−05:00 → −300). */
export function offsetMinutesAt(zone: ZoneLike, at: Date | string | number): number {
  return offsetAt(zoneOf(zone), toEpochMs(at)) / 60_000;
}

/** The local calendar date of an instant in a zone. */
export function localDateOf(at: Date | string | number, zone: ZoneLike): LocalDate {
  return dateOfDay(Math.floor(wallClock(zoneOf(zone), toEpochMs(at)) / DAY_MS));
}

/**
 * The instant a zone's clocks read `time` ("HH:MM" or "HH:MM:SS") on a local
 * date. In a DST overlap, the earlier instant; in a gap, the wall time read
 * with the offset before the change (so it falls as far after the change).
 */
export function instantOfLocal(date: LocalDate, time: string, zone: ZoneLike): Instant {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
    throw new RangeError(`Not a time of day (HH:MM[:SS]): ${JSON.stringify(time)}`);
  }
  const wall = dayNumber(date) * DAY_MS + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
  return new Date(instantOfWall(zoneOf(zone), wall)).toISOString();
}

/** The first instant of a local date: midnight, or the end of a DST gap that swallowed midnight. */
export function startOfLocalDay(date: LocalDate, zone: ZoneLike): Instant {
  return instantOfLocal(date, '00:00', zone);
}

/**
 * The last second of a local date: one second before the next date starts.
 * That reads 23:59:59 on the date; where clocks go back across midnight it is
 * the second 23:59:59; for a date a zone skipped outright (Pacific/Apia,
 * 2011-12-30) it is the end of the date before.
 */
export function endOfLocalDay(date: LocalDate, zone: ZoneLike): Instant {
  return new Date(Date.parse(startOfLocalDay(addLocalDays(date, 1), zone)) - 1000).toISOString();
}

/** Today's local date in a zone (or a calendar's zone). */
export function today(zone: ZoneLike, now: Date = new Date()): LocalDate {
  return localDateOf(now, zone);
}

/**
 * True when a date (or an instant, by its local date) is after today in the
 * zone: a backdate must not be, in the branch's local days.
 */
export function isAfterToday(value: LocalDate | Instant, zone: ZoneLike, now: Date = new Date()): boolean {
  const date = isLocalDate(value) ? value : localDateOf(value, zone);
  return date > today(zone, now);
}

const displayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date for people: an instant shown as its local date in the zone, or a
 * "YYYY-MM-DD" date shown as itself, in the locale's words (Intl).
 */
export function formatLocalDate(
  value: LocalDate | Instant | Date, zone: ZoneLike, locale?: string | readonly string[],
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
): string {
  // A calendar date has no zone: show that day, whatever the zone thinks of UTC midnight.
  const isDate = typeof value === 'string' && isLocalDate(value);
  const timeZone = isDate ? 'UTC' : zoneOf(zone);
  const at = isDate ? dayNumber(value) * DAY_MS : toEpochMs(value);
  const key = JSON.stringify([locale ?? null, timeZone, options]);
  let format = displayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale as string | string[] | undefined, { ...options, timeZone });
    displayFormats.set(key, format);
  }
  return format.format(at);
}

// ---------------------------------------------------------------------------
// Calendars: which days a branch is open.

const HOURS_RE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/**
 * A weekday's hours as [open, close] pairs, or null when the text is not
 * valid: "" is closed (no pairs); each range opens before it closes, within
 * 00:00-24:00, and ranges come in order without overlapping.
 */
export function parseHours(text: string): [open: string, close: string][] | null {
  if (text.trim() === '') return [];
  const ranges: [string, string][] = [];
  let lastClose = -1;
  for (const piece of text.split(',')) {
    const m = HOURS_RE.exec(piece.trim());
    if (!m) return null;
    const open = Number(m[1]) * 60 + Number(m[2]);
    const close = Number(m[3]) * 60 + Number(m[4]);
    if (Number(m[2]) > 59 || Number(m[4]) > 59 || close > 24 * 60 || open >= close || open < lastClose) return null;
    lastClose = close;
    ranges.push([`${m[1]}:${m[2]}`, `${m[3]}:${m[4]}`]);
  }
  return ranges;
}

/** The reason a date is a dated closure, or null when it is not one. */
export function closureOn(date: LocalDate, calendar: LibraryCalendar): string | null {
  // "YYYY-MM-DD" strings compare in date order.
  for (const [first, last, reason] of calendar.closures) {
    if (first <= date && date <= last) return reason;
  }
  return null;
}

/**
 * The opening hours on a date: none on a closed weekday or a dated closure.
 * Hours that do not parse count as closed (calendarProblems rejects them at
 * import): the error that moves a due date later and charges no fine.
 */
export function openingHours(date: LocalDate, calendar: LibraryCalendar): [open: string, close: string][] {
  if (closureOn(date, calendar) !== null) return [];
  return parseHours(calendar.hours[weekdayIndex(date)] ?? '') ?? [];
}

/** True when the branch opens on the date: its weekday has hours and no closure covers it. */
export function isOpenDay(date: LocalDate, calendar: LibraryCalendar): boolean {
  return openingHours(date, calendar).length > 0;
}

/**
 * The date itself when open, else the next open date. A calendar with no
 * open day within a year (every weekday closed, or a closure of a year or
 * more) gives back the date unmoved: a due date has to exist, and a branch
 * shut for a year is better served by staff setting dates by hand than by a
 * loan due never.
 */
export function nextOpenDay(date: LocalDate, calendar: LibraryCalendar): LocalDate {
  for (let i = 0; i <= OPEN_DAY_SEARCH_LIMIT; i++) {
    const day = addLocalDays(date, i);
    if (isOpenDay(day, calendar)) return day;
  }
  return date;
}

/** What is wrong with a calendar, for an import to report; empty when nothing. */
export function calendarProblems(calendar: LibraryCalendar): string[] {
  const problems: string[] = [];
  if (!isTimeZone(calendar.zone)) problems.push(`unknown time zone ${JSON.stringify(calendar.zone)}`);
  if (calendar.hours.length !== 7) problems.push(`hours must give 7 weekdays (Monday first), not ${calendar.hours.length}`);
  calendar.hours.forEach((text, i) => {
    if (parseHours(text) === null) problems.push(`hours for ${WEEKDAYS[i] ?? i} ${JSON.stringify(text)} are not "HH:MM-HH:MM[,HH:MM-HH:MM…]" or empty`);
  });
  for (const [first, last, reason] of calendar.closures) {
    const which = `closure ${first}…${last}`;
    if (!isLocalDate(first) || !isLocalDate(last)) problems.push(`${which}: dates must be YYYY-MM-DD`);
    else if (last < first) problems.push(`${which}: ends before it starts`);
    if (typeof reason !== 'string' || reason.trim() === '') problems.push(`${which}: needs a reason`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Circulation: due dates and fines.

/**
 * The local date a loan of `loanDays` days made (or renewed) at `from` falls
 * due: the loanDays-th local day after from's local date in the calendar's
 * zone, moved to the next open day when that day is closed. This is the date
 * the desk shows and its quick buttons (+7, +14…) set.
 */
export function dueDate(from: Date | string, loanDays: number, calendar: LibraryCalendar): LocalDate {
  if (!Number.isInteger(loanDays)) throw new RangeError(`Loan days must be a whole number, not ${loanDays}`);
  return nextOpenDay(addLocalDays(localDateOf(from, calendar), loanDays), calendar);
}

/**
 * The instant a loan falls due: the end (23:59:59 local) of its due date.
 * The rule for checkouts and renewals alike; a renewal passes the time it
 * counts from (the later of the old due time and the renewal).
 */
export function dueAt(from: Date | string, loanDays: number, calendar: LibraryCalendar): Instant {
  return endOfLocalDay(dueDate(from, loanDays, calendar), calendar);
}

/**
 * The due instant for a due date the desk gave: a "YYYY-MM-DD" date means
 * the end of that local day; an instant stays as given (in UTC). A date
 * staff chose is kept even on a closed day: the picker can warn, but the
 * patron was told that date.
 */
export function dueOnDate(value: LocalDate | Instant, zone: ZoneLike): Instant {
  if (isLocalDate(value)) return endOfLocalDay(value, zone);
  return new Date(toEpochMs(value)).toISOString();
}

/**
 * Open local days an item is late when it comes back (or stops counting) at
 * `until`: the open dates after the due date, up to and including the date
 * of `until`. The due date itself never counts, nor do closed days. Nothing
 * is late unless `until` is after `dueAt`.
 */
export function openDaysLate(dueAtValue: Instant, until: Instant | Date, calendar: LibraryCalendar): number {
  if (toEpochMs(until) <= toEpochMs(dueAtValue)) return 0;
  const first = dayNumber(localDateOf(dueAtValue, calendar)) + 1;
  const last = dayNumber(localDateOf(until, calendar));
  let days = 0;
  for (let day = first; day <= last; day++) {
    if (isOpenDay(dateOfDay(day), calendar)) days++;
  }
  return days;
}

/** What a fine is worked from: the loan policy's rates. */
export interface FineRate {
  daily_fine_cents: number;
  max_fine_cents: number;
}

/**
 * The overdue fine: the daily fine for each open local day late, capped at
 * the policy's maximum. When the item was marked lost, days stop counting at
 * that time (`lostAt`), whether it came back later or never (pass now as
 * `returnedAt` for an item still out).
 */
export function overdueFine(
  dueAtValue: Instant, returnedAt: Instant | Date, rate: FineRate, calendar: LibraryCalendar, lostAt?: Instant | null,
): { days: number; cents: number } {
  const stop = lostAt != null && toEpochMs(lostAt) < toEpochMs(returnedAt) ? lostAt : returnedAt;
  const days = openDaysLate(dueAtValue, stop, calendar);
  return { days, cents: Math.min(days * rate.daily_fine_cents, rate.max_fine_cents) };
}
