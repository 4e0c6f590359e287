/** Sizes, paths and small helpers shared by the benchmark's parts. */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Sizes {
  patrons: number;
  items: number;
  /** Transactions in the in-process processing run (and its ceiling). */
  processing: number;
  ingestWorkstations: number;
  ingestPerWorkstation: number;
  ingestChunkMin: number;
  ingestChunkMax: number;
  /** Transactions processed by the server while its memory is watched. */
  memory: number;
  /** Transactions processed by the server while plain reads are timed. */
  responsiveness: number;
  /** Upper bound on the reads fired during that run. */
  responsivenessMaxRequests: number;
  deskPreload: number;
  deskScans: number;
  deskUpload: number;
}

export const FULL: Sizes = {
  patrons: 100_000,
  items: 500_000,
  processing: 100_000,
  ingestWorkstations: 50,
  ingestPerWorkstation: 2_000,
  ingestChunkMin: 250,
  ingestChunkMax: 1_000,
  memory: 1_000_000,
  responsiveness: 100_000,
  responsivenessMaxRequests: 20_000,
  deskPreload: 50_000,
  deskScans: 200,
  deskUpload: 10_000,
};

/** `--quick`: every size divided by ten (the 50 workstations stay 50, each uploading a tenth). */
export function quickSizes(): Sizes {
  const s = { ...FULL };
  for (const key of ['patrons', 'items', 'processing', 'ingestPerWorkstation', 'memory', 'responsiveness', 'responsivenessMaxRequests',
    'deskPreload', 'deskScans', 'deskUpload'] as const) s[key] = Math.round(FULL[key] / 10);
  return s;
}

export const BENCH_DIR = resolve('bench');
/** This run's own directory (two runs at once, say a test and a full run, never share files). */
export const DATA_DIR = join(BENCH_DIR, 'data', `run-${process.pid}`);

/** A fresh directory under bench/data for one part of the run. */
export function freshDir(name: string): string {
  const dir = join(DATA_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copies the library database (closed and checkpointed) into a part's own directory, as circulation.sqlite. */
export function copyLibrary(libraryFile: string, dir: string): string {
  const file = join(dir, 'circulation.sqlite');
  copyFileSync(libraryFile, file);
  for (const suffix of ['-wal', '-shm']) if (existsSync(libraryFile + suffix)) copyFileSync(libraryFile + suffix, file + suffix);
  return file;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function log(message: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${message}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
