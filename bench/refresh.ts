/**
 * A full refresh of the bench library through the real import (issue 13): the files a
 * library system would write for it — branches with their time zones, opening hours, a
 * year of closures for every branch, loan policies, every patron and item (with its
 * record id), every open loan, hold and open balance — loaded by `npm run import` as a
 * child process with --complete and an as-of time, timed, with its peak memory
 * (getrusage's maxRSS, read as the child exits). The files are the library's state a day
 * later: some loans returned and some new, renewals, holds filled and placed, bills.
 * Then the same files again (nothing changes), and the offline data the desks would
 * download after it: its gzipped size and build time, before and after the closures.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { request as httpRequest } from 'node:http';
import { openDatabase } from '../server/db/open.js';
import { ADMIN, BENCH_PASSWORD, BRANCH_COUNT, SYSTEM_CODE, branchCode } from './dataset.js';
import { below, mulberry32, type Rng } from './prng.js';
import { copyLibrary, freshDir, log, round } from './common.js';
import { startServer } from './server.js';

export interface RefreshResult {
  patrons: number;
  items: number;
  loans: number;
  holds: number;
  bills: number;
  closures: number;
  /** The files' total size, in MB. */
  files_mb: number;
  seconds: number;
  peak_rss_mb: number;
  /** Rows of every file, per second. */
  rows_per_s: number;
  /** What the refresh changed, file by file, as the import reported it. */
  output: string;
  again_output: string;
  again_seconds: number;
  again_peak_rss_mb: number;
  snapshot_before_kb: number;
  snapshot_after_kb: number;
  snapshot_build_ms: number;
}

