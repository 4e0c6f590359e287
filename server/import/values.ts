/**
 * Checking one CSV value at a time. Each check returns the problem, or null.
 * Codes and dates are judged by the same rules the desk and the server use
 * elsewhere (shared/transaction.ts, shared/library-time.ts).
 */
import { BARCODE_PATTERN } from '../../shared/transaction.js';
import { isLocalDate } from '../../shared/library-time.js';

/** Barcodes and branch codes: what a scanner can type, and nothing that hides in a printout. */
export const isCode = (value: string): boolean => BARCODE_PATTERN.test(value);

export function checkCode(value: string, what: string): string | null {
  if (isCode(value)) return null;
  return `bad ${what} ${show(value)} (expected 1–64 printable ASCII characters without spaces)`;
}

export function checkDate(value: string): string | null {
  if (isLocalDate(value)) return null;
  return `bad date ${show(value)} (expected YYYY-MM-DD, a real calendar date)`;
}

/** Only true/false: a 1/0 or yes/no column is too often some other flag exported by mistake. */
export function parseBarred(value: string): boolean | null {
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/** One problem per column left empty that is not one a library may leave empty. */
export function missingValues(columns: readonly string[], values: string[], optional: ReadonlySet<string>): (string | null)[] {
  const problems: (string | null)[] = [];
  columns.forEach((column, index) => {
    if (values[index] === '' && !optional.has(column)) problems.push(`missing value for column '${column}'`);
  });
  return problems;
}

/** Quotes a value for a message, making invisible characters visible. */
export function show(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  const escaped = shown.replace(/[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

/** Remembers keys by first line; says where a repeated one was first seen. */
export function duplicateFinder(what: string): (key: string, line: number) => string | null {
  const firstLine = new Map<string, number>();
  return (key, line) => {
    const first = firstLine.get(key);
    if (first !== undefined) return `duplicate ${what} ${show(key)} (also on line ${first})`;
    firstLine.set(key, line);
    return null;
  };
}

/** Reports the problems found on a line; true when there were none. */
export function report(fail: (line: number, reason: string) => void, line: number, problems: (string | null)[]): boolean {
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

export function checkWholeNumber(value: string, column: string, min: number, max: number): string | null {
  if (wholeNumber(value, min, max) !== null) return null;
  return `bad ${column} ${show(value)} (expected a whole number from ${min} to ${max.toLocaleString('en-US')}, digits only)`;
}

/**
 * Free text a person reads back (a closure's or a bill's reason, an item type): no control
 * characters, no spaces at either end (they would make two values that look the same differ).
 */
export function checkText(value: string, column: string, maxLength: number): string | null {
  if (/[\x00-\x1f\x7f]/.test(value)) return `bad ${column} ${show(value)} (control characters are not allowed)`;
  if (value !== value.trim()) return `bad ${column} ${show(value)} (spaces at the start or end)`;
  if (value.length > maxLength) return `bad ${column} ${show(value)} (at most ${maxLength} characters)`;
  return null;
}
