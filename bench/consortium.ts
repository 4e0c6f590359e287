/**
 * Offline data at a consortium's scale (issue 15): `npm run bench -- --consortium`.
 *
 * - The consortium library: 1,000,000 patrons, 5,000,000 items, 200 branches with their
 *   calendars, holds, blocks and bills in the bench library's proportions (bench/dataset.ts),
 *   loaded in one transaction per table with the change log's triggers set aside.
 * - The real server (dist/server/server.mjs) over it, one process for everything below, its
 *   resident memory watched throughout (peak = VmHWM):
 *   - the desks' full offline data (GET /api/snapshot, gzip): its size, the time to build and
 *     send it (the worker thread's first build), the server's CPU time for it, and its size
 *     part by part (each part's JSON gzipped on its own), while GET /api/auth/me is sent every
 *     ~10 ms, not waiting for the one before: how long each waited;
 *   - a day at the desks (the bench's 100,000-transaction session) processed by the server,
 *     then the delta a desk holding the version before it downloads (GET /api/snapshot?since=),
 *     its size against the full data's, with the same probe while it builds;
 *   - a desk in Chromium that registers and stores the whole consortium's offline data, then
 *     in-house-use scans (Enter to "Saved on this device"), paced and back to back, and offline
 *     cold starts, as bench/desk.ts measures them.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { openDatabase } from '../server/db/open.js';
import { itemEntries, patronEntries, titleEntries, type SnapshotDelta } from '../shared/snapshot.js';
import { ADMIN, BENCH_PASSWORD, branchCode, buildLibrary, itemBarcode, type LibraryInfo } from './dataset.js';
import { prepareSession } from './session.js';
import { Client, startServer, type ServerChild } from './server.js';
import { ensureBuilt, fillRegistration, launch, offlineColdStarts, scanner, type ScanTimings } from './desk.js';
import { freshDir, log, percentile, round, sleep } from './common.js';
import type { BrowserContext } from '@playwright/test';

export interface ConsortiumSizes {
  patrons: number;
  items: number;
  branches: number;
  /** Transactions in the day processed between the two versions. */
  session: number;
  deskScans: number;
}

export const CONSORTIUM: ConsortiumSizes = { patrons: 1_000_000, items: 5_000_000, branches: 200, session: 100_000, deskScans: 200 };

/** `--quick`: a tenth of everything. */
export const quickConsortium = (): ConsortiumSizes =>
  ({ patrons: 100_000, items: 500_000, branches: 20, session: 10_000, deskScans: 20 });

export interface LatencyProbe {
  requests: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  /** Requests that waited more than 100 ms. */
  over_100ms: number;
}

export interface ConsortiumResult extends ScanTimings {
  patrons: number;
  items: number;
  branches: number;
  loans: number;
  holds: number;
  bills: number;
  closures: number;
  generate_seconds: number;
  generate_cpu_seconds: number;
  database_mb: number;
  full_gzip_mb: number;
  full_json_mb: number;
  /** GET /api/snapshot, whole, first build (the worker's): request to last byte. */
  full_build_ms: number;
  /** The server's CPU time (all threads) over that request. */
  full_build_cpu_s: number;
  /** Each part's JSON, gzipped on its own (kB). */
  parts: Record<string, { json_kb: number; gzip_kb: number }>;
  full_probe: LatencyProbe;
  /** The same probe for as long, with nothing building: what the machine itself adds. */
  idle_probe: LatencyProbe;
  session_transactions: number;
  session_prepare_seconds: number;
  processing_seconds: number;
  processing_tx_per_s: number;
  delta_gzip_kb: number;
  delta_json_kb: number;
  /** The delta's gzipped size as a share of the full data's, in %. */
  delta_percent: number;
  delta_build_ms: number;
  delta_entries: Record<string, number>;
  delta_probe: LatencyProbe;
  /** The desk's registration to "offline data just updated": download, parse and store in IndexedDB. */
  desk_store_seconds: number;
  /** What the browser reports the origin stores (navigator.storage.estimate), in MB. */
  desk_storage_mb: number;
  /** The server's peak resident memory over the whole part (VmHWM), and what it had reached after each step. */
  peak_rss_mb: number;
  peak_rss_after_mb: Record<string, number>;
}

