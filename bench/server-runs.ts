/**
 * The server processing a session, as a child process, started the way an
 * administrator starts it (POST /api/sessions/:id/process):
 * - memory: its resident memory, sampled from /proc while it processes a
 *   million transactions (peak = VmHWM at the end);
 * - responsiveness: a plain API read (GET /api/auth/me), one after another,
 *   timed for the whole run.
 */
import { ADMIN, BENCH_PASSWORD } from './dataset.js';
import { Client, startServer, type ProgressEvent } from './server.js';
import { log, percentile, sleep } from './common.js';

export interface MemoryResult {
  transactions: number;
  peak_rss_mb: number;
  rss_before_mb: number;
  max_sampled_rss_mb: number;
  samples: number;
  seconds: number;
  tx_per_s: number;
}

export interface ResponsivenessResult {
  transactions: number;
  requests: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  seconds: number;
  tx_per_s: number;
}

const MB = 1024 * 1024;

async function startProcessing(client: Client, sessionId: number): Promise<void> {
  const reply = await client.request('POST', `/api/sessions/${sessionId}/process`);
  if (reply.status !== 202) throw new Error(`POST process: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
}

export async function measureMemory(dataDir: string, sessionId: number, transactions: number, timeoutMs: number): Promise<MemoryResult> {
  const server = await startServer(dataDir);
  const admin = new Client(server.url);
  try {
    await admin.login(ADMIN, BENCH_PASSWORD);
    await sleep(500);
    const before = server.memory();
    let maxRss = before?.rss ?? 0;
    let samples = 0;
    let finished = false;
    const sampler = (async () => {
      // Bounded: stops when the run ends or after the time limit.
      const until = Date.now() + timeoutMs;
      while (!finished && Date.now() < until) {
        const m = server.memory();
        if (m) { maxRss = Math.max(maxRss, m.rss); samples++; }
        await sleep(100);
      }
    })();
    log(`memory: processing ${transactions} transactions in the server (pid ${server.pid})`);
    const started = performance.now();
    // The progress stream is opened once the run has started (before, it would report the session as not running).
    await startProcessing(admin, sessionId);
    const done = admin.followProgress(sessionId, timeoutMs, progressLogger('memory'));
    let last: ProgressEvent;
    try {
      last = await done;
    } finally {
      finished = true;
      await sampler;
    }
    const seconds = (performance.now() - started) / 1000;
    const after = server.memory();
    if (last.done !== transactions) throw new Error(`memory run: ${last.done} of ${transactions} processed`);
    return {
      transactions,
      peak_rss_mb: (after?.hwm ?? NaN) / MB,
      rss_before_mb: (before?.rss ?? NaN) / MB,
      max_sampled_rss_mb: maxRss / MB,
      samples,
      seconds,
      tx_per_s: transactions / seconds,
    };
  } finally {
    admin.close();
    await server.stop();
  }
}

export async function measureResponsiveness(dataDir: string, sessionId: number, transactions: number, maxRequests: number, timeoutMs: number): Promise<ResponsivenessResult> {
  const server = await startServer(dataDir);
  const admin = new Client(server.url);
  const reader = new Client(server.url, 1);
  try {
    await admin.login(ADMIN, BENCH_PASSWORD);
    await reader.login(ADMIN, BENCH_PASSWORD);
    // Warm up the read path before the clock starts.
    for (let i = 0; i < 20; i++) await reader.request('GET', '/api/auth/me');
    let finished = false;
    log(`responsiveness: processing ${transactions} transactions while reading /api/auth/me`);
    const started = performance.now();
    await startProcessing(admin, sessionId);
    const done = admin.followProgress(sessionId, timeoutMs, progressLogger('responsiveness')).finally(() => { finished = true; });
    const latencies: number[] = [];
    const until = Date.now() + timeoutMs;
    while (!finished && latencies.length < maxRequests && Date.now() < until) {
      const t0 = performance.now();
      const reply = await reader.request('GET', '/api/auth/me');
      latencies.push(performance.now() - t0);
      if (reply.status !== 200) throw new Error(`GET /api/auth/me: ${reply.status}`);
    }
    const last = await done;
    const seconds = (performance.now() - started) / 1000;
    if (last.done !== transactions) throw new Error(`responsiveness run: ${last.done} of ${transactions} processed`);
    return {
      transactions,
      requests: latencies.length,
      p50_ms: percentile(latencies, 50),
      p95_ms: percentile(latencies, 95),
      p99_ms: percentile(latencies, 99),
      max_ms: Math.max(...latencies),
      seconds,
      tx_per_s: transactions / seconds,
    };
  } finally {
    admin.close();
    reader.close();
    await server.stop();
  }
}

function progressLogger(part: string): (p: ProgressEvent) => void {
  let lastLog = 0;
  return (p) => {
    if (Date.now() - lastLog < 10_000 && !p.finished) return;
    lastLog = Date.now();
    log(`${part}: ${p.done} of ${p.total} processed (${p.rate}/s)`);
  };
}
