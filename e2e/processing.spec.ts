import { test, expect } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { answerWarning, chooseSession, createSession, logIn, openDesk, syncDialog } from './support.js';
import type { SessionSummary } from '../shared/api.js';

test('process a session with notices and exceptions, fix an unknown barcode and retry it, and read the follow-up list', async ({ page, context }) => {
  await openDesk(page, 'EAST-DESK-2', 'EAST');
  await createSession(page, 'East outage', 'EAST');
  await page.goto('/#/desk/checkin');
  await context.setOffline(true);
  const saved = page.getByRole('status').filter({ hasText: 'Saved on this device' });

  // An item owned by CENTRAL comes back at EAST: it must be routed home.
  await page.getByLabel('Item barcode').fill('I00003');
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(saved).toContainText('I00003');
  await page.getByRole('navigation', { name: 'Desk' }).getByRole('link', { name: 'Checkout' }).click();
  // A barred patron (lent anyway: the override policy is on) and a mistyped item barcode.
  await page.getByLabel('Patron barcode').fill('P0009');
  await page.getByLabel('Item barcode').fill('I00004');
  await page.getByRole('button', { name: 'Check out' }).click();
  await answerWarning(page, 'Patron barred', 'Allow');
  await expect(saved).toContainText('I00004');
  await page.getByLabel('Patron barcode').fill('P0002');
  await page.getByLabel('Item barcode').fill('I0O008');
  await page.getByRole('button', { name: 'Check out' }).click();
  // The desk spots the typo; staff let it through, and the results catch it.
  await answerWarning(page, 'Unusual barcode', 'Allow');
  await expect(saved).toContainText('I0O008');

  await context.setOffline(false);
  const dialog = syncDialog(page);
  await chooseSession(dialog, 'East outage', 'EAST');
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('status')).toContainText('Uploaded 3 transactions');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.goto('/#/admin');
  await page.getByRole('link', { name: 'East outage' }).click();
  await page.getByRole('button', { name: 'Process' }).click();
  await expect(page.getByText('processed', { exact: true })).toBeVisible();
  const rows = page.getByRole('table', { name: /Results/ }).getByRole('row');
  await expect(rows.filter({ hasText: 'I00003' })).toContainText('ROUTE_ITEM');
  await expect(rows.filter({ hasText: 'I00003' })).toContainText('Applied with notice');
  await expect(rows.filter({ hasText: 'I00004' })).toContainText('PATRON_BARRED');
  const typo = rows.filter({ hasText: 'I0O008' });
  await expect(typo).toContainText('ASSET_COPY_NOT_FOUND');
  // The CSV holds what the list shows: filtered to the exceptions, the mistyped barcode and not the routed item.
  await page.getByLabel('Outcome').selectOption('exception');
  const csvHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(csvHref).toContain('outcome=exception');
  const csv = await (await page.request.get(csvHref!)).text();
  expect(csv).toContain('I0O008');
  expect(csv).not.toContain('I00003');
  await page.getByLabel('Outcome').selectOption('');

  await typo.getByRole('button', { name: 'Fix' }).click();
  const fix = page.getByRole('dialog');
  await expect(fix).toContainText('Item barcode not found');
  await fix.getByLabel('Item barcode').fill('I00008');
  await fix.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Retried' })).toContainText('Applied');
  const fixed = rows.filter({ hasText: 'I00008' });
  await expect(fixed).toContainText('Applied');
  await expect(fixed).not.toContainText('ASSET_COPY_NOT_FOUND');
  await fixed.getByRole('button', { name: /Details/ }).click();
  await expect(page.getByRole('dialog')).toContainText('was Item barcode: I0O008');
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  await page.getByRole('link', { name: 'Follow-up list' }).click();
  const routeTable = page.getByRole('table', { name: /Items to route/ });
  await expect(routeTable.getByRole('row').filter({ hasText: 'I00003' })).toContainText('CENTRAL');
  await expect(page.getByRole('table', { name: /blocks were overridden/ })).toContainText('P0009');
});

test('the progress view moves while a large session is processed', async ({ page, context }) => {
  await page.goto('/');
  await logIn(page);
  await createSession(page, 'Big West outage', 'WEST');
  const sessions = await (await context.request.get('/api/sessions?state=open&branch=WEST')).json() as SessionSummary[];
  const session = sessions.find((s) => s.name === 'Big West outage')!;
  const total = 40_000;
  const start = Date.now() - 3 * 3600_000;
  for (let chunk = 0; chunk < total; chunk += 1000) {
    const transactions = Array.from({ length: 1000 }, (_, i) => ({
      id: randomUUID(), type: 'in_house_use', seq: chunk + i + 1, workstation: 'WEST-BULK', staff: 'admin',
      occurred_at: new Date(start + (chunk + i) * 100).toISOString(), item_barcode: `I${String(1 + ((chunk + i) % 2999)).padStart(5, '0')}`,
    }));
    const res = await context.request.post(`/api/sessions/${session.id}/uploads`, { data: { workstation: 'WEST-BULK', device_time: new Date().toISOString(), transactions } });
    expect(res.status()).toBe(200);
  }

  await page.goto(`/#/admin/sessions/${session.id}`);
  await page.getByRole('button', { name: 'Process' }).click();
  const bar = page.getByRole('progressbar', { name: 'Processing progress' });
  await expect(bar).toBeVisible();
  const seen: number[] = [];
  await expect.poll(async () => {
    const value = Number(await bar.getAttribute('value').catch(() => null) ?? NaN);
    if (Number.isFinite(value)) seen.push(value);
    return new Set(seen.filter((v) => v > 0 && v < total)).size;
  }, { timeout: 30_000, intervals: [100] }).toBeGreaterThanOrEqual(2);
  await expect(page.getByText(/\d+\/s/)).toBeVisible();
  await expect(page.getByText('processed', { exact: true })).toBeVisible({ timeout: 60_000 });
  // Everything was resolved; scans of items that other tests changed since are rightly skipped as stale.
  await expect(page.getByText('0 pending', { exact: true }).last()).toBeVisible();
  const counts = page.locator('ul.counts');
  // Counts are written as the desk's language writes numbers: 40,000 in English.
  const number = async (label: string) =>
    Number((await counts.locator('li').filter({ hasText: new RegExp(`^[\\d,]+ ${label}$`) }).textContent())!.replace(/\D/g, ''));
  expect(await number('applied') + await number('skipped')).toBe(total);
});
