/**
 * Importing a real library's state (issue 13) and calendars (issue 12): branch time zones,
 * opening hours, closures, loan policies, items' records, open loans, holds and bills.
 * Each file: good rows land with the right values, every kind of bad row is reported
 * with its line and nothing is written, the same files twice change nothing, and a
 * complete file closes, cancels, settles or removes what it no longer has.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/open.js';
import { importLibraryData, type ImportFiles, type ImportOptions, type ImportReport } from '../import/library-import.js';
import { parseAsOf } from '../import/times.js';
import { importErrorTextOf } from '../../shared/import-errors.js';
import { CalendarsRepo } from '../repo/calendars-repo.js';

const BRANCHES = `code,name,parent,time_zone
SYS,Riverside Library System,,America/Chicago
CENTRAL,Central Library,SYS,
EAST,East Branch,SYS,Asia/Kolkata
`;
const PATRONS = `barcode,first_name,last_name,profile,home_branch,expires_on,barred
P1,Ann,Smith,adult,CENTRAL,2030-01-31,false
P2,Bob,Jones,juvenile,EAST,2030-01-31,false
P3,Cy,Acme,adult,CENTRAL,2030-01-31,false
`;
const ITEMS = `barcode,title,author,call_number,item_type,owning_branch,status,record_id
I1,Dune,F. Herbert,SF HER,book,CENTRAL,available,R100
I2,Dune,F. Herbert,SF HER,book,EAST,available,R100
I3,Emma,J. Austen,F AUS,book,CENTRAL,available,R200
I4,Kim,R. Kipling,F KIP,book,CENTRAL,available,
I5,Heat,M. Mann,DVD HEA,dvd,EAST,available,R300
I6,Lost One,A. B.,X,book,CENTRAL,lost,R400
`;
const BASE: ImportFiles = { branches: BRANCHES, patrons: PATRONS, items: ITEMS };

/** The as-of time every run here uses unless it says otherwise: well in the past, so nothing is "in the future". */
const AS_OF = '2026-11-02T12:00:00.000Z';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-state-test-'));
  db = openDatabase(join(dir, 'circulation.sqlite'));
  const base = importLibraryData(db, BASE, { asOf: '2026-10-01T00:00:00Z', defaultZone: 'UTC' });
  expect(base.errors).toEqual([]);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (files: ImportFiles, options: ImportOptions = {}): ImportReport =>
  importLibraryData(db, files, { asOf: AS_OF, defaultZone: 'UTC', ...options });

/** The errors as the CLI prints them; each English reason is the sentence of its code and params (one definition, shared/import-errors.ts). */
const errorsOf = (report: ImportReport): string[] => report.errors.map((e) => {
  expect(e.reason).toBe(importErrorTextOf(e.code, e.params));
  return `${e.file}:${e.line}: ${e.reason}`;
});
/** The errors as the app reads them: file, line, code and params. */
const codesOf = (report: ImportReport) => report.errors.map(({ file, line, code, params }) => ({ file, line, code, params }));

/** Everything a state import may touch, to show a refused or repeated import changed nothing. */
function dump(): Record<string, unknown[]> {
  const tables = ['branches', 'branch_hours', 'branch_closures', 'loan_policies', 'patrons', 'items', 'loans', 'holds', 'bills'];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
}

/** Imports `bad` on top of whatever is there, and expects exactly these errors and no change at all. */
function expectRefused(bad: ImportFiles, expected: string[], options: ImportOptions = {}): ImportReport {
  const before = dump();
  const version = db.prepare('SELECT version FROM library_version').pluck().get();
  const runs = db.prepare('SELECT count(*) FROM import_runs').pluck().get();
  const report = run(bad, options);
  expect(errorsOf(report)).toEqual(expected);
  expect(report.ok).toBe(false);
  expect(dump()).toEqual(before);
  expect(db.prepare('SELECT version FROM library_version').pluck().get()).toBe(version);
  expect(db.prepare('SELECT count(*) FROM import_runs').pluck().get()).toBe(runs);
  return report;
}

/** Imports and expects no error; the same again must change nothing. */
function expectIdempotent(files: ImportFiles, options: ImportOptions = {}): ImportReport {
  const first = run(files, options);
  expect(errorsOf(first)).toEqual([]);
  const before = dump();
  const again = run(files, options);
  expect(errorsOf(again)).toEqual([]);
  for (const counts of Object.values(again.counts)) {
    expect(counts).toMatchObject({ inserted: 0, updated: 0 });
    if (counts.removed !== undefined) expect(counts.removed).toBe(0);
  }
  expect(dump()).toEqual(before);
  return first;
}

const item = (barcode: string) => db.prepare(`SELECT status, status_changed_at, status_changed_via, record_id, current_branch_id,
  (SELECT code FROM branches WHERE id = current_branch_id) AS at FROM items WHERE barcode = ?`).get(barcode) as
  { status: string; status_changed_at: string; status_changed_via: string; record_id: string | null; at: string };

