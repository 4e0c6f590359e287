import { describe, it, expect, afterEach } from 'vitest';
import { rmSync } from 'node:fs';
import { tempDatabase } from './helpers.js';
import { createServices } from '../services.js';
import { buildApp } from '../build-app.js';
import { loadConfig } from '../config.js';

describe('behind a reverse proxy that terminates TLS', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

  async function appWith(trustProxy?: boolean) {
    const { dir, db } = tempDatabase();
    const app = await buildApp(createServices(db, { error: () => undefined }), { trustProxy });
    cleanups.push(async () => { await app.close(); db.close(); rmSync(dir, { recursive: true, force: true }); });
    return app;
  }

  const post = (app: Awaited<ReturnType<typeof appWith>>) => app.inject({
    method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password' },
    headers: { host: 'circ.library.example', origin: 'https://circ.library.example', 'x-forwarded-proto': 'https' },
  });

  it('with TRUST_PROXY the https origin the browser sends is this server, so requests go through', async () => {
    expect((await post(await appWith(true))).statusCode).toBe(401);
  });

  it('without it, the same request looks cross-site and is refused', async () => {
    const res = await post(await appWith(undefined));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CROSS_SITE_REQUEST');
  });

  it('reads TRUST_PROXY from the environment', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1' }).trustProxy).toBe('10.0.0.1');
    expect(loadConfig({}).trustProxy).toBeUndefined();
  });
});
