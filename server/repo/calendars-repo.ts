/** Branches' time zones, opening hours and closures, resolved into one calendar per branch (domain/calendars.ts). */
import type { Db } from '../db/open.js';
import type { LibraryCalendar } from '../../shared/library-time.js';
import { resolveCalendars, type BranchTimeRow, type ClosureRow, type HoursRow } from '../domain/calendars.js';

export class CalendarsRepo {
  constructor(private readonly db: Db) {}

  /** Every branch's calendar, by branch id; `defaultZone` for branches and systems that name no zone. */
  all(defaultZone: string): Map<number, LibraryCalendar> {
    return resolveCalendars(
      this.db.prepare('SELECT id, parent_id, time_zone FROM branches').all() as BranchTimeRow[],
      this.db.prepare('SELECT branch_id, weekday, hours FROM branch_hours').all() as HoursRow[],
      this.db.prepare('SELECT branch_id, first_date, last_date, reason FROM branch_closures ORDER BY first_date').all() as ClosureRow[],
      defaultZone,
    );
  }
}
