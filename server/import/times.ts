/**
 * Times in the state files (loans, holds, bills): ISO 8601, either an instant
 * — `2026-11-02T10:00:00Z`, or with an offset `2026-11-02T11:00:00+01:00` —
 * or a calendar date `2026-11-02`, read in the branch's time zone (SPEC §3,
 * library time). A date is the start of that local day, except a due date,
 * which is its end (shared/library-time.ts dueOnDate: the same rule the desk
 * and processing use). A time without a zone is refused rather than guessed:
 * the file's own zone is exactly what an export loses.
 */
import { dueOnDate, isLocalDate, startOfLocalDay } from '../../shared/library-time.js';
import { show } from './values.js';
import { problem, type ImportProblem } from '../../shared/import-errors.js';

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an ISO 8601 instant with Z or an offset; null when it is not one (or names no real time). */
export function parseInstant(value: string): number | null {
  const m = INSTANT.exec(value);
  if (!m || !isLocalDate(m[1])) return null;
  const [hours, minutes, seconds] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  let offsetMinutes = 0;
  if (m[6] !== 'Z') {
    const [oh, om] = [Number(m[6].slice(1, 3)), Number(m[6].slice(4, 6))];
    if (oh > 14 || om > 59) return null;
    offsetMinutes = (m[6][0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const day = Date.parse(`${m[1]}T00:00:00Z`);
  const millis = Number((m[5] ?? '0').padEnd(3, '0').slice(0, 3));
  return day + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis - offsetMinutes * 60_000;
}

/** The problem with a time value's form, or null when it is an instant or a date. */
export function checkTime(value: string, column: string): ImportProblem | null {
  if (isLocalDate(value) || parseInstant(value) !== null) return null;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(value)) return problem('time_without_zone', { column, value });
  return problem('bad_time', { column, value });
}

/** The instant, as stored (UTC with milliseconds), of a checked time value; a date is the start of that day in the zone. */
export function startInstant(value: string, zone: string): string {
  return isLocalDate(value) ? startOfLocalDay(value, zone) : new Date(parseInstant(value)!).toISOString();
}

/** A due time as stored; a date is the end of that day in the zone, as a due date the desk gave is. */
export function dueInstant(value: string, zone: string): string {
  return isLocalDate(value) ? dueOnDate(value, zone) : new Date(parseInstant(value)!).toISOString();
}

/** How far ahead of the server's clock an as-of time may be: clocks differ a little, never by hours. */
const AS_OF_SLACK_MS = 5 * 60_000;

/**
 * An import's as-of time, or why it cannot be one. Only an instant: a date would need a
 * zone, and a whole system's import has many. Never in the future: every scan made
 * before it would become stale, including those not made yet.
 */
export function parseAsOf(value: string | undefined, now: Date = new Date()): { ok: true; asOf: string } | { ok: false; reason: string } {
  if (value === undefined) return { ok: true, asOf: now.toISOString() };
  const ms = parseInstant(value);
  if (ms === null) {
    return { ok: false, reason: `the as-of time ${show(value)} is not an ISO 8601 time with Z or an offset (such as 2026-11-02T06:00:00Z)` };
  }
  if (ms > now.getTime() + AS_OF_SLACK_MS) {
    return { ok: false, reason: `the as-of time ${value} is in the future (the server's clock says ${now.toISOString()})` };
  }
  return { ok: true, asOf: new Date(ms).toISOString() };
}
