/**
 * Wall clocks and the offset from UTC in force at them. Koha's rows and some
 * Evergreen dates carry no zone, so a reader needs the zone's rules at each
 * time (a file can span a clock change), and a writer needs them to put an
 * instant back on the wall clock the other system will read.
 */
// Zone arithmetic lives in one module, library-time, for the desk, the worker and the server alike.
import { isTimeZone, offsetMinutesAt } from '../library-time.js';

/**
 * Minutes east of UTC in force at a wall-clock time, the wall clock given as
 * milliseconds as if it were UTC. UTC+01:00 → 60, UTC−05:00 → −300.
 */
export type ZoneOffsetAt = (wallClockMs: number) => number;

/** The offset in force at a wall-clock time, by this device's own time zone rules. */
export function localOffsetAt(wallClockMs: number): number {
  const w = new Date(wallClockMs);
  const local = new Date(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds(), w.getUTCMilliseconds());
  return -local.getTimezoneOffset();
}

/** Wall-clock fields in a zone → ISO instant; undefined for impossible dates like Feb 30. */
export function wallClockToIso([y, mo, d, h, mi, s]: number[], ms: number, zone: ZoneOffsetAt): string | undefined {
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d) return undefined;
  const offset = zone(wall.getTime());
  if (!Number.isFinite(offset) || Math.abs(offset) > 14 * 60) return undefined;
  return new Date(wall.getTime() - offset * 60_000).toISOString();
}

const DAY_MS = 24 * 3600_000;

/** Throws for a name the runtime's time zone data does not know, before any file is half written. */
export function checkTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
}

/**
 * An IANA zone's rules as a ZoneOffsetAt, for reading a file written in a
 * branch's zone whatever this machine's own zone is. It answers what
 * localOffsetAt answers on a device in that zone, so a file gives the same
 * instants (and ids) on the desk and on the server: a wall clock the autumn
 * change repeats is the first of its two instants, and one the spring change
 * skips (which no clock writes) takes the offset after the change.
 */
export function zoneOffsetAt(timeZone: string): ZoneOffsetAt {
  checkTimeZone(timeZone);
  const at = (ms: number) => offsetMinutesAt(timeZone, ms);
  return (wallClockMs) => {
    // Clock changes are months apart, so the offsets a day either side are the only candidates.
    const before = at(wallClockMs - DAY_MS);
    const after = at(wallClockMs + DAY_MS);
    const fits = (offset: number) => at(wallClockMs - offset * 60_000) === offset;
    if (fits(before)) return before;
    return after;
  };
}

/** An instant as the zone's wall clock, `YYYY-MM-DDTHH:MM:SS.mmm` without a zone. */
export function wallClockIn(instant: string, timeZone: string): string {
  const ms = Date.parse(instant);
  return new Date(ms + offsetMinutesAt(timeZone, ms) * 60_000).toISOString().slice(0, 23);
}
