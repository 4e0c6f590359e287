/**
 * Migration 8: library time. Each branch may name its IANA time zone (blank:
 * its system's, then the server's default), and has a calendar — opening
 * hours per weekday and dated closures — that due dates and fines follow.
 * A branch without hours of its own keeps its system's; closures of a system
 * close every branch of it. Desks carry all of it offline, so it moves the
 * library version. A checkout's or renewal's result keeps the due instant it
 * stored, so what a patron was told can be checked against it.
 */
import { bump, changed, onInsertDelete } from './migrations-v3.js';

export const MIGRATION_8 = `
  ALTER TABLE branches ADD COLUMN time_zone TEXT;
  DROP TRIGGER library_version_branches_upd;
  ${bump('branches_upd', 'UPDATE ON branches', changed('code', 'name', 'parent_id', 'time_zone'))}

  CREATE TABLE branch_hours (
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    -- 0 = Monday … 6 = Sunday (ISO 8601)
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    -- '09:00-17:00', several ranges '09:00-12:00,13:00-17:00', or '' for closed that day
    hours TEXT NOT NULL,
    PRIMARY KEY (branch_id, weekday)
  ) WITHOUT ROWID;
  ${onInsertDelete('branch_hours')}
  ${bump('branch_hours_upd', 'UPDATE ON branch_hours', changed('hours'))}

  CREATE TABLE branch_closures (
    id INTEGER PRIMARY KEY,
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    first_date TEXT NOT NULL,
    last_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    CHECK (first_date <= last_date)
  );
  CREATE INDEX branch_closures_branch ON branch_closures(branch_id, first_date);
  ${onInsertDelete('branch_closures')}
  ${bump('branch_closures_upd', 'UPDATE ON branch_closures', changed('branch_id', 'first_date', 'last_date', 'reason'))}

  ALTER TABLE offline_transactions ADD COLUMN due_at TEXT;
`;
