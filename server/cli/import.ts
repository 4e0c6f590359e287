/**
 * Loads a library's own branches, patrons and items from CSV files into the circulation
 * database (SPEC §3):
 *
 *   npm run import -- --branches b.csv --patrons p.csv --items i.csv [--data-dir DIR]
 *
 * Any subset of the three files, at least one. The database is
 * `<data dir>/circulation.sqlite`, the data dir being --data-dir, else $DATA_DIR, else
 * ./data — the same place the server uses. Nothing is written unless every row of every
 * file is good; otherwise each bad row is printed as `<file> line <n>: <reason>`.
 *
 * Exit status: 0 imported, 1 nothing imported because of bad rows, 2 bad command line
 * or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open.js';
import { importLibraryData, type ImportFiles } from '../import/library-import.js';
import { IMPORT_FILES } from '../../shared/schemas/library-import.js';

const USAGE = `Usage: npm run import -- [--branches FILE] [--patrons FILE] [--items FILE] [--data-dir DIR]

Imports CSV files (UTF-8, header row) into <DIR>/circulation.sqlite; DIR defaults to
$DATA_DIR, else ./data. Give at least one file.
  --branches FILE   columns code,name,parent
  --patrons FILE    columns barcode,first_name,last_name,profile,home_branch,expires_on,barred
  --items FILE      columns barcode,title,author,call_number,item_type,owning_branch,status`;

function main(argv: string[]): number {
  let options;
  try {
    options = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        branches: { type: 'string' },
        patrons: { type: 'string' },
        items: { type: 'string' },
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
  const paths = IMPORT_FILES.filter((kind) => options[kind] !== undefined).map((kind) => [kind, options[kind]!] as const);
  if (paths.length === 0) return usageError('give at least one of --branches, --patrons, --items');

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
    const report = importLibraryData(db, files);
    const nameOf = new Map(paths.map(([kind, path]) => [kind, basename(path)]));
    if (!report.ok) {
      const lines = report.errors.map((e) => `${nameOf.get(e.file)} line ${e.line}: ${e.reason}`);
      lines.push(`Nothing was imported: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}.`);
      process.stderr.write(lines.join('\n') + '\n');
      return 1;
    }
    const lines = [`Imported into ${dbFile}:`];
    for (const [kind] of paths) {
      const c = report.counts[kind];
      lines.push(`  ${nameOf.get(kind)} (${kind}): ${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    db.close();
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
