/**
 * Loads a library's own data from CSV (SPEC §3, "Real libraries load their own data"): its
 * branches (with their time zones), opening hours and closures, loan policies, patrons and
 * items, and its state — open loans, holds and bills. The CLI (cli/import.ts) and
 * POST /api/import both run it.
 *
 * All or nothing: branches, patrons and items are checked in full first; then, in one
 * database transaction, each file is written in IMPORT_FILES order, the state files
 * checked row by row against the database as the files before them left it (a loan may
 * name an item the same run adds). Any bad row anywhere, and the transaction is rolled
 * back: nothing is written, and every problem is returned with its file and line. Rows
 * upsert and are only written when a value differs, so the same files twice change nothing.
 *
 * Time: what the run changes takes effect at its as-of time (default now), the time the
 * files describe the library at. An item whose status the run changes gets that time as
 * its effective time, so a scan made before it is stale when processed (SPEC §6
 * SKIP_ASSET_CHANGED); and what this server changed after it (see import-run.ts) is kept,
 * since the library system's files cannot know of it yet.
 *
 * Files are read twice (check, then write) instead of keeping parsed rows between the
 * passes: re-parsing costs far less than holding half a million row objects in memory.
 */
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import { COMPLETE_FILES, IMPORT_FILES } from '../../shared/schemas/library-import.js';
import type { ImportCounts, ImportError, ImportFile, ImportFiles, ImportReport } from '../../shared/api.js';
import { defaultTimeZone } from '../config.js';
import { forEachRow, type Fail } from './rows.js';
import { checkBranches, loadBranches, writeBranches } from './branches.js';
import { checkPatrons, writePatrons } from './patrons.js';
import { checkItems, writeItems } from './items.js';
import { ImportRun, type BaseFile } from './import-run.js';
import { importHours } from './hours.js';
import { importClosures } from './closures.js';
import { importPolicies } from './policies.js';
import { importLoans, LOAN_COLUMNS } from './loans.js';
import { HOLD_COLUMNS, importHolds } from './holds.js';
import { importBills } from './bills.js';
import { parseAsOf } from './times.js';
import { importErrorText } from '../../shared/import-errors.js';

export type { ImportCounts, ImportError, ImportFile, ImportFiles, ImportReport } from '../../shared/api.js';

export interface ImportOptions {
  /** When the files describe the library: an ISO 8601 instant (parseAsOf); default now. */
  asOf?: string;
  /** The state files given (COMPLETE_FILES) are the whole truth: what they do not have is closed, cancelled, settled or removed. */
  complete?: boolean;
  /** Who runs it, as the import run records: a username, or the CLI's `cli:<user>`. */
  staff?: string;
  /** The zone of branches that name none (OFFLINE_CIRC_TIME_ZONE, else the host's). */
  defaultZone?: string;
}

/** The state files, each checked and written against the database inside the run's transaction. */
const STATE_FILES: Partial<Record<ImportFile, (run: ImportRun, text: string, fail: Fail) => ImportCounts>> = {
  hours: importHours, closed: importClosures, policies: importPolicies, loans: importLoans, holds: importHolds, bills: importBills,
};

/** Thrown inside the transaction to roll it back when a state file had a bad row. */
class Rejected extends Error {}

/**
 * Checks the given files (their contents) against each other and the database, then
 * writes them all in one transaction — or, if any row is bad, writes nothing and returns
 * every problem with its file and line. Throws a RangeError for a bad as-of time (the
 * callers check it first) and otherwise only on a database failure.
 */
