/**
 * Takes the README's screenshots from a real run: starts a server on a
 * throwaway data directory, drives the app in Chromium (desk on a tablet,
 * offline; sync prompt; admin results) and writes docs/screenshots/*.png.
 * Run: npm run build && npx tsx scripts/screenshots.ts
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const PORT = 3198;
const PASSWORD = 'screenshot-admin-pw';
const DATA = '.screenshot-data';
rmSync(DATA, { recursive: true, force: true });
const server = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
  env: { ...process.env, PORT: String(PORT), DATA_DIR: DATA, OFFLINE_CIRC_ADMIN_PASSWORD: PASSWORD },
  stdio: 'inherit',
});
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 200));
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, baseURL: base });
  const page = await context.newPage();
  await page.goto('/');
  await page.screenshot({ path: 'docs/screenshots/login.png' });
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Workstation name').fill('CENTRAL-DESK-1');
  await page.getByLabel('Branch').selectOption('CENTRAL');
  await page.getByRole('button', { name: 'Register workstation' }).click();
  await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
  await page.goto('/#/admin');
  await page.getByLabel('Session name').fill('Internet Down 2026-11-29');
  await page.getByLabel('Branch').selectOption('CENTRAL');
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.goto('/#/desk/checkout');
  await context.setOffline(true);
  await page.reload();
  for (const item of ['I00006', 'I00003', 'NO-SUCH-ITEM', 'I00004']) {
    await page.getByLabel('Patron barcode').fill('P0002');
    await page.getByLabel('Item barcode').fill(item);
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByRole('status').filter({ hasText: item }).waitFor();
  }
  await page.getByRole('navigation', { name: 'Desk' }).getByRole('link', { name: 'Checkin' }).click();
  await page.getByLabel('Item barcode').fill('I00014');
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('status').filter({ hasText: 'I00014' }).waitFor();
  await page.screenshot({ path: 'docs/screenshots/desk-offline.png' });
  // An item a hold wants for someone else (I02601, for P0004 in the demo library): the desk asks first.
  await page.getByRole('navigation', { name: 'Desk' }).getByRole('link', { name: 'Checkout' }).click();
  await page.getByLabel('Patron barcode').fill('P0002');
  await page.getByLabel('Item barcode').fill('I02601');
  await page.getByRole('button', { name: 'Check out' }).click();
  const holdWarning = page.getByRole('dialog', { name: 'Wanted by a hold' });
  await holdWarning.waitFor();
  await page.screenshot({ path: 'docs/screenshots/hold-warning.png' });
  await holdWarning.getByRole('button', { name: 'Cancel' }).click();
  await context.setOffline(false);
  await page.getByRole('dialog').getByLabel('Session').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: 'docs/screenshots/sync-prompt.png' });
  await page.getByRole('dialog').getByRole('button', { name: 'Upload' }).click();
  await page.getByRole('dialog').getByRole('status').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto('/#/admin');
  await page.getByRole('link', { name: 'Internet Down 2026-11-29' }).click();
  await page.getByRole('button', { name: 'Process' }).click();
  await page.getByText('processed', { exact: true }).waitFor();
  await page.screenshot({ path: 'docs/screenshots/admin-results.png', fullPage: true });
  await page.getByRole('link', { name: 'Follow-up list' }).click();
  await page.getByRole('heading', { name: /Follow-up list/ }).waitFor();
  await page.screenshot({ path: 'docs/screenshots/follow-ups.png', fullPage: true });
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(DATA, { recursive: true, force: true });
}