describe('the as-of time', () => {
  it('is an instant with a zone, stored in UTC, never in the future', () => {
    const now = new Date('2026-11-03T00:00:00Z');
    expect(parseAsOf('2026-11-02T07:00:00-05:00', now)).toEqual({ ok: true, asOf: '2026-11-02T12:00:00.000Z' });
    expect(parseAsOf(undefined, now)).toEqual({ ok: true, asOf: '2026-11-03T00:00:00.000Z' });
    expect(parseAsOf('2026-11-02T07:00:00', now)).toMatchObject({ ok: false, reason: expect.stringContaining('with Z or an offset') });
    expect(parseAsOf('2026-11-02', now)).toMatchObject({ ok: false });
    expect(parseAsOf('2026-11-04T00:00:00Z', now)).toMatchObject({ ok: false, reason: expect.stringContaining('is in the future') });
    expect(() => run({ loans: 'x' }, { asOf: 'yesterday' })).toThrow(RangeError);
  });
});

describe('branches: time zones', () => {
  it('stores each zone (blank: the system\'s), and a file without the column leaves zones alone', () => {
    const zones = () => db.prepare('SELECT code, time_zone FROM branches ORDER BY code').all();
    expect(zones()).toEqual([
      { code: 'CENTRAL', time_zone: null }, { code: 'EAST', time_zone: 'Asia/Kolkata' }, { code: 'SYS', time_zone: 'America/Chicago' },
    ]);
    const calendars = new CalendarsRepo(db).all('UTC');
    const id = (code: string) => db.prepare('SELECT id FROM branches WHERE code = ?').pluck().get(code) as number;
    expect(calendars.get(id('CENTRAL'))?.zone).toBe('America/Chicago');
    expect(calendars.get(id('EAST'))?.zone).toBe('Asia/Kolkata');

    const report = run({ branches: 'code,name,parent\nEAST,East Branch,SYS\n' });
    expect(report.counts.branches).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(zones()).toContainEqual({ code: 'EAST', time_zone: 'Asia/Kolkata' });

    const cleared = run({ branches: 'code,time_zone,name,parent\nEAST,,East Branch,SYS\nCENTRAL,Europe/London,Central Library,SYS\n' });
    expect(cleared.counts.branches).toEqual({ inserted: 0, updated: 2, unchanged: 0 });
    expect(zones()).toEqual([
      { code: 'CENTRAL', time_zone: 'Europe/London' }, { code: 'EAST', time_zone: null }, { code: 'SYS', time_zone: 'America/Chicago' },
    ]);
    expectIdempotent({ branches: BRANCHES });
  });

  it('refuses an unknown zone with its line', () => {
    expectRefused({ branches: 'code,name,parent,time_zone\nWEST,West,SYS,Mars/Olympus\nNORTH,North,SYS,america/chicago \n' }, [
      "branches:2: unknown time zone 'Mars/Olympus' (expected an IANA name such as America/Chicago or Europe/Berlin)",
      "branches:3: unknown time zone 'america/chicago ' (expected an IANA name such as America/Chicago or Europe/Berlin)",
    ]);
  });
});

describe('hours', () => {
  const HOURS = `branch,mon,tue,wed,thu,fri,sat,sun
SYS,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,10:00-14:00,
EAST,"09:00-12:00,13:00-18:00",09:00-18:00,,09:00-18:00,09:00-18:00,09:00-13:00,
`;

  it('stores each branch\'s week; branches without their own keep the system\'s; the same file again changes nothing', () => {
    const report = expectIdempotent({ hours: HOURS });
    expect(report.counts.hours).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const id = (code: string) => db.prepare('SELECT id FROM branches WHERE code = ?').pluck().get(code) as number;
    const calendars = new CalendarsRepo(db).all('UTC');
    expect(calendars.get(id('EAST'))?.hours).toEqual(['09:00-12:00,13:00-18:00', '09:00-18:00', '', '09:00-18:00', '09:00-18:00', '09:00-13:00', '']);
    expect(calendars.get(id('CENTRAL'))?.hours).toEqual(['09:00-17:00', '09:00-17:00', '09:00-17:00', '09:00-17:00', '09:00-17:00', '10:00-14:00', '']);

    const changed = run({ hours: 'branch,mon,tue,wed,thu,fri,sat,sun\nEAST,09:00-18:00,09:00-18:00,,09:00-18:00,09:00-18:00,09:00-13:00,\n' });
    expect(changed.counts.hours).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const complete = run({ hours: 'branch,mon,tue,wed,thu,fri,sat,sun\nEAST,09:00-18:00,09:00-18:00,,09:00-18:00,09:00-18:00,09:00-13:00,\n' }, { complete: true });
    expect(complete.counts.hours).toEqual({ inserted: 0, updated: 0, unchanged: 1, removed: 1 });
    expect(new CalendarsRepo(db).all('UTC').get(id('CENTRAL'))?.hours[6]).toBe('00:00-24:00');
  });

  it('refuses bad hours, a week closed every day, unknown and repeated branches, and a bad header', () => {
    expectRefused({ hours: `branch,mon,tue,wed,thu,fri,sat,sun
EAST,9-5,09:00-17:00,,,,,
CENTRAL,"09:00-13:00,12:00-17:00",17:00-09:00,,,,,
NOWHERE,09:00-17:00,,,,,,
CENTRAL,,,,,,,
` }, [
      "hours:2: bad hours for mon '9-5' (expected HH:MM-HH:MM, ranges in order separated by commas, or blank for closed)",
      "hours:3: bad hours for mon '09:00-13:00,12:00-17:00' (expected HH:MM-HH:MM, ranges in order separated by commas, or blank for closed)",
      "hours:3: bad hours for tue '17:00-09:00' (expected HH:MM-HH:MM, ranges in order separated by commas, or blank for closed)",
      "hours:4: unknown branch 'NOWHERE'",
      "hours:5: duplicate branch 'CENTRAL' (also on line 3)",
      "hours:5: closed every day of the week: leave the branch out to keep its system's hours, and enter a long closure as a dated closure",
    ]);
    expectRefused({ hours: 'branch,mon,tue\nEAST,09:00-17:00,\n' }, [
      "hours:1: missing column 'wed'", "hours:1: missing column 'thu'", "hours:1: missing column 'fri'",
      "hours:1: missing column 'sat'", "hours:1: missing column 'sun'",
    ]);
  });
});

