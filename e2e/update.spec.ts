import { test, expect } from '@playwright/test';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { openDesk } from './support.js';

test('an app update waits for staff to agree, then reloads with every pending scan still there', async ({ page }) => {
  await openDesk(page, 'EAST-DESK-9', 'EAST');
  await page.goto('/#/desk/in-house-use');
  await page.getByLabel('Item barcode').fill('I02501');
  await page.getByRole('button', { name: 'Record use' }).click();
  await expect(page.getByText('1 pending', { exact: true })).toBeVisible();

  // A new version is deployed: the service worker script changes on the server.
  const swPath = 'dist/public/sw.js';
  const original = readFileSync(swPath);
  try {
    appendFileSync(swPath, `\n// deployed ${Date.now()}\n`);
    await page.evaluate(async () => { await (await navigator.serviceWorker.ready).update(); });
    const banner = page.getByRole('alert').filter({ hasText: 'A new version of the app is ready' });
    await expect(banner).toBeVisible();
    // The banner passes axe, light and dark (the other screens are in accessibility.spec.ts).
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id), `axe, ${colorScheme}`).toEqual([]);
    }
    // Nothing reloads by itself: staff are mid-shift.
    await page.getByLabel('Item barcode').fill('I02502');
    await page.getByRole('button', { name: 'Record use' }).click();
    await expect(page.getByText('2 pending', { exact: true })).toBeVisible();

    // Wait for the reload before clicking, so a fast reload is not missed.
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Reload now' }).click();
    await reloaded;
    await expect(page.getByText('2 pending', { exact: true })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'I02501' })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'A new version' })).toHaveCount(0);
  } finally {
    writeFileSync(swPath, original);
  }
});
