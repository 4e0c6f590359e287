/**
 * `npm run bench` — the performance benchmarks of SPEC §10 / issue #6, in
 * one run on this machine, on deterministic seeded data in its own data
 * directory (bench/data, git-ignored):
 *
 *   processing      the real Processor on a 100,000-transaction session over 100,000 patrons and 500,000 items,
 *                   beside the raw rate of SQLite writing as many result rows in batched transactions (the ceiling)
 *   ingest          50 workstations uploading 2,000 transactions each at once, over HTTP on loopback
 *   memory          peak server RSS while it processes a 1,000,000-transaction session
 *   responsiveness  p95 latency of a plain API read while the server processes 100,000 transactions
 *   desk            Chromium: scan to durable with 50,000 on the device, offline cold start, gzipped JS, uploading 10,000
 *   refresh         a full refresh of the library's state through the real import (npm run import --complete): every patron,
 *                   item, open loan, hold and bill, and a year of closures for every branch; its time and peak memory
 *
 * Options:
 *   --quick         every size divided by ten (what `npm test` runs, to check the bench still works)
 *   --out <file>    where to write the results (default bench/results.json)
 *   --only <parts>  comma-separated parts to run; the others are kept from the existing results file
 */
import { cpus, totalmem, release } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { openDatabase } from '../server/db/open.js';
import { buildLibrary, type LibraryInfo } from './dataset.js';
import { prepareSession } from './session.js';
import { measureProcessing, type ProcessingResult } from './processing.js';
import { measureIngest, type IngestResult } from './ingest.js';
import { measureMemory, measureResponsiveness, type MemoryResult, type ResponsivenessResult } from './server-runs.js';
import { measureDesk, type DeskResult } from './desk.js';
import { killAll } from './server.js';
import { measureRefresh, type RefreshResult } from './refresh.js';
import { DATA_DIR, FULL, copyLibrary, freshDir, log, quickSizes, round, type Sizes } from './common.js';

const PARTS = ['processing', 'ingest', 'memory', 'responsiveness', 'desk', 'refresh'] as const;
type Part = (typeof PARTS)[number];

interface Results {
  processing?: ProcessingResult;
  ingest?: IngestResult;
  memory?: MemoryResult;
  responsiveness?: ResponsivenessResult;
  desk?: DeskResult;
  refresh?: RefreshResult;
}

interface Row { measure: string; target: string; measured: string; met: boolean | null; value: number; unit: string }

function parseArgs(argv: string[]): { quick: boolean; out: string; only: Part[] } {
  let quick = false;
  let out = resolve('bench/results.json');
  let only: Part[] = [...PARTS];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--out') out = resolve(argv[++i] ?? '');
    else if (a === '--only') {
      only = (argv[++i] ?? '').split(',').map((s) => s.trim()).filter(Boolean) as Part[];
      const bad = only.filter((p) => !PARTS.includes(p));
      if (bad.length || !only.length) throw new Error(`--only takes a comma-separated list of ${PARTS.join(', ')}`);
    } else if (a === '--help' || a === '-h') {
      console.log('npm run bench [-- --quick] [--out <file>] [--only processing,ingest,memory,responsiveness,desk,refresh]');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  return { quick, out, only };
}

async function machine(): Promise<Record<string, string | number>> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const db = openDatabase(':memory:');
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  let chromium = 'unknown';
  try {
    const { chromium: pw } = await import('@playwright/test');
    const browser = await pw.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    chromium = browser.version();
    await browser.close();
  } catch { /* reported as unknown */ }
  return {
    cpu_model: model,
    cores: cpus().length,
    ram_gb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    sqlite,
    chromium,
    os: `${process.platform} ${release()}`,
  };
}

