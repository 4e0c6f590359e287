/**
 * Reading a CSV file's data rows by column name, whatever the file's own
 * column order; and what the second (writing) pass does with a surprise.
 */
import { readCsv } from './csv.js';
import { show } from './values.js';
import type { ImportCounts } from '../../shared/api.js';

/** Reports one problem at a line of the file being read. */
export type Fail = (line: number, reason: string) => void;

/**
 * Calls onRow with each data row's values in `columns` order. Problems with the file's
 * shape are reported here; a bad header stops the file, since none of its rows could be
 * read reliably.
 */
export function forEachRow(
  text: string,
  columns: readonly string[],
  fail: Fail,
  onRow: (values: string[], line: number) => void,
): void {
  let order: number[] | null = null;
  let width = 0;
  for (const event of readCsv(text)) {
    if (event.kind === 'error') {
      fail(event.line, `malformed CSV: ${event.reason}`);
      if (order === null) return;
      continue;
    }
    if (order === null) {
      order = headerOrder(event.fields, columns, (reason) => fail(event.line, reason));
      if (order === null) return;
      width = event.fields.length;
      continue;
    }
    const got = event.fields.length;
    if (got !== width) {
      const blank = got === 1 && event.fields[0] === '';
      fail(event.line, blank ? `empty line (expected ${width} fields)` : `wrong number of fields (expected ${width}, got ${got})`);
      continue;
    }
    onRow(order.map((index) => event.fields[index]), event.line);
  }
  if (order === null) fail(1, `the file is empty (expected a header row: ${columns.join(',')})`);
}

/** Where each expected column sits in the file, or null (after reporting why) if the header is wrong. */
function headerOrder(names: string[], columns: readonly string[], fail: (reason: string) => void): number[] | null {
  let ok = true;
  const position = new Map<string, number>();
  names.forEach((name, index) => {
    if (!columns.includes(name)) {
      fail(`unknown column ${show(name)} (expected the columns ${columns.join(',')})`);
      ok = false;
    } else if (position.has(name)) {
      fail(`column ${show(name)} appears twice`);
      ok = false;
    } else {
      position.set(name, index);
    }
  });
  for (const column of columns) {
    if (!position.has(column)) {
      fail(`missing column ${show(column)}`);
      ok = false;
    }
  }
  return ok ? columns.map((column) => position.get(column)!) : null;
}

/** The write pass re-reads what the check pass passed; a miss means the database changed underneath. */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`import: ${what} disappeared from the database during the import`);
  return value;
}

export const failWhileWriting: Fail = (line, reason) => {
  throw new Error(`import: line ${line} failed on the second pass: ${reason}`);
};

/** Counts of a file's rows as the write pass finds them, starting from none. */
export const noCounts = (): ImportCounts => ({ inserted: 0, updated: 0, unchanged: 0 });
