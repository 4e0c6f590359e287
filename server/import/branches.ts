/** Branches from CSV (`code,name,parent`): checked against each other and the database, then upserted by code. */
import type { Db } from '../db/open.js';
import type { ImportCounts } from '../../shared/api.js';
import { forEachRow, must, noCounts, type Fail } from './rows.js';
import { checkCode, duplicateFinder, isCode, missingValues, report, show } from './values.js';

export const BRANCH_COLUMNS = ['code', 'name', 'parent'] as const;
/** A library system has no parent. */
const OPTIONAL: ReadonlySet<string> = new Set(['parent']);

export interface DbBranch {
  id: number;
  name: string;
  parentCode: string | null;
}

export interface BranchRow {
  line: number;
  code: string;
  name: string;
  parent: string;
}

/** The branches the database holds, by code. */
export function loadBranches(db: Db): Map<string, DbBranch> {
  const rows = db
    .prepare(
      `SELECT b.id, b.code, b.name, p.code AS parentCode
       FROM branches b LEFT JOIN branches p ON p.id = b.parent_id`,
    )
    .all() as (DbBranch & { code: string })[];
  return new Map(rows.map((row) => [row.code, { id: row.id, name: row.name, parentCode: row.parentCode }]));
}

/**
 * Returns the rows whose code is usable (so patrons and items may refer to them even
 * when something else on the row is wrong, and one mistake is not reported three times).
 */
export function checkBranches(text: string, dbBranches: Map<string, DbBranch>, fail: Fail): BranchRow[] {
  const rows: BranchRow[] = [];
  const duplicate = duplicateFinder('branch code');
  forEachRow(text, BRANCH_COLUMNS, fail, ([code, name, parent], line) => {
    const badCode = code === '' ? null : checkCode(code, 'branch code');
    const duplicated = badCode === null && code !== '' ? duplicate(code, line) : null;
    report(fail, line, [
      ...missingValues(BRANCH_COLUMNS, [code, name, parent], OPTIONAL),
      badCode,
      duplicated,
      parent === '' ? null : checkCode(parent, 'parent branch code'),
    ]);
    if (code !== '' && badCode === null && duplicated === null) rows.push({ line, code, name, parent });
  });

  // Parents may point forward in the file, so they can only be checked once it is all read.
  const inFile = new Set(rows.map((row) => row.code));
  const parentOf = new Map([...dbBranches].map(([code, branch]) => [code, branch.parentCode]));
  for (const row of rows) parentOf.set(row.code, row.parent === '' ? null : row.parent);
  for (const row of rows) {
    if (row.parent === '' || !isCode(row.parent)) continue;
    if (!inFile.has(row.parent) && !dbBranches.has(row.parent)) {
      fail(row.line, `unknown parent branch ${show(row.parent)}`);
      continue;
    }
    const cycle = findCycle(row.code, parentOf);
    if (cycle) fail(row.line, `branch ${show(row.code)} would be its own ancestor (${cycle.join(' → ')})`);
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
  const insert = db.prepare('INSERT INTO branches (code, name, parent_id) VALUES (?, ?, NULL)');
  const rename = db.prepare('UPDATE branches SET name = ? WHERE id = ?');
  const reparent = db.prepare('UPDATE branches SET parent_id = ? WHERE id = ?');

  // New branches first, without parents, so that any parent in the file then has an id.
  const ids = new Map([...before].map(([code, branch]) => [code, branch.id]));
  for (const row of rows) {
    const old = before.get(row.code);
    if (!old) {
      ids.set(row.code, Number(insert.run(row.code, row.name).lastInsertRowid));
      counts.inserted++;
    } else if (old.name !== row.name || old.parentCode !== (row.parent || null)) {
      if (old.name !== row.name) rename.run(row.name, old.id);
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
