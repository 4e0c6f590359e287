/**
 * Dated closures from CSV: `branch,first,last,reason` — holidays, a day of training, a
 * renovation. `last` may be blank for a one-day closure. A closure of a library system
 * closes every branch of it (domain/calendars.ts). Rows update by branch and first date,
 * so a closure extended in a later file is changed, not added twice; with `complete`,
 * closures the file no longer has are removed.
 */
import type { ImportCounts } from '../../shared/api.js';
import type { ImportRun } from './import-run.js';
import { deleteAbsent, forEachRow, stateCounts, type Fail } from './rows.js';
import { checkCode, checkDate, checkText, lineFinder, missingValues, report } from './values.js';
import { problem } from '../../shared/import-errors.js';

export const CLOSURE_COLUMNS = ['branch', 'first', 'last', 'reason'] as const;
const OPTIONAL: ReadonlySet<string> = new Set(['last']);

export function importClosures(run: ImportRun, text: string, fail: Fail): ImportCounts {
  const { db } = run;
  const counts = stateCounts();
  const firstLine = lineFinder();
  const find = db.prepare<[number, string], { id: number; last_date: string; reason: string }>(
    'SELECT id, last_date, reason FROM branch_closures WHERE branch_id = ? AND first_date = ? ORDER BY id LIMIT 1');
  const insert = db.prepare('INSERT INTO branch_closures (branch_id, first_date, last_date, reason) VALUES (?, ?, ?, ?)');
  const update = db.prepare('UPDATE branch_closures SET last_date = ?, reason = ? WHERE id = ?');
  const kept = new Set<number>();

  forEachRow(text, CLOSURE_COLUMNS, fail, (values, line) => {
    const [branch, first, lastGiven, reason] = values;
    const last = lastGiven || first;
    const problems = missingValues(CLOSURE_COLUMNS, values, OPTIONAL);
    if (branch !== '') problems.push(checkCode(branch, 'branch', 'bad_branch_code') ?? run.branchProblem(branch, 'branch'));
    const firstBad = first === '' ? null : checkDate(first, 'first');
    const lastBad = lastGiven === '' ? null : checkDate(lastGiven, 'last');
    problems.push(firstBad, lastBad);
    if (first !== '' && !firstBad && !lastBad && last < first) problems.push(problem('closure_reversed', { first, last }));
    if (reason !== '') problems.push(checkText(reason, 'reason', 200));
    if (branch !== '' && first !== '') {
      const seen = firstLine(`${branch} ${first}`, line);
      if (seen !== undefined) problems.push(problem('duplicate_closure', { branch, first, first_line: seen }));
    }
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

  if (run.complete) deleteAbsent(db, 'branch_closures', kept, counts);
  return counts;
}

