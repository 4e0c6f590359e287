/**
 * The desk in Chromium (headless, Debian's /usr/bin/chromium through
 * Playwright), against the built app served by the real server:
 * - a scan's time from pressing Enter in the Item barcode field to the
 *   "Saved on this device" status (the service worker answers only after
 *   IndexedDB committed), with 50,000 transactions already on the device;
 * - offline cold start: the browser closed and started again with the same
 *   profile, offline, from navigation start to a usable desk;
 * - the gzipped JavaScript the desk loads;
 * - the time to upload 10,000 pending transactions through the app's own
 *   uploader (the service worker's `upload` message) to an open session.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../server/db/open.js';
import { ADMIN, BENCH_PASSWORD, SESSION_START, branchCode, itemBarcode, type LibraryInfo } from './dataset.js';
import { TransactionMix } from './mix.js';
import { startServer } from './server.js';
import { copyLibrary, freshDir, log, percentile, sleep, type Sizes } from './common.js';
import type { OfflineTransaction } from '../shared/transaction.js';
import type { OutboxEntry } from '../shared/outbox-messages.js';
import type { SessionSummary } from '../shared/api.js';
import type { BundleSizes } from '../scripts/bundle-sizes.js';

/** Scan to durable, paced and back to back, and offline cold starts: what a desk feels, measured the same way by every part. */
export interface ScanTimings {
  scans: number;
  scan_p50_ms: number;
  scan_p95_ms: number;
  scan_max_ms: number;
  burst_scans: number;
  burst_p50_ms: number;
  burst_p95_ms: number;
  cold_start_ms: number;
  cold_starts_ms: number[];
}

export interface DeskResult extends ScanTimings {
  on_device: number;
  app_js_gzip_kb: number;
  app_js_kb: number;
  sw_js_gzip_kb: number;
  /** What choosing each language adds, gzipped (its chunk, fetched and precached apart). */
  locale_js_gzip_kb: Record<string, number>;
  upload_transactions: number;
  upload_seconds: number;
  upload_tx_per_s: number;
  snapshot_seconds: number;
}

/** The built app; BENCH_STATIC_DIR measures another build (say, one with a change being tried). */
export const STATIC_DIR = resolve(process.env.BENCH_STATIC_DIR ?? 'dist/public');
const WORKSTATION = 'BENCH-DESK-1';
const BRANCH = branchCode(0);
const IMPORT_CHUNK = 1000;
/** Pause between a scan's confirmation and the next scan in the paced series. */
const SCAN_PAUSE_MS = 400;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function ensureBuilt(): void {
  if (process.env.BENCH_STATIC_DIR) return;
  if (existsSync(join(STATIC_DIR, 'app.js')) && existsSync(join(STATIC_DIR, 'sw.js'))) return;
  log('desk: dist/public is missing; running npm run build');
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}

/**
 * Gzipped size (default level, as a server sends it) of the JavaScript an English desk loads (app.js and the
 * chunks it imports), of each language's chunk, and of the service worker: from the build's own account
 * (dist/bundle-sizes.json, scripts/bundle-sizes.ts).
 */
export function javascriptSizes(): { app: number; appRaw: number; sw: number; locales: Record<string, number> } {
  const built = JSON.parse(readFileSync(join(STATIC_DIR, '..', 'bundle-sizes.json'), 'utf8')) as BundleSizes;
  return {
    app: built.desk_gzip, appRaw: built.desk_raw, sw: gzipSync(readFileSync(join(STATIC_DIR, 'sw.js'))).length,
    locales: Object.fromEntries(Object.entries(built.locales).map(([l, s]) => [l, s.gzip])),
  };
}

/** tsx compiles this file with esbuild's keepNames, whose `__name` helper the functions sent to the page then call. */
const NAME_HELPER = 'globalThis.__name = globalThis.__name || ((f) => f);';

