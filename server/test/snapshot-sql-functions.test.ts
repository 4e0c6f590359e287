import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { registerSnapshotFunctions } from '../domain/snapshot/sql-functions.js';
import { frontCoded, unfront } from '../../shared/snapshot-columns.js';

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
});
