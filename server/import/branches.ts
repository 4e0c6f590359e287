/**
 * Branches from CSV (`code,name,parent[,time_zone]`): checked against each other and the
 * database, then upserted by code. `time_zone` is optional: a file without the column
 * leaves every branch's zone as it is; a blank value clears it (the branch then keeps its
 * system's time, or the server's default).
 */
import type { Db } from '../db/open.js';
import type { ImportCounts } from '../../shared/api.js';
import { forEachRow, must, noCounts, type Fail } from './rows.js';
import { checkCode, duplicateFinder, isCode, missingValues, report } from './values.js';
import { problem } from '../../shared/import-errors.js';
import { isTimeZone } from '../../shared/library-time.js';

export const BRANCH_COLUMNS = ['code', 'name', 'parent', 'time_zone'] as const;
/** A library system has no parent; a branch without its own zone keeps its system's. */
const OPTIONAL: ReadonlySet<string> = new Set(['parent', 'time_zone']);
/** Columns a file may leave out altogether. */
const OPTIONAL_COLUMNS = ['time_zone'] as const;

export interface DbBranch {
  id: number;
  name: string;
  parentCode: string | null;
  timeZone: string | null;
}

export interface BranchRow {
  line: number;
  code: string;
  name: string;
  parent: string;
  /** The zone to store ('' clears it); undefined when the file has no time_zone column. */
  timeZone: string | undefined;
}

/** The branches the database holds, by code. */
export function loadBranches(db: Db): Map<string, DbBranch> {
  const rows = db
    .prepare(
      `SELECT b.id, b.code, b.name, p.code AS parentCode, b.time_zone AS timeZone
       FROM branches b LEFT JOIN branches p ON p.id = b.parent_id`,
    )
    .all() as (DbBranch & { code: string })[];
  return new Map(rows.map((row) => [row.code, { id: row.id, name: row.name, parentCode: row.parentCode, timeZone: row.timeZone }]));
}

/**
 * Returns the rows whose code is usable (so patrons and items may refer to them even
 * when something else on the row is wrong, and one mistake is not reported three times).
 */
export function checkBranches(text: string, dbBranches: Map<string, DbBranch>, fail: Fail): BranchRow[] {
  const rows: BranchRow[] = [];
  const duplicate = duplicateFinder('code', 'duplicate_branch_code');
  forEachRow(text, BRANCH_COLUMNS, fail, (values, line, present) => {
    const [code, name, parent, timeZone] = values;
    const badCode = code === '' ? null : checkCode(code, 'code', 'bad_branch_code');
    const duplicated = badCode === null && code !== '' ? duplicate(code, line) : null;
    report(fail, line, [
      ...missingValues(BRANCH_COLUMNS, values, OPTIONAL),
      badCode,
      duplicated,
      parent === '' ? null : checkCode(parent, 'parent', 'bad_parent_code'),
      timeZone === '' || isTimeZone(timeZone) ? null : problem('unknown_time_zone', { column: 'time_zone', value: timeZone }),
    ]);
    if (code !== '' && badCode === null && duplicated === null) {
      rows.push({ line, code, name, parent, timeZone: present.has('time_zone') ? timeZone : undefined });
    }
  }, OPTIONAL_COLUMNS);

  // Parents may point forward in the file, so they can only be checked once it is all read.
  const inFile = new Set(rows.map((row) => row.code));
  const parentOf = new Map([...dbBranches].map(([code, branch]) => [code, branch.parentCode]));
  for (const row of rows) parentOf.set(row.code, row.parent === '' ? null : row.parent);
  for (const row of rows) {
    if (row.parent === '' || !isCode(row.parent)) continue;
    if (!inFile.has(row.parent) && !dbBranches.has(row.parent)) {
      fail(row.line, problem('unknown_parent', { column: 'parent', value: row.parent }));
      continue;
    }
    const cycle = findCycle(row.code, parentOf);
    if (cycle) fail(row.line, problem('branch_cycle', { branch: row.code, cycle: cycle.join(' → ') }));
  }
  return rows;
}

/** The parent chain from `code` back to itself, or null when it ends at a system. */
function findCycle(code: string, parentOf: Map<string, string | null>): string[] | null {
  const path = [code];
  const seen = new Set(path);
  for (let parent = parentOf.get(code); parent; parent = parentOf.get(parent)) {
    path.push(parent);
    if (parent === code) return path;
    // A loop that does not pass through `code` is reported on its own members' rows.
    if (seen.has(parent)) return null;
    seen.add(parent);
  }
  return null;
}

export function writeBranches(db: Db, rows: BranchRow[], before: Map<string, DbBranch>): ImportCounts {
  const counts = noCounts();
  const insert = db.prepare('INSERT INTO branches (code, name, parent_id, time_zone) VALUES (?, ?, NULL, ?)');
  const rename = db.prepare('UPDATE branches SET name = ? WHERE id = ?');
  const setZone = db.prepare('UPDATE branches SET time_zone = ? WHERE id = ?');
  const reparent = db.prepare('UPDATE branches SET parent_id = ? WHERE id = ?');

  // New branches first, without parents, so that any parent in the file then has an id.
  const ids = new Map([...before].map(([code, branch]) => [code, branch.id]));
  for (const row of rows) {
    const old = before.get(row.code);
    const zone = row.timeZone === undefined ? old?.timeZone ?? null : row.timeZone || null;
    if (!old) {
      ids.set(row.code, Number(insert.run(row.code, row.name, zone).lastInsertRowid));
      counts.inserted++;
    } else if (old.name !== row.name || old.parentCode !== (row.parent || null) || old.timeZone !== zone) {
      if (old.name !== row.name) rename.run(row.name, old.id);
      if (old.timeZone !== zone) setZone.run(zone, old.id);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  for (const row of rows) {
    const had = before.get(row.code)?.parentCode ?? null;
    if (had === (row.parent || null)) continue;
    reparent.run(row.parent ? must(ids.get(row.parent), row.parent) : null, must(ids.get(row.code), row.code));
  }
  return counts;
}