/** Logs in as the bench's admin and fills the workstation form, ready for the timed click on Register. */
export async function fillRegistration(page: Page, workstation: string, branch: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(ADMIN);
  await page.getByLabel('Password').fill(BENCH_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Workstation name').fill(workstation);
  await page.getByLabel('Branch').selectOption(branch);
}

/**
 * Offline cold starts: the browser closed, then started again with the same profile and no
 * network, three times, each timed from navigation start to a usable desk. Returns the last
 * context and page, still offline, for what the caller does next.
 */
export async function offlineColdStarts(context: BrowserContext, profile: string, baseURL: string, timeoutMs: number):
  Promise<{ context: BrowserContext; page: Page; times: number[] }> {
  const times: number[] = [];
  let page: Page | undefined;
  for (let i = 0; i < 3; i++) {
    await context.close();
    context = await launch(profile, baseURL, true);
    await context.addInitScript({ content: USABLE_PROBE });
    page = context.pages()[0] ?? await context.newPage();
    await page.goto('/#/desk/checkout');
    const usableAt = await page.waitForFunction(() => (window as unknown as { __deskUsableAt?: number }).__deskUsableAt, undefined, { timeout: timeoutMs });
    times.push(Number(await usableAt.jsonValue()));
  }
  return { context, page: page!, times };
}

export async function launch(profile: string, baseURL: string, offline: boolean): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL,
    offline,
    serviceWorkers: 'allow',
  });
  await context.addInitScript({ content: NAME_HELPER });
  return context;
}

/** Sends one outbox message to the service worker and waits (at most timeoutMs) for its reply, sent after IndexedDB committed. */
export async function swMessage<T>(page: Page, message: unknown, timeoutMs = 120_000): Promise<T> {
  return page.evaluate(async ([msg, limit]) => {
    const registration = await navigator.serviceWorker.ready;
    return new Promise<T>((resolveReply, reject) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => reject(new Error(`no answer from the service worker within ${limit} ms`)), limit);
      channel.port1.onmessage = (e) => {
        clearTimeout(timer);
        if ((e.data as { ok: boolean }).ok) resolveReply(e.data as T);
        else reject(new Error(JSON.stringify(e.data)));
      };
      registration.active!.postMessage(msg, [channel.port2]);
    });
  }, [message, timeoutMs] as const);
}

/**
 * Puts transactions on the device as history already uploaded: written
 * straight into the outbox database in the shape the service worker keeps
 * (bench set-up only; every pending transaction goes through the worker).
 * Written behind the worker's back, so the counts it keeps are dropped in
 * the same transaction: the worker counts the entries afresh.
 */
async function addUploadedHistory(page: Page, entries: OutboxEntry[]): Promise<void> {
  await page.evaluate(async (list) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open('offline-circ');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    await new Promise<void>((ok, fail) => {
      const t = db.transaction(['outbox', 'meta'], 'readwrite');
      for (const e of list) t.objectStore('outbox').put(e);
      t.objectStore('meta').delete('counts');
      t.oncomplete = () => ok();
      t.onerror = () => fail(t.error);
    });
    db.close();
  }, entries);
}

/** Marks the moment the desk is usable (checkout heading and its scan form present), from navigation start. */
const USABLE_PROBE = `
  (() => {
    const check = () => {
      if (window.__deskUsableAt) return true;
      const h = document.querySelector('oc-desk-page h1');
      if (h && h.textContent.trim() === 'Checkout' && document.querySelector('oc-desk-page form.scan input[name="patron_barcode"]')) {
        window.__deskUsableAt = performance.now();
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document, { subtree: true, childList: true, characterData: true });
  })();`;

