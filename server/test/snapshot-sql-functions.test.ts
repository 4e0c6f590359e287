import Database from 'better-sqlite3';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { registerSnapshotFunctions, snapshotFunctionSources } from '../domain/snapshot/sql-functions.js';
import { frontCode, frontCoded, packDigits, packWidth, unfront } from '../../shared/snapshot-columns.js';

describe('the SQL functions that write the offline data\'s columns', () => {
  const db = new Database(':memory:');
  registerSnapshotFunctions(db as never);

  it('front-code and pack in SQL exactly as the desk reads them back', () => {
    const barcodes = ['I0000009', 'I0000010', 'I0000011', 'Ü-1', 'Ü-12'];
    const coded = db.prepare(`SELECT json_group_array(snap_front(prev, b) ORDER BY n) FROM
      (SELECT key AS n, value AS b, lag(value) OVER (ORDER BY key) AS prev FROM json_each(?))`).pluck().get(JSON.stringify(barcodes)) as string;
    expect(JSON.parse(coded)).toEqual(frontCoded(barcodes));
    expect(unfront(JSON.parse(coded))).toEqual(barcodes);
    expect(db.prepare('SELECT snap_pack(4095, snap_width(4095))').pluck().get()).toBe('__');
  });

  it('run from their source text alone, as the snapshot worker defines them (nothing outside the function is needed)', () => {
    const sources = snapshotFunctionSources();
    const fromSource = (name: string) => runInNewContext(`(${sources[name]})`, {}) as (...args: unknown[]) => unknown;
    const front = fromSource('snap_front');
    for (const [prev, text] of [[null, 'I1'], ['I0000041', 'I0000042'], ['\u{1F600}', '\u{1F601}'], ['x'.repeat(80), 'x'.repeat(90)]] as const) {
      expect(front(prev, text)).toBe(frontCode(prev, text));
    }
    expect(fromSource('snap_pack')(4095, 2)).toBe(packDigits(4095, 2));
    expect(fromSource('snap_width')(2_000_000)).toBe(packWidth(2_000_000));
    expect(() => fromSource('snap_pack')(64, 1)).toThrow(/does not fit/);
  });
});