// A part kept from an older results file may lack a measure added since (--only): shown as a dash, not a crash.
const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(r: Results, sizes: Sizes): Row[] {
  const rows: Row[] = [];
  const add = (measure: string, target: string, value: number, unit: string, measured: string, met: boolean | null) =>
    rows.push({ measure, target, value, unit, measured, met });
  if (r.processing) {
    const p = r.processing;
    add(`Processing ${fmt(p.transactions)} transactions (${fmt(sizes.patrons)} patrons, ${fmt(sizes.items)} items)`, '≥ 50,000 tx/s',
      p.tx_per_s, 'tx/s', `${fmt(p.tx_per_s)} tx/s`, p.tx_per_s >= 50_000);
    add('  ceiling 1: SQLite updating as many results in place, batched', '—', p.ceiling_rows_per_s, 'rows/s',
      `${fmt(p.ceiling_rows_per_s)} rows/s (processing = ${fmt(100 * p.ratio)} % of it)`, null);
    add('  ceiling 2: SQLite inserting as many result-sized rows, batched', '≥ 10 % of it', p.insert_ceiling_rows_per_s, 'rows/s',
      `${fmt(p.insert_ceiling_rows_per_s)} rows/s (processing = ${fmt(100 * p.insert_ratio, 1)} % of it)`, p.insert_ratio >= 0.1);
  }
  if (r.ingest) {
    const i = r.ingest;
    add(`Ingest: ${i.workstations} workstations × ${fmt(i.transactions / i.workstations)} over HTTP at once`, '≥ 20,000 tx/s',
      i.tx_per_s, 'tx/s', `${fmt(i.tx_per_s)} tx/s`, i.tx_per_s >= 20_000);
    add('  latency per chunk (250–1,000 transactions), p95', '—', i.chunk_p95_ms, 'ms', `${fmt(i.chunk_p95_ms)} ms (p50 ${fmt(i.chunk_p50_ms)} ms)`, null);
  }
  if (r.memory) {
    const m = r.memory;
    add(`Peak server RSS processing ${fmt(m.transactions)} transactions`, '< 200 MB', m.peak_rss_mb, 'MB',
      `${fmt(m.peak_rss_mb)} MB (at ${fmt(m.tx_per_s)} tx/s)`, m.peak_rss_mb < 200);
  }
  if (r.responsiveness) {
    const s = r.responsiveness;
    add(`API read (GET /api/auth/me) while processing ${fmt(s.transactions)}, p95`, '< 50 ms', s.p95_ms, 'ms',
      `${fmt(s.p95_ms, 1)} ms (p50 ${fmt(s.p50_ms, 1)}, ${fmt(s.requests)} reads)`, s.p95_ms < 50);
  }
  if (r.desk) {
    const d = r.desk;
    add(`Desk: scan to durable with ${fmt(d.on_device)} on the device, p95`, '< 30 ms', d.scan_p95_ms, 'ms',
      `${fmt(d.scan_p95_ms, 1)} ms (p50 ${fmt(d.scan_p50_ms, 1)} ms, ${d.scans} scans at a desk's pace)`, d.scan_p95_ms < 30);
    add('  the same, scans back to back, p95', '—', d.burst_p95_ms, 'ms',
      `${fmt(d.burst_p95_ms, 1)} ms (p50 ${fmt(d.burst_p50_ms, 1)} ms, ${d.burst_scans} scans)`, null);
    add('Desk: offline cold start to a usable desk', '< 1 s', d.cold_start_ms, 'ms',
      `${fmt(d.cold_start_ms)} ms (median of ${d.cold_starts_ms.length})`, d.cold_start_ms < 1000);
    add('Desk: gzipped JavaScript (app; service worker apart)', '< 80 kB', d.app_js_gzip_kb, 'kB',
      `${fmt(d.app_js_gzip_kb, 1)} kB (sw.js ${fmt(d.sw_js_gzip_kb, 1)} kB)`, d.app_js_gzip_kb < 80);
    for (const [locale, kb] of Object.entries(d.locale_js_gzip_kb ?? {}).filter(([l]) => l !== 'en-XA')) {
      add(`  a desk in ${locale} adds`, '—', kb, 'kB', `${fmt(kb, 1)} kB`, null);
    }
    add(`Desk: upload ${fmt(d.upload_transactions)} pending transactions`, '—', d.upload_seconds, 's',
      `${fmt(d.upload_seconds, 1)} s (${fmt(d.upload_tx_per_s)} tx/s)`, null);
  }
  if (r.refresh) {
    const f = r.refresh;
    add(`Refresh: ${fmt(f.patrons)} patrons, ${fmt(f.items)} items, ${fmt(f.loans)} loans, ${fmt(f.holds)} holds, ${fmt(f.bills)} bills, `
      + `${fmt(f.closures)} closures (${fmt(f.files_mb, 1)} MB), complete`, '—', f.seconds, 's',
      `${fmt(f.seconds, 1)} s (${fmt(f.rows_per_s)} rows/s), peak ${fmt(f.peak_rss_mb)} MB`, null);
    add('  the same files again (nothing changes)', '—', f.again_seconds, 's', `${fmt(f.again_seconds, 1)} s, peak ${fmt(f.again_peak_rss_mb)} MB`, null);
    add('  offline data after it, with a year of closures for every branch (gzip)', '—', f.snapshot_after_kb, 'kB',
      `${fmt(f.snapshot_after_kb, 1)} kB (before: ${fmt(f.snapshot_before_kb, 1)} kB), built and sent in ${fmt(f.snapshot_build_ms)} ms`, null);
  }
  return rows;
}

