/**
 * Upload ingest over real HTTP: the server as a child process on loopback,
 * 50 workstations each logged in as its own staff member, all uploading at
 * once, each its own transactions in chunks of 250–1,000 through
 * POST /api/sessions/:id/uploads. Reports transactions/s over the whole
 * upload and the latency of each chunk.
 */
import { openDatabase } from '../server/db/open.js';
import { SESSION_START, BENCH_PASSWORD, ADMIN, DESKS_PER_BRANCH, SYSTEM_CODE, deskStaffName } from './dataset.js';
import { TransactionMix } from './mix.js';
import { below, mulberry32 } from './prng.js';
import { Client, startServer } from './server.js';
import { copyLibrary, freshDir, log, percentile, type Sizes } from './common.js';
import type { UploadReply } from '../shared/api.js';

export interface IngestResult {
  workstations: number;
  transactions: number;
  chunks: number;
  seconds: number;
  tx_per_s: number;
  chunk_p50_ms: number;
  chunk_p95_ms: number;
  chunk_max_ms: number;
  accepted: number;
}

interface Chunk { body: Buffer; count: number }

export async function measureIngest(libraryFile: string, sizes: Sizes): Promise<IngestResult> {
  const dir = freshDir('ingest');
  copyLibrary(libraryFile, dir);
  const workstations = sizes.ingestWorkstations;
  const perWorkstation = sizes.ingestPerWorkstation;

  // Each workstation's chunks, made and serialised before the clock starts.
  log(`ingest: generating ${workstations} × ${perWorkstation} transactions`);
  const db = openDatabase(`${dir}/circulation.sqlite`);
  const mix = new TransactionMix(db, { seed: 202, desksPerBranch: DESKS_PER_BRANCH, start: SESSION_START, stepMs: 360 });
  db.close();
  const names = mix.workstations.slice(0, workstations);
  const perDesk: unknown[][] = names.map(() => []);
  for (let i = 0; i < workstations * perWorkstation; i++) perDesk[i % workstations].push(mix.next(i % workstations));
  const sizesRng = mulberry32(303);
  const deviceTime = new Date().toISOString();
  const chunksByDesk: Chunk[][] = perDesk.map((txs, w) => {
    const chunks: Chunk[] = [];
    for (let at = 0; at < txs.length;) {
      const size = Math.min(txs.length - at, sizes.ingestChunkMin + below(sizesRng, sizes.ingestChunkMax - sizes.ingestChunkMin + 1));
      const transactions = txs.slice(at, at + size);
      chunks.push({ count: size, body: Buffer.from(JSON.stringify({ workstation: names[w], device_time: deviceTime, transactions })) });
      at += size;
    }
    return chunks;
  });

  const server = await startServer(dir);
  const clients: Client[] = [];
  try {
    const admin = new Client(server.url);
    clients.push(admin);
    await admin.login(ADMIN, BENCH_PASSWORD);
    const created = await admin.request<{ id: number }>('POST', '/api/sessions', { name: 'Bench ingest', branch: SYSTEM_CODE, override_policy: true });
    if (created.status !== 201) throw new Error(`creating the session: ${created.status} ${JSON.stringify(created.body)}`);
    const sessionId = created.body.id;
    // Each workstation logs in as its own staff member (the desk accounts are circulation staff of the desk's branch).
    log(`ingest: ${workstations} staff logging in`);
    for (let w = 0; w < workstations; w++) {
      const client = new Client(server.url, 1);
      clients.push(client);
      await client.login(deskStaffName(w), BENCH_PASSWORD);
    }
    const desks = clients.slice(1);
    log(`ingest: uploading ${workstations * perWorkstation} transactions from ${workstations} workstations at once`);
    const latencies: number[] = [];
    let accepted = 0;
    const started = performance.now();
    await Promise.all(desks.map(async (client, w) => {
      for (const chunk of chunksByDesk[w]) {
        const t0 = performance.now();
        const reply = await client.request<UploadReply>('POST', `/api/sessions/${sessionId}/uploads`, chunk.body);
        latencies.push(performance.now() - t0);
        if (reply.status !== 200) throw new Error(`upload from ${names[w]}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
        if (reply.body.accepted.length !== chunk.count) {
          throw new Error(`upload from ${names[w]}: ${reply.body.accepted.length} of ${chunk.count} accepted (${JSON.stringify(reply.body.rejected.slice(0, 2))})`);
        }
        accepted += reply.body.accepted.length;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    return {
      workstations,
      transactions: workstations * perWorkstation,
      chunks: latencies.length,
      seconds,
      tx_per_s: accepted / seconds,
      chunk_p50_ms: percentile(latencies, 50),
      chunk_p95_ms: percentile(latencies, 95),
      chunk_max_ms: Math.max(...latencies),
      accepted,
    };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}
