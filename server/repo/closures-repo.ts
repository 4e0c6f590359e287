/**
 * Branch calendars for the admin page: each branch's own zone, its hours and where they
 * come from, its closures and its systems'; adding and removing a closure. The import
 * (import/hours.ts, import/closures.ts) loads the same tables from files.
 */
import type { Db } from '../db/open.js';
import type { BranchCalendar, Closure } from '../../shared/api.js';
import { CalendarsRepo } from './calendars-repo.js';
import { BRANCH_TREE } from './sql-rules.js';

export class ClosuresRepo {
  constructor(private readonly db: Db) {}

  /** The calendars of these branches, by code; `defaultZone` as for CalendarsRepo. */
  calendars(branchIds: Iterable<number>, defaultZone: string): BranchCalendar[] {
    const wanted = new Set(branchIds);
    const resolved = new CalendarsRepo(this.db).all(defaultZone);
    const branches = this.db.prepare(`SELECT b.id, b.code, b.name, b.parent_id, p.code AS parent, b.time_zone FROM branches b
      LEFT JOIN branches p ON p.id = b.parent_id ORDER BY b.code`).all() as
      { id: number; code: string; name: string; parent_id: number | null; parent: string | null; time_zone: string | null }[];
    const byId = new Map(branches.map((b) => [b.id, b]));
    const withHours = new Set(this.db.prepare('SELECT DISTINCT branch_id FROM branch_hours').pluck().all() as number[]);
    const closures = this.db.prepare(`${BRANCH_TREE}
      SELECT c.id, b.code AS branch, c.first_date, c.last_date, c.reason FROM branch_closures c
      JOIN branch_tree t ON t.ancestor_id = c.branch_id JOIN branches b ON b.id = c.branch_id
      WHERE t.branch_id = ? ORDER BY c.first_date, c.last_date, c.id`);
    return branches.filter((b) => wanted.has(b.id)).map((b) => {
      // Whose hours these are: the branch's own, else the nearest system's above it (domain/calendars.ts).
      let from: typeof b | undefined = b;
      const seen = new Set<number>();
      while (from && !withHours.has(from.id) && !seen.has(from.id)) {
        seen.add(from.id);
        from = from.parent_id === null ? undefined : byId.get(from.parent_id);
      }
      const calendar = resolved.get(b.id)!;
      return {
        code: b.code, name: b.name, parent: b.parent, time_zone: b.time_zone, zone: calendar.zone, hours: [...calendar.hours],
        hours_from: from && withHours.has(from.id) ? from.code : null,
        closures: closures.all(b.id) as Closure[],
      };
    });
  }

  /** The closure of this branch starting that day, if there is one. */
  startingOn(branchId: number, firstDate: string): Closure | undefined {
    return this.db.prepare(`SELECT c.id, b.code AS branch, c.first_date, c.last_date, c.reason FROM branch_closures c
      JOIN branches b ON b.id = c.branch_id WHERE c.branch_id = ? AND c.first_date = ?`).get(branchId, firstDate) as Closure | undefined;
  }

  add(branchId: number, firstDate: string, lastDate: string, reason: string): number {
    return Number(this.db.prepare('INSERT INTO branch_closures (branch_id, first_date, last_date, reason) VALUES (?, ?, ?, ?)')
      .run(branchId, firstDate, lastDate, reason).lastInsertRowid);
  }

  /** The closure, if it is entered at this branch. */
  byId(branchId: number, id: number): Closure | undefined {
    return this.db.prepare(`SELECT c.id, b.code AS branch, c.first_date, c.last_date, c.reason FROM branch_closures c
      JOIN branches b ON b.id = c.branch_id WHERE c.branch_id = ? AND c.id = ?`).get(branchId, id) as Closure | undefined;
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM branch_closures WHERE id = ?').run(id);
  }
}
