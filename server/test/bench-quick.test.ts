/**
 * The benchmark (bench/, `npm run bench`) still works: its quick mode (every
 * size a tenth) runs once, end to end — data, processing, uploads over HTTP,
 * the server's memory and responsiveness, the desk in Chromium — and reports
 * every measurement. No timing is asserted: numbers depend on the machine
 * and belong in bench/results.json and the README, not in a test.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MEASUREMENTS: Record<string, string[]> = {
  processing: ['transactions', 'seconds', 'tx_per_s', 'ceiling_rows_per_s', 'ratio'],
  ingest: ['workstations', 'transactions', 'chunks', 'seconds', 'tx_per_s', 'chunk_p50_ms', 'chunk_p95_ms'],
  memory: ['transactions', 'peak_rss_mb', 'rss_before_mb', 'seconds', 'tx_per_s'],
  responsiveness: ['transactions', 'requests', 'p50_ms', 'p95_ms', 'seconds'],
  desk: ['on_device', 'scans', 'scan_p50_ms', 'scan_p95_ms', 'burst_p95_ms', 'cold_start_ms', 'app_js_gzip_kb', 'sw_js_gzip_kb',
    'upload_transactions', 'upload_seconds'],
};

function runBench(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
      cwd: process.cwd(), env: { ...process.env, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => { output = (output + d.toString()).slice(-20_000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`the quick bench did not finish in 4 minutes:\n${output}`)); }, 240_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code) => { clearTimeout(timer); resolveRun({ code, output }); });
  });
}

describe('npm run bench -- --quick', () => {
  it('runs every part and reports every measurement as a number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offline-circ-bench-'));
    try {
      const out = join(dir, 'results.json');
      const { code, output } = await runBench(out);
      expect(code, output).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as {
        mode: string; machine: Record<string, unknown>; results: Record<string, Record<string, unknown>>;
        table: { measure: string; value: unknown; met: unknown }[];
      };
      expect(report.mode).toBe('quick');
      expect(typeof report.machine.cores).toBe('number');
      for (const [part, keys] of Object.entries(MEASUREMENTS)) {
        for (const key of keys) {
          const value = report.results[part]?.[key];
          expect(typeof value === 'number' && Number.isFinite(value), `${part}.${key} = ${String(value)}`).toBe(true);
        }
      }
      expect(report.table.length).toBeGreaterThanOrEqual(8);
      for (const row of report.table) {
        expect(typeof row.value === 'number' && Number.isFinite(row.value), `${row.measure}: ${String(row.value)}`).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