/** The files describe the library early on the day of the bench's sessions (dataset.ts SESSION_START). */
const AS_OF = '2026-01-05T06:00:00Z';
const DAY = 86400_000;

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Writes a CSV file row by row (half a million items never sit in one string here); returns its row count. */
async function writeCsv(file: string, header: string, rows: Iterable<(string | number | null)[]>): Promise<number> {
  const out = createWriteStream(file);
  let count = 0;
  let chunk = `${header}\n`;
  for (const row of rows) {
    chunk += `${row.map(csvCell).join(',')}\n`;
    count++;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return count;
}

/** The record id a library system would give a bench title ("Title 000123" → "R000123"). */
const recordOf = (title: string): string => `R${title.slice(6)}`;

/** A year of closures for a branch: public holidays, an inventory week, a training day a month. */
function closuresFor(branch: number, rng: Rng): [string, string, string][] {
  const year: [string, string, string][] = [
    ['2026-01-01', '2026-01-01', "New Year's Day"], ['2026-01-19', '2026-01-19', 'Martin Luther King Jr. Day'],
    ['2026-02-16', '2026-02-16', "Presidents' Day"], ['2026-05-25', '2026-05-25', 'Memorial Day'], ['2026-06-19', '2026-06-19', 'Juneteenth'],
    ['2026-07-03', '2026-07-04', 'Independence Day'], ['2026-09-07', '2026-09-07', 'Labor Day'], ['2026-11-11', '2026-11-11', 'Veterans Day'],
    ['2026-11-26', '2026-11-27', 'Thanksgiving'], ['2026-12-24', '2026-12-26', 'Christmas'], ['2026-12-31', '2026-12-31', "New Year's Eve"],
  ];
  const inventory = 2 + below(rng, 9);
  year.push([`2026-${String(inventory).padStart(2, '0')}-0${1 + below(rng, 3)}`, `2026-${String(inventory).padStart(2, '0')}-1${below(rng, 3)}`,
    `Inventory at branch ${branch + 1}`]);
  for (let month = 1; month <= 12; month++) {
    const day = String(10 + below(rng, 15)).padStart(2, '0');
    const date = `2026-${String(month).padStart(2, '0')}-${day}`;
    if (!year.some(([first]) => first === date)) year.push([date, date, 'Staff training']);
  }
  return year;
}

/** Reads the bench library and writes the library system's files for the next morning. */
async function writeFiles(libraryFile: string, dir: string): Promise<{ files: Record<string, string>; counts: Record<string, number> }> {
  const rng = mulberry32(20260105);
  const db = openDatabase(libraryFile);
  const files: Record<string, string> = {};
  const counts: Record<string, number> = {};
  const file = (kind: string) => (files[kind] = join(dir, `${kind}.csv`));
  try {
    // Two zones: the system keeps Chicago time, the last five branches Denver's.
    counts.branches = await writeCsv(file('branches'), 'code,name,parent,time_zone', [
      [SYSTEM_CODE, 'Benchmark Library System', null, 'America/Chicago'],
      ...Array.from({ length: BRANCH_COUNT }, (_, b) => [branchCode(b), `Bench Branch ${b + 1}`, SYSTEM_CODE, b >= 5 ? 'America/Denver' : null]),
    ]);
    counts.hours = await writeCsv(file('hours'), 'branch,mon,tue,wed,thu,fri,sat,sun', [
      [SYSTEM_CODE, '09:00-20:00', '09:00-20:00', '09:00-20:00', '09:00-20:00', '09:00-18:00', '10:00-17:00', null],
      [branchCode(2), '09:00-12:00,13:00-18:00', '09:00-12:00,13:00-18:00', null, '09:00-12:00,13:00-18:00', '09:00-18:00', '10:00-14:00', null],
    ]);
    counts.closed = await writeCsv(file('closed'), 'branch,first,last,reason',
      Array.from({ length: BRANCH_COUNT }, (_, b) => closuresFor(b, rng).map(([first, last, reason]) => [branchCode(b), first, last, reason])).flat());
    counts.policies = await writeCsv(file('policies'), 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out', [
      [null, null, 21, 2, 25, 1000, 50], ['book', 'juvenile', 28, 3, 10, 500, 20], ['dvd', null, 7, 1, 100, 1500, 10], ['magazine', null, 7, 0, 25, 500, null],
      ['audiobook', null, 14, 2, 25, 1000, null], [null, 'staff', 42, 5, 0, 0, null], [null, 'juvenile', 21, 2, 10, 500, 20],
    ]);

    const branchCodes = new Map((db.prepare('SELECT id, code FROM branches').all() as { id: number; code: string }[]).map((b) => [b.id, b.code]));
    const activeCard = new Map((db.prepare('SELECT patron_id, barcode FROM patron_cards WHERE active = 1').all() as { patron_id: number; barcode: string }[])
      .map((c) => [c.patron_id, c.barcode]));
    // Half a percent of the patrons renewed their card since: a later expiry.
    counts.patrons = await writeCsv(file('patrons'), 'barcode,first_name,last_name,profile,home_branch,expires_on,barred',
      (function* () {
        for (const p of db.prepare('SELECT id, first_name, last_name, profile, home_branch_id, expires_on, barred FROM patrons ORDER BY id').iterate() as
          Iterable<{ id: number; first_name: string; last_name: string; profile: string; home_branch_id: number; expires_on: string; barred: number }>) {
          const card = activeCard.get(p.id);
          if (!card) continue;
          const renewed = rng() < 0.005;
          yield [card, p.first_name, p.last_name, p.profile, branchCodes.get(p.home_branch_id)!, renewed ? '2029-12-31' : p.expires_on, p.barred ? 'true' : 'false'];
        }
      })());

    // Open loans: 2 % went back in the library system (absent: a complete file closes them), 3 % renewed, and new loans of items on the shelf.
    const loans = db.prepare(`SELECT i.id AS item_id, i.barcode, l.patron_id, l.checkout_at, l.due_at, l.renewals, l.checkout_branch_id, i.status
      FROM loans l JOIN items i ON i.id = l.item_id WHERE l.checkin_at IS NULL ORDER BY i.id`).all() as
      { item_id: number; barcode: string; patron_id: number; checkout_at: string; due_at: string; renewals: number; checkout_branch_id: number; status: string }[];
    const returned = new Set<number>();
    const loanRows: (string | number | null)[][] = [];
    for (const l of loans) {
      if (l.status === 'checked_out' && rng() < 0.02) { returned.add(l.item_id); continue; }
      const renewed = rng() < 0.03;
      loanRows.push([l.barcode, activeCard.get(l.patron_id) ?? null, l.checkout_at,
        renewed ? new Date(Date.parse(l.due_at) + 21 * DAY).toISOString() : l.due_at, renewed ? l.renewals + 1 : l.renewals, branchCodes.get(l.checkout_branch_id)!]);
    }
    const patronCount = activeCard.size;
    const patronIds = [...activeCard.keys()];
    const onShelf = db.prepare(`SELECT i.barcode, i.owning_branch_id FROM items i WHERE i.status = 'available' AND i.id % 97 = 0`).all() as
      { barcode: string; owning_branch_id: number }[];
    for (const item of onShelf.slice(0, Math.round(loans.length * 0.02))) {
      const day = 1 + below(rng, 3);
      loanRows.push([item.barcode, activeCard.get(patronIds[below(rng, patronCount)])!, `2026-01-0${day}`, `2026-01-${String(day + 21).padStart(2, '0')}`, 0,
        branchCodes.get(item.owning_branch_id)!]);
    }
    counts.loans = await writeCsv(file('loans'), 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch', loanRows);

    // Items: every one with its record id; the ones returned in the library system are back on the shelf.
    counts.items = await writeCsv(file('items'), 'barcode,title,author,call_number,item_type,owning_branch,status,record_id',
      (function* () {
        for (const i of db.prepare('SELECT id, barcode, title, author, call_number, item_type, owning_branch_id, status FROM items ORDER BY id').iterate() as
          Iterable<{ id: number; barcode: string; title: string; author: string; call_number: string; item_type: string; owning_branch_id: number; status: string }>) {
          yield [i.barcode, i.title, i.author, i.call_number, i.item_type, branchCodes.get(i.owning_branch_id)!, returned.has(i.id) ? 'available' : i.status, recordOf(i.title)];
        }
      })());

    // Holds: 5 % filled or cancelled there (absent), the rest waiting, and 1 % more placed on titles.
    const holds = db.prepare(`SELECT h.patron_id, i.barcode, h.title, h.pickup_branch_id, h.created_at FROM holds h LEFT JOIN items i ON i.id = h.item_id
      WHERE h.status = 'pending' ORDER BY h.id`).all() as { patron_id: number; barcode: string | null; title: string | null; pickup_branch_id: number; created_at: string }[];
    const holdRows: (string | number | null)[][] = [];
    const seen = new Set<string>();
    for (const h of holds) {
      if (rng() < 0.05) continue;
      const card = activeCard.get(h.patron_id);
      const key = `${card}|${h.title ?? h.barcode}`;
      if (!card || seen.has(key)) continue;
      seen.add(key);
      holdRows.push([card, h.title === null ? h.barcode : null, h.title === null ? null : recordOf(h.title), branchCodes.get(h.pickup_branch_id)!, h.created_at, 'waiting']);
    }
    const titles = db.prepare('SELECT DISTINCT title FROM items WHERE id % 211 = 0').pluck().all() as string[];
    for (const title of titles.slice(0, Math.round(holds.length * 0.01))) {
      const card = activeCard.get(patronIds[below(rng, patronCount)])!;
      if (seen.has(`${card}|${title}`)) continue;
      holdRows.push([card, null, recordOf(title), branchCode(below(rng, BRANCH_COUNT)), '2026-01-04', 'waiting']);
    }
    counts.holds = await writeCsv(file('holds'), 'patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status', holdRows);

    // Open balances: one patron in twenty owes something.
    counts.bills = await writeCsv(file('bills'), 'patron_barcode,amount_cents,reason,billed_at',
      patronIds.filter(() => rng() < 0.05).map((id) => [activeCard.get(id)!, 100 + below(rng, 4900), rng() < 0.8 ? 'Overdue' : 'Lost item',
        `2025-12-${String(1 + below(rng, 28)).padStart(2, '0')}`]));
  } finally {
    db.close();
  }
  return { files, counts };
}

/** One run of `npm run import` on the files, timed, with the child's peak resident memory. */
function runImport(dataDir: string, files: Record<string, string>): { seconds: number; peakMb: number; output: string } {
  const peakFile = join(dataDir, 'peak.json');
  const args = Object.entries(files).flatMap(([kind, path]) => [`--${kind}`, path]);
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', './bench/report-peak.ts', 'server/cli/import.ts', ...args,
    '--as-of', AS_OF, '--complete', '--data-dir', dataDir], {
    cwd: resolve('.'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, BENCH_PEAK_FILE: peakFile, OFFLINE_CIRC_TIME_ZONE: 'America/Chicago' },
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`the import failed (${run.status}):\n${run.stderr.slice(0, 4000)}`);
  const { maxRssKb } = JSON.parse(readFileSync(peakFile, 'utf8')) as { maxRssKb: number };
  return { seconds, peakMb: maxRssKb / 1024, output: run.stdout.trim() };
}

