/**
 * Checking one CSV value at a time. Each check returns the problem, or null.
 * Codes and dates are judged by the same rules the desk and the server use
 * elsewhere (shared/transaction.ts, shared/library-time.ts).
 */
import { BARCODE_PATTERN } from '../../shared/transaction.js';
import { isLocalDate } from '../../shared/library-time.js';
import { problem, visible, type ImportProblem } from '../../shared/import-errors.js';

export type { ImportProblem } from '../../shared/import-errors.js';

/** Barcodes and branch codes: what a scanner can type, and nothing that hides in a printout. */
export const isCode = (value: string): boolean => BARCODE_PATTERN.test(value);

/** `kind`: how the message names the value — by its column, or as a branch code or a parent branch code. */
export function checkCode(value: string, column: string, kind: 'bad_code' | 'bad_branch_code' | 'bad_parent_code' = 'bad_code'): ImportProblem | null {
  if (isCode(value)) return null;
  return problem(kind, { column, value });
}

export function checkDate(value: string, column: string): ImportProblem | null {
  if (isLocalDate(value)) return null;
  return problem('bad_date', { column, value });
}

/** Only true/false: a 1/0 or yes/no column is too often some other flag exported by mistake. */
export function parseBarred(value: string): boolean | null {
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/** One problem per column left empty that is not one a library may leave empty. */
export function missingValues(columns: readonly string[], values: string[], optional: ReadonlySet<string>): (ImportProblem | null)[] {
  const problems: (ImportProblem | null)[] = [];
  columns.forEach((column, index) => {
    if (values[index] === '' && !optional.has(column)) problems.push(problem('missing_value', { column }));
  });
  return problems;
}

/** Quotes a value for a message, making invisible characters visible. */
export function show(value: string): string {
  return `'${visible(value)}'`;
}

/** Remembers keys by first line; gives the line a repeated one was first seen on. */
export function lineFinder(): (key: string, line: number) => number | undefined {
  const firstLine = new Map<string, number>();
  return (key, line) => {
    const first = firstLine.get(key);
    if (first === undefined) firstLine.set(key, line);
    return first;
  };
}

/** Remembers a column's values by first line; says where a repeated one was first seen. */
export function duplicateFinder(column: string, code: 'duplicate' | 'duplicate_branch_code' | 'duplicate_loan' = 'duplicate'):
  (value: string, line: number) => ImportProblem | null {
  const seen = lineFinder();
  return (value, line) => {
    const first = seen(value, line);
    return first === undefined ? null : problem(code, { column, value, first_line: first });
  };
}

/** Reports the problems found on a line; true when there were none. */
export function report(fail: (line: number, problem: ImportProblem) => void, line: number, problems: (ImportProblem | null)[]): boolean {
  let clean = true;
  for (const problem of problems) {
    if (problem !== null) {
      fail(line, problem);
      clean = false;
    }
  }
  return clean;
}

/** A whole number written with digits only (no sign, no decimals, no spaces), within bounds; null for anything else. */
export function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** `code` bad_cents: an amount, whose message adds that amounts are in cents. */
export function checkWholeNumber(value: string, column: string, min: number, max: number, code: 'bad_number' | 'bad_cents' = 'bad_number'): ImportProblem | null {
  if (wholeNumber(value, min, max) !== null) return null;
  return problem(code, { column, value, min, max });
}

/**
 * Free text a person reads back (a closure's or a bill's reason, an item type): no control
 * characters, no spaces at either end (they would make two values that look the same differ).
 */
export function checkText(value: string, column: string, maxLength: number): ImportProblem | null {
  if (/[\x00-\x1f\x7f]/.test(value)) return problem('text_control', { column, value });
  if (value !== value.trim()) return problem('text_spaces', { column, value });
  if (value.length > maxLength) return problem('text_too_long', { column, value, max: maxLength });
  return null;
}
