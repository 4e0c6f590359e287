/**
 * Loads a library's own data from CSV files into the circulation database (SPEC §3;
 * README "Loading a library's own data" documents every column):
 *
 *   npm run import -- --branches b.csv --patrons p.csv --items i.csv [--loans l.csv …] [--as-of TIME] [--complete] [--data-dir DIR]
 *
 * Any subset of the files, at least one. The database is `<data dir>/circulation.sqlite`,
 * the data dir being --data-dir, else $DATA_DIR, else ./data — the same place the server
 * uses. Nothing is written unless every row of every file is good; otherwise each bad row
 * is printed as `<file> line <n>: <reason>`. A run that imported is recorded in the audit
 * trail as done from the command line by the system user who ran it.
 *
 * Exit status: 0 imported, 1 nothing imported because of bad rows, 2 bad command line
 * or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open.js';
import { importLibraryData, type ImportFiles } from '../import/library-import.js';
import { parseAsOf } from '../import/times.js';
import { AuditRepo } from '../repo/audit-repo.js';
import { COMPLETE_FILES, IMPORT_FILES, type ImportFile } from '../../shared/schemas/library-import.js';

const USAGE = `Usage: npm run import -- [--branches FILE] [--hours FILE] [--closed FILE] [--policies FILE] [--patrons FILE] [--items FILE]
                         [--loans FILE] [--holds FILE] [--bills FILE] [--as-of TIME] [--complete] [--data-dir DIR]

Imports CSV files (UTF-8, header row) into <DIR>/circulation.sqlite; DIR defaults to
$DATA_DIR, else ./data. Give at least one file. Columns (README: "Loading a library's own data"):
  --branches FILE   code,name,parent[,time_zone]
  --hours FILE      branch,mon,tue,wed,thu,fri,sat,sun   (09:00-17:00, "09:00-12:00,13:00-17:00", blank = closed)
  --closed FILE     branch,first,last,reason             (last blank: one day)
  --policies FILE   item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out
  --patrons FILE    barcode,first_name,last_name,profile,home_branch,expires_on,barred
  --items FILE      barcode,title,author,call_number,item_type,owning_branch,status[,record_id]
  --loans FILE      item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch
  --holds FILE      patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status   (status waiting or on_shelf)
  --bills FILE      patron_barcode,amount_cents,reason,billed_at
  --as-of TIME      when the files describe the library (ISO 8601 with Z or an offset; default now):
                    what the import changes takes effect then, so scans made before it are skipped as stale
  --complete        the ${COMPLETE_FILES.join(', ')} files given are the whole truth: open loans, holds and bills
                    they do not have are closed, cancelled and settled at the as-of time; closures, policies
                    and hours they do not have are removed`;

function main(argv: string[]): number {
  let options;
  try {
    options = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(IMPORT_FILES.map((kind) => [kind, { type: 'string' as const }])) as Record<ImportFile, { type: 'string' }>,
        'as-of': { type: 'string' },
        complete: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const paths = IMPORT_FILES.filter((kind) => options[kind] !== undefined).map((kind) => [kind, options[kind] as string] as const);
  if (paths.length === 0) return usageError(`give at least one of ${IMPORT_FILES.map((kind) => `--${kind}`).join(', ')}`);
  const asOf = parseAsOf(options['as-of']);
  if (!asOf.ok) return usageError(`--as-of: ${asOf.reason}`);
  if (options.complete && !paths.some(([kind]) => (COMPLETE_FILES as readonly string[]).includes(kind))) {
    return usageError(`--complete applies to ${COMPLETE_FILES.map((kind) => `--${kind}`).join(', ')}: give one of them`);
  }

  const files: ImportFiles = {};
  for (const [kind, path] of paths) {
    const text = readText(path);
    if (text === null) return 2;
    files[kind] = text;
  }

  const dataDir = resolve(options['data-dir'] ?? process.env.DATA_DIR ?? 'data');
  const dbFile = join(dataDir, 'circulation.sqlite');
  const db = openDatabase(dbFile);
  try {
    const staff = `cli:${systemUser()}`;
    const report = importLibraryData(db, files, { asOf: asOf.asOf, complete: options.complete === true, staff });
    const nameOf = new Map(paths.map(([kind, path]) => [kind, basename(path)]));
    if (!report.ok) {
      const lines = report.errors.map((e) => `${nameOf.get(e.file)} line ${e.line}: ${e.reason}`);
      lines.push(`Nothing was imported: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}.`);
      process.stderr.write(lines.join('\n') + '\n');
      return 1;
    }
    new AuditRepo(db).record(staff, null, 'library.import', paths.map(([kind]) => kind).join(','),
      { as_of: report.as_of, complete: options.complete === true, counts: report.counts });
    const lines = [`Imported into ${dbFile}:`, `  as of ${report.as_of}${options.complete ? ', the state files complete' : ''}`];
    for (const [kind] of paths) {
      const c = report.counts[kind]!;
      const extra = [c.removed === undefined ? '' : `, ${c.removed} ${REMOVED_WORD[kind] ?? 'removed'}`,
        c.kept_newer ? `, ${c.kept_newer} kept (changed here after the as-of time)` : ''].join('');
      lines.push(`  ${nameOf.get(kind)} (${kind}): ${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged${extra}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    db.close();
  }
}

/** What `removed` means for each file a run may declare complete. */
const REMOVED_WORD: Partial<Record<ImportFile, string>> = { loans: 'closed', holds: 'cancelled', bills: 'settled' };

function systemUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

function usageError(message: string): number {
  console.error(`import: ${message}\n\n${USAGE}`);
  return 2;
}

/** Reads a file as strict UTF-8: silently replacing bad bytes would import garbled names. */
function readText(path: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    console.error(`import: cannot read ${path}: ${why}`);
    return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    console.error(`import: ${path} is not UTF-8 text; save it as UTF-8 CSV and try again`);
    return null;
  }
}

process.exitCode = main(process.argv.slice(2));
