/**
 * Reading a CSV file's data rows by column name, whatever the file's own
 * column order; and what the second (writing) pass does with a surprise.
 */
import { readCsv } from './csv.js';
import { importErrorText, problem, type ImportProblem } from '../../shared/import-errors.js';
import type { ImportCounts } from '../../shared/api.js';
import type { Db } from '../db/open.js';

/** Reports one problem at a line of the file being read. */
export type Fail = (line: number, problem: ImportProblem) => void;

/**
 * Calls onRow with each data row's values in `columns` order. Problems with the file's
 * shape are reported here; a bad header stops the file, since none of its rows could be
 * read reliably.
 *
 * Columns named in `optional` may be left out of the header (files written before the
 * column existed keep working): their values are then '' and `present` says so, so a
 * writer can leave what the file does not mention as it is.
 */
export function forEachRow(
  text: string,
  columns: readonly string[],
  fail: Fail,
  onRow: (values: string[], line: number, present: ReadonlySet<string>) => void,
  optional: readonly string[] = [],
): void {
  let order: number[] | null = null;
  let present: ReadonlySet<string> = new Set();
  let width = 0;
  for (const event of readCsv(text)) {
    if (event.kind === 'error') {
      fail(event.line, event.problem);
      if (order === null) return;
      continue;
    }
    if (order === null) {
      order = headerOrder(event.fields, columns, optional, (p) => fail(event.line, p));
      if (order === null) return;
      present = new Set(columns.filter((_, i) => order![i] !== -1));
      width = event.fields.length;
      continue;
    }
    const got = event.fields.length;
    if (got !== width) {
      const blank = got === 1 && event.fields[0] === '';
      fail(event.line, blank ? problem('empty_line', { expected: width }) : problem('field_count', { expected: width, got }));
      continue;
    }
    onRow(order.map((index) => (index === -1 ? '' : event.fields[index])), event.line, present);
  }
  if (order === null) fail(1, problem('empty_file', { columns: describeColumns(columns, optional) }));
}

/** The header a file needs, optional columns in brackets: `code,name,parent[,time_zone]`. */
function describeColumns(columns: readonly string[], optional: readonly string[]): string {
  return columns.map((c, i) => (optional.includes(c) ? `[${i ? ',' : ''}${c}]` : `${i ? ',' : ''}${c}`)).join('');
}

/** Where each expected column sits in the file (-1: an optional one left out), or null (after reporting why) if the header is wrong. */
function headerOrder(names: string[], columns: readonly string[], optional: readonly string[], fail: (p: ImportProblem) => void): number[] | null {
  let ok = true;
  const position = new Map<string, number>();
  names.forEach((name, index) => {
    if (!columns.includes(name)) {
      fail(problem('unknown_column', { column: name, columns: describeColumns(columns, optional) }));
      ok = false;
    } else if (position.has(name)) {
      fail(problem('repeated_column', { column: name }));
      ok = false;
    } else {
      position.set(name, index);
    }
  });
  for (const column of columns) {
    if (!position.has(column) && !optional.includes(column)) {
      fail(problem('missing_column', { column }));
      ok = false;
    }
  }
  return ok ? columns.map((column) => position.get(column) ?? -1) : null;
}

/** The write pass re-reads what the check pass passed; a miss means the database changed underneath. */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`import: ${what} disappeared from the database during the import`);
  return value;
}

export const failWhileWriting: Fail = (line, p) => {
  throw new Error(`import: line ${line} failed on the second pass: ${importErrorText(p)}`);
};

/** Counts of a file's rows as the write pass finds them, starting from none. */
export const noCounts = (): ImportCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

/** The counts of a file that may be declared complete: also what it no longer has, and what was newer here. */
export const stateCounts = (): Required<ImportCounts> => ({ inserted: 0, updated: 0, unchanged: 0, removed: 0, kept_newer: 0 });

/**
 * A complete file's other side, the same for loans, holds and bills: each open row the file
 * does not name is ended, unless this server changed it after the file's as-of time (`newer`),
 * which is kept and counted.
 */
export function endAbsent<T extends { newer: number }>(open: readonly T[], named: (row: T) => boolean,
  counts: Required<ImportCounts>, end: (row: T) => void): void {
  for (const row of open) {
    if (named(row)) continue;
    if (row.newer) {
      counts.kept_newer++;
      continue;
    }
    end(row);
    counts.removed++;
  }
}

/** A complete file of a table the library keeps whole (policies, closures): every row the file did not keep is deleted. */
export function deleteAbsent(db: Db, table: 'loan_policies' | 'branch_closures', kept: ReadonlySet<number>, counts: Required<ImportCounts>): void {
  const remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  for (const id of db.prepare(`SELECT id FROM ${table}`).pluck().all() as number[]) {
    if (kept.has(id)) continue;
    remove.run(id);
    counts.removed++;
  }
}
