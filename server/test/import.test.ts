import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/open.js';
import { parseCsv } from '../import/csv.js';
import { importLibraryData, type ImportFiles, type ImportReport } from '../import/library-import.js';
import { importErrorText, importErrorTextOf } from '../../shared/import-errors.js';

const REPO = join(import.meta.dirname, '..', '..');

// Children before their parent, columns out of order, quoted commas, quotes and line
// breaks: the things real exports contain.
const BRANCHES = `code,name,parent
CENTRAL,Central Library,SYS
SYS,Riverside Library System,
NORTH,"North Branch, Upper Town",SYS
`;

const PATRONS = `barcode,last_name,first_name,profile,home_branch,expires_on,barred
P0001,Smith,Ann,adult,CENTRAL,2027-01-31,false
P0002,"O'Neil, Jr.",Bob,juvenile,NORTH,2026-12-31,TRUE
P0003,Acme Corp,,adult,CENTRAL,2028-02-29,False
`;

const ITEMS = `barcode,title,author,call_number,item_type,owning_branch,status\r
I0001,Dune,"Herbert, Frank",SF HER,book,CENTRAL,available\r
I0002,"A ""quoted"" title",,,dvd,NORTH,checked_out\r
I0003,"Multi\r
line title",Someone,,book,CENTRAL,lost\r
I0004,Last,X,Y,book,NORTH,available\r
\r
`;

const GOOD: ImportFiles = { branches: BRANCHES, patrons: PATRONS, items: ITEMS };

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-test-'));
  db = openDatabase(join(dir, 'circulation.sqlite'));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function dump(database: Db = db): Record<string, unknown[]> {
  const tables = ['branches', 'patrons', 'patron_cards', 'items'];
  return Object.fromEntries(
    tables.map((table) => [table, database.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]),
  );
}

function errorsOf(report: ImportReport): string[] {
  // Each English reason is the sentence of its code and params: one definition (shared/import-errors.ts).
  return report.errors.map((e) => {
    expect(e.reason).toBe(importErrorTextOf(e.code, e.params));
    return `${e.file}:${e.line}: ${e.reason}`;
  });
}

