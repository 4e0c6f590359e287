import { test, expect, type Page } from '@playwright/test';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { scan, waitForOfflineReady } from './support.js';
import { offlineDataStored, shown, tr, unmarkedText, useLocale } from './i18n-support.js';
import { E2E_ADMIN_PASSWORD } from '../playwright.config.js';
import type { SessionSummary } from '../shared/api.js';

/**
 * The whole app walked in the pseudo-locale, where every message reads ⟦Àççéñtéd⟧: on each
 * screen, dialog and banner, any letters outside the brackets that are not data are a string
 * that bypassed msg() — English a French or Arabic desk would see. One walk, so each screen is
 * reached with real data in it (a visit, a pending upload, processed results) without redoing
 * the work for each.
 */
const L = 'en-XA';
const SESSION = 'Pseudo walk';
const BRANCH = 'CENTRAL';

/** Soft, so one walk lists every screen's leftovers at once rather than stopping at the first. */
async function walk(page: Page, screen: string): Promise<void> {
  expect.soft(await unmarkedText(page), `text outside msg() on ${screen}`).toEqual([]);
}

const heading = (page: Page) => page.locator('main h1').first();

test.use({ viewport: { width: 1366, height: 768 } });

test('in the pseudo-locale, every screen, dialog and banner shows only messages and data', async ({ page, context }) => {
  test.setTimeout(300_000);
  // Receipts go to the printer; here the printed page is looked at under print media instead.
  await page.addInitScript('window.print = () => undefined;');
  await useLocale(page, L);

  await page.goto('/');
  await expect(page.getByRole('heading', { name: tr(L, 'Log in') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', L);
  await walk(page, 'the login page');
  await page.getByLabel(tr(L, 'Username')).fill('admin');
  await page.getByLabel(tr(L, 'Password')).fill(E2E_ADMIN_PASSWORD);
  await page.getByRole('button', { name: tr(L, 'Log in') }).click();

  await expect(page.getByLabel(tr(L, 'Workstation name'))).toBeVisible();
  await walk(page, 'the workstation registration');
  await page.getByLabel(tr(L, 'Workstation name')).fill('PSEUDO-DESK-1');
  await page.getByLabel(tr(L, 'Branch')).selectOption(BRANCH);
  await page.getByRole('button', { name: tr(L, 'Register workstation') }).click();
  await expect(page.locator('oc-desk-page')).toBeVisible();
  await waitForOfflineReady(page);
  await offlineDataStored(page);

  await page.goto('/#/admin');
  await page.getByLabel(tr(L, 'Session name')).fill(SESSION);
  await page.getByLabel(tr(L, 'Branch')).selectOption(BRANCH);
  await page.getByRole('button', { name: tr(L, 'Create session') }).click();
  await expect(page.getByRole('link', { name: SESSION }).first()).toBeFocused();
  await walk(page, 'the sessions list, a session just created');

  // The desk, offline: each mode's form empty, as a shift finds it.
  await page.goto('/#/desk/checkout');
  await expect(heading(page)).toHaveText(shown(L, 'Checkout'));
  await context.setOffline(true);
  await expect(page.locator('header .net.down')).toBeVisible({ timeout: 20_000 });
  for (const [path, label] of [['renew', 'Renew'], ['checkin', 'Checkin'], ['in-house-use', 'In-house use'], ['register', 'Register patron'],
    ['payment', 'Payment'], ['checkout', 'Checkout']] as const) {
    await page.goto(`/#/desk/${path}`);
    await expect(heading(page)).toHaveText(shown(L, label));
    await walk(page, `the ${label} form, offline`);
  }

  // A visit: a barred card asked about, an item lent, then its receipt.
  await page.getByLabel(tr(L, 'Print a receipt when the patron is done')).check();
  await page.locator('input[name="patron_barcode"]').focus();
  await scan(page, 'P0009');
  const warning = page.getByRole('dialog');
  await expect(warning).toBeVisible();
  await walk(page, 'the warning dialog');
  await warning.getByRole('button', { name: shown(L, 'Allow') }).click();
  await scan(page, 'I00111');
  await expect(page.getByRole('status')).toContainText('I00111');
  await expect(page.locator('#visit-title')).toBeVisible();
  await walk(page, 'the checkout with a visit and a loan saved offline');
  await page.locator('.visit button.done').click();
  await expect(page.locator('#receipt')).toBeAttached();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('#receipt')).toBeVisible();
  await walk(page, 'the printed receipt');
  await page.emulateMedia({ media: 'screen' });
  // An item's barcode where the card goes: the error names the field.
  await page.locator('input[name="patron_barcode"]').focus();
  await scan(page, 'I00112');
  await expect(page.locator('#scan-error')).not.toBeEmpty();
  await walk(page, 'the checkout with an error');
  // A payment with the card's balance shown.
  await page.goto('/#/desk/payment');
  await page.locator('input[name="patron_barcode"]').focus();
  await scan(page, 'P0002');
  await expect(page.locator('#patron-info')).toBeVisible();
  await walk(page, 'the payment form with a card');

  await page.goto('/#/files');
  await expect(heading(page)).toHaveText(tr(L, 'Files'));
  await walk(page, 'the Files page');
  await page.getByLabel(tr(L, 'Offline file')).setInputFiles({ name: 'bad.jsonl', mimeType: 'text/plain', buffer: Buffer.from('{"not": "a transaction"}\n') });
  await expect(page.getByRole('status')).not.toBeEmpty();
  await walk(page, 'the Files page after a file that did not load');

  // Offline, another staff member takes the desk over.
  await page.goto('/#/login');
  await expect(page.getByRole('heading', { name: tr(L, 'Work at this desk while offline') })).toBeVisible();
  await walk(page, 'the login page offline, with the take-over');
  await page.getByRole('button', { name: tr(L, 'Continue as {0}', '§').split('§')[0] }).click();
  await expect(page.locator('oc-desk-page')).toBeVisible();

  // Back online: the upload prompt, with the loan waiting.
  await context.setOffline(false);
  const prompt = page.locator('oc-sync-dialog dialog');
  const select = prompt.getByLabel(tr(L, 'Session'));
  await expect(select).toBeVisible({ timeout: 20_000 });
  await walk(page, 'the upload prompt with a transaction waiting');
  await select.selectOption((await select.locator('option', { hasText: SESSION }).first().getAttribute('value'))!);
  await prompt.getByRole('button', { name: tr(L, 'Upload') }).click();
  await expect(prompt.getByRole('heading', { name: tr(L, 'Upload finished') })).toBeVisible();
  await expect(prompt.getByRole('status')).toContainText(SESSION);
  await walk(page, 'the upload prompt after the upload');
  await prompt.getByRole('button', { name: tr(L, 'Close') }).click();
  await expect(prompt).toBeHidden();
  await walk(page, 'the desk online, with uploaded history');

  // The admin side: the session processed, its results, a result's dialog, the follow-up list.
  const sessions = await (await context.request.get(`/api/sessions?branch=${BRANCH}`)).json() as SessionSummary[];
  const id = sessions.find((s) => s.name === SESSION)!.id;
  await page.goto('/#/admin');
  await expect(page.getByRole('link', { name: SESSION }).first()).toBeVisible();
  await walk(page, 'the sessions list');
  await page.getByRole('link', { name: SESSION }).first().click();
  await expect(page.locator('main h1')).toContainText(SESSION);
  await walk(page, 'a session with an upload, before processing');
  await page.getByRole('button', { name: shown(L, 'Process') }).click();
  await expect.poll(async () => ((await (await context.request.get(`/api/sessions/${id}`)).json()) as { state: string }).state,
    { timeout: 30_000 }).toBe('processed');
  const results = page.locator('table.results');
  await expect(results.locator('tbody tr').filter({ hasText: 'I00111' })).toBeVisible();
  await walk(page, 'a processed session with its results');
  await results.locator('tbody tr').filter({ hasText: 'I00111' }).getByRole('button').first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await walk(page, 'a result’s dialog');
  await page.getByRole('dialog').getByRole('button', { name: tr(L, 'Close') }).click();
  await page.goto(`/#/admin/sessions/${id}/follow-ups`);
  await expect(page.locator('main table').first()).toBeVisible();
  await expect(page.locator('main')).toContainText('P0009');
  await walk(page, 'the follow-up list');

  for (const path of ['import', 'policies', 'calendars', 'staff', 'workstations', 'audit']) {
    await page.goto(`/#/admin/${path}`);
    await expect(heading(page)).toBeVisible();
    // Lists are walked with their rows in, forms with their fields.
    await expect(page.locator('main tbody tr, main form').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await walk(page, `the admin ${path} page`);
  }

  // A new version of the app deployed: the banner asking to reload.
  await page.goto('/#/desk/checkout');
  await expect(heading(page)).toBeVisible();
  const swPath = 'dist/public/sw.js';
  const original = readFileSync(swPath);
  try {
    appendFileSync(swPath, `\n// deployed ${Date.now()}\n`);
    await page.evaluate(async () => { await (await navigator.serviceWorker.ready).update(); });
    await expect(page.locator('.update-banner')).toBeVisible();
    await walk(page, 'the app-update banner');
  } finally {
    writeFileSync(swPath, original);
  }
});
