import { describe, expect, it } from 'vitest';
import {
  ColumnError, frontCode, frontCoded, packDigits, packWidth, packed, packedReader, sparse, unfront, unsparse, type Packed,
} from '../snapshot-columns.js';
import { dateOfDay, dayNumber } from '../library-time.js';
import {
  itemColumns, itemEntries, patronColumns, patronEntries, titleColumns, titleEntries, type ItemEntry, type PatronEntry,
} from '../snapshot.js';

/** A packed column's values, all of them (the desk reads them one at a time). */
function unpack(column: Packed, rows: number): number[] {
  const read = packedReader(column, rows);
  return Array.from({ length: rows }, (_, row) => read(row));
}

describe('the offline data columns (format 5)', () => {
  it('front-codes a sorted column against the entry before, and reads it back', () => {
    expect(frontCoded(['I0000041', 'I0000042', 'I0000050', 'J1'])).toEqual(['AI0000041', 'H2', 'G50', 'AJ1']);
    const texts = ['', 'a', 'a', 'ab', 'Zoë', 'Zoë Ünal', '😀 emoji', '😁 other', '😁', 'x'.repeat(100), 'x'.repeat(101), '"quoted\\slash"\n'];
    expect(unfront(frontCoded(texts))).toEqual(texts);
    // At most 63 characters are shared, however long the common start: one digit says how many.
    expect(frontCode('x'.repeat(100), 'x'.repeat(101))).toBe(`_${'x'.repeat(38)}`);
    // A surrogate pair is never cut in two: every entry is whole text (it travels in JSON).
    const entry = frontCode('\u{1F600}', '\u{1F601}');
    expect(entry).toBe('A\u{1F601}');
  });

  it('packs whole numbers in base-64 digits of one width, less the column\'s least', () => {
    expect(packDigits(0, 1)).toBe('A');
    expect(packDigits(63, 1)).toBe('_');
    expect(packDigits(64, 2)).toBe('BA');
    expect([packWidth(0), packWidth(63), packWidth(64), packWidth(4095), packWidth(4096), packWidth(2_000_000)]).toEqual([1, 1, 2, 2, 3, 4]);
    const values = [20_480, 20_481, 24_000, -5, 3_000_000, 20_480];
    const column = packed(values);
    expect(column.base).toBe(-5);
    expect(column.digits).toHaveLength(values.length * column.width);
    expect(unpack(column, values.length)).toEqual(values);
    expect(unpack(packed([]), 0)).toEqual([]);
    // A value that does not fit is an error where it is written, never other digits.
    expect(() => packDigits(64, 1)).toThrow(RangeError);
    expect(() => packDigits(-1, 2)).toThrow(RangeError);
    expect(() => packDigits(1.5, 2)).toThrow(RangeError);
  });

  it('keeps only the rows that have a value in a sparse column', () => {
    const column = sparse([0, 250, null, -100, 0], (cents) => cents === 0);
    expect(column).toEqual([[1, 250], [3, -100]]);
    expect(unsparse(column, 5, 0)).toEqual([0, 250, 0, -100, 0]);
  });

  it('dates travel as day numbers', () => {
    for (const date of ['1970-01-01', '1969-12-31', '2026-03-29', '2028-02-29', '9999-12-31', '1900-01-01']) expect(dateOfDay(dayNumber(date))).toBe(date);
  });

  it('refuses what does not read, with a ColumnError', () => {
    expect(() => unfront(['AI1', 'Zx'])).toThrow(ColumnError);
    expect(() => unfront(['AI1', ''])).toThrow(ColumnError);
    expect(() => unfront('AI1' as never)).toThrow(ColumnError);
    expect(() => unpack({ base: 0, width: 2, digits: 'AAA' }, 2)).toThrow(ColumnError);
    expect(() => unpack({ base: 0, width: 1, digits: 'A*' }, 2)).toThrow(ColumnError);
    expect(() => unpack(undefined as never, 0)).toThrow(ColumnError);
    expect(() => unsparse([[2, 'x']], 2, null)).toThrow(ColumnError);
  });

  it('cards, items and titles: rows into columns and back, sorted by barcode', () => {
    const profiles = ['adult', 'juvenile', 'staff'];
    const cards: PatronEntry[] = [
      ['P0000002', 'juvenile', '2027-05-01', null, 'Bea Birch', 250, null],
      ['P0000001', 'adult', '2025-11-30', 'barred', 'Ada Alder', 0, 3],
      ['P0000042-OLD', 'staff', '2030-01-01', 'lost_card', 'Zoë Ünal', -100, null],
      ['P0000003', 'adult', '2031-12-31', 'inactive', 'Carl Cedar', 0, 0],
    ];
    const sorted = [...cards].sort((a, b) => a[0].localeCompare(b[0]));
    const titles: [string, string | null][] = [['Night Trains', null], ['Rivers of Salt', 'rec-7'], ['Rivers of Salt', null]];
    const items: ItemEntry[] = [['I0000010', 1, 2], ['I0000009', 0, 0, 'P0000001'], ['I0000011', 0, 1, '']];
    const snapshot = {
      profiles, item_types: ['book', 'dvd'],
      patrons: patronColumns(cards, profiles), items: itemColumns(items), titles: titleColumns(titles),
    };
    // As the desk receives them: through JSON.
    const received = JSON.parse(JSON.stringify(snapshot)) as typeof snapshot;
    expect(patronEntries(received)).toEqual(sorted);
    expect(itemEntries(received)).toEqual([['I0000009', 0, 0, 'P0000001'], ['I0000010', 1, 2], ['I0000011', 0, 1, '']]);
    expect(titleEntries(received)).toEqual(titles);
    // A row naming a profile, type or title the data does not list is refused, not stored wrong.
    expect(() => patronEntries({ ...received, profiles: ['adult'] })).toThrow(ColumnError);
    expect(() => itemEntries({ ...received, item_types: ['book'] })).toThrow(ColumnError);
  });
});
