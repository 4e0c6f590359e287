import { test, expect } from '@playwright/test';
import { answerWarning, chooseSession, createSession, openDesk, syncDialog, watchCsp } from './support.js';

test('record offline, upload to a session, process, and read the results', async ({ page, context }) => {
  const cspViolations = watchCsp(page);
  await openDesk(page, 'CENTRAL-DESK-1', 'CENTRAL');
  await createSession(page, 'Internet Down 2026-11-29', 'CENTRAL');
  await page.goto('/#/desk/checkout');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('Offline', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();

  const status = page.getByRole('status').filter({ hasText: 'Saved on this device' });
  const nav = page.getByRole('navigation', { name: 'Desk' });

  await page.getByLabel('Patron barcode').fill('P0001');
  await page.getByLabel('Patron barcode').press('Enter');
  await expect(page.getByLabel('Item barcode')).toBeFocused();
  await page.getByLabel('Item barcode').fill('I00006');
  await page.getByLabel('Item barcode').press('Enter');
  await expect(status).toContainText(/checkout of “.+” \(I00006\) to .+ \(P0001\)/);

  await page.getByLabel('Item barcode').fill('NO-SUCH-ITEM');
  await page.getByRole('button', { name: 'Check out' }).click();
  await answerWarning(page, 'Unusual barcode', 'Allow');
  await expect(status).toContainText('checkout of NO-SUCH-ITEM');

  await nav.getByRole('link', { name: 'Renew' }).click();
  await page.getByLabel('Item barcode').fill('I00007');
  await page.getByRole('button', { name: 'Renew' }).click();
  await expect(status).toContainText(/renewal of “.+” \(I00007\)/);

  await nav.getByRole('link', { name: 'Checkin' }).click();
  await page.getByLabel('Item barcode').fill('I00014');
  await page.getByLabel('Effective date').fill(new Date(Date.now() - 86400_000).toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(status).toContainText(/checkin of “.+” \(I00014\)/);

  await nav.getByRole('link', { name: 'In-house use' }).click();
  await page.getByLabel('Item barcode').fill('I00002');
  await page.getByLabel('Count').fill('3');
  await page.getByRole('button', { name: 'Record use' }).click();
  await expect(status).toContainText(/3 in-house uses of “.+” \(I00002\)/);
  await expect(page.getByText('5 pending', { exact: true })).toBeVisible();

  // Still offline: a reload keeps every scan.
  await page.reload();
  await expect(page.getByText('5 pending', { exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'NO-SUCH-ITEM' })).toBeVisible();

  // Back online: the app notices with a real request and asks where to upload.
  await context.setOffline(false);
  const dialog = syncDialog(page);
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog).toContainText('5 transactions waiting');
  await chooseSession(dialog, 'Internet Down 2026-11-29', 'CENTRAL');
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('status')).toContainText('Uploaded 5 transactions');
  await expect(page.getByText('0 pending', { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('cell', { name: 'uploaded' }).first()).toBeVisible();

  await page.goto('/#/admin');
  await page.getByRole('link', { name: 'Internet Down 2026-11-29' }).click();
  await expect(page.getByRole('table', { name: 'Uploads by workstation' })).toContainText('CENTRAL-DESK-1');
  await page.getByRole('button', { name: 'Process' }).click();
  await expect(page.getByText('processed', { exact: true })).toBeVisible();

  const results = page.getByRole('table', { name: /Results/ });
  await expect(results.getByRole('row').filter({ hasText: 'NO-SUCH-ITEM' })).toContainText('ASSET_COPY_NOT_FOUND');
  await expect(results.getByRole('row').filter({ hasText: 'NO-SUCH-ITEM' })).toContainText('Exception');
  await expect(results.getByRole('row').filter({ hasText: 'I00006' })).toContainText('Applied');
  await expect(results.getByRole('row').filter({ hasText: 'I00007' })).toContainText('Applied');
  await expect(results.getByRole('row').filter({ hasText: 'I00002' })).toContainText('Applied');

  // The whole loop ran under the strict Content-Security-Policy without a single violation.
  expect(cspViolations).toEqual([]);
});
