/**
 * Reading the dates and times other systems write: calendar dates, ISO
 * instants, and times without a zone, which are read in the zone given.
 */
import { isDateOrInstant, isIsoInstant } from '../transaction.js';
import { wallClockToIso, type ZoneOffsetAt } from './zone-offset.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A calendar date stays a date; a time becomes an ISO instant, zone-less times read in the given zone. */
export function dateOrInstant(value: string, zone: ZoneOffsetAt): string | undefined {
  const v = value.trim();
  if (DATE_ONLY.test(v)) return isDateOrInstant(v) ? v : undefined;
  if (isIsoInstant(v)) return v;
  const instant = parseDateTime(v, zone);
  return instant === undefined ? undefined : new Date(instant).toISOString();
}

/** The date on the given zone's calendar, which is what a backdate means to staff. */
export function calendarDate(value: string, zone: ZoneOffsetAt): string | undefined {
  const v = value.trim();
  if (DATE_ONLY.test(v)) return isDateOrInstant(v) ? v : undefined;
  const m = DATE_TIME.exec(v);
  if (!m) return undefined;
  if (!m[8]) {
    // A zone-less time is already on that calendar.
    const date = v.slice(0, 10);
    return isDateOrInstant(date) && parseDateTime(v, zone) !== undefined ? date : undefined;
  }
  const instant = parseDateTime(v, zone);
  // The offset at the instant read as a wall clock: off only within the hour of a clock change, which falls at night.
  return instant === undefined ? undefined : new Date(instant + zone(instant) * 60_000).toISOString().slice(0, 10);
}

function parseDateTime(value: string, zone: ZoneOffsetAt): number | undefined {
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
  const iso = wallClockToIso(fields, ms, zoneOf);
  return iso === undefined ? undefined : Date.parse(iso);
}