describe('importLibraryData: good files', () => {
  it('imports every row with the right values', () => {
    const report = importLibraryData(db, GOOD);
    expect(errorsOf(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toEqual({
      branches: { inserted: 3, updated: 0, unchanged: 0 },
      patrons: { inserted: 3, updated: 0, unchanged: 0 },
      items: { inserted: 4, updated: 0, unchanged: 0 },
    });

    const branches = db
      .prepare('SELECT b.code, b.name, p.code AS parent FROM branches b LEFT JOIN branches p ON p.id = b.parent_id ORDER BY b.code')
      .all();
    expect(branches).toEqual([
      { code: 'CENTRAL', name: 'Central Library', parent: 'SYS' },
      { code: 'NORTH', name: 'North Branch, Upper Town', parent: 'SYS' },
      { code: 'SYS', name: 'Riverside Library System', parent: null },
    ]);

    const patron = db
      .prepare(
        `SELECT p.*, b.code AS home, c.active FROM patron_cards c JOIN patrons p ON p.id = c.patron_id
         JOIN branches b ON b.id = p.home_branch_id WHERE c.barcode = ?`,
      )
      .get('P0002') as Record<string, unknown>;
    expect(patron).toMatchObject({
      first_name: 'Bob', last_name: "O'Neil, Jr.", profile: 'juvenile', home: 'NORTH',
      expires_on: '2026-12-31', barred: 1, inactive: 0, active: 1,
    });
    expect(patron.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(db.prepare("SELECT first_name, barred FROM patrons p JOIN patron_cards c ON c.patron_id = p.id WHERE c.barcode = 'P0003'").get())
      .toEqual({ first_name: '', barred: 0 });

    const items = db.prepare(
      `SELECT i.barcode, i.title, i.author, i.call_number, i.item_type, o.code AS owning, c.code AS current, i.status
       FROM items i JOIN branches o ON o.id = i.owning_branch_id JOIN branches c ON c.id = i.current_branch_id
       ORDER BY i.barcode`,
    ).all();
    expect(items).toEqual([
      { barcode: 'I0001', title: 'Dune', author: 'Herbert, Frank', call_number: 'SF HER', item_type: 'book', owning: 'CENTRAL', current: 'CENTRAL', status: 'available' },
      { barcode: 'I0002', title: 'A "quoted" title', author: '', call_number: '', item_type: 'dvd', owning: 'NORTH', current: 'NORTH', status: 'checked_out' },
      { barcode: 'I0003', title: 'Multi\r\nline title', author: 'Someone', call_number: '', item_type: 'book', owning: 'CENTRAL', current: 'CENTRAL', status: 'lost' },
      { barcode: 'I0004', title: 'Last', author: 'X', call_number: 'Y', item_type: 'book', owning: 'NORTH', current: 'NORTH', status: 'available' },
    ]);
  });

  it('changes nothing when the same files are imported again', () => {
    expect(importLibraryData(db, GOOD).ok).toBe(true);
    const before = dump();
    const again = importLibraryData(db, GOOD);
    expect(again).toEqual({
      ok: true,
      as_of: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      errors: [],
      counts: {
        branches: { inserted: 0, updated: 0, unchanged: 3 },
        patrons: { inserted: 0, updated: 0, unchanged: 3 },
        items: { inserted: 0, updated: 0, unchanged: 4 },
      },
    });
    expect(dump()).toEqual(before);
  });

  it('updates only what differs, and moves status_changed_at only with the status', () => {
    expect(importLibraryData(db, GOOD).ok).toBe(true);
    db.prepare("UPDATE items SET status_changed_at = '2020-01-01T00:00:00.000Z'").run();
    const report = importLibraryData(db, {
      branches: 'code,name,parent\nNORTH,North Branch,CENTRAL\nSOUTH,South,SYS\n',
      patrons: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred\nP0001,Ann,Smith,adult,SOUTH,2027-01-31,true\n',
      items: 'barcode,title,author,call_number,item_type,owning_branch,status\n' +
        'I0001,Dune (2nd ed.),"Herbert, Frank",SF HER,book,CENTRAL,available\n' +
        'I0002,"A ""quoted"" title",,,dvd,NORTH,available\n',
    });
    expect(errorsOf(report)).toEqual([]);
    expect(report.counts).toEqual({
      branches: { inserted: 1, updated: 1, unchanged: 0 },
      patrons: { inserted: 0, updated: 1, unchanged: 0 },
      items: { inserted: 0, updated: 2, unchanged: 0 },
    });
    const changed = db.prepare('SELECT barcode, title, status, status_changed_at FROM items ORDER BY barcode').all() as
      { barcode: string; title: string; status: string; status_changed_at: string }[];
    expect(changed[0]).toMatchObject({ title: 'Dune (2nd ed.)', status_changed_at: '2020-01-01T00:00:00.000Z' });
    expect(changed[1].status).toBe('available');
    expect(changed[1].status_changed_at).not.toBe('2020-01-01T00:00:00.000Z');
    expect(changed[2].status_changed_at).toBe('2020-01-01T00:00:00.000Z');
    expect(db.prepare("SELECT p.code FROM branches b JOIN branches p ON p.id = b.parent_id WHERE b.code = 'NORTH'").get())
      .toEqual({ code: 'CENTRAL' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM patrons').get()).toEqual({ n: 3 });
  });

  it('accepts branches already in the database and a file with only some kinds', () => {
    expect(importLibraryData(db, { branches: BRANCHES }).ok).toBe(true);
    const report = importLibraryData(db, { items: ITEMS });
    expect(report.ok).toBe(true);
    expect(report.counts.items?.inserted).toBe(4);
    // Counts are of the files given.
    expect(report.counts).toEqual({ items: { inserted: 4, updated: 0, unchanged: 0 } });
  });
});

describe('importLibraryData: bad rows import nothing', () => {
  const PATRON_HEADER = 'barcode,first_name,last_name,profile,home_branch,expires_on,barred\n';
  const ITEM_HEADER = 'barcode,title,author,call_number,item_type,owning_branch,status\n';

  /** Imports the good data, then the bad files; checks the errors and that nothing moved. */
  function expectRejected(files: ImportFiles, expected: string[]): void {
    expect(importLibraryData(db, GOOD).ok).toBe(true);
    const before = dump();
    const report = importLibraryData(db, files);
    expect(report.ok).toBe(false);
    expect(errorsOf(report)).toEqual(expected);
    expect(report.counts).toEqual(Object.fromEntries(Object.keys(files).map((kind) => [kind, { inserted: 0, updated: 0, unchanged: 0 }])));
    expect(dump()).toEqual(before);
  }

  it('unknown branch', () => {
    expectRejected(
      {
        patrons: PATRON_HEADER + 'P0100,A,B,adult,CENTRAL,2027-01-01,false\nP0101,A,B,adult,XYZ,2027-01-01,false\n',
        items: ITEM_HEADER + 'I0100,T,A,C,book,NOWHERE,available\n',
      },
      ["patrons:3: unknown branch 'XYZ'", "items:2: unknown branch 'NOWHERE'"],
    );
  });

  it('bad dates, including ones that are not on the calendar', () => {
    expectRejected(
      {
        patrons: PATRON_HEADER +
          'P0100,A,B,adult,CENTRAL,2026-13-40,false\n' +
          'P0101,A,B,adult,CENTRAL,2026-02-29,false\n' +
          'P0102,A,B,adult,CENTRAL,31/12/2026,false\n' +
          'P0103,A,B,adult,CENTRAL,2028-02-29,false\n',
      },
      [
        "patrons:2: bad date '2026-13-40' (expected YYYY-MM-DD, a real calendar date)",
        "patrons:3: bad date '2026-02-29' (expected YYYY-MM-DD, a real calendar date)",
        "patrons:4: bad date '31/12/2026' (expected YYYY-MM-DD, a real calendar date)",
      ],
    );
  });

  it('duplicate barcode within a file', () => {
    expectRejected(
      { items: ITEM_HEADER + 'I0100,T,A,C,book,CENTRAL,available\nI0101,T,A,C,book,CENTRAL,available\nI0100,U,A,C,book,CENTRAL,lost\n' },
      ["items:4: duplicate barcode 'I0100' (also on line 2)"],
    );
  });

  it('missing, unknown and repeated columns are reported on line 1', () => {
    expectRejected(
      {
        items: 'barcode,title,author,call_number,item_type,owning_branch\nI0100,T,A,C,book,CENTRAL\n',
        patrons: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred,email,profile\n',
      },
      [
        "patrons:1: unknown column 'email' (expected the columns barcode,first_name,last_name,profile,home_branch,expires_on,barred)",
        "patrons:1: column 'profile' appears twice",
        "items:1: missing column 'status'",
      ],
    );
  });

  it('an empty file', () => {
    expectRejected({ branches: '' }, ['branches:1: the file is empty (expected a header row: code,name,parent[,time_zone])']);
  });

  it('wrong number of fields, and an empty line in the middle', () => {
    expectRejected(
      { items: ITEM_HEADER + 'I0100,T,A,C,book,CENTRAL\n\nI0101,T,A,C,book,CENTRAL,available,extra\nI0102,T,A,C,book,CENTRAL,available\n' },
      [
        'items:2: wrong number of fields (expected 7, got 6)',
        'items:3: empty line (expected 7 fields)',
        'items:4: wrong number of fields (expected 7, got 8)',
      ],
    );
  });

  it('bad status', () => {
    expectRejected(
      { items: ITEM_HEADER + 'I0100,T,A,C,book,CENTRAL,Available\n' },
      [
        "items:2: bad status 'Available' (expected one of available, checked_out, in_transit, on_hold_shelf, lost, missing, claims_returned, damaged, non_circulating)",
      ],
    );
  });

  it('bad barred value', () => {
    expectRejected(
      { patrons: PATRON_HEADER + 'P0100,A,B,adult,CENTRAL,2027-01-01,yes\nP0101,A,B,adult,CENTRAL,2027-01-01,1\n' },
      [
        "patrons:2: bad barred value 'yes' (expected true or false; 1/0 and yes/no are not accepted)",
        "patrons:3: bad barred value '1' (expected true or false; 1/0 and yes/no are not accepted)",
      ],
    );
  });

  it('bad barcodes: spaces, control characters, non-ASCII, too long', () => {
    const rule = '(expected 1–64 printable ASCII characters without spaces)';
    expectRejected(
      {
        items: ITEM_HEADER +
          'AB 12,T,A,C,book,CENTRAL,available\n' +
          'AB\t12,T,A,C,book,CENTRAL,available\n' +
          'ÅB12,T,A,C,book,CENTRAL,available\n' +
          `${'9'.repeat(65)},T,A,C,book,CENTRAL,available\n` +
          `${'9'.repeat(64)},T,A,C,book,CENTRAL,available\n`,
      },
      [
        `items:2: bad barcode 'AB 12' ${rule}`,
        `items:3: bad barcode 'AB\\x0912' ${rule}`,
        `items:4: bad barcode 'ÅB12' ${rule}`,
        `items:5: bad barcode '${'9'.repeat(65)}' ${rule}`,
      ],
    );
  });

  it('missing required values, every problem of a row reported', () => {
    expectRejected(
      {
        items: ITEM_HEADER + 'I0100,,,,book,CENTRAL,available\n',
        patrons: PATRON_HEADER + ',A,,adult,XYZ,2027-01-01,false\n',
      },
      [
        "patrons:2: missing value for column 'barcode'",
        "patrons:2: missing value for column 'last_name'",
        "patrons:2: unknown branch 'XYZ'",
        "items:2: missing value for column 'title'",
      ],
    );
  });

  it('a replaced (inactive) patron card', () => {
    expect(importLibraryData(db, GOOD).ok).toBe(true);
    db.prepare("UPDATE patron_cards SET active = 0 WHERE barcode = 'P0001'").run();
    const before = dump();
    const report = importLibraryData(db, { patrons: PATRON_HEADER + 'P0001,Ann,Smith,adult,CENTRAL,2027-01-31,false\n' });
    expect(errorsOf(report)).toEqual([
      "patrons:2: barcode 'P0001' is a replaced (inactive) card; use the patron's current card",
    ]);
    expect(dump()).toEqual(before);
  });

  it('a bad row in one file stops the good files too', () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'import-test-'));
    db = openDatabase(join(dir, 'circulation.sqlite'));
    const report = importLibraryData(db, { ...GOOD, items: ITEMS.replace('I0004,Last,X,Y,book,NORTH', 'I0004,Last,X,Y,book,MOON') });
    expect(errorsOf(report)).toEqual(["items:6: unknown branch 'MOON'"]);
    expect(dump()).toEqual({ branches: [], patrons: [], patron_cards: [], items: [] });
  });

  it('line numbers stay right after quoted fields holding line breaks', () => {
    expectRejected(
      {
        items: ITEM_HEADER +
          '"I0100","Title with\nthree\nlines","Doe, J.",C,book,CENTRAL,available\n' +
          'I0101,"Comma, inside",A,C,book,CENTRAL,stolen\n' +
          'I0102,"Another\r\nbreak",A,C,book,CENTRAL,available\n' +
          'I0103,T,A,C,book,BAD,available\n',
      },
      [
        "items:5: bad status 'stolen' (expected one of available, checked_out, in_transit, on_hold_shelf, lost, missing, claims_returned, damaged, non_circulating)",
        "items:8: unknown branch 'BAD'",
      ],
    );
  });

  it('malformed quoting', () => {
    expectRejected(
      { items: ITEM_HEADER + 'I0100,Say "hi",A,C,book,CENTRAL,available\nI0101,"open,A,C,book,CENTRAL,available\n' },
      [
        'items:2: malformed CSV: a " inside an unquoted field (quote the whole field and double the ")',
        'items:3: malformed CSV: quoted field is never closed (a " is missing)',
      ],
    );
  });

  it('each error has a code and params for the app to write in its language, and its English reason for scripts', () => {
    expect(importLibraryData(db, GOOD).ok).toBe(true);
    const report = importLibraryData(db, {
      branches: 'code,name,parent\nEAST,East,SYS\nEAST,East again,SYS\nWE ST,West,SYS\n',
      patrons: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred,email\n',
      items: ITEM_HEADER + 'AB\t12,T,A,C,book,CENTRAL,available\nI0101,T,A,C,book,CENTRAL\n',
      policies: '',
    });
    expect(report.errors.map(({ file, line, code, params }) => ({ file, line, code, params }))).toEqual([
      { file: 'branches', line: 3, code: 'duplicate_branch_code', params: { column: 'code', value: 'EAST', first_line: 2 } },
      { file: 'branches', line: 4, code: 'bad_branch_code', params: { column: 'code', value: 'WE ST' } },
      { file: 'policies', line: 1, code: 'empty_file',
        params: { columns: 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out' } },
      { file: 'policies', line: 1, code: 'no_default_policy', params: { complete: false } },
      { file: 'patrons', line: 1, code: 'unknown_column',
        params: { column: 'email', columns: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred' } },
      { file: 'items', line: 2, code: 'bad_code', params: { column: 'barcode', value: 'AB\t12' } },
      { file: 'items', line: 3, code: 'field_count', params: { expected: 7, got: 6 } },
    ]);
    expect(report.errors.map((e) => e.reason)).toEqual([
      "duplicate branch code 'EAST' (also on line 2)",
      "bad branch code 'WE ST' (expected 1–64 printable ASCII characters without spaces)",
      'the file is empty (expected a header row: item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out)',
      "no default policy: a library's first policy file needs one row with item_type and patron_profile both blank",
      "unknown column 'email' (expected the columns barcode,first_name,last_name,profile,home_branch,expires_on,barred)",
      "bad barcode 'AB\\x0912' (expected 1–64 printable ASCII characters without spaces)",
      'wrong number of fields (expected 7, got 6)',
    ]);
  });

  it('branch problems: parent cycles in the file and through the database, unknown parent, duplicate code', () => {
    expectRejected(
      {
        branches: 'code,name,parent\n' +
          'A,Branch A,B\n' +
          'B,Branch B,A\n' +
          'SYS,Riverside,CENTRAL\n' +
          'C,Branch C,C\n' +
          'D,Branch D,NOPE\n' +
          'D,Branch D again,\n',
      },
      [
        "branches:2: branch 'A' would be its own ancestor (A → B → A)",
        "branches:3: branch 'B' would be its own ancestor (B → A → B)",
        "branches:4: branch 'SYS' would be its own ancestor (SYS → CENTRAL → SYS)",
        "branches:5: branch 'C' would be its own ancestor (C → C)",
        "branches:6: unknown parent branch 'NOPE'",
        "branches:7: duplicate branch code 'D' (also on line 6)",
      ],
    );
  });

  it('rows may refer to branches that are in the same run, even if that file has other errors', () => {
    expectRejected(
      {
        branches: 'code,name,parent\nEAST,East,SYS\nWEST,,SYS\n',
        items: ITEM_HEADER + 'I0100,T,A,C,book,EAST,available\nI0101,T,A,C,book,WEST,available\n',
      },
      ["branches:3: missing value for column 'name'"],
    );
  });
});

describe('parseCsv', () => {
  it('strips a BOM and reads quoted commas, quotes and line breaks with record start lines', () => {
    const result = parseCsv('\ufeffa,b\r\n"x,1","y\n""z"""\n3,4\n\n\n');
    expect(result).toEqual({
      header: { line: 1, fields: ['a', 'b'] },
      rows: [
        { line: 2, fields: ['x,1', 'y\n"z"'] },
        { line: 4, fields: ['3', '4'] },
      ],
      errors: [],
    });
  });

  it('keeps empty fields and a last record without a line break', () => {
    expect(parseCsv('a,b,c\n,,\n"",x,\n1,2,3').rows).toEqual([
      { line: 2, fields: ['', '', ''] },
      { line: 3, fields: ['', 'x', ''] },
      { line: 4, fields: ['1', '2', '3'] },
    ]);
  });

  it('keeps empty lines that are not at the end, for the caller to report', () => {
    expect(parseCsv('a\n\nb\n\n').rows).toEqual([
      { line: 2, fields: [''] },
      { line: 3, fields: ['b'] },
    ]);
  });

  it('reports malformed quoting with its line and reads on', () => {
    const result = parseCsv('a,b\nx"y,2\n"q"r,2\n1,2\r3,4\n"multi\nline",ok\n5,"never closed\n6,7\n');
    expect(result.errors).toEqual([
      { line: 2, problem: { code: 'csv_quote_in_field', params: {} } },
      { line: 3, problem: { code: 'csv_after_quote', params: { character: 'r' } } },
      { line: 4, problem: { code: 'csv_lone_cr', params: {} } },
      { line: 7, problem: { code: 'csv_unclosed_quote', params: {} } },
    ]);
    expect(importErrorText(result.errors[1].problem)).toBe('malformed CSV: unexpected character "r" after a closing quote (expected a comma or line end)');
    expect(result.rows).toEqual([{ line: 5, fields: ['multi\nline', 'ok'] }]);
  });

  it('an empty file has no header', () => {
    expect(parseCsv('')).toEqual({ header: null, rows: [], errors: [] });
    expect(parseCsv('\ufeff\n\n')).toEqual({ header: null, rows: [], errors: [] });
  });
});

describe('npm run import (CLI)', () => {
  function run(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/import.ts', ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function write(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('prints every bad row with the file name and exits 1, writing nothing', () => {
    const dataDir = join(dir, 'data');
    const patrons = write('my-patrons.csv',
      'barcode,first_name,last_name,profile,home_branch,expires_on,barred\n' +
      'P1,A,B,adult,CENTRAL,2027-01-01,false\n' +
      'P2,A,B,adult,XYZ,2027-01-01,false\n' +
      'P3,A,B,adult,CENTRAL,2026-13-40,false\n');
    const branches = write('b.csv', BRANCHES);
    const result = run(['--branches', branches, '--patrons', patrons, '--data-dir', dataDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("my-patrons.csv line 3: unknown branch 'XYZ'");
    expect(result.stderr).toContain("my-patrons.csv line 4: bad date '2026-13-40' (expected YYYY-MM-DD, a real calendar date)");
    expect(result.stderr).toContain('Nothing was imported: 2 errors.');
    const check = openDatabase(join(dataDir, 'circulation.sqlite'));
    try {
      expect(dump(check)).toEqual({ branches: [], patrons: [], patron_cards: [], items: [] });
    } finally {
      check.close();
    }
  });

  it('imports good files, prints the counts and exits 0; DATA_DIR picks the database', () => {
    const dataDir = join(dir, 'env-data');
    const args = ['--branches', write('b.csv', BRANCHES), '--patrons', write('p.csv', PATRONS), '--items', write('i.csv', ITEMS)];
    const first = run(args, { DATA_DIR: dataDir });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`Imported into ${join(dataDir, 'circulation.sqlite')}:`);
    expect(first.stdout).toContain('b.csv (branches): 3 inserted, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('p.csv (patrons): 3 inserted, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('i.csv (items): 4 inserted, 0 updated, 0 unchanged');
    const second = run(args, { DATA_DIR: dataDir });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('i.csv (items): 0 inserted, 0 updated, 4 unchanged');
  });

  it('imports state files as of a time, complete; records the run in the audit trail as done from the command line', () => {
    const dataDir = join(dir, 'state');
    const base = ['--branches', write('b.csv', BRANCHES), '--patrons', write('p.csv', PATRONS), '--items', write('i.csv', ITEMS)];
    expect(run([...base, '--as-of', '2026-10-01T00:00:00Z', '--data-dir', dataDir]).status).toBe(0);
    const loans = write('loans.csv', 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nI0001,P0001,2026-10-01,2026-10-22,0,\n');
    const first = run(['--loans', loans, '--as-of', '2026-11-02T06:00:00+01:00', '--complete', '--data-dir', dataDir]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('as of 2026-11-02T05:00:00.000Z, the state files complete');
    // I0002 was checked_out in the items file without a loan: the complete loans file has nothing to close for it.
    expect(first.stdout).toContain('loans.csv (loans): 1 inserted, 0 updated, 0 unchanged, 0 closed');
    const check = openDatabase(join(dataDir, 'circulation.sqlite'));
    try {
      expect(check.prepare("SELECT staff, action, target FROM audit_log WHERE action = 'library.import' ORDER BY id").all()).toEqual([
        { staff: expect.stringMatching(/^cli:/), action: 'library.import', target: 'branches,patrons,items' },
        { staff: expect.stringMatching(/^cli:/), action: 'library.import', target: 'loans' },
      ]);
      expect(check.prepare("SELECT status, status_changed_at FROM items WHERE barcode = 'I0001'").get())
        .toEqual({ status: 'checked_out', status_changed_at: '2026-11-02T05:00:00.000Z' });
    } finally {
      check.close();
    }
    const bad = run(['--loans', loans, '--as-of', '2026-11-02 06:00', '--data-dir', dataDir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--as-of: the as-of time '2026-11-02 06:00' is not an ISO 8601 time with Z or an offset");
    const nothing = run(['--items', write('i.csv', ITEMS), '--complete', '--data-dir', dataDir]);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain('--complete applies to --hours, --closed, --policies, --loans, --holds, --bills: give one of them');
  });

  it('exits 2 with the usage on a bad command line or a missing file', () => {
    const unknown = run(['--itmes', 'x.csv']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run import');
    const none = run(['--data-dir', dir]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('give at least one of --branches, --hours, --closed, --policies, --patrons, --items, --loans, --holds, --bills');
    const missing = run(['--items', join(dir, 'nope.csv'), '--data-dir', dir]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nope.csv')}: no such file`);
  });
});
