/**
 * Loads a library's own branches, patrons and items from CSV (SPEC §3, "Real libraries
 * load their own data"); the CLI (cli/import.ts) and POST /api/import both run it.
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
import { IMPORT_FILES } from '../../shared/schemas/library-import.js';
import type { ImportError, ImportFile, ImportFiles, ImportReport } from '../../shared/api.js';
import { noCounts, type Fail } from './rows.js';
import { checkBranches, loadBranches, writeBranches } from './branches.js';
import { checkPatrons, writePatrons } from './patrons.js';
import { checkItems, writeItems } from './items.js';

export type { ImportCounts, ImportError, ImportFile, ImportFiles, ImportReport } from '../../shared/api.js';

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

  const counts = { branches: noCounts(), patrons: noCounts(), items: noCounts() };
  if (errors.length > 0) {
    // Some checks run after a whole file is read (branch parents); show errors in file order.
    errors.sort((a, b) => IMPORT_FILES.indexOf(a.file) - IMPORT_FILES.indexOf(b.file) || a.line - b.line);
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

/** The import bound to the app's database, as the routes use it. */
export class LibraryImport {
  constructor(private readonly db: Db) {}

  run(files: ImportFiles): ImportReport {
    return importLibraryData(this.db, files);
  }
}
