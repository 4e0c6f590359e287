/**
 * `npm run test:bench` — the benchmark still works: its quick mode (every size a tenth)
 * runs once, end to end — data, processing, uploads over HTTP, the server's memory and
 * responsiveness, the desk in Chromium, the consortium's offline data — and reports every measurement as a number.
 * No timing is checked: numbers depend on the machine and belong in bench/results.json
 * and the README, not in a test. `npm test` runs this after `npm run build`, so the desk
 * part measures the app just built; the results go to a temporary file, never over
 * bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The quick run takes under a minute here; this only stops a hung browser or server from hanging CI. */
const TIMEOUT_MS = 240_000;

/** Every number each part must report. */
const MEASUREMENTS: Record<string, string[]> = {
  processing: ['transactions', 'seconds', 'tx_per_s', 'ceiling_rows_per_s', 'ratio'],
  ingest: ['workstations', 'transactions', 'chunks', 'seconds', 'tx_per_s', 'chunk_p50_ms', 'chunk_p95_ms'],
  memory: ['transactions', 'peak_rss_mb', 'rss_before_mb', 'seconds', 'tx_per_s'],
  responsiveness: ['transactions', 'requests', 'p50_ms', 'p95_ms', 'seconds'],
  desk: ['on_device', 'scans', 'scan_p50_ms', 'scan_p95_ms', 'burst_p95_ms', 'cold_start_ms', 'app_js_gzip_kb', 'sw_js_gzip_kb',
    'upload_transactions', 'upload_seconds'],
  refresh: ['patrons', 'items', 'loans', 'holds', 'bills', 'closures', 'seconds', 'peak_rss_mb', 'again_seconds', 'snapshot_after_kb', 'snapshot_build_ms'],
  consortium: ['patrons', 'items', 'full_gzip_mb', 'full_build_ms', 'delta_gzip_kb', 'delta_percent', 'desk_store_seconds', 'scan_p95_ms',
    'cold_start_ms', 'peak_rss_mb'],
};

/** The plain run's parts and the consortium's, which a plain run leaves out. */
const PARTS = Object.keys(MEASUREMENTS).filter((part) => part !== 'consortium');

interface Report {
  mode: string;
  machine: Record<string, unknown>;
  results: Record<string, Record<string, unknown>>;
  table: { measure: string; value: unknown }[];
}

const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/** What is wrong with the report; empty when every part reported every measurement. */
function problems(report: Report): string[] {
  const found: string[] = [];
  if (report.mode !== 'quick') found.push(`mode = ${String(report.mode)}, expected quick`);
  if (!isNumber(report.machine?.cores)) found.push(`machine.cores = ${String(report.machine?.cores)}`);
  for (const [part, keys] of Object.entries(MEASUREMENTS)) {
    for (const key of keys) {
      const value = report.results?.[part]?.[key];
      if (!isNumber(value)) found.push(`${part}.${key} = ${String(value)}`);
    }
  }
  const table = report.table ?? [];
  if (table.length < 8) found.push(`the table has ${table.length} rows, expected at least 8`);
  for (const row of table) if (!isNumber(row.value)) found.push(`${row.measure}: ${String(row.value)}`);
  return found;
}

function main(): number {
  const dir = mkdtempSync(join(tmpdir(), 'offline-circ-bench-'));
  try {
    const out = join(dir, 'results.json');
    // The bench's own command line, as `npm run bench -- --quick` runs it, with the consortium's part (a tenth of it too);
    // its progress shows as it goes.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out, '--only', PARTS.join(','), '--consortium'],
      { cwd: ROOT, stdio: 'inherit', timeout: TIMEOUT_MS, killSignal: 'SIGTERM' });
    if (run.error || run.status !== 0) {
      console.error(`bench smoke: the quick bench failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`);
      return 1;
    }
    const found = problems(JSON.parse(readFileSync(out, 'utf8')) as Report);
    if (found.length) {
      console.error(`bench smoke: measurements missing or not numbers:\n  ${found.join('\n  ')}`);
      return 1;
    }
    console.log('bench smoke: every part ran and reported every measurement as a number');
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
