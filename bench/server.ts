/**
 * The real server as a child process on 127.0.0.1 (a port the OS picks),
 * over a data directory the bench prepared. Every child is killed when the
 * bench ends, however it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { resolve } from 'node:path';
import { log, sleep } from './common.js';
import type { ProcessProgress } from '../shared/api.js';

/** The server the build makes (scripts/build.ts). */
const SERVER_BUNDLE = resolve('dist/server/server.mjs');
const children = new Set<ChildProcess>();

/** Kills every server child still running (also on exit and on a signal). */
export function killAll(): void {
  for (const child of children) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  children.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => { killAll(); process.exit(130); });
}

export interface ServerChild {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Peak resident memory so far (VmHWM) and current (VmRSS), in bytes, from /proc. */
  memory(): { hwm: number; rss: number } | null;
}

export async function startServer(dataDir: string, options: { staticDir?: string; env?: Record<string, string> } = {}): Promise<ServerChild> {
  // BENCH_SERVER_NODE_ARGS passes extra flags to the server's node (e.g. --cpu-prof, to profile it).
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // The server as production runs it: the build's bundle (npm run build), under plain node.
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run npm run build first`);
  const child = spawn(process.execPath, [...extra, '--enable-source-maps', SERVER_BUNDLE], {
    cwd: resolve('.'),
    env: {
      ...process.env,
      PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, OFFLINE_CIRC_SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      STATIC_DIR: options.staticDir ?? resolve('dist/public'), NODE_ENV: 'production', ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); if (output.length > 20000) output = output.slice(-10000); });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /running at (https?:\/\/[^/\s]+)\//.exec(output);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited with ${code}:\n${output}`)); });
  });
  // Keep draining its output so the pipe never fills.
  child.stdout!.on('data', () => undefined);
  const pid = child.pid!;
  return {
    url, pid, child,
    async stop() {
      if (child.exitCode !== null) { children.delete(child); return; }
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timeout = sleep(10_000).then(() => 'timeout' as const);
      if (await Promise.race([exited.then(() => 'exited' as const), timeout]) === 'timeout') {
        log('server did not stop on SIGTERM within 10 s; killing it');
        child.kill('SIGKILL');
        await exited;
      }
      children.delete(child);
    },
    memory() {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
        return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
      } catch {
        return null;
      }
    },
  };
}

/** A small JSON client over keep-alive HTTP, with the login cookie of one staff member. */
export class Client {
  private cookie = '';
  private readonly agent: Agent;

  constructor(private readonly base: string, maxSockets = 4) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** One request; `body` is sent as JSON (a Buffer is sent as it is: JSON serialised beforehand). */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolveReply, reject) => {
      const req = httpRequest({
        host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent: this.agent,
        headers: {
          accept: 'application/json',
          ...(this.cookie ? { cookie: this.cookie } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'];
          if (setCookie) for (const c of setCookie) if (c.startsWith('oc_session=')) this.cookie = c.split(';')[0];
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
          resolveReply({ status: res.statusCode ?? 0, body: parsed as T });
        });
        res.on('error', reject);
      });
      req.setTimeout(300_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  async login(username: string, password: string): Promise<void> {
    const reply = await this.request('POST', '/api/auth/login', { username, password });
    if (reply.status !== 200) throw new Error(`login as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  }

  /**
   * Follows a session's live progress (Server-Sent Events) until the run
   * ends; resolves with the last event. Cheap for the server, unlike
   * polling the session's counts.
   */
  followProgress(sessionId: number, timeoutMs: number, onEvent?: (p: ProgressEvent) => void): Promise<ProgressEvent> {
    const url = new URL(`/api/sessions/${sessionId}/progress`, this.base);
    return new Promise((resolveDone, reject) => {
      let last: ProgressEvent | undefined;
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET',
        headers: { accept: 'text/event-stream', cookie: this.cookie } }, (res) => {
        if (res.statusCode !== 200) { reject(new Error(`progress stream: HTTP ${res.statusCode}`)); res.resume(); return; }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (!data) continue;
            last = JSON.parse(data) as ProgressEvent;
            onEvent?.(last);
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          if (last?.error) reject(new Error(`processing failed: ${last.error}`));
          else if (last?.finished) resolveDone(last);
          else reject(new Error('the progress stream ended before the run finished'));
        });
        res.on('error', reject);
      });
      const timer = setTimeout(() => { req.destroy(new Error(`processing did not finish within ${Math.round(timeoutMs / 1000)} s`)); }, timeoutMs);
      req.on('error', (err) => { clearTimeout(timer); reject(err); });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The data of one `progress` event of GET /api/sessions/:id/progress. */
export type ProgressEvent = ProcessProgress;