describe('closures', () => {
  const CLOSED = `branch,first,last,reason
SYS,2026-12-24,2026-12-26,Christmas
EAST,2026-11-14,,Diwali
`;

  it('stores closures (a blank last day: one day), a system\'s for every branch; updates by first date; complete removes the rest', () => {
    const report = expectIdempotent({ closed: CLOSED });
    expect(report.counts.closed).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const id = (code: string) => db.prepare('SELECT id FROM branches WHERE code = ?').pluck().get(code) as number;
    expect(new CalendarsRepo(db).all('UTC').get(id('EAST'))?.closures).toEqual([
      ['2026-11-14', '2026-11-14', 'Diwali'], ['2026-12-24', '2026-12-26', 'Christmas'],
    ]);
    const extended = run({ closed: 'branch,first,last,reason\nSYS,2026-12-24,2026-12-27,Christmas and Boxing Day\n' }, { complete: true });
    expect(extended.counts.closed).toEqual({ inserted: 0, updated: 1, unchanged: 0, removed: 1 });
    expect(db.prepare('SELECT first_date, last_date, reason FROM branch_closures').all())
      .toEqual([{ first_date: '2026-12-24', last_date: '2026-12-27', reason: 'Christmas and Boxing Day' }]);
  });

  it('refuses bad and reversed dates, a missing reason, unknown branches and a closure given twice', () => {
    const report = expectRefused({ closed: `branch,first,last,reason
EAST,2026-02-30,,Leap
EAST,2026-12-31,2026-12-01,Backwards
EAST,2026-12-01,,
NOWHERE,2026-12-01,,Gone
SYS,2026-12-24,,Eve
SYS,2026-12-24,2026-12-25,Eve again
EAST,,,No date
` }, [
      "closed:2: bad date '2026-02-30' (expected YYYY-MM-DD, a real calendar date)",
      'closed:3: the closure ends (2026-12-01) before it starts (2026-12-31)',
      "closed:4: missing value for column 'reason'",
      "closed:5: unknown branch 'NOWHERE'",
      "closed:7: a second closure of 'SYS' starting 2026-12-24 (also on line 6)",
      "closed:8: missing value for column 'first'",
    ]);
    expect(codesOf(report)).toEqual([
      { file: 'closed', line: 2, code: 'bad_date', params: { column: 'first', value: '2026-02-30' } },
      { file: 'closed', line: 3, code: 'closure_reversed', params: { first: '2026-12-31', last: '2026-12-01' } },
      { file: 'closed', line: 4, code: 'missing_value', params: { column: 'reason' } },
      { file: 'closed', line: 5, code: 'unknown_branch', params: { column: 'branch', value: 'NOWHERE' } },
      { file: 'closed', line: 7, code: 'duplicate_closure', params: { branch: 'SYS', first: '2026-12-24', first_line: 6 } },
      { file: 'closed', line: 8, code: 'missing_value', params: { column: 'first' } },
    ]);
  });
});

