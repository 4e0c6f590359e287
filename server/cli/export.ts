/**
 * Writes a session as a file for the library system (SPEC §4; README "Back to the library
 * system"):
 *
 *   npm run export -- --session ID --format koc|evergreen|jsonl [--outcome applied] [--out FILE] [--data-dir DIR]
 *
 * The file goes to standard output, or to FILE with --out; what it does not carry goes to
 * standard error, one line each, never into the file (each file holds only lines its system
 * reads). The database is found as `npm run import` finds it. Exit status: 0 written (even
 * with things not carried: they are listed), 1 no such session, 2 bad command line or an
 * unwritable file.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open.js';
import { defaultTimeZone } from '../config.js';
import { CalendarsRepo } from '../repo/calendars-repo.js';
import { SessionExportRepo } from '../repo/session-export-repo.js';
import { SessionsRepo } from '../repo/sessions-repo.js';
import { NEVER_CARRIES, SessionExporter } from '../export/session-export.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/schemas/export.js';

const USAGE = `Usage: npm run export -- --session ID --format koc|evergreen|jsonl [--outcome applied] [--out FILE] [--data-dir DIR]

Writes the session's transactions (in processing order, the voided left out) as
  koc        Koha's offline circulation file, for "Upload offline circulation file"
  evergreen  Evergreen's offline transactions, for its offline upload
  jsonl      this app's own JSON lines (lossless)
  --outcome applied   only what processing applied (with or without a notice): the clean session
  --out FILE          write the file there instead of to standard output
What the format cannot carry is listed on standard error. The database is <DIR>/circulation.sqlite;
DIR defaults to $DATA_DIR, else ./data.`;

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        session: { type: 'string' }, format: { type: 'string' }, outcome: { type: 'string' }, out: { type: 'string' },
        'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (!options.session || !/^\d{1,9}$/.test(options.session)) return usageError('give --session and the session\'s number');
  if (!options.format || !(EXPORT_FORMATS as readonly string[]).includes(options.format)) return usageError(`give --format ${EXPORT_FORMATS.join(', ')}`);
  if (options.outcome !== undefined && options.outcome !== 'applied') return usageError('--outcome takes only applied');
  const format = options.format as ExportFormat;

  const dataDir = resolve(options['data-dir'] ?? process.env.DATA_DIR ?? 'data');
  const db = openDatabase(join(dataDir, 'circulation.sqlite'));
  try {
    const session = new SessionsRepo(db).row(Number(options.session));
    if (!session) {
      console.error(`export: there is no session ${options.session} in ${join(dataDir, 'circulation.sqlite')}`);
      return 1;
    }
    const zone = defaultTimeZone();
    const exporter = new SessionExporter(new SessionExportRepo(db), () => new CalendarsRepo(db).all(zone), zone);
    const plan = exporter.plan(session, format, options.outcome === 'applied');
    let out: WriteStream | NodeJS.WriteStream = process.stdout;
    if (options.out) {
      out = createWriteStream(options.out);
      try {
        await once(out, 'open');
      } catch (error) {
        console.error(`export: cannot write ${options.out}: ${(error as Error).message}`);
        return 2;
      }
    }
    let notCarried = 0;
    const left = new Set<string>();
    for (const slice of exporter.slices(plan)) {
      if (!out.write(slice.text)) await once(out, 'drain');
      for (const n of slice.notCarried) {
        notCarried++;
        if (n.field === undefined) left.add(n.id);
        process.stderr.write(`not carried: ${n.type} ${n.id}${n.field ? ` (${n.field})` : ' (left out)'}: ${n.reason}\n`);
      }
    }
    if (out !== process.stdout) {
      (out as WriteStream).end();
      await once(out, 'finish');
    }
    for (const never of NEVER_CARRIES[format]) {
      process.stderr.write(`never carried by ${format}: ${never.field}: ${never.reason}\n`);
    }
    process.stderr.write(`Session ${session.id} “${session.name}” as ${format}${options.outcome ? ' (applied only)' : ''}`
      + `${format === 'koc' ? `, times in ${plan.zone}` : ''}: ${plan.order.length - left.size} of ${plan.order.length} transactions written`
      + `${options.out ? ` to ${options.out}` : ''}; ${notCarried} thing(s) not carried (listed above).\n`);
    return 0;
  } finally {
    db.close();
  }
}

function usageError(message: string): number {
  console.error(`export: ${message}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
