import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config from '../playwright.config.js';
import { chooseSession, createSession, openDesk, syncDialog } from './support.js';
import type { SessionDetail, SessionSummary } from '../shared/api.js';

const baseURL = config.use!.baseURL!;

test('a browser closed and reopened with no network loads the desk and keeps every pending scan', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'oc-profile-'));
  const launch = () => chromium.launchPersistentContext(profile, { ...config.use!.launchOptions, baseURL });
  try {
    let context = await launch();
    let page = context.pages()[0] ?? await context.newPage();
    await openDesk(page, 'EAST-DESK-1', 'EAST');
    await context.setOffline(true);
    await page.getByLabel('Patron barcode').fill('P0004');
    await page.getByLabel('Item barcode').fill('I00005');
    await page.getByRole('button', { name: 'Check out' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('I00005');
    await expect(page.getByText('1 pending', { exact: true })).toBeVisible();
    await context.close();

    context = await launch();
    await context.setOffline(true);
    page = context.pages()[0] ?? await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
    await expect(page.getByText('1 pending', { exact: true })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'I00005' })).toBeVisible();
    await context.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('an upload to a session that stopped taking uploads is refused and the device keeps everything', async ({ page, context }) => {
  await openDesk(page, 'WEST-DESK-1', 'WEST');
  await createSession(page, 'West outage', 'WEST');
  await page.goto('/#/desk/checkin');
  await context.setOffline(true);
  await page.getByLabel('Item barcode').fill('I00021');
  await page.getByRole('button', { name: 'Check in' }).click();
  await expect(page.getByText('1 pending', { exact: true })).toBeVisible();

  await context.setOffline(false);
  const dialog = syncDialog(page);
  await chooseSession(dialog, 'West outage', 'WEST');

  // Meanwhile an administrator processes the session, which closes it to uploads.
  const sessions = await (await context.request.get('/api/sessions?state=open&branch=WEST')).json() as SessionSummary[];
  const west = sessions.find((s) => s.name === 'West outage')!;
  expect((await context.request.post(`/api/sessions/${west.id}/process`)).status()).toBe(202);
  await expect.poll(async () => ((await (await context.request.get(`/api/sessions/${west.id}`)).json()) as { state: string }).state)
    .toBe('processed');

  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('alert')).toContainText('no longer takes uploads');
  await expect(page.getByText('1 pending', { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Later' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'I00021' })).toContainText('pending');
});

test('uploading the same transactions again stores nothing twice and says so', async ({ page, context }) => {
  await openDesk(page, 'CENTRAL-DESK-2', 'CENTRAL');
  await createSession(page, 'Retry check', 'CENTRAL');
  await page.goto('/#/desk/in-house-use');
  await context.setOffline(true);
  await page.getByLabel('Item barcode').fill('I00031');
  await page.getByRole('button', { name: 'Record use' }).click();
  await expect(page.getByText('1 pending', { exact: true })).toBeVisible();
  const tx = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return new Promise<unknown>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (e) => resolve((e.data as { entries: { tx: unknown }[] }).entries[0].tx);
      registration.active!.postMessage({ type: 'pending-batch', limit: 1 }, [channel.port2]);
    });
  });

  // A first attempt reached the server but its reply was lost (say, the network dropped).
  await context.setOffline(false);
  const sessions = await (await context.request.get('/api/sessions?state=open&branch=CENTRAL')).json() as SessionSummary[];
  const session = sessions.find((s) => s.name === 'Retry check')!;
  const first = await context.request.post(`/api/sessions/${session.id}/uploads`, {
    data: { workstation: 'CENTRAL-DESK-2', device_time: new Date().toISOString(), transactions: [tx] },
  });
  expect((await first.json()).accepted).toHaveLength(1);

  const dialog = syncDialog(page);
  await chooseSession(dialog, 'Retry check', 'CENTRAL');
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('status')).toContainText('1 had already been received and was stored once');
  await expect(page.getByText('0 pending', { exact: true })).toBeVisible();
  const detail = await (await context.request.get(`/api/sessions/${session.id}`)).json() as SessionDetail;
  expect(detail.counts.total).toBe(1);
});