describe('loan policies', () => {
  const POLICIES = `item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out
,,21,2,25,1000,
book,juvenile,28,3,10,500,5
dvd,,7,1,100,1500,2
`;
  const policies = () => db.prepare('SELECT item_type, patron_profile, loan_days, max_renewals, daily_fine_cents, max_fine_cents, max_items_out FROM loan_policies ORDER BY id').all();

  it('stores every policy (blank: any; max_items_out blank: no limit); a later file may update without the default; complete replaces them', () => {
    expectIdempotent({ policies: POLICIES });
    expect(policies()).toEqual([
      { item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 25, max_fine_cents: 1000, max_items_out: null },
      { item_type: 'book', patron_profile: 'juvenile', loan_days: 28, max_renewals: 3, daily_fine_cents: 10, max_fine_cents: 500, max_items_out: 5 },
      { item_type: 'dvd', patron_profile: null, loan_days: 7, max_renewals: 1, daily_fine_cents: 100, max_fine_cents: 1500, max_items_out: 2 },
    ]);
    const version = db.prepare('SELECT version FROM library_version').pluck().get() as number;
    const update = run({ policies: 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out\ndvd,,14,1,100,1500,2\n' });
    expect(update.counts.policies).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    // Desks carry the policies: their offline data moves.
    expect(db.prepare('SELECT version FROM library_version').pluck().get()).toBeGreaterThan(version);
    const replaced = run({ policies: 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out\n,,14,1,10,500,10\n' }, { complete: true });
    expect(replaced.counts.policies).toEqual({ inserted: 0, updated: 1, unchanged: 0, removed: 2 });
    expect(policies()).toEqual([{ item_type: null, patron_profile: null, loan_days: 14, max_renewals: 1, daily_fine_cents: 10, max_fine_cents: 500, max_items_out: 10 }]);
  });

  it('a first (or complete) file needs exactly one default row', () => {
    const header = 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out\n';
    expectRefused({ policies: `${header}dvd,,7,1,100,1500,\n` },
      ["policies:1: no default policy: a library's first policy file needs one row with item_type and patron_profile both blank"]);
    expectRefused({ policies: `${header},,21,2,25,1000,\n,,14,2,25,1000,\n` },
      ['policies:3: a second policy for any item type and any profile (the default) (also on line 2)']);
    expect(run({ policies: POLICIES }).ok).toBe(true);
    expectRefused({ policies: `${header}dvd,,7,1,100,1500,\n` },
      ['policies:1: no default policy: a complete policy file needs one row with item_type and patron_profile both blank'], { complete: true });
  });

  it('refuses numbers out of range or not whole, and a policy given twice', () => {
    const header = 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out\n';
    expectRefused({ policies: `${header},,0,2,25,1000,\nbook,,14,-1,2.5,1000,x\nbook,, 14,1,1,1,\ndvd,adult,7,1,1,,\n` }, [
      "policies:2: bad loan_days '0' (expected a whole number from 1 to 3,650, digits only)",
      "policies:3: bad max_renewals '-1' (expected a whole number from 0 to 999, digits only)",
      "policies:3: bad daily_fine_cents '2.5' (expected a whole number from 0 to 10,000,000, digits only)",
      "policies:3: bad max_items_out 'x' (expected a whole number from 0 to 9,999, digits only)",
      "policies:4: bad loan_days ' 14' (expected a whole number from 1 to 3,650, digits only)",
      'policies:4: a second policy for book × any profile (also on line 3)',
      "policies:5: missing value for column 'max_fine_cents'",
    ]);
  });
});

describe('items: record ids', () => {
  it('stores record ids; a file without the column leaves them; a bad one is refused', () => {
    expect(item('I1').record_id).toBe('R100');
    expect(item('I4').record_id).toBeNull();
    const old = run({ items: 'barcode,title,author,call_number,item_type,owning_branch,status\nI1,Dune,F. Herbert,SF HER,book,CENTRAL,available\n' });
    expect(old.counts.items).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(item('I1').record_id).toBe('R100');
    expectRefused({ items: `${ITEMS.split('\n')[0]}\nI1,Dune,F. Herbert,SF HER,book,CENTRAL,available,R 100\n` },
      ["items:2: bad record_id 'R 100' (expected 1–64 printable ASCII characters without spaces)"]);
  });

  it('a status change takes effect at the as-of time, marked as made by an import', () => {
    const report = run({ items: ITEMS.replace('I3,Emma,J. Austen,F AUS,book,CENTRAL,available', 'I3,Emma,J. Austen,F AUS,book,CENTRAL,missing') });
    expect(report.counts.items).toEqual({ inserted: 0, updated: 1, unchanged: 5 });
    expect(item('I3')).toMatchObject({ status: 'missing', status_changed_at: AS_OF, status_changed_via: 'import' });
  });
});

describe('loans', () => {
  const LOANS = `item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch
I1,P1,2026-10-20T15:30:00Z,2026-11-10T23:59:59-06:00,1,CENTRAL
I2,P2,2026-10-21,2026-11-11,,
I6,P3,2026-09-01T10:00:00+05:30,2026-09-22,0,EAST
`;
  const loans = () => db.prepare(`SELECT i.barcode, c.barcode AS card, l.checkout_at, l.due_at, l.renewals, b.code AS branch, l.checkin_at, l.closed_by_import
    FROM loans l JOIN items i ON i.id = l.item_id JOIN patron_cards c ON c.patron_id = l.patron_id LEFT JOIN branches b ON b.id = l.checkout_branch_id
    ORDER BY l.id`).all();

  it('opens one loan per item; dates in the branch\'s zone (a due date is the end of that day); the item becomes checked out at the as-of time', () => {
    const report = expectIdempotent({ loans: LOANS });
    expect(report.counts.loans).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(loans()).toEqual([
      { barcode: 'I1', card: 'P1', checkout_at: '2026-10-20T15:30:00.000Z', due_at: '2026-11-11T05:59:59.000Z', renewals: 1, branch: 'CENTRAL', checkin_at: null, closed_by_import: null },
      // EAST is in Asia/Kolkata (+05:30): the 21st starts at 18:30 UTC the day before; the 11th ends at 18:29:59 UTC.
      { barcode: 'I2', card: 'P2', checkout_at: '2026-10-20T18:30:00.000Z', due_at: '2026-11-11T18:29:59.000Z', renewals: 0, branch: 'EAST', checkin_at: null, closed_by_import: null },
      { barcode: 'I6', card: 'P3', checkout_at: '2026-09-01T04:30:00.000Z', due_at: '2026-09-22T18:29:59.000Z', renewals: 0, branch: 'EAST', checkin_at: null, closed_by_import: null },
    ]);
    expect(item('I1')).toMatchObject({ status: 'checked_out', status_changed_at: AS_OF, status_changed_via: 'import', at: 'CENTRAL' });
    expect(item('I2')).toMatchObject({ status: 'checked_out', status_changed_at: AS_OF, at: 'EAST' });
    // A lost item stays lost: it is still on the patron's account.
    expect(item('I6').status).toBe('lost');
  });

  it('a refresh updates a renewal in place, and an item now out to someone else closes the old loan', () => {
    run({ loans: LOANS });
    const report = run({ loans: `item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch
I1,P1,2026-10-20T15:30:00Z,2026-11-24T23:59:59-06:00,2,CENTRAL
I2,P1,2026-11-01T10:00:00Z,2026-11-22,0,EAST
I6,P3,2026-09-01T10:00:00+05:30,2026-09-22,0,EAST
` }, { asOf: '2026-11-02T13:00:00Z' });
    expect(errorsOf(report)).toEqual([]);
    expect(report.counts.loans).toEqual({ inserted: 0, updated: 2, unchanged: 1 });
    expect(loans()).toEqual([
      expect.objectContaining({ barcode: 'I1', due_at: '2026-11-25T05:59:59.000Z', renewals: 2, checkin_at: null }),
      expect.objectContaining({ barcode: 'I2', card: 'P2', checkin_at: '2026-11-01T10:00:00.000Z', closed_by_import: expect.any(Number) }),
      expect.objectContaining({ barcode: 'I6', checkin_at: null }),
      expect.objectContaining({ barcode: 'I2', card: 'P1', checkout_at: '2026-11-01T10:00:00.000Z', checkin_at: null }),
    ]);
  });

  it('complete: an open loan the file no longer has is closed at the as-of time by the run, and its item is available', () => {
    run({ loans: LOANS });
    const asOf = '2026-11-03T08:00:00.000Z';
    const report = run({ loans: LOANS.split('\n').filter((l) => !l.startsWith('I1,')).join('\n') }, { complete: true, asOf });
    expect(report.counts.loans).toEqual({ inserted: 0, updated: 0, unchanged: 2, removed: 1 });
    const runId = db.prepare('SELECT id FROM import_runs WHERE as_of = ?').pluck().get(asOf);
    expect(loans()[0]).toMatchObject({ barcode: 'I1', checkin_at: asOf, closed_by_import: runId });
    expect(item('I1')).toMatchObject({ status: 'available', status_changed_at: asOf, status_changed_via: 'import' });
    expect(db.prepare('SELECT staff, files, complete, counts FROM import_runs WHERE id = ?').get(runId)).toEqual({
      staff: 'unknown', files: 'loans', complete: 1, counts: JSON.stringify({ loans: { inserted: 0, updated: 0, unchanged: 2, removed: 1 } }),
    });
    // Without complete, a shorter file closes nothing (a later file: I1 is out again).
    const later = '2026-11-04T00:00:00.000Z';
    expect(run({ loans: LOANS }, { asOf: later }).counts.loans).toEqual({ inserted: 1, updated: 0, unchanged: 2 });
    const partial = run({ loans: LOANS.split('\n').slice(0, 2).join('\n') }, { asOf: later });
    expect(partial.counts.loans).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(db.prepare('SELECT count(*) FROM loans WHERE checkin_at IS NULL').pluck().get()).toBe(3);
  });

  it('keeps what this server changed after the as-of time: a newer loan is not closed, nor an item changed after it overwritten', () => {
    run({ loans: LOANS });
    // I3 was lent by a session processed here after the file was written (its checkout later than the as-of time).
    db.prepare(`INSERT INTO loans (item_id, patron_id, checkout_at, due_at, renewals) SELECT id, 1, '2026-11-02T14:00:00.000Z', '2026-11-23T05:59:59.000Z', 0
      FROM items WHERE barcode = 'I3'`).run();
    db.prepare("UPDATE items SET status = 'checked_out', status_changed_at = '2026-11-02T14:00:00.000Z', status_changed_via = 'online' WHERE barcode = 'I3'").run();
    // I1 was checked in here at 13:00, after the as-of time.
    db.prepare("UPDATE loans SET checkin_at = '2026-11-02T13:00:00.000Z' WHERE item_id = (SELECT id FROM items WHERE barcode = 'I1')").run();
    db.prepare("UPDATE items SET status = 'available', status_changed_at = '2026-11-02T13:00:00.000Z', status_changed_via = 'online' WHERE barcode = 'I1'").run();
    const report = run({ loans: LOANS }, { complete: true });
    expect(report.counts.loans).toEqual({ inserted: 0, updated: 0, unchanged: 2, removed: 0, kept_newer: 2 });
    expect(item('I1').status).toBe('available');
    expect(item('I3').status).toBe('checked_out');
    expect(db.prepare("SELECT count(*) FROM loans WHERE checkin_at IS NULL AND item_id = (SELECT id FROM items WHERE barcode = 'I3')").pluck().get()).toBe(1);
  });

  it('refuses every kind of bad row, writing nothing', () => {
    db.prepare("INSERT INTO patron_cards (barcode, patron_id, active) VALUES ('P1-OLD', 1, 0)").run();
    const report = expectRefused({ loans: `item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch
I1,P1,2026-10-20T15:30:00Z,2026-11-10,0,CENTRAL
I1,P2,2026-10-20T15:30:00Z,2026-11-10,0,CENTRAL
NOPE,P1,2026-10-20,2026-11-10,0,
I3,P9,2026-10-20,2026-11-10,0,
I4,P1-OLD,2026-10-20,2026-11-10,0,
I2,P1,2026-10-20T15:30:00,2026-11-10,0,
I5,P2,2026-10-20,2026-10-19,0,
I5,P3,2026-11-05,2026-11-20,one,NOWHERE
I3,P1,,,,
` }, [
      "loans:3: duplicate item_barcode 'I1' (also on line 2): an item has one open loan",
      "loans:4: unknown item_barcode 'NOPE' (no item has that barcode)",
      "loans:5: unknown patron_barcode 'P9' (no patron has that card)",
      "loans:6: patron_barcode 'P1-OLD' is a replaced (inactive) card; the patron's current card is 'P1'",
      "loans:7: checked_out_at '2026-10-20T15:30:00' has no time zone (add Z for UTC or an offset such as +01:00, or give only the date)",
      'loans:8: due_at 2026-10-19T18:29:59.000Z is before checked_out_at 2026-10-19T18:30:00.000Z',
      "loans:9: duplicate item_barcode 'I5' (also on line 8): an item has one open loan",
      "loans:9: bad renewals 'one' (expected a whole number from 0 to 999, digits only)",
      "loans:9: unknown branch 'NOWHERE'",
      "loans:10: missing value for column 'checked_out_at'",
      "loans:10: missing value for column 'due_at'",
      "loans:10: duplicate item_barcode 'I3' (also on line 5): an item has one open loan",
    ]);
    expect(codesOf(report).slice(0, 9)).toEqual([
      { file: 'loans', line: 3, code: 'duplicate_loan', params: { column: 'item_barcode', value: 'I1', first_line: 2 } },
      { file: 'loans', line: 4, code: 'unknown_item', params: { column: 'item_barcode', value: 'NOPE' } },
      { file: 'loans', line: 5, code: 'unknown_patron', params: { column: 'patron_barcode', value: 'P9' } },
      { file: 'loans', line: 6, code: 'replaced_patron_card', params: { column: 'patron_barcode', value: 'P1-OLD', current: 'P1' } },
      { file: 'loans', line: 7, code: 'time_without_zone', params: { column: 'checked_out_at', value: '2026-10-20T15:30:00' } },
      { file: 'loans', line: 8, code: 'due_before_checkout', params: { due_at: '2026-10-19T18:29:59.000Z', checked_out_at: '2026-10-19T18:30:00.000Z' } },
      { file: 'loans', line: 9, code: 'duplicate_loan', params: { column: 'item_barcode', value: 'I5', first_line: 8 } },
      { file: 'loans', line: 9, code: 'bad_number', params: { column: 'renewals', value: 'one', min: 0, max: 999 } },
      { file: 'loans', line: 9, code: 'unknown_branch', params: { column: 'branch', value: 'NOWHERE' } },
    ]);
    expectRefused({ loans: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nI1,P1,2026-11-05T00:00:00Z,2026-11-20,0,\n' },
      ["loans:2: checked_out_at 2026-11-05T00:00:00.000Z is after the files' as-of time 2026-11-02T12:00:00.000Z: the file cannot know a loan made after it was written"]);
    expectRefused({ loans: 'item,patron_barcode,checked_out_at,due_at\n' }, [
      "loans:1: unknown column 'item' (expected the columns item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch)",
      "loans:1: missing column 'item_barcode'", "loans:1: missing column 'renewals'", "loans:1: missing column 'branch'",
    ]);
  });

  it('a loan may name an item and a patron the same run adds; a bad items file is not reported again through its loans', () => {
    const report = run({
      patrons: `${PATRONS.split('\n')[0]}\nP7,New,Patron,adult,EAST,2030-01-01,false\n`,
      items: `${ITEMS.split('\n')[0]}\nI7,New,A,B,book,EAST,available,R700\n`,
      loans: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nI7,P7,2026-11-01,2026-11-20,0,\n',
    });
    expect(errorsOf(report)).toEqual([]);
    expect(report.counts.loans).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expectRefused({
      items: `${ITEMS.split('\n')[0]}\nI8,New,A,B,book,NOWHERE,available,\n`,
      loans: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nI8,P1,2026-11-01,2026-11-20,0,\nI1,P1,2026-11-01,2026-10-20,0,\n',
    }, ["items:2: unknown branch 'NOWHERE'", 'loans:3: due_at 2026-10-21T04:59:59.000Z is before checked_out_at 2026-11-01T05:00:00.000Z']);
  });
});

describe('holds', () => {
  const HOLDS = `patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status
P1,,R100,CENTRAL,2026-10-01T09:00:00Z,waiting
P2,I4,,EAST,2026-10-02,
P3,I3,R200,CENTRAL,2026-10-03T09:00:00Z,on_shelf
`;
  const holds = () => db.prepare(`SELECT c.barcode AS card, i.barcode AS item, h.title, h.record_id, b.code AS pickup, h.status, h.created_at, h.cancelled_by_import
    FROM holds h JOIN patron_cards c ON c.patron_id = h.patron_id LEFT JOIN items i ON i.id = h.item_id JOIN branches b ON b.id = h.pickup_branch_id
    ORDER BY h.id`).all();

  it('holds on a record (with its title) and on an item; one on the shelf sets its item aside at the pickup branch', () => {
    const report = expectIdempotent({ holds: HOLDS });
    expect(report.counts.holds).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(holds()).toEqual([
      { card: 'P1', item: null, title: 'Dune', record_id: 'R100', pickup: 'CENTRAL', status: 'pending', created_at: '2026-10-01T09:00:00.000Z', cancelled_by_import: null },
      { card: 'P2', item: 'I4', title: null, record_id: null, pickup: 'EAST', status: 'pending', created_at: '2026-10-01T18:30:00.000Z', cancelled_by_import: null },
      { card: 'P3', item: 'I3', title: 'Emma', record_id: 'R200', pickup: 'CENTRAL', status: 'on_shelf', created_at: '2026-10-03T09:00:00.000Z', cancelled_by_import: null },
    ]);
    expect(item('I3')).toMatchObject({ status: 'on_hold_shelf', status_changed_at: AS_OF, status_changed_via: 'import', at: 'CENTRAL' });
  });

  it('a refresh updates a hold in place; complete cancels the holds it no longer has', () => {
    run({ holds: HOLDS });
    const report = run({ holds: 'patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status\nP1,,R100,EAST,2026-10-01T09:00:00Z,waiting\n' },
      { complete: true });
    expect(report.counts.holds).toEqual({ inserted: 0, updated: 1, unchanged: 0, removed: 2 });
    expect(holds().map((h: any) => [h.card, h.pickup, h.status, h.cancelled_by_import === null])).toEqual([
      ['P1', 'EAST', 'pending', true], ['P2', 'EAST', 'cancelled', false], ['P3', 'CENTRAL', 'cancelled', false],
    ]);
  });

  it('a title hold stored before records were known (by title alone) is the same hold: it gets the record id', () => {
    db.prepare(`INSERT INTO holds (patron_id, item_id, title, pickup_branch_id, status, created_at)
      SELECT patron_id, NULL, 'Dune', (SELECT id FROM branches WHERE code = 'CENTRAL'), 'pending', '2026-10-01T09:00:00.000Z'
      FROM patron_cards WHERE barcode = 'P1'`).run();
    const report = run({ holds: HOLDS.split('\n').slice(0, 2).join('\n') });
    expect(report.counts.holds).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(holds()).toEqual([expect.objectContaining({ card: 'P1', title: 'Dune', record_id: 'R100', status: 'pending' })]);
  });

  it('refuses every kind of bad row, writing nothing', () => {
    run({ loans: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nI5,P1,2026-10-20,2026-11-10,0,\n' });
    const report = expectRefused({ holds: `patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status
P1,,,CENTRAL,2026-10-01,waiting
P1,,R300,CENTRAL,2026-10-01,on_shelf
P1,,R999,CENTRAL,2026-10-01,waiting
P1,I3,R100,CENTRAL,2026-10-01,on_shelf
P1,I5,,CENTRAL,2026-10-01,on_shelf
P1,I4,,CENTRAL,2026-10-01,captured
P2,I4,,CENTRAL,2026-10-01,
P2,I4,,EAST,2026-10-02,
P9,I4,,NOWHERE,soon,
P3,I1,R100,CENTRAL,2026-10-01,on_shelf
P2,I1,R100,CENTRAL,2026-10-01,on_shelf
P3,I2,,CENTRAL,2026-12-01,
` }, [
      'holds:2: a hold needs a record_id (a hold on a title) or an item_barcode (a hold on one item)',
      'holds:3: a hold on the shelf needs the item_barcode of the copy set aside',
      "holds:4: unknown record_id 'R999' (no item has it: give items their record_id in the items file)",
      "holds:5: item 'I3' is of record 'R200', not of record 'R100'",
      "holds:6: item 'I5' is on loan, so it cannot wait on the hold shelf",
      "holds:7: bad status 'captured' (expected waiting or on_shelf; blank is waiting)",
      "holds:9: a second hold of 'P2' on item 'I4' (also on line 8)",
      "holds:10: unknown branch 'NOWHERE'",
      "holds:10: bad placed_at 'soon' (expected an ISO 8601 time with Z or an offset, such as 2026-11-02T10:00:00Z, or a date 2026-11-02)",
      "holds:12: item 'I1' is already on the shelf for the hold on line 11",
      "holds:13: placed_at 2026-12-01T06:00:00.000Z is after the files' as-of time 2026-11-02T12:00:00.000Z: the file cannot know a hold placed after it was written",
    ]);
    expect(codesOf(report).map(({ code }) => code)).toEqual(['hold_without_target', 'shelved_hold_without_item', 'unknown_record', 'item_of_other_record',
      'shelved_item_on_loan', 'bad_hold_status', 'duplicate_hold', 'unknown_branch', 'bad_time', 'item_shelved_twice', 'hold_after_as_of']);
    expect(codesOf(report)).toContainEqual({ file: 'holds', line: 5, code: 'item_of_other_record', params: { item: 'I3', item_record: 'R200', record: 'R100' } });
    expect(codesOf(report)).toContainEqual({ file: 'holds', line: 9, code: 'duplicate_hold', params: { patron: 'P2', record: '', item: 'I4', first_line: 8 } });
    expect(codesOf(report)).toContainEqual({ file: 'holds', line: 13, code: 'hold_after_as_of',
      params: { placed_at: '2026-12-01T06:00:00.000Z', as_of: '2026-11-02T12:00:00.000Z' } });
  });
});

describe('bills', () => {
  const BILLS = `patron_barcode,amount_cents,reason,billed_at
P1,250,Overdue: Dune,2026-10-10T10:00:00Z
P1,1200,Lost item: Kim,2026-10-12
P2,75,Printing,2026-10-15T08:00:00+05:30
`;
  const bills = () => db.prepare(`SELECT c.barcode AS card, b.amount_cents, b.paid_cents, b.reason, b.created_at, b.settled_by_import
    FROM bills b JOIN patron_cards c ON c.patron_id = b.patron_id ORDER BY b.id`).all();

  it('stores open balances; the same file again changes nothing; a refreshed amount says what is open now', () => {
    const report = expectIdempotent({ bills: BILLS });
    expect(report.counts.bills).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(bills()).toEqual([
      { card: 'P1', amount_cents: 250, paid_cents: 0, reason: 'Overdue: Dune', created_at: '2026-10-10T10:00:00.000Z', settled_by_import: null },
      // P1's home branch CENTRAL keeps Chicago time (its system's): the 12th starts at 05:00 UTC.
      { card: 'P1', amount_cents: 1200, paid_cents: 0, reason: 'Lost item: Kim', created_at: '2026-10-12T05:00:00.000Z', settled_by_import: null },
      { card: 'P2', amount_cents: 75, paid_cents: 0, reason: 'Printing', created_at: '2026-10-15T02:30:00.000Z', settled_by_import: null },
    ]);
    const refreshed = run({ bills: BILLS.replace('P1,250,', 'P1,100,').replace('P2,75,', 'P2,90,') });
    expect(refreshed.counts.bills).toEqual({ inserted: 0, updated: 2, unchanged: 1 });
    expect(bills().map((b: any) => [b.amount_cents, b.paid_cents])).toEqual([[250, 150], [1200, 0], [90, 0]]);
  });

  it('complete: a bill the file no longer has is settled by the run; a patron who paid here since is left alone', () => {
    run({ bills: BILLS });
    db.prepare(`INSERT INTO payments (patron_id, amount_cents, credit_cents, paid_at) SELECT patron_id, 500, 0, '2026-11-02T15:00:00.000Z'
      FROM patron_cards WHERE barcode = 'P2'`).run();
    const report = run({ bills: 'patron_barcode,amount_cents,reason,billed_at\nP1,1200,Lost item: Kim,2026-10-12\n' }, { complete: true });
    expect(report.counts.bills).toEqual({ inserted: 0, updated: 0, unchanged: 1, removed: 1, kept_newer: 1 });
    const runId = db.prepare('SELECT max(id) FROM import_runs').pluck().get();
    expect(bills().map((b: any) => [b.card, b.amount_cents - b.paid_cents, b.settled_by_import])).toEqual([
      ['P1', 0, runId], ['P1', 1200, null], ['P2', 75, null],
    ]);
  });

  it('refuses every kind of bad row, writing nothing', () => {
    const report = expectRefused({ bills: `patron_barcode,amount_cents,reason,billed_at
P1,5.00,Overdue,2026-10-10
P1,0,Overdue,2026-10-10
P9,100,Overdue,2026-10-10
P1,100,,2026-10-10
P1,100,Overdue,2026-10-10T10:00
P2,100,Printing,2026-10-15
P2,200,Printing,2026-10-14T18:30:00Z
P2,200,Printing,2026-12-14
` }, [
      "bills:2: bad amount_cents '5.00' (expected a whole number from 1 to 100,000,000, digits only) — amounts are in cents: 5.00 is 500",
      "bills:3: bad amount_cents '0' (expected a whole number from 1 to 100,000,000, digits only)",
      "bills:4: unknown patron_barcode 'P9' (no patron has that card)",
      "bills:5: missing value for column 'reason'",
      "bills:6: billed_at '2026-10-10T10:00' has no time zone (add Z for UTC or an offset such as +01:00, or give only the date)",
      "bills:8: a second bill of 'P2' billed at 2026-10-14T18:30:00.000Z for 'Printing' (also on line 7): one row a bill",
      "bills:9: billed_at 2026-12-13T18:30:00.000Z is after the files' as-of time 2026-11-02T12:00:00.000Z: the file cannot know a bill made after it was written",
    ]);
    expect(codesOf(report).slice(0, 2)).toEqual([
      { file: 'bills', line: 2, code: 'bad_cents', params: { column: 'amount_cents', value: '5.00', min: 1, max: 100_000_000 } },
      { file: 'bills', line: 3, code: 'bad_number', params: { column: 'amount_cents', value: '0', min: 1, max: 100_000_000 } },
    ]);
    expect(codesOf(report)).toContainEqual({ file: 'bills', line: 8, code: 'duplicate_bill',
      params: { patron: 'P2', billed_at: '2026-10-14T18:30:00.000Z', reason: 'Printing', first_line: 7 } });
  });
});

describe('a whole refresh at once', () => {
  it('every file in one run; a bad row in one refuses all of them', () => {
    const files: ImportFiles = {
      ...BASE,
      hours: 'branch,mon,tue,wed,thu,fri,sat,sun\nSYS,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,,\n',
      closed: 'branch,first,last,reason\nSYS,2026-12-25,,Christmas\n',
      policies: 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out\n,,21,2,25,1000,10\n',
      loans: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nI1,P1,2026-10-20,2026-11-10,0,\n',
      holds: 'patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status\nP2,,R100,EAST,2026-10-21,waiting\n',
      bills: 'patron_barcode,amount_cents,reason,billed_at\nP3,300,Overdue,2026-10-01\n',
    };
    expectRefused({ ...files, bills: 'patron_barcode,amount_cents,reason,billed_at\nP3,-300,Overdue,2026-10-01\n' },
      ["bills:2: bad amount_cents '-300' (expected a whole number from 1 to 100,000,000, digits only)"], { complete: true });
    const report = expectIdempotent(files, { complete: true });
    expect(report.counts).toMatchObject({ hours: { inserted: 1, removed: 0 }, closed: { inserted: 1 }, policies: { inserted: 1 }, loans: { inserted: 1 },
      holds: { inserted: 1 }, bills: { inserted: 1 } });
  });
});
