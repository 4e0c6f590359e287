/**
 * Each branch's calendar, resolved the way staff expect: its own time zone,
 * else its library system's, else the server's default; its own opening
 * hours, else its system's, else open every day; and the closures of the
 * branch and of every system above it (a public holiday is entered once,
 * for the system). Processing, retries and the desks' offline data all use
 * these, so a due date is the same wherever it is worked out.
 */
import { OPEN_ALL_WEEK, resolveTimeZone, type Closure, type LibraryCalendar, type WeekHours } from '../../shared/library-time.js';

export interface BranchTimeRow { id: number; parent_id: number | null; time_zone: string | null }
export interface HoursRow { branch_id: number; weekday: number; hours: string }
export interface ClosureRow { branch_id: number; first_date: string; last_date: string; reason: string }

export function resolveCalendars(branches: readonly BranchTimeRow[], hours: readonly HoursRow[], closures: readonly ClosureRow[],
  defaultZone: string): Map<number, LibraryCalendar> {
  const byId = new Map(branches.map((b) => [b.id, b]));
  const weekOf = new Map<number, string[]>();
  for (const h of hours) {
    let week = weekOf.get(h.branch_id);
    // A branch that gives hours for some weekdays is closed on the others.
    if (!week) weekOf.set(h.branch_id, week = ['', '', '', '', '', '', '']);
    week[h.weekday] = h.hours;
  }
  const closuresOf = new Map<number, Closure[]>();
  for (const c of closures) {
    let list = closuresOf.get(c.branch_id);
    if (!list) closuresOf.set(c.branch_id, list = []);
    list.push([c.first_date, c.last_date, c.reason]);
  }

  const calendars = new Map<number, LibraryCalendar>();
  for (const branch of branches) {
    // The branch, then each system above it; a cycle (refused at import) must not hang the server.
    const chain: BranchTimeRow[] = [];
    const seen = new Set<number>();
    for (let b: BranchTimeRow | undefined = branch; b && !seen.has(b.id); b = b.parent_id === null ? undefined : byId.get(b.parent_id)) {
      chain.push(b);
      seen.add(b.id);
    }
    const zone = resolveTimeZone(...chain.map((b) => b.time_zone), defaultZone);
    const week = chain.map((b) => weekOf.get(b.id)).find(Boolean);
    const own = chain.flatMap((b) => closuresOf.get(b.id) ?? []).sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
    calendars.set(branch.id, { zone, hours: (week ?? OPEN_ALL_WEEK) as unknown as WeekHours, closures: own });
  }
  return calendars;
}