export function importLibraryData(db: Db, files: ImportFiles, options: ImportOptions = {}): ImportReport {
  const asOfResult = parseAsOf(options.asOf);
  if (!asOfResult.ok) throw new RangeError(asOfResult.reason);
  const asOf = asOfResult.asOf;
  const complete = options.complete === true;
  const given = IMPORT_FILES.filter((kind) => files[kind] !== undefined);
  const errors: ImportError[] = [];
  // The code and params are what the app shows (in its language); the English reason is for scripts and the CLI.
  const failFor = (file: ImportFile): Fail => (line, p) => errors.push({ file, line, code: p.code, params: p.params, reason: importErrorText(p) });
  const errorsIn = (file: ImportFile): boolean => errors.some((e) => e.file === file);

  const dbBranches = loadBranches(db);
  const branchRows = files.branches === undefined ? [] : checkBranches(files.branches, dbBranches, failFor('branches'));
  const knownBranches = new Set([...dbBranches.keys(), ...branchRows.map((row) => row.code)]);
  if (files.patrons !== undefined) checkPatrons(db, files.patrons, knownBranches, failFor('patrons'));
  if (files.items !== undefined) checkItems(files.items, knownBranches, failFor('items'));
  const unwritten = new Set((['branches', 'patrons', 'items'] as const satisfies readonly BaseFile[]).filter(errorsIn));

  const counts: ImportReport['counts'] = {};
  const zero = (): ImportReport['counts'] => Object.fromEntries(given.map((kind) => [kind, { inserted: 0, updated: 0, unchanged: 0 }]));
  try {
    db.transaction(() => {
      const runId = Number(db.prepare(`INSERT INTO import_runs (started_at, as_of, staff, files, complete, counts) VALUES (?, ?, ?, ?, ?, '{}')`)
        .run(nowIso(), asOf, options.staff ?? 'unknown', given.join(','), complete ? 1 : 0).lastInsertRowid);
      // A base file with bad rows is not written; so neither is one whose branches were not.
      if (files.branches !== undefined && !unwritten.has('branches')) counts.branches = writeBranches(db, branchRows, dbBranches);
      const branchIds = new Map([...loadBranches(db)].map(([code, branch]) => [code, branch.id]));
      if (files.patrons !== undefined && !unwritten.has('patrons') && !unwritten.has('branches')) {
        counts.patrons = writePatrons(db, files.patrons, branchIds, nowIso());
      }
      if (files.items !== undefined && !unwritten.has('items') && !unwritten.has('branches')) {
        counts.items = writeItems(db, files.items, branchIds, asOf, statusesFromState(files));
      }
      const run = new ImportRun(db, runId, asOf, complete, options.defaultZone ?? defaultTimeZone(), unwritten, knownBranches);
      for (const kind of given) {
        const importFile = STATE_FILES[kind];
        if (importFile) counts[kind] = withoutStateCounts(kind, importFile(run, files[kind]!, failFor(kind)), complete);
      }
      if (errors.length > 0) throw new Rejected();
      db.prepare('UPDATE import_runs SET counts = ? WHERE id = ?').run(JSON.stringify(counts), runId);
    })();
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
  }
  if (errors.length > 0) {
    // Branch parents are checked once their whole file is read: show errors in file order.
    errors.sort((a, b) => IMPORT_FILES.indexOf(a.file) - IMPORT_FILES.indexOf(b.file) || a.line - b.line);
    return { ok: false, as_of: asOf, counts: zero(), errors };
  }
  return { ok: true, as_of: asOf, counts: Object.fromEntries(given.map((kind) => [kind, counts[kind]!])), errors };
}

/**
 * The item statuses the loans and holds files of a run imply, by barcode: out on loan, or
 * set aside on the hold shelf. Only the columns needed are kept; a malformed file yields
 * what it can (its own check reports the rest).
 */
function statusesFromState(files: ImportFiles): Map<string, string> {
  const statuses = new Map<string, string>();
  const ignore: Fail = () => undefined;
  if (files.loans !== undefined) {
    forEachRow(files.loans, LOAN_COLUMNS, ignore, ([barcode]) => { if (barcode) statuses.set(barcode, 'checked_out'); });
  }
  if (files.holds !== undefined) {
    forEachRow(files.holds, HOLD_COLUMNS, ignore, ([, barcode, , , , status]) => {
      if (barcode && status === 'on_shelf') statuses.set(barcode, 'on_hold_shelf');
    });
  }
  return statuses;
}

/** What a file's counts say: removals only where the file could be complete (and was), kept rows only when there were some. */
function withoutStateCounts(kind: ImportFile, counts: ImportCounts, complete: boolean): ImportCounts {
  const { removed, kept_newer: kept, ...rest } = counts;
  const shown: ImportCounts = { ...rest };
  if (complete && (COMPLETE_FILES as readonly string[]).includes(kind)) shown.removed = removed ?? 0;
  if (kept) shown.kept_newer = kept;
  return shown;
}

/** The import bound to the app's database, as the routes use it. */
export class LibraryImport {
  constructor(private readonly db: Db) {}

  run(files: ImportFiles, options: ImportOptions = {}): ImportReport {
    return importLibraryData(this.db, files, options);
  }
}
