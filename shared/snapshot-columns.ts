/**
 * How the offline data's long lists travel (format 5): column by column,
 * each column in the encoding that suits it, so gzip finds its patterns.
 * At a consortium's five million items, rows of JSON ([barcode, type, title])
 * cost 32 MB gzipped, most of it barcodes that differ from the one before in
 * a digit or two and numbers written in decimal; as columns they cost half.
 *
 * - front-coded text (a sorted column: barcodes, titles): each entry is one
 *   digit saying how many leading characters it shares with the entry before
 *   (at most 63), then the rest; "I0000042" after "I0000041" is "H2".
 * - packed numbers (indexes, days): each value less a base, in a fixed number
 *   of base-64 digits, the whole column one string.
 * - sparse pairs ([row, value]) for what most rows lack (a hold, a balance).
 *
 * The server writes these in SQL (the snapshot worker registers `frontCode`
 * and `packDigits` as SQL functions, from their source here); the desk reads
 * them back into the rows it keeps (shared/snapshot.ts).
 */

/** A text column, each entry front-coded against the one before it. */
export type FrontCoded = string[];

/** A column of whole numbers: each `value - base` in `width` base-64 digits, all in one string. */
export interface Packed { base: number; width: number; digits: string }

/** Rows that have a value, by row number, in row order. */
export type Sparse<T> = [row: number, value: T][];

/**
 * One entry of a front-coded column: the count of leading characters `text` shares with `previous` (at
 * most 63), as one base-64 digit, then the rest of `text`. Self-contained: the snapshot worker runs its
 * source as an SQL function.
 */
export function frontCode(previous: string | null, text: string): string {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const before = previous ?? '';
  const most = Math.min(before.length, text.length, 63);
  let shared = 0;
  while (shared < most && before.charCodeAt(shared) === text.charCodeAt(shared)) shared++;
  // A surrogate pair is never split, so every entry is well-formed text.
  if (shared > 0 && shared < text.length && (text.charCodeAt(shared) & 0xfc00) === 0xdc00) shared--;
  return digits[shared] + text.slice(shared);
}

/** `value` (a whole number, 0 ≤ value < 64^width) in `width` base-64 digits. Self-contained, as frontCode. */
export function packDigits(value: number, width: number): string {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // Loud rather than wrong: a value that does not fit would read back as another.
  if (!Number.isInteger(value) || value < 0 || value >= 64 ** width) throw new RangeError(`${value} does not fit in ${width} base-64 digits`);
  let text = '';
  for (let place = width - 1; place >= 0; place--) text += digits[Math.floor(value / 64 ** place) % 64];
  return text;
}

/** How many base-64 digits the largest value of a column needs (at least one). */
export function packWidth(largest: number): number {
  let width = 1;
  while (largest >= 64 ** width) width++;
  return width;
}

const DIGIT = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, n) => { DIGIT[c.charCodeAt(0)] = n; });

/** Data that does not read as format 5 columns: the desk keeps what it has. */
export class ColumnError extends Error {}

function digitAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  const n = code < 128 ? DIGIT[code] : -1;
  if (n < 0) throw new ColumnError(`not a base-64 digit at ${at}`);
  return n;
}

// ---- writing (tests, and anything that builds offline data in JavaScript) ----

export function frontCoded(texts: readonly string[]): FrontCoded {
  let previous: string | null = null;
  return texts.map((text) => { const entry = frontCode(previous, text); previous = text; return entry; });
}

export function packed(values: readonly number[]): Packed {
  if (values.length === 0) return { base: 0, width: 1, digits: '' };
  let base = Infinity;
  let top = -Infinity;
  for (const v of values) { if (v < base) base = v; if (v > top) top = v; }
  const width = packWidth(top - base);
  return { base, width, digits: values.map((v) => packDigits(v - base, width)).join('') };
}

export function sparse<T>(values: readonly (T | null | undefined)[], skip: (value: T) => boolean = () => false): Sparse<T> {
  const pairs: Sparse<T> = [];
  values.forEach((value, row) => { if (value !== null && value !== undefined && !skip(value)) pairs.push([row, value]); });
  return pairs;
}

// ---- reading ----

/**
 * Visits a front-coded column's entries in order, spelled out. Streaming: at five million barcodes a
 * desk has no memory to spare for a list of them beside the buckets it fills.
 */
export function eachFront(column: FrontCoded, visit: (text: string, row: number) => void): void {
  if (!Array.isArray(column)) throw new ColumnError('a front-coded column is not a list');
  let previous = '';
  for (let row = 0; row < column.length; row++) {
    const entry = column[row];
    if (typeof entry !== 'string' || entry.length === 0) throw new ColumnError(`front-coded entry ${row} is empty`);
    const shared = digitAt(entry, 0);
    if (shared > previous.length) throw new ColumnError(`front-coded entry ${row} shares more than the entry before has`);
    previous = shared === 0 ? entry.slice(1) : previous.slice(0, shared) + entry.slice(1);
    visit(previous, row);
  }
}

export function unfront(column: FrontCoded): string[] {
  const texts: string[] = [];
  eachFront(column, (text) => { texts.push(text); });
  return texts;
}

/** The value of each row of a packed column, read from its digits when asked (checked to hold `rows` values first). */
export function packedReader(column: Packed, rows: number): (row: number) => number {
  const { base, width, digits } = column ?? {};
  if (!Number.isInteger(base) || !Number.isInteger(width) || width < 1 || width > 8 || typeof digits !== 'string' || digits.length !== rows * width) {
    throw new ColumnError(`a packed column does not hold ${rows} values`);
  }
  return (row) => {
    let value = 0;
    for (let at = row * width, end = at + width; at < end; at++) value = value * 64 + digitAt(digits, at);
    return base + value;
  };
}

/** A sparse column as row → value, every row checked to be one of the `rows`. */
export function sparseReader<T>(column: Sparse<T>, rows: number): Map<number, T> {
  if (!Array.isArray(column)) throw new ColumnError('a sparse column is not a list');
  const values = new Map<number, T>();
  for (const pair of column) {
    if (!Array.isArray(pair) || !Number.isInteger(pair[0]) || pair[0] < 0 || pair[0] >= rows) throw new ColumnError('a sparse column names a row it does not have');
    values.set(pair[0], pair[1]);
  }
  return values;
}

/** A sparse column spread over `rows` rows, `fill` where it has nothing. */
export function unsparse<T, F>(column: Sparse<T>, rows: number, fill: F): (T | F)[] {
  const values = new Array<T | F>(rows).fill(fill);
  for (const [row, value] of sparseReader(column, rows)) values[row] = value;
  return values;
}
