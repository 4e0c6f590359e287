/**
 * Loads a library's own branches, patrons and items from CSV (SPEC §3, "Real libraries
 * load their own data").
 *
 * All or nothing: every file is checked in full first and every bad row reported; only
 * when there is none is anything written, in one database transaction. Rows upsert by
 * branch code or barcode and are only written when a value differs, so running the same
 * import again reports everything unchanged.
 *
 * Files are read twice (check, then write) instead of keeping parsed rows between the
 * passes: re-parsing costs far less than holding half a million row objects in memory.
 */
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import { readCsv } from './csv.js';

export type ImportFile = 'branches' | 'patrons' | 'items';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportError {
  file: ImportFile;
  /** 1-based line where the bad record starts (1 for problems with the header). */
  line: number;
  reason: string;
}

export interface ImportReport {
  ok: boolean;
  counts: Record<ImportFile, ImportCounts>;
  errors: ImportError[];
}

/** File contents (not paths), any subset. */
export interface ImportFiles {
  branches?: string;
  patrons?: string;
  items?: string;
}

export const BRANCH_COLUMNS = ['code', 'name', 'parent'] as const;
export const PATRON_COLUMNS = ['barcode', 'first_name', 'last_name', 'profile', 'home_branch', 'expires_on', 'barred'] as const;
export const ITEM_COLUMNS = ['barcode', 'title', 'author', 'call_number', 'item_type', 'owning_branch', 'status'] as const;
export const ITEM_STATUSES = [
  'available', 'checked_out', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'claims_returned', 'damaged',
  'non_circulating',
] as const;

// Values a library may leave empty: people and organisations without a first name,
// items not yet given an author or call number. Everything else must have a value.
const OPTIONAL = new Set(['parent', 'first_name', 'author', 'call_number']);

type Fail = (line: number, reason: string) => void;

/**
 * Checks the given files (their contents) against each other and the database, then
 * writes them all in one transaction — or, if any row is bad, writes nothing and
 * returns every problem with its file and line. Throws only on a database failure.
 */
export function importLibraryData(db: Db, files: ImportFiles): ImportReport {
  const errors: ImportError[] = [];
  const failFor = (file: ImportFile): Fail => (line, reason) => errors.push({ file, line, reason });

  const dbBranches = loadBranches(db);
  const branchRows = files.branches === undefined ? [] : checkBranches(files.branches, dbBranches, failFor('branches'));
  const knownBranches = new Set([...dbBranches.keys(), ...branchRows.map((row) => row.code)]);
  if (files.patrons !== undefined) checkPatrons(db, files.patrons, knownBranches, failFor('patrons'));
  if (files.items !== undefined) checkItems(files.items, knownBranches, failFor('items'));

  const counts = { branches: zero(), patrons: zero(), items: zero() };
  if (errors.length > 0) {
    // Some checks run after a whole file is read (branch parents); show errors in file order.
    const fileOrder: ImportFile[] = ['branches', 'patrons', 'items'];
    errors.sort((a, b) => fileOrder.indexOf(a.file) - fileOrder.indexOf(b.file) || a.line - b.line);
    return { ok: false, counts, errors };
  }

  const now = nowIso();
  db.transaction(() => {
    if (branchRows.length > 0) counts.branches = writeBranches(db, branchRows, dbBranches);
    const branchIds = new Map([...loadBranches(db)].map(([code, branch]) => [code, branch.id]));
    if (files.patrons !== undefined) counts.patrons = writePatrons(db, files.patrons, branchIds, now);
    if (files.items !== undefined) counts.items = writeItems(db, files.items, branchIds, now);
  })();
  return { ok: true, counts, errors };
}

const zero = (): ImportCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

// ---------------------------------------------------------------------------------
// Reading rows

/**
 * Calls onRow with each data row's values in `columns` order, whatever the file's own
 * column order. Problems with the file's shape are reported here; a bad header stops
 * the file, since none of its rows could be read reliably.
 */
