/**
 * Takes the README's screenshots from a real run: starts a server on a
 * throwaway data directory, drives the app in Chromium as staff do (a
 * scanner typing each code and Enter), offline, on a tablet (820×1180) and a
 * desk PC (1366×768), light and dark, and writes docs/screenshots/*.png.
 * Run: npm run build && npx tsx scripts/screenshots.ts
 */
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const PORT = 3198;
const PASSWORD = 'screenshot-admin-pw';
const DATA = '.screenshot-data';
const TABLET = { width: 820, height: 1180 };
const DESK_PC = { width: 1366, height: 768 };
const SESSION = 'Internet Down 2026-11-29';
// Animations finished: a scan's flash is not part of what the screen shows.
const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage, animations: 'disabled' });

rmSync(DATA, { recursive: true, force: true });
const server = spawn(process.execPath, ['--enable-source-maps', 'dist/server/server.mjs'], {
  env: {
    ...process.env, PORT: String(PORT), DATA_DIR: DATA, OFFLINE_CIRC_ADMIN_PASSWORD: PASSWORD,
    // The demo library's barcode rules, so the desk tells cards from items.
    OFFLINE_CIRC_ITEM_BARCODE_PATTERN: 'I\\d{5}', OFFLINE_CIRC_PATRON_BARCODE_PATTERN: 'P\\d{4}',
  },
  stdio: 'inherit',
});
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 200));
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ viewport: TABLET, baseURL: base, hasTouch: true });
  const page = await context.newPage();
  // Receipts go to the printer; here nothing is printed. (A string: this file is checked without the DOM's types.)
  await page.addInitScript('window.print = () => undefined;');
  const scan = async (code: string) => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const saved = (code: string) => page.getByRole('status').filter({ hasText: code }).waitFor();

  await page.goto('/');
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await shot(page, 'login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Workstation name').fill('CENTRAL-DESK-1');
  await page.getByLabel('Branch').selectOption('CENTRAL');
  await page.getByRole('button', { name: 'Register workstation' }).click();
  await page.getByText('offline data just updated').waitFor();
  await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
  await page.goto('/#/admin');
  await page.getByLabel('Session name').fill(SESSION);
  await page.getByLabel('Branch').selectOption('CENTRAL');
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.getByRole('status').filter({ hasText: 'created' }).waitFor();

  // The tablet, offline: a barred patron allowed once, then a patron borrowing three items.
  await page.goto('/#/desk/checkout');
  await context.setOffline(true);
  await page.reload();
  await page.getByText('Offline', { exact: true }).waitFor();
  await scan('P0009');
  await page.getByRole('dialog', { name: 'Patron barred' }).getByRole('button', { name: 'Allow' }).click();
  await scan('I00111');
  await saved('I00111');
  await scan('I00112');
  await saved('I00112');
  // The next patron's card, scanned into the item field: a new visit (the last one's receipt prints).
  await scan('P0002');
  await page.getByRole('status').filter({ hasText: 'New patron' }).waitFor();
  for (const item of ['I00006', 'I00003', 'I00004']) {
    await scan(item);
    await saved(item);
  }
  await shot(page, 'desk-tablet');
  // An item a hold wants for someone else (I02601, for P0004 in the demo library): the desk asks first.
  await scan('I02601');
  const holdWarning = page.getByRole('dialog', { name: 'Wanted by a hold' });
  await holdWarning.waitFor();
  await shot(page, 'hold-warning');
  await holdWarning.getByRole('button', { name: 'Cancel' }).click();
  // A mistyped barcode, let through: processing will catch it.
  await scan('I0O008');
  await page.getByRole('dialog', { name: 'Unusual barcode' }).getByRole('button', { name: 'Allow' }).click();
  await saved('I0O008');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F2');
  await page.getByRole('heading', { name: 'Checkin' }).waitFor();
  await scan('I00014');
  await saved('I00014');

  // The desk PC, same device: the list beside the form, light and dark.
  await page.setViewportSize(DESK_PC);
  await page.keyboard.press('F1');
  await page.getByRole('heading', { name: 'Checkout' }).waitFor();
  await scan('P0003');
  for (const item of ['I00019', 'I00021']) {
    await scan(item);
    await saved(item);
  }
  await shot(page, 'desk-pc');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'desk-pc-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');

  await page.setViewportSize(TABLET);
  await context.setOffline(false);
  const prompt = page.getByRole('dialog', { name: /waiting/ });
  await prompt.getByRole('button', { name: 'Upload' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Upload' }).and(page.locator(':focus')).waitFor();
  await shot(page, 'sync-prompt');
  await page.getByRole('dialog').getByRole('button', { name: 'Upload' }).click();
  await page.getByRole('dialog', { name: 'Upload finished' }).waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  await page.setViewportSize(DESK_PC);
  await page.goto('/#/admin');
  await page.getByRole('link', { name: SESSION }).click();
  await page.getByRole('button', { name: 'Process' }).click();
  await page.getByText('processed', { exact: true }).waitFor();
  await page.getByRole('table', { name: /Results/ }).scrollIntoViewIfNeeded();
  await shot(page, 'results-pc');
  await page.setViewportSize(TABLET);
  await page.getByRole('table', { name: /Results/ }).scrollIntoViewIfNeeded();
  await shot(page, 'results-tablet');
  await page.setViewportSize(DESK_PC);
  await page.getByRole('link', { name: 'Follow-up list' }).click();
  await page.getByRole('heading', { name: /Follow-up list/ }).waitFor();
  await shot(page, 'follow-ups', true);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(DATA, { recursive: true, force: true });
}