const MB = 1024 * 1024;
const WORKSTATION = 'CONSORTIUM-DESK-1';
const SCAN_PAUSE_MS = 400;
const PROBE_EVERY_MS = 10;

/** The server's CPU time so far (user + system, every thread), in seconds, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** One GET on loopback with the login cookie, gzip accepted: status, headers and the body as sent. */
function get(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(path, base);
  return new Promise((resolveReply, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET',
      headers: { 'accept-encoding': 'gzip', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveReply({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(30 * 60_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Sends GET /api/auth/me every ~10 ms, each without waiting for the others, while `work` runs; how long each waited. */
async function probed<T>(client: Client, work: () => Promise<T>): Promise<{ result: T; probe: LatencyProbe }> {
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  let failure: Error | undefined;
  const timer = setInterval(() => {
    const t0 = performance.now();
    inflight.push(client.request('GET', '/api/auth/me').then((r) => {
      latencies.push(performance.now() - t0);
      if (r.status !== 200) failure = new Error(`GET /api/auth/me: ${r.status}`);
    }, (err: Error) => { failure = err; }));
  }, PROBE_EVERY_MS);
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(timer);
    await Promise.all(inflight);
  }
  if (failure) throw failure;
  return {
    result,
    probe: {
      requests: latencies.length, p50_ms: round(percentile(latencies, 50), 1), p95_ms: round(percentile(latencies, 95), 1),
      max_ms: round(Math.max(...latencies), 1), over_100ms: latencies.filter((l) => l > 100).length,
    },
  };
}

/** The top-level keys of the document, in the order the server writes them (service.ts, queries.ts). */
const BIG_PARTS = ['profiles', 'item_types', 'titles', 'title_holds', 'patrons', 'items'] as const;

/** The full document's size part by part: each part's JSON text (found by its key, in order), gzipped on its own. */
function partSizes(json: Buffer): Record<string, { json_kb: number; gzip_kb: number }> {
  const starts: { name: string; at: number }[] = [{ name: 'head', at: 0 }];
  let from = 0;
  for (const name of BIG_PARTS) {
    const at = json.indexOf(`,"${name}":`, from);
    if (at < 0) throw new Error(`the offline data has no ${name}`);
    starts.push({ name, at });
    from = at;
  }
  const out: Record<string, { json_kb: number; gzip_kb: number }> = {};
  starts.forEach(({ name, at }, i) => {
    const slice = json.subarray(at, i + 1 < starts.length ? starts[i + 1].at : json.length);
    out[name] = { json_kb: round(slice.length / 1024, 1), gzip_kb: round(gzipSync(slice).length / 1024, 1) };
  });
  return out;
}

/** Logs in as the administrator on the raw path: the session cookie, for the snapshot requests. */
function login(base: string): Promise<string> {
  const body = JSON.stringify({ username: ADMIN, password: BENCH_PASSWORD });
  const url = new URL('/api/auth/login', base);
  return new Promise((resolveCookie, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('oc_session='))?.split(';')[0];
      res.on('end', () => (res.statusCode === 200 && cookie ? resolveCookie(cookie) : reject(new Error(`login: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function measureConsortium(sizes: ConsortiumSizes): Promise<ConsortiumResult> {
  ensureBuilt();
  const dir = freshDir('consortium');
  const file = join(dir, 'circulation.sqlite');
  log(`consortium: generating ${sizes.patrons} patrons, ${sizes.items} items, ${sizes.branches} branches`);
  const library: LibraryInfo = await buildLibrary(file, { patrons: sizes.patrons, items: sizes.items, branches: sizes.branches, extras: true, bulk: true });
  const databaseMb = statSync(file).size / MB;
  log(`consortium: generated in ${library.seconds.toFixed(1)} s (CPU ${library.cpu_seconds.toFixed(1)} s), ${databaseMb.toFixed(0)} MB: `
    + `${library.counts.loans} loans, ${library.counts.holds} holds, ${library.counts.bills} bills, ${library.counts.closures} closures`);

  // The day at the desks, uploaded before the server starts (its processing is what is measured there).
  const db = openDatabase(file);
  log(`consortium: preparing a session of ${sizes.session}`);
  const session = prepareSession(db, { count: sizes.session, seed: 1515, name: 'Consortium day', branchId: library.systemId, adminId: library.adminId });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  const server = await startServer(dir);
  const admin = new Client(server.url, 32);
  const hwm = () => round((server.memory()?.hwm ?? NaN) / MB, 1);
  const peakAfter: Record<string, number> = {};
  let context: BrowserContext | undefined;
  try {
    await admin.login(ADMIN, BENCH_PASSWORD);
    const cookie = await login(server.url);
    for (let i = 0; i < 20; i++) await admin.request('GET', '/api/auth/me');
    peakAfter.started = hwm();

    // The whole data, built for the first time (the worker starts with it), while the probe runs.
    log('consortium: building the full offline data');
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    const full = await probed(admin, () => get(server.url, '/api/snapshot', { cookie }));
    const fullMs = performance.now() - t0;
    const fullCpu = cpuSeconds(server.pid) - cpu0;
    const idle = await probed(admin, () => sleep(Math.min(fullMs, 10_000)));
    if (full.result.status !== 200) throw new Error(`GET /api/snapshot: ${full.result.status}`);
    const etag = String(full.result.headers.etag);
    const version = Number(/^"snap\d+-(\d+)-/.exec(etag)?.[1]);
    peakAfter.full_build = hwm();
    const fullGzip = full.result.body.length;
    const fullJson = gunzipSync(full.result.body);
    log(`consortium: full data ${(fullGzip / MB).toFixed(2)} MB gzipped (${(fullJson.length / MB).toFixed(0)} MB JSON) in ${fullMs.toFixed(0)} ms, `
      + `server CPU ${fullCpu.toFixed(1)} s; probe p95 ${full.probe.p95_ms} ms, max ${full.probe.max_ms} ms (idle: p95 ${idle.probe.p95_ms}, max ${idle.probe.max_ms} ms)`);
    const parts = partSizes(fullJson);
    log(`consortium: by part (gzip kB): ${Object.entries(parts).map(([k, v]) => `${k} ${v.gzip_kb}`).join(', ')}`);

    // A day at the desks, processed.
    log(`consortium: processing ${session.accepted} transactions`);
    const p0 = performance.now();
    const started = await admin.request('POST', `/api/sessions/${session.sessionId}/process`);
    if (started.status !== 202) throw new Error(`POST process: ${started.status} ${JSON.stringify(started.body).slice(0, 300)}`);
    const last = await admin.followProgress(session.sessionId, 60 * 60_000);
    const processingSeconds = (performance.now() - p0) / 1000;
    if (last.done !== session.accepted) throw new Error(`processing: ${last.done} of ${session.accepted}`);
    peakAfter.processing = hwm();

    // What a desk that held the version before the day downloads.
    const d0 = performance.now();
    const delta = await probed(admin, () => get(server.url, `/api/snapshot?since=${version}`, { cookie, 'if-none-match': etag }));
    const deltaMs = performance.now() - d0;
    if (delta.result.status !== 200) throw new Error(`GET /api/snapshot?since=${version}: ${delta.result.status}`);
    const deltaJson = gunzipSync(delta.result.body);
    const deltaDoc = JSON.parse(deltaJson.toString('utf8')) as SnapshotDelta;
    if (deltaDoc.delta !== true) throw new Error(`the server sent the whole data, not what changed since ${version}`);
    const entries = {
      patrons: patronEntries(deltaDoc).length, items: itemEntries(deltaDoc).length, titles: titleEntries(deltaDoc).length,
      ...Object.fromEntries((['title_holds', 'removed_cards', 'removed_items', 'removed_title_holds'] as const).map((k) => [k, deltaDoc[k].length])),
    };
    peakAfter.delta = hwm();
    log(`consortium: delta ${(delta.result.body.length / 1024).toFixed(1)} kB gzipped (${(100 * delta.result.body.length / fullGzip).toFixed(2)} % of full) `
      + `in ${deltaMs.toFixed(0)} ms: ${JSON.stringify(entries)}; probe p95 ${delta.probe.p95_ms} ms, max ${delta.probe.max_ms} ms`);

    // A desk with the consortium's data on the device.
    const profile = join(dir, 'chromium-profile');
    rmSync(profile, { recursive: true, force: true });
    context = await launch(profile, server.url, false);
    let page = context.pages()[0] ?? await context.newPage();
    await fillRegistration(page, WORKSTATION, branchCode(0));
    log('consortium: a desk registers and stores the offline data');
    const s0 = performance.now();
    await page.getByRole('button', { name: 'Register workstation' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor({ timeout: 60_000 });
    try {
      await page.getByText('offline data just updated').waitFor({ timeout: 30 * 60_000 });
    } catch (err) {
      throw new Error(`the desk did not store the offline data: ${(await page.locator('body').innerText()).slice(0, 600)}`, { cause: err });
    }
    const storeSeconds = (performance.now() - s0) / 1000;
    peakAfter.desk_download = hwm();
    const storageMb = await page.evaluate(async () => ((await navigator.storage.estimate()).usage ?? NaN) / (1024 * 1024));
    log(`consortium: stored on the desk in ${storeSeconds.toFixed(1)} s (${storageMb.toFixed(0)} MB of browser storage)`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r(), { once: true }));
      }
    });

    await page.goto('/#/desk/in-house-use');
    await page.getByRole('heading', { name: 'In-house use' }).waitFor();
    await context.setOffline(true);
    const scan = scanner(page);
    // Items spread over the whole consortium, so each scan reads another bucket.
    const stride = Math.floor(sizes.items / (3 * sizes.deskScans));
    const latencies: number[] = [];
    log(`consortium: ${sizes.deskScans} scans at a desk's pace, then ${Math.round(sizes.deskScans / 2)} back to back`);
    for (let i = 0; i < sizes.deskScans; i++) {
      latencies.push(await scan(itemBarcode(1 + i * stride)));
      await sleep(SCAN_PAUSE_MS);
    }
    const burst: number[] = [];
    for (let i = 0; i < Math.round(sizes.deskScans / 2); i++) burst.push(await scan(itemBarcode(2 + (sizes.deskScans + i) * stride)));

    const cold = await offlineColdStarts(context, profile, server.url, 60_000);
    ({ context, page } = cold);
    const coldStarts = cold.times;
    log(`consortium: scan p95 ${percentile(latencies, 95).toFixed(1)} ms; offline cold starts ${coldStarts.map((c) => c.toFixed(0)).join(', ')} ms`);
    peakAfter.desk = hwm();

    return {
      patrons: sizes.patrons, items: sizes.items, branches: sizes.branches,
      loans: library.counts.loans, holds: library.counts.holds, bills: library.counts.bills, closures: library.counts.closures,
      generate_seconds: round(library.seconds, 1), generate_cpu_seconds: round(library.cpu_seconds, 1), database_mb: round(databaseMb, 0),
      full_gzip_mb: round(fullGzip / MB, 2), full_json_mb: round(fullJson.length / MB, 1),
      full_build_ms: Math.round(fullMs), full_build_cpu_s: round(fullCpu, 1), parts, full_probe: full.probe, idle_probe: idle.probe,
      session_transactions: session.accepted, session_prepare_seconds: round(session.seconds, 1),
      processing_seconds: round(processingSeconds, 1), processing_tx_per_s: Math.round(session.accepted / processingSeconds),
      delta_gzip_kb: round(delta.result.body.length / 1024, 1), delta_json_kb: round(deltaJson.length / 1024, 1),
      delta_percent: round((100 * delta.result.body.length) / fullGzip, 2), delta_build_ms: Math.round(deltaMs), delta_entries: entries,
      delta_probe: delta.probe,
      desk_store_seconds: round(storeSeconds, 1), desk_storage_mb: round(storageMb, 0),
      scans: latencies.length, scan_p50_ms: round(percentile(latencies, 50), 1), scan_p95_ms: round(percentile(latencies, 95), 1),
      scan_max_ms: round(Math.max(...latencies), 1),
      burst_scans: burst.length, burst_p50_ms: round(percentile(burst, 50), 1), burst_p95_ms: round(percentile(burst, 95), 1),
      cold_start_ms: round(percentile(coldStarts, 50), 0), cold_starts_ms: coldStarts.map((c) => round(c, 0)),
      peak_rss_mb: hwm(), peak_rss_after_mb: peakAfter,
    };
  } finally {
    await context?.close().catch(() => undefined);
    admin.close();
    await stopQuietly(server);
  }
}

async function stopQuietly(server: ServerChild): Promise<void> {
  try { await server.stop(); } catch (err) { log(`consortium: stopping the server: ${String(err)}`); }
}