function forEachRow(
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

// ---------------------------------------------------------------------------------
// Checking values. Each check returns the problem, or null.

/** Barcodes and branch codes: what a scanner can type, and nothing that hides in a printout. */
const CODE = /^[\x21-\x7e]{1,64}$/;

function checkCode(value: string, what: string): string | null {
  if (CODE.test(value)) return null;
  return `bad ${what} ${show(value)} (expected 1–64 printable ASCII characters without spaces)`;
}

function checkDate(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    // Date.UTC rolls 2026-02-30 over into March; a real date survives the round trip.
    const date = new Date(Date.UTC(year, month - 1, day));
    if (month >= 1 && month <= 12 && date.getUTCDate() === day && date.getUTCMonth() === month - 1) return null;
  }
  return `bad date ${show(value)} (expected YYYY-MM-DD, a real calendar date)`;
}

/** Only true/false: a 1/0 or yes/no column is too often some other flag exported by mistake. */
function parseBarred(value: string): boolean | null {
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/** One problem per required column left empty. */
function missingValues(columns: readonly string[], values: string[]): (string | null)[] {
  const problems: (string | null)[] = [];
  columns.forEach((column, index) => {
    if (values[index] === '' && !OPTIONAL.has(column)) problems.push(`missing value for column '${column}'`);
  });
  return problems;
}

/** Quotes a value for a message, making invisible characters visible. */
function show(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  const escaped = shown.replace(/[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

/** Remembers keys by first line; says where a repeated one was first seen. */
function duplicateFinder(what: string): (key: string, line: number) => string | null {
  const firstLine = new Map<string, number>();
  return (key, line) => {
    const first = firstLine.get(key);
    if (first !== undefined) return `duplicate ${what} ${show(key)} (also on line ${first})`;
    firstLine.set(key, line);
    return null;
  };
}

function report(fail: Fail, line: number, problems: (string | null)[]): boolean {
  let clean = true;
  for (const problem of problems) {
    if (problem !== null) {
      fail(line, problem);
      clean = false;
    }
  }
  return clean;
}

// ---------------------------------------------------------------------------------
// Branches

interface DbBranch {
  id: number;
  name: string;
  parentCode: string | null;
}

interface BranchRow {
  line: number;
  code: string;
  name: string;
  parent: string;
}

function loadBranches(db: Db): Map<string, DbBranch> {
  const rows = db
    .prepare(
      `SELECT b.id, b.code, b.name, p.code AS parentCode
       FROM branches b LEFT JOIN branches p ON p.id = b.parent_id`,
    )
    .all() as (DbBranch & { code: string })[];
  return new Map(rows.map((row) => [row.code, { id: row.id, name: row.name, parentCode: row.parentCode }]));
}

/**
 * Returns the rows whose code is usable (so patrons and items may refer to them even
 * when something else on the row is wrong, and one mistake is not reported three times).
 */
function checkBranches(text: string, dbBranches: Map<string, DbBranch>, fail: Fail): BranchRow[] {
  const rows: BranchRow[] = [];
  const duplicate = duplicateFinder('branch code');
  forEachRow(text, BRANCH_COLUMNS, fail, ([code, name, parent], line) => {
    const badCode = code === '' ? null : checkCode(code, 'branch code');
    const duplicated = badCode === null && code !== '' ? duplicate(code, line) : null;
    report(fail, line, [
      ...missingValues(BRANCH_COLUMNS, [code, name, parent]),
      badCode,
      duplicated,
      parent === '' ? null : checkCode(parent, 'parent branch code'),
    ]);
    if (code !== '' && badCode === null && duplicated === null) rows.push({ line, code, name, parent });
  });

  // Parents may point forward in the file, so they can only be checked once it is all read.
  const inFile = new Set(rows.map((row) => row.code));
  const parentOf = new Map([...dbBranches].map(([code, branch]) => [code, branch.parentCode]));
  for (const row of rows) parentOf.set(row.code, row.parent === '' ? null : row.parent);
  for (const row of rows) {
    if (row.parent === '' || !CODE.test(row.parent)) continue;
    if (!inFile.has(row.parent) && !dbBranches.has(row.parent)) {
      fail(row.line, `unknown parent branch ${show(row.parent)}`);
      continue;
    }
    const cycle = findCycle(row.code, parentOf);
    if (cycle) fail(row.line, `branch ${show(row.code)} would be its own ancestor (${cycle.join(' → ')})`);
  }
  return rows;
}

/** The parent chain from `code` back to itself, or null when it ends at a system. */
function findCycle(code: string, parentOf: Map<string, string | null>): string[] | null {
  const path = [code];
  const seen = new Set(path);
  for (let parent = parentOf.get(code); parent; parent = parentOf.get(parent)) {
    path.push(parent);
    if (parent === code) return path;
    // A loop that does not pass through `code` is reported on its own members' rows.
    if (seen.has(parent)) return null;
    seen.add(parent);
  }
  return null;
}

function writeBranches(db: Db, rows: BranchRow[], before: Map<string, DbBranch>): ImportCounts {
  const counts = zero();
  const insert = db.prepare('INSERT INTO branches (code, name, parent_id) VALUES (?, ?, NULL)');
  const rename = db.prepare('UPDATE branches SET name = ? WHERE id = ?');
  const reparent = db.prepare('UPDATE branches SET parent_id = ? WHERE id = ?');

  // New branches first, without parents, so that any parent in the file then has an id.
  const ids = new Map([...before].map(([code, branch]) => [code, branch.id]));
  for (const row of rows) {
    const old = before.get(row.code);
    if (!old) {
      ids.set(row.code, Number(insert.run(row.code, row.name).lastInsertRowid));
      counts.inserted++;
    } else if (old.name !== row.name || old.parentCode !== (row.parent || null)) {
      if (old.name !== row.name) rename.run(row.name, old.id);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  for (const row of rows) {
    const had = before.get(row.code)?.parentCode ?? null;
    if (had === (row.parent || null)) continue;
    reparent.run(row.parent ? must(ids.get(row.parent), row.parent) : null, must(ids.get(row.code), row.code));
  }
  return counts;
}

/** The write pass re-reads what the check pass passed; a miss means the database changed underneath. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`import: ${what} disappeared from the database during the import`);
  return value;
}

const failWhileWriting: Fail = (line, reason) => {
  throw new Error(`import: line ${line} failed on the second pass: ${reason}`);
};

// ---------------------------------------------------------------------------------
// Patrons

interface PatronRow {
  barcode: string;
  first_name: string;
  last_name: string;
  profile: string;
  home_branch: string;
  expires_on: string;
  barred: boolean;
}

function checkPatrons(db: Db, text: string, branches: Set<string>, fail: Fail): void {
  const cardActive = db.prepare('SELECT active FROM patron_cards WHERE barcode = ?').pluck();
  const duplicate = duplicateFinder('barcode');
  forEachRow(text, PATRON_COLUMNS, fail, (values, line) => {
    const [barcode, , , , homeBranch, expiresOn, barred] = values;
    const problems = missingValues(PATRON_COLUMNS, values);
    if (barcode !== '') {
      const bad = checkCode(barcode, 'barcode');
      problems.push(bad ?? duplicate(barcode, line));
      if (!bad && cardActive.get(barcode) === 0) {
        problems.push(`barcode ${show(barcode)} is a replaced (inactive) card; use the patron's current card`);
      }
    }
    if (homeBranch !== '' && !branches.has(homeBranch)) problems.push(`unknown branch ${show(homeBranch)}`);
    if (expiresOn !== '') problems.push(checkDate(expiresOn));
    if (barred !== '' && parseBarred(barred) === null) {
      problems.push(`bad barred value ${show(barred)} (expected true or false; 1/0 and yes/no are not accepted)`);
    }
    report(fail, line, problems);
  });
}

function toPatron(values: string[]): PatronRow {
  const [barcode, first_name, last_name, profile, home_branch, expires_on, barred] = values;
  return { barcode, first_name, last_name, profile, home_branch, expires_on, barred: parseBarred(barred) === true };
}

function writePatrons(db: Db, text: string, branchIds: Map<string, number>, now: string): ImportCounts {
  const counts = zero();
  const find = db.prepare(
    `SELECT p.id, p.first_name, p.last_name, p.profile, p.home_branch_id, p.expires_on, p.barred, c.active
     FROM patron_cards c JOIN patrons p ON p.id = c.patron_id WHERE c.barcode = ?`,
  );
  const insertPatron = db.prepare(
    `INSERT INTO patrons (first_name, last_name, profile, home_branch_id, expires_on, barred, inactive, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  const insertCard = db.prepare('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, 1)');
  const update = db.prepare(
    `UPDATE patrons SET first_name = ?, last_name = ?, profile = ?, home_branch_id = ?, expires_on = ?, barred = ?
     WHERE id = ?`,
  );
  forEachRow(text, PATRON_COLUMNS, failWhileWriting, (values) => {
    const row = toPatron(values);
    const branchId = must(branchIds.get(row.home_branch), `branch '${row.home_branch}'`);
    const barred = row.barred ? 1 : 0;
    const old = find.get(row.barcode) as
      | { id: number; first_name: string; last_name: string; profile: string; home_branch_id: number;
          expires_on: string; barred: number; active: number }
      | undefined;
    if (!old) {
      const id = insertPatron.run(row.first_name, row.last_name, row.profile, branchId, row.expires_on, barred, now)
        .lastInsertRowid;
      insertCard.run(row.barcode, id);
      counts.inserted++;
      return;
    }
    if (old.active !== 1) throw new Error(`import: card '${row.barcode}' was made inactive during the import`);
    const same = old.first_name === row.first_name && old.last_name === row.last_name && old.profile === row.profile &&
      old.home_branch_id === branchId && old.expires_on === row.expires_on && old.barred === barred;
    if (same) {
      counts.unchanged++;
    } else {
      update.run(row.first_name, row.last_name, row.profile, branchId, row.expires_on, barred, old.id);
      counts.updated++;
    }
  });
  return counts;
}

// ---------------------------------------------------------------------------------
// Items

const STATUSES: ReadonlySet<string> = new Set(ITEM_STATUSES);

function checkItems(text: string, branches: Set<string>, fail: Fail): void {
  const duplicate = duplicateFinder('barcode');
  forEachRow(text, ITEM_COLUMNS, fail, (values, line) => {
    const [barcode, , , , , owningBranch, status] = values;
    const problems = missingValues(ITEM_COLUMNS, values);
    if (barcode !== '') {
      const bad = checkCode(barcode, 'barcode');
      problems.push(bad ?? duplicate(barcode, line));
    }
    if (owningBranch !== '' && !branches.has(owningBranch)) problems.push(`unknown branch ${show(owningBranch)}`);
    if (status !== '' && !STATUSES.has(status)) {
      problems.push(`bad status ${show(status)} (expected one of ${ITEM_STATUSES.join(', ')})`);
    }
    report(fail, line, problems);
  });
}

function writeItems(db: Db, text: string, branchIds: Map<string, number>, now: string): ImportCounts {
  const counts = zero();
  const find = db.prepare(
    'SELECT id, title, author, call_number, item_type, owning_branch_id, status FROM items WHERE barcode = ?',
  );
  const insert = db.prepare(
    `INSERT INTO items (barcode, title, author, call_number, item_type, owning_branch_id, current_branch_id, status,
       status_changed_at, status_changed_via)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'import')`,
  );
  // The current branch is where the item physically is, which a catalogue export does not know.
  // A new status is a change the import made, at the import's time: scans from before it are stale.
  const update = db.prepare(
    `UPDATE items SET title = @title, author = @author, call_number = @call_number, item_type = @item_type,
       owning_branch_id = @branch,
       status_changed_at = CASE WHEN status = @status THEN status_changed_at ELSE @now END,
       status_changed_via = CASE WHEN status = @status THEN status_changed_via ELSE 'import' END,
       status_changed_by_session = CASE WHEN status = @status THEN status_changed_by_session END,
       status_changed_by_txn = CASE WHEN status = @status THEN status_changed_by_txn END,
       status = @status
     WHERE id = @id`,
  );
  forEachRow(text, ITEM_COLUMNS, failWhileWriting, (values) => {
    const [barcode, title, author, callNumber, itemType, owningBranch, status] = values;
    const branchId = must(branchIds.get(owningBranch), `branch '${owningBranch}'`);
    const old = find.get(barcode) as
      | { id: number; title: string; author: string; call_number: string; item_type: string;
          owning_branch_id: number; status: string }
      | undefined;
    if (!old) {
      insert.run(barcode, title, author, callNumber, itemType, branchId, branchId, status, now);
      counts.inserted++;
    } else if (
      old.title === title && old.author === author && old.call_number === callNumber && old.item_type === itemType &&
      old.owning_branch_id === branchId && old.status === status
    ) {
      counts.unchanged++;
    } else {
      update.run({ title, author, call_number: callNumber, item_type: itemType, branch: branchId, status, now, id: old.id });
      counts.updated++;
    }
  });
  return counts;
}
