/**
 * Opening hours from CSV: `branch,mon,tue,wed,thu,fri,sat,sun`, one row a branch, its
 * whole week. Each day is `09:00-17:00`, several ranges quoted `"09:00-12:00,13:00-17:00"`,
 * or blank when the branch is closed that day (shared/library-time.ts parseHours). A
 * branch the file does not name keeps its hours; with `complete`, it loses its own and
 * keeps its system's (or is open every day when no system above it has hours).
 */
import type { ImportCounts } from '../../shared/api.js';
import { parseHours, WEEKDAYS } from '../../shared/library-time.js';
import type { ImportRun } from './import-run.js';
import { forEachRow, stateCounts, type Fail } from './rows.js';
import { checkCode, duplicateFinder, report } from './values.js';
import { problem, type ImportProblem } from '../../shared/import-errors.js';

export const HOURS_COLUMNS = ['branch', ...WEEKDAYS] as const;

export function importHours(run: ImportRun, text: string, fail: Fail): ImportCounts {
  const { db } = run;
  const counts = stateCounts();
  const duplicate = duplicateFinder('branch');
  const weekOf = db.prepare<[number], { weekday: number; hours: string }>('SELECT weekday, hours FROM branch_hours WHERE branch_id = ? ORDER BY weekday');
  const clear = db.prepare('DELETE FROM branch_hours WHERE branch_id = ?');
  const insert = db.prepare('INSERT INTO branch_hours (branch_id, weekday, hours) VALUES (?, ?, ?)');
  const named = new Set<number>();

  forEachRow(text, HOURS_COLUMNS, fail, ([branch, ...days], line) => {
    const problems: (ImportProblem | null)[] = [];
    if (branch === '') problems.push(problem('missing_value', { column: 'branch' }));
    else problems.push(checkCode(branch, 'branch', 'bad_branch_code') ?? duplicate(branch, line) ?? run.branchProblem(branch, 'branch'));
    days.forEach((hours, i) => {
      if (parseHours(hours) === null) problems.push(problem('bad_hours', { column: WEEKDAYS[i], value: hours }));
    });
    if (days.every((hours) => hours.trim() === '')) problems.push(problem('closed_all_week', {}));
    if (!report(fail, line, problems)) return;
    const branchId = run.branchId(branch);
    if (branchId === undefined) return;
    named.add(branchId);
    // Stored as the file wrote them, trimmed: what staff typed is what they see on the calendar page.
    const week = days.map((hours) => hours.trim());
    const old = weekOf.all(branchId);
    if (old.length === 7 && old.every((row, i) => row.weekday === i && row.hours === week[i])) {
      counts.unchanged++;
      return;
    }
    if (old.length) clear.run(branchId);
    week.forEach((hours, weekday) => insert.run(branchId, weekday, hours));
    if (old.length) counts.updated++;
    else counts.inserted++;
  });

  if (run.complete) {
    for (const branchId of db.prepare('SELECT DISTINCT branch_id FROM branch_hours').pluck().all() as number[]) {
      if (named.has(branchId)) continue;
      clear.run(branchId);
      counts.removed++;
    }
  }
  return counts;
}
