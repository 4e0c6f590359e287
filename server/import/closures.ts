/**
 * Dated closures from CSV: `branch,first,last,reason` — holidays, a day of training, a
 * renovation. `last` may be blank for a one-day closure. A closure of a library system
 * closes every branch of it (domain/calendars.ts). Rows update by branch and first date,
 * so a closure extended in a later file is changed, not added twice; with `complete`,
 * closures the file no longer has are removed.
 */
import type { ImportCounts } from '../../shared/api.js';
import type { ImportRun } from './import-run.js';
import { forEachRow, stateCounts, type Fail } from './rows.js';
import { checkCode, checkDate, checkText, duplicateFinder, missingValues, report } from './values.js';

export const CLOSURE_COLUMNS = ['branch', 'first', 'last', 'reason'] as const;
const OPTIONAL: ReadonlySet<string> = new Set(['last']);

export function importClosures(run: ImportRun, text: string, fail: Fail): ImportCounts {
  const { db } = run;
  const counts = stateCounts();
  const duplicate = duplicateFinder('closure (branch and first date)');
  const find = db.prepare<[number, string], { id: number; last_date: string; reason: string }>(
    'SELECT id, last_date, reason FROM branch_closures WHERE branch_id = ? AND first_date = ? ORDER BY id LIMIT 1');
  const insert = db.prepare('INSERT INTO branch_closures (branch_id, first_date, last_date, reason) VALUES (?, ?, ?, ?)');
  const update = db.prepare('UPDATE branch_closures SET last_date = ?, reason = ? WHERE id = ?');
  const kept = new Set<number>();

  forEachRow(text, CLOSURE_COLUMNS, fail, (values, line) => {
    const [branch, first, lastGiven, reason] = values;
    const last = lastGiven || first;
    const problems = missingValues(CLOSURE_COLUMNS, values, OPTIONAL);
    if (branch !== '') problems.push(checkCode(branch, 'branch code') ?? run.branchProblem(branch));
    const firstBad = first === '' ? null : checkDate(first);
    const lastBad = lastGiven === '' ? null : checkDate(lastGiven);
    problems.push(firstBad, lastBad);
    if (first !== '' && !firstBad && !lastBad && last < first) problems.push(`the closure ends (${last}) before it starts (${first})`);
    if (reason !== '') problems.push(checkText(reason, 'reason', 200));
    if (branch !== '' && first !== '') problems.push(duplicate(`${branch} ${first}`, line));
    if (!report(fail, line, problems)) return;
    const branchId = run.branchId(branch);
    if (branchId === undefined) return;
    const old = find.get(branchId, first);
    if (!old) {
      kept.add(Number(insert.run(branchId, first, last, reason).lastInsertRowid));
      counts.inserted++;
    } else {
      kept.add(old.id);
      if (old.last_date === last && old.reason === reason) counts.unchanged++;
      else {
        update.run(last, reason, old.id);
        counts.updated++;
      }
    }
  });

  if (run.complete) {
    const remove = db.prepare('DELETE FROM branch_closures WHERE id = ?');
    for (const id of db.prepare('SELECT id FROM branch_closures').pluck().all() as number[]) {
      if (kept.has(id)) continue;
      remove.run(id);
      counts.removed++;
    }
  }
  return counts;
}