/** One HTTP request on loopback: its status, headers and body's length in bytes (the body kept when asked). */
function fetchRaw(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; setCookie: string[]; bytes: number }> {
  return new Promise((resolveReply, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolveReply({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [], bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GET /api/snapshot as a desk fetches it (gzip): its size, and how long the server took to build and send it. */
async function snapshot(dataDir: string): Promise<{ kb: number; ms: number }> {
  const server = await startServer(dataDir);
  try {
    const login = await fetchRaw(new URL('/api/auth/login', server.url), 'POST', {}, JSON.stringify({ username: ADMIN, password: BENCH_PASSWORD }));
    const cookie = login.setCookie.find((c) => c.startsWith('oc_session='))?.split(';')[0];
    if (login.status !== 200 || !cookie) throw new Error(`snapshot: login failed (${login.status})`);
    const started = performance.now();
    const reply = await fetchRaw(new URL('/api/snapshot', server.url), 'GET', { cookie, 'accept-encoding': 'gzip' });
    const ms = performance.now() - started;
    if (reply.status !== 200) throw new Error(`snapshot: HTTP ${reply.status}`);
    return { kb: reply.bytes / 1024, ms };
  } finally {
    await server.stop();
  }
}

export async function measureRefresh(libraryFile: string): Promise<RefreshResult> {
  const dir = freshDir('refresh');
  const dataDir = join(dir, 'data');
  copyLibrary(libraryFile, freshDir('refresh/data'));
  log('refresh: writing the library system\'s files');
  const { files, counts } = await writeFiles(libraryFile, dir);
  const before = await snapshot(dataDir);
  const mb = Object.values(files).reduce((sum, f) => sum + statSync(f).size, 0) / 1024 ** 2;
  log(`refresh: importing ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')} (${mb.toFixed(1)} MB)`);
  const first = runImport(dataDir, files);
  log(`refresh: ${first.seconds.toFixed(1)} s, peak ${Math.round(first.peakMb)} MB\n${first.output}`);
  const after = await snapshot(dataDir);
  const again = runImport(dataDir, files);
  log(`refresh: the same files again in ${again.seconds.toFixed(1)} s, peak ${Math.round(again.peakMb)} MB\n${again.output}`);
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    patrons: counts.patrons, items: counts.items, loans: counts.loans, holds: counts.holds, bills: counts.bills, closures: counts.closed,
    files_mb: round(mb, 1), seconds: round(first.seconds, 2), peak_rss_mb: round(first.peakMb, 1), rows_per_s: Math.round(rows / first.seconds),
    output: first.output, again_output: again.output, again_seconds: round(again.seconds, 2), again_peak_rss_mb: round(again.peakMb, 1),
    snapshot_before_kb: round(before.kb, 1), snapshot_after_kb: round(after.kb, 1), snapshot_build_ms: Math.round(after.ms),
  };
}
