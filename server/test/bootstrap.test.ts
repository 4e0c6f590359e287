import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { rmSync } from 'node:fs';
import { bootstrap } from '../db/bootstrap.js';
import { loadConfig } from '../config.js';
import { createServices } from '../services.js';
import { buildApp } from '../build-app.js';
import type { Db } from '../db/open.js';
import { call, countRows, login, tempDatabase, type TestApp } from './helpers.js';

let dir: string;
let db: Db;
let app: TestApp | undefined;

beforeEach(() => { ({ dir, db } = tempDatabase('offline-circ-boot-')); });
afterEach(async () => {
  await app?.close();
  app = undefined;
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startApp(): Promise<TestApp> {
  app = await buildApp(createServices(db, { error: () => undefined }));
  return app;
}

const tableCounts = (): Record<string, number> => Object.fromEntries(
  ['branches', 'patrons', 'patron_cards', 'items', 'loans', 'holds', 'loan_policies', 'staff', 'staff_roles'].map((t) => [t, countRows(db, t)]),
);

describe('first start on an empty database', () => {
  it('seeds the labelled demo library: a system with three branches, patrons with blocks, items in every status, holds, policies', async () => {
    const result = await bootstrap(db, { seedDemo: true });
    expect(result.seeded).toBe(true);

    expect(db.prepare('SELECT code, name FROM branches WHERE parent_id IS NULL').all())
      .toEqual([{ code: 'DEMO', name: expect.stringContaining('sample data') }]);
    expect(db.prepare('SELECT code FROM branches WHERE parent_id IS NOT NULL ORDER BY code').pluck().all()).toEqual(['CENTRAL', 'EAST', 'WEST']);
    expect(countRows(db, 'patrons')).toBe(300);
    expect(countRows(db, 'patrons', 'barred = 1')).toBeGreaterThan(0);
    expect(countRows(db, 'patrons', 'inactive = 1')).toBeGreaterThan(0);
    expect(countRows(db, 'patrons', "expires_on < date('now')")).toBeGreaterThan(0);
    expect(countRows(db, 'patron_cards', 'active = 0')).toBeGreaterThan(0);
    expect(countRows(db, 'items')).toBe(3000);
    const statuses = db.prepare('SELECT DISTINCT status FROM items ORDER BY status').pluck().all();
    expect(statuses).toEqual(['available', 'checked_out', 'claims_returned', 'damaged', 'in_transit', 'lost', 'missing', 'non_circulating', 'on_hold_shelf']);
    expect(countRows(db, 'loans', 'checkin_at IS NULL')).toBeGreaterThan(0);
    expect(countRows(db, 'holds')).toBeGreaterThan(0);
    expect(countRows(db, 'loan_policies', 'item_type IS NULL AND patron_profile IS NULL')).toBe(1);
    expect(db.prepare("SELECT 1 FROM patron_cards WHERE barcode = 'P0001'").get()).toBeDefined();
    expect(db.prepare("SELECT 1 FROM items WHERE barcode = 'I00001'").get()).toBeDefined();
  });

  it('creates an admin with a generated password that logs in and administers the demo system', async () => {
    const result = await bootstrap(db, { seedDemo: true });
    expect(result.adminCreated).toBe(true);
    expect(result.adminPassword).toEqual(expect.any(String));
    expect(result.adminPassword!.length).toBeGreaterThanOrEqual(16);

    const server = await startApp();
    const cookie = await login(server, 'admin', result.adminPassword!);
    const me = await call(server, 'GET', '/api/auth/me', cookie);
    expect(me.body).toEqual({ username: 'admin', display_name: 'Administrator', roles: [{ branch: 'DEMO', role: 'admin' }], installation_admin: true });
    // The admin can do admin things at every demo branch.
    expect((await call(server, 'POST', '/api/sessions', cookie, { name: 'Demo outage', branch: 'EAST' })).status).toBe(201);
    expect((await call(server, 'POST', '/api/auth/login', undefined, { username: 'admin', password: 'admin' })).status).toBe(401);
  });

  it('never uses a fixed password: two first starts get different ones', async () => {
    const first = await bootstrap(db, { seedDemo: false });
    const other = tempDatabase('offline-circ-boot2-');
    try {
      const second = await bootstrap(other.db, { seedDemo: false });
      expect(first.adminPassword).toBeDefined();
      expect(second.adminPassword).toBeDefined();
      expect(first.adminPassword).not.toBe(second.adminPassword);
    } finally {
      other.db.close();
      rmSync(other.dir, { recursive: true, force: true });
    }
  });

  it('uses the OFFLINE_CIRC_ADMIN_PASSWORD password when given, and returns none to print', async () => {
    const config = loadConfig({ OFFLINE_CIRC_ADMIN_PASSWORD: 'automation-secret-42', DATA_DIR: dir });
    expect(config.adminPassword).toBe('automation-secret-42');
    const result = await bootstrap(db, { seedDemo: config.seedDemo, adminPassword: config.adminPassword });
    expect(result).toEqual({ seeded: true, adminCreated: true, adminPassword: undefined });

    const server = await startApp();
    await login(server, 'admin', 'automation-secret-42');
    // The stored hash is scrypt, never the password itself.
    const hash = db.prepare("SELECT password_hash FROM staff WHERE username = 'admin'").pluck().get() as string;
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain('automation-secret-42');
  });

  it('leaves the library empty when the demo is turned off', async () => {
    expect(loadConfig({ OFFLINE_CIRC_SEED_DEMO: 'false' }).seedDemo).toBe(false);
    const result = await bootstrap(db, { seedDemo: false, adminPassword: 'pw-for-empty' });
    expect(result.seeded).toBe(false);
    expect(countRows(db, 'branches')).toBe(0);
    expect(countRows(db, 'staff')).toBe(1);
  });
});

describe('later starts', () => {
  it('create nothing: no second demo library, no second admin, no new password', async () => {
    const first = await bootstrap(db, { seedDemo: true });
    const before = tableCounts();
    const hash = db.prepare("SELECT password_hash FROM staff WHERE username = 'admin'").pluck().get();

    const second = await bootstrap(db, { seedDemo: true });
    expect(second).toEqual({ seeded: false, adminCreated: false });
    expect(tableCounts()).toEqual(before);
    expect(db.prepare("SELECT password_hash FROM staff WHERE username = 'admin'").pluck().get()).toBe(hash);

    const server = await startApp();
    await login(server, 'admin', first.adminPassword!);
  });

  it('ignore OFFLINE_CIRC_ADMIN_PASSWORD once an admin exists', async () => {
    const first = await bootstrap(db, { seedDemo: false });
    await bootstrap(db, { seedDemo: false, adminPassword: 'a-new-password' });
    const server = await startApp();
    await login(server, 'admin', first.adminPassword!);
    expect((await call(server, 'POST', '/api/auth/login', undefined, { username: 'admin', password: 'a-new-password' })).status).toBe(401);
  });
});

describe('the first administrator', () => {
  it('administers the whole installation: library systems imported after the first start too', async () => {
    await bootstrap(db, { seedDemo: true, adminPassword: 'first-admin-pass' });
    const server = await startApp();
    const admin = await login(server, 'admin', 'first-admin-pass');
    const imported = await call(server, 'POST', '/api/import', admin, { branches: 'code,name,parent\nHILLS,Hills Library System,\nHILLTOP,Hilltop Branch,HILLS\n' });
    expect(imported.status).toBe(200);

    const me = (await call(server, 'GET', '/api/auth/me', admin)).body;
    expect(me).toMatchObject({ installation_admin: true, roles: [{ branch: 'DEMO', role: 'admin' }, { branch: 'HILLS', role: 'admin' }] });
    // The form offers the new branch, and the server takes what it offers.
    const offered = (await call(server, 'GET', '/api/branches?for=workstation', admin)).body.map((b: { code: string }) => b.code);
    expect(offered).toContain('HILLTOP');
    expect(offered).not.toContain('HILLS');
    expect((await call(server, 'POST', '/api/workstations', admin, { name: 'HILLTOP-DESK-1', branch: 'HILLTOP' })).status).toBe(201);
    expect((await call(server, 'POST', '/api/sessions', admin, { name: 'Storm', branch: 'HILLS' })).status).toBe(201);
    expect((await call(server, 'POST', '/api/staff', admin, { username: 'hills-admin', display_name: 'Hills Admin', password: 'hills-admin-pass',
      branch: 'HILLS', role: 'admin' })).status).toBe(201);

    // An administrator of one system cannot manage the installation's administrator.
    const hillsAdmin = await login(server, 'hills-admin', 'hills-admin-pass');
    expect((await call(server, 'GET', '/api/auth/me', hillsAdmin)).body).toMatchObject({ installation_admin: false, roles: [{ branch: 'HILLS', role: 'admin' }] });
    expect((await call(server, 'POST', '/api/staff/admin/roles', hillsAdmin, { branch: 'HILLTOP', role: 'circulation' })).status).toBe(403);
    expect((await call(server, 'POST', '/api/sessions', hillsAdmin, { name: 'Not mine', branch: 'CENTRAL' })).status).toBe(403);
  });

  it('an empty installation can be filled through the API by its first administrator', async () => {
    await bootstrap(db, { seedDemo: false, adminPassword: 'first-admin-pass' });
    const server = await startApp();
    const admin = await login(server, 'admin', 'first-admin-pass');
    expect((await call(server, 'GET', '/api/branches?for=workstation', admin)).body).toEqual([]);
    const imported = await call(server, 'POST', '/api/import', admin, { branches: 'code,name,parent\nTOWN,Town Library,\n' });
    expect(imported.status).toBe(200);
    // A one-branch library: the system is its own branch, where desks stand.
    expect((await call(server, 'GET', '/api/branches?for=workstation', admin)).body).toEqual([{ code: 'TOWN', name: 'Town Library', parent: null }]);
    expect((await call(server, 'POST', '/api/workstations', admin, { name: 'TOWN-DESK', branch: 'TOWN' })).status).toBe(201);
  });
});