function printTable(rows: Row[]): string {
  const head = ['Measure', 'Target', 'Measured', 'Met'];
  const cells = rows.map((r) => [r.measure, r.target, r.measured, r.met === null ? '' : r.met ? 'met' : 'NOT MET']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { quick, out, only } = parseArgs(process.argv.slice(2));
  const sizes = quick ? quickSizes() : FULL;
  const started = performance.now();
  mkdirSync(DATA_DIR, { recursive: true });
  const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) as { mode?: string; results?: Results } : undefined;
  const results: Results = only.length < PARTS.length && previous?.mode === (quick ? 'quick' : 'full') ? { ...previous.results } : {};

  log(`${quick ? 'quick' : 'full'} run: ${only.join(', ')}`);
  const libraryDir = freshDir('library');
  const libraryFile = join(libraryDir, 'circulation.sqlite');
  log(`building the library: ${sizes.patrons} patrons, ${sizes.items} items`);
  const library: LibraryInfo = await buildLibrary(libraryFile, { patrons: sizes.patrons, items: sizes.items });
  log(`library built in ${library.seconds.toFixed(1)} s (${library.counts.loans} open loans, ${library.counts.holds} holds)`);

  if (only.includes('processing')) {
    results.processing = await measureProcessing(libraryFile, library, sizes.processing);
    log(`processing: ${Math.round(results.processing.tx_per_s)} tx/s; ceiling ${Math.round(results.processing.ceiling_rows_per_s)} rows/s`);
  }
  /** A copy of the library in this part's own directory, with a prepared session, for a server to process. */
  const sessionOnCopy = (part: string, count: number, seed: number) => {
    const dir = freshDir(part);
    const db = openDatabase(copyLibrary(libraryFile, dir));
    log(`${part}: preparing a session of ${count}`);
    try {
      return { dir, session: prepareSession(db, { count, seed, name: `Bench ${part}`, branchId: library.systemId, adminId: library.adminId }) };
    } finally {
      db.close();
    }
  };

  if (only.includes('responsiveness')) {
    const { dir, session } = sessionOnCopy('responsiveness', sizes.responsiveness, 505);
    results.responsiveness = await measureResponsiveness(dir, session.sessionId, session.accepted, sizes.responsivenessMaxRequests, 30 * 60_000);
    log(`responsiveness: p95 ${results.responsiveness.p95_ms.toFixed(1)} ms over ${results.responsiveness.requests} reads`);
  }
  if (only.includes('ingest')) {
    results.ingest = await measureIngest(libraryFile, sizes);
    log(`ingest: ${Math.round(results.ingest.tx_per_s)} tx/s, p95 per chunk ${Math.round(results.ingest.chunk_p95_ms)} ms`);
  }
  if (only.includes('memory')) {
    const { dir, session } = sessionOnCopy('memory', sizes.memory, 606);
    log(`memory: prepared in ${session.seconds.toFixed(1)} s`);
    results.memory = await measureMemory(dir, session.sessionId, session.accepted, 60 * 60_000);
    log(`memory: peak RSS ${Math.round(results.memory.peak_rss_mb)} MB`);
  }
  if (only.includes('desk')) {
    results.desk = await measureDesk(libraryFile, library, sizes);
    log(`desk: scan p95 ${results.desk.scan_p95_ms.toFixed(1)} ms, cold start ${Math.round(results.desk.cold_start_ms)} ms`);
  }

  if (only.includes('refresh')) {
    results.refresh = await measureRefresh(libraryFile);
    log(`refresh: ${results.refresh.seconds.toFixed(1)} s, peak RSS ${Math.round(results.refresh.peak_rss_mb)} MB`);
  }

  const rows = table(results, sizes);
  const report = {
    mode: quick ? 'quick' : 'full',
    generated_at: new Date().toISOString(),
    seconds: round((performance.now() - started) / 1000, 1),
    machine: await machine(),
    sizes,
    library: { build_seconds: round(library.seconds, 1), ...library.counts },
    table: rows,
    results,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nBenchmarks (${report.mode}), ${report.machine.cpu_model}, ${report.machine.cores} cores, ${report.machine.ram_gb} GB RAM, Node ${report.machine.node}, SQLite ${report.machine.sqlite}, Chromium ${report.machine.chromium}\n`);
  console.log(printTable(rows));
  console.log(`\nWritten to ${out} (${report.seconds} s).`);
}

function cleanUp(): void {
  killAll();
  if (!process.env.BENCH_KEEP_DATA) rmSync(DATA_DIR, { recursive: true, force: true });
}

main().then(() => { cleanUp(); process.exit(0); }, (err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  cleanUp();
  process.exit(1);
});
