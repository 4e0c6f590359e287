/**
 * Library time at the desk: the workstation branch's zone and calendar from
 * the offline data decide "today", the due-date picker's bounds and quick
 * dates, and the zone every date on the desk is shown in — the same rule
 * (shared/library-time.ts) processing uses, so what the desk says is what
 * the server stores. Without offline data (or for a branch the data does not
 * list yet) the device's own zone stands in, open every day, and the desk
 * claims nothing about the branch.
 */
import {
  dueDate, hostTimeZone, OPEN_ALL_WEEK, today, type LibraryCalendar, type LocalDate,
} from '../../shared/library-time.js';
import type { SnapshotBranch } from '../../shared/snapshot.js';

export interface DeskTime {
  /** The branch's calendar from the offline data, or the device's zone open every day. */
  calendar: LibraryCalendar;
  /** True when the calendar is the branch's own, from the offline data. */
  fromData: boolean;
  /** The workstation's branch code. */
  branch: string;
}

/** The desk's time for a workstation's branch, from the offline data's branches (null or missing: the device's zone). */
export function deskTime(branches: readonly SnapshotBranch[] | null | undefined, branch: string, deviceZone = hostTimeZone()): DeskTime {
  const found = branches?.find((b) => b.code === branch);
  if (found) return { calendar: found.calendar, fromData: true, branch };
  return { calendar: { zone: deviceZone, hours: OPEN_ALL_WEEK, closures: [] }, fromData: false, branch };
}

/** Today's local date at the desk: the latest due date staff may give is never before it, a book-drop date never after it. */
export const deskToday = (time: DeskTime, now: Date = new Date()): LocalDate => today(time.calendar, now);

/** The date a quick button (+7, +14…) sets: that many local days on, moved to the branch's next open day, as processing would. */
export const quickDueDate = (time: DeskTime, days: number, now: Date = new Date()): LocalDate => dueDate(now, days, time.calendar);

const canonicalNames = new Map<string, string>();

/** The zone's canonical name (US/Pacific and America/Los_Angeles are one zone), or the name as given; asked of Intl once per name. */
function canonical(zone: string): string {
  let name = canonicalNames.get(zone);
  if (name === undefined) {
    try {
      name = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      name = zone;
    }
    canonicalNames.set(zone, name);
  }
  return name;
}

/**
 * When the device's clock is set to another zone than its branch keeps, both
 * names; else null. Only said with the branch's zone from the offline data:
 * without it the desk does not know the branch's zone and says nothing.
 */
export function zoneMismatch(time: DeskTime, deviceZone = hostTimeZone()): { device: string; branch: string } | null {
  if (!time.fromData) return null;
  return canonical(deviceZone) === canonical(time.calendar.zone) ? null : { device: deviceZone, branch: time.calendar.zone };
}
