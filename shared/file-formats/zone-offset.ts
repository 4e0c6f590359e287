/**
 * Wall clocks and the offset from UTC in force at them. Koha's rows and some
 * Evergreen dates carry no zone, so a reader needs the zone's rules at each
 * time (a file can span a clock change), and a writer needs them to put an
 * instant back on the wall clock the other system will read.
 */

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