/** One scan by keyboard in the In-house use form: its time from the Enter keydown to "Saved on this device" showing it, measured in the page. */
export function scanner(page: Page): (barcode: string) => Promise<number> {
  const field = page.getByLabel('Item barcode');
  return async (barcode: string): Promise<number> => {
    await field.fill(barcode);
    await page.evaluate((expected) => {
      const w = window as unknown as { __scan: Promise<number> };
      w.__scan = new Promise<number>((done, fail) => {
        let started = 0;
        const input = document.querySelector('oc-desk-page input[name="item_barcode"]')!;
        input.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') started = performance.now(); }, { capture: true, once: true });
        const saved = () => {
          const status = document.querySelector('oc-desk-page [role="status"]');
          return !!status && status.textContent!.includes('Saved on this device') && status.textContent!.includes(expected);
        };
        const observer = new MutationObserver(() => {
          if (started && saved()) { observer.disconnect(); clearTimeout(timer); done(performance.now() - started); }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        const timer = setTimeout(() => { observer.disconnect(); fail(new Error(`scan of ${expected} not saved within 10 s`)); }, 10_000);
      });
    }, barcode);
    await field.press('Enter');
    return page.evaluate(() => (window as unknown as { __scan: Promise<number> }).__scan);
  };
}

export async function measureDesk(libraryFile: string, library: LibraryInfo, sizes: Sizes): Promise<DeskResult> {
  ensureBuilt();
  const dir = freshDir('desk');
  copyLibrary(libraryFile, dir);
  const profile = join(dir, 'chromium-profile');
  rmSync(profile, { recursive: true, force: true });

  // The scans add to the pending ones: at upload time exactly deskUpload are pending.
  const burstCount = Math.max(1, Math.round(sizes.deskScans / 2));
  const pendingPreload = Math.max(0, sizes.deskUpload - sizes.deskScans - burstCount);
  const historyCount = Math.max(0, sizes.deskPreload - pendingPreload);
  // The device's transactions: the mix, as one workstation recorded them.
  const db = openDatabase(join(dir, 'circulation.sqlite'));
  const mix = new TransactionMix(db, { seed: 404, desksPerBranch: 1, start: SESSION_START, stepMs: 2000 });
  db.close();
  const deviceTxs: OfflineTransaction[] = [];
  for (let i = 0; i < historyCount + pendingPreload; i++) {
    const tx = mix.next(0);
    deviceTxs.push({ ...tx, workstation: WORKSTATION, staff: ADMIN });
  }

  const server = await startServer(dir, { staticDir: STATIC_DIR });
  let context: BrowserContext | undefined;
  try {
    context = await launch(profile, server.url, false);
    let page = context.pages()[0] ?? await context.newPage();
    await fillRegistration(page, WORKSTATION, BRANCH);
    const snapshotStarted = performance.now();
    await page.getByRole('button', { name: 'Register workstation' }).click();
    await page.getByRole('heading', { name: 'Checkout' }).waitFor({ timeout: 60_000 });
    // The offline data (block list, policies, item types of the whole library) arrives right after registration.
    await page.getByText('offline data just updated').waitFor({ timeout: 300_000 });
    const snapshotSeconds = (performance.now() - snapshotStarted) / 1000;
    log(`desk: registered; offline data of ${library.size.patrons} patrons and ${library.size.items} items stored in ${snapshotSeconds.toFixed(1)} s`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r(), { once: true }));
      }
    });

    log(`desk: putting ${historyCount} uploaded and ${pendingPreload} pending transactions on the device`);
    const recordedAt = new Date(SESSION_START).toISOString();
    for (let at = 0; at < historyCount; at += IMPORT_CHUNK) {
      await addUploadedHistory(page, deviceTxs.slice(at, Math.min(at + IMPORT_CHUNK, historyCount)).map((tx) => ({
        id: tx.id, tx, state: 'uploaded', recorded_at: recordedAt, uploaded_at: recordedAt, session_id: 0,
      })));
    }
    for (let at = historyCount; at < deviceTxs.length; at += IMPORT_CHUNK) {
      await swMessage(page, { type: 'import', transactions: deviceTxs.slice(at, Math.min(at + IMPORT_CHUNK, deviceTxs.length)) });
    }
    const counts = (await swMessage<{ counts: { pending: number; uploaded: number } }>(page, { type: 'counts' })).counts;
    if (counts.pending + counts.uploaded !== deviceTxs.length) throw new Error(`the device holds ${JSON.stringify(counts)}, not ${deviceTxs.length}`);

    // Scans at an offline desk: in-house use, one item after another, by keyboard (a scanner types and presses Enter).
    await page.goto('/#/desk/in-house-use');
    await page.getByRole('heading', { name: 'In-house use' }).waitFor();
    await context.setOffline(true);
    const scan = scanner(page);
    // At a brisk desk pace: one scan, then the next about SCAN_PAUSE_MS after it was confirmed.
    const latencies: number[] = [];
    log(`desk: ${sizes.deskScans} scans, one every ~${SCAN_PAUSE_MS} ms, with ${deviceTxs.length} transactions on the device`);
    for (let i = 0; i < sizes.deskScans; i++) {
      latencies.push(await scan(itemBarcode(10_001 + i)));
      await sleep(SCAN_PAUSE_MS);
    }
    // And a burst, each scan as soon as the previous one was confirmed (it then also waits for the
    // refresh of the list and counts that the previous one set off).
    const burst: number[] = [];
    log(`desk: ${burstCount} scans back to back`);
    for (let i = 0; i < burstCount; i++) burst.push(await scan(itemBarcode(20_001 + i)));

    const cold = await offlineColdStarts(context, profile, server.url, 30_000);
    ({ context, page } = cold);
    const coldStarts = cold.times;
    log(`desk: offline cold starts ${coldStarts.map((c) => c.toFixed(0)).join(', ')} ms`);

    // Back online: upload what is pending to an open session, through the app's uploader in the service worker.
    await context.setOffline(false);
    const created = await page.request.post('/api/sessions', { data: { name: 'Bench desk upload', branch: BRANCH, override_policy: true } });
    if (created.status() !== 201) throw new Error(`creating the session: ${created.status()} ${await created.text()}`);
    const session = await created.json() as SessionSummary;
    const pending = (await swMessage<{ counts: { pending: number } }>(page, { type: 'counts' })).counts.pending;
    log(`desk: uploading ${pending} pending transactions`);
    const uploadStarted = performance.now();
    const reply = await swMessage<{ progress: { accepted: number; duplicates: number; rejected: number } }>(page,
      { type: 'upload', target: { session_id: session.id, session_name: session.name } }, 600_000);
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    if (reply.progress.accepted + reply.progress.duplicates !== pending) throw new Error(`upload: ${JSON.stringify(reply.progress)} of ${pending}`);
    const sizesJs = javascriptSizes();
    return {
      on_device: deviceTxs.length,
      scans: latencies.length,
      scan_p50_ms: percentile(latencies, 50),
      scan_p95_ms: percentile(latencies, 95),
      scan_max_ms: Math.max(...latencies),
      burst_scans: burst.length,
      burst_p50_ms: percentile(burst, 50),
      burst_p95_ms: percentile(burst, 95),
      cold_start_ms: percentile(coldStarts, 50),
      cold_starts_ms: coldStarts,
      app_js_gzip_kb: sizesJs.app / 1000,
      app_js_kb: sizesJs.appRaw / 1000,
      sw_js_gzip_kb: sizesJs.sw / 1000,
      locale_js_gzip_kb: Object.fromEntries(Object.entries(sizesJs.locales).map(([l, b]) => [l, b / 1000])),
      upload_transactions: pending,
      upload_seconds: uploadSeconds,
      upload_tx_per_s: pending / uploadSeconds,
      snapshot_seconds: snapshotSeconds,
    };
  } finally {
    await context?.close().catch(() => undefined);
    await server.stop();
    await sleep(100);
  }
}
