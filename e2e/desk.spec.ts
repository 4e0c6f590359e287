import { test, expect, type Page, type BrowserContext } from '@playwright/test';
import { chooseSession, createSession, holdingProxy, openDesk, outboxEntries, syncDialog } from './support.js';
import config from '../playwright.config.js';
import type { ResultsPage, SessionDetail, SessionSummary } from '../shared/api.js';

/** Fills the checkout form and presses Check out, as staff do with a scanner. */
async function checkOut(page: Page, patron: string, item: string): Promise<void> {
  await page.getByLabel('Patron barcode').fill(patron);
  await page.getByLabel('Item barcode').fill(item);
  await page.getByRole('button', { name: 'Check out' }).click();
}

async function sessionId(context: BrowserContext, branch: string, name: string): Promise<number> {
  const sessions = await (await context.request.get(`/api/sessions?branch=${branch}`)).json() as SessionSummary[];
  return sessions.find((s) => s.name === name)!.id;
}

async function uploadTo(page: Page, session: string, branch: string, expected: string): Promise<void> {
  const dialog = syncDialog(page);
  await chooseSession(dialog, session, branch);
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('status')).toContainText(expected);
  await dialog.getByRole('button', { name: 'Close' }).click();
}

async function processAndWait(context: BrowserContext, id: number): Promise<void> {
  expect((await context.request.post(`/api/sessions/${id}/process`)).status()).toBe(202);
  await expect.poll(async () => ((await (await context.request.get(`/api/sessions/${id}`)).json()) as { state: string }).state).toBe('processed');
}

test('a blocked card warns with the reason; Allow records the acknowledgement, Cancel records nothing', async ({ page, context }) => {
  await openDesk(page, 'CENTRAL-DESK-5', 'CENTRAL');
  await createSession(page, 'Blocks check', 'CENTRAL');
  await page.goto('/#/desk/checkout');
  await context.setOffline(true);

  // P0009 is barred in the demo library.
  await checkOut(page, 'P0009', 'I00111');
  const warning = page.getByRole('dialog', { name: 'Patron barred' });
  await expect(warning).toContainText('the patron is barred');
  await expect(warning).toContainText('offline data');
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toHaveText('Card P0009 not taken: its warning was cancelled. Scan a card.');
  await expect(page.getByText('0 pending', { exact: true })).toBeVisible();

  await checkOut(page, 'P0009', 'I00111');
  await warning.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('I00111');
  // A second item for the same patron: no second question, the same acknowledgement.
  await page.getByLabel('Item barcode').fill('I00112');
  await page.getByLabel('Item barcode').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('I00112');
  const entries = await outboxEntries(page);
  expect(entries.map((e) => e.tx.acknowledged)).toEqual([['PATRON_BARRED'], ['PATRON_BARRED']]);
  const entry = entries.find((e) => e.tx.item_barcode === 'I00111')!;

  await context.setOffline(false);
  await uploadTo(page, 'Blocks check', 'CENTRAL', 'Uploaded 2 transactions');
  const id = await sessionId(context, 'CENTRAL', 'Blocks check');
  await processAndWait(context, id);
  const detail = await (await context.request.get(`/api/sessions/${id}/transactions/${entry.id}`)).json();
  expect(detail.transaction.acknowledged).toEqual(['PATRON_BARRED']);
  expect(detail.code).toBe('PATRON_BARRED');

  // The follow-up list names the patron once, for both loans.
  await page.goto(`/#/admin/sessions/${id}/follow-ups`);
  const overridden = page.getByRole('table', { name: /blocks were overridden/ });
  await expect(overridden.getByRole('row').filter({ hasText: 'P0009' })).toHaveCount(1);
  await expect(overridden.getByRole('row').filter({ hasText: 'P0009' })).toContainText('2 transactions');
});

test('an item a hold wants for someone else warns at checkout, naming the card; the patron it is wanted for takes it without one', async ({ page, context }) => {
  await openDesk(page, 'CENTRAL-DESK-7', 'CENTRAL');
  await createSession(page, 'Holds check', 'CENTRAL');
  await page.goto('/#/desk/checkout');
  await context.setOffline(true);

  // In the demo library I02601 and I02651 are wanted by holds for P0004 and P0154.
  await checkOut(page, 'P0002', 'I02601');
  const warning = page.getByRole('dialog', { name: 'Wanted by a hold' });
  await expect(warning).toContainText('Item I02601 is wanted by a hold for patron P0004');
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toBeVisible();
  await expect(page.getByText('0 pending', { exact: true })).toBeVisible();

  await checkOut(page, 'P0004', 'I02601');
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('I02601');

  await checkOut(page, 'P0002', 'I02651');
  await expect(warning).toContainText('patron P0154');
  await warning.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('I02651');
  const entries = await outboxEntries(page);
  expect(entries.map((e) => [e.tx.item_barcode, e.tx.acknowledged ?? []]).sort()).toEqual([['I02601', []], ['I02651', ['HOLD_FOR_OTHER_PATRON']]]);

  // Processing agrees: the holder's own checkout fills the hold, the other keeps it waiting.
  await context.setOffline(false);
  await uploadTo(page, 'Holds check', 'CENTRAL', 'Uploaded 2 transactions');
  const id = await sessionId(context, 'CENTRAL', 'Holds check');
  await processAndWait(context, id);
  const codes = await Promise.all(entries.map(async (e) => [e.tx.item_barcode,
    ((await (await context.request.get(`/api/sessions/${id}/transactions/${e.id}`)).json()) as { code: string }).code]));
  expect(codes.sort()).toEqual([['I02601', 'SUCCESS'], ['I02651', 'HOLD_FOR_OTHER_PATRON']]);
});

test('the due date shown at the desk is the due date the server stores', async ({ page, context }) => {
  await openDesk(page, 'EAST-DESK-5', 'EAST');
  await createSession(page, 'Due dates', 'EAST');
  await page.goto('/#/desk/checkout');
  await context.setOffline(true);

  // P0003 is a juvenile and I00108 a book: the book × juvenile policy (28 days) applies.
  await page.getByLabel('Patron barcode').fill('P0003');
  await page.getByLabel('Item barcode').fill('I00108');
  const preview = page.locator('.due-preview');
  await expect(preview).toContainText('book × juvenile, 28 days');
  const shown = (await preview.textContent())!;
  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('I00108');
  const [entry] = await outboxEntries(page);
  const expectedText = await page.evaluate((due) => new Date(due).toLocaleDateString(undefined, { dateStyle: 'medium' }), entry.tx.due_at!);
  expect(shown).toContain(expectedText);

  await context.setOffline(false);
  await uploadTo(page, 'Due dates', 'EAST', 'Uploaded 1 transaction');
  const id = await sessionId(context, 'EAST', 'Due dates');
  await processAndWait(context, id);
  const detail = await (await context.request.get(`/api/sessions/${id}/transactions/${entry.id}`)).json();
  expect(detail.outcome).toBe('applied');
  expect(detail.detail).toBe(`Due ${expectedText}.`);
  expect(detail.detail_parts).toEqual([{ key: 'due', params: { date: entry.tx.due_at!.slice(0, 10) } }]);
});

test('two tabs recording 50 scans each offline: all 100 are uploaded, once', async ({ page, context }) => {
  await openDesk(page, 'WEST-DESK-5', 'WEST');
  await createSession(page, 'Two tabs', 'WEST');
  await page.goto('/#/desk/in-house-use');
  await context.setOffline(true);
  // The second tab opens with no network, from the service worker's cache. (Opened online, it could hear the server
  // answer just before the network went, and offer to upload the first tab's scans in a dialog that takes the next Enter.)
  const second = await context.newPage();
  await second.goto('/#/desk/in-house-use');
  await expect(second.getByRole('heading', { name: 'In-house use' })).toBeVisible();

  const scan = async (tab: Page, first: number) => {
    for (let i = 0; i < 50; i++) {
      const barcode = `I${String(first + i).padStart(5, '0')}`;
      await tab.getByLabel('Item barcode').fill(barcode);
      await tab.getByLabel('Item barcode').press('Enter');
      await expect(tab.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText(barcode);
    }
  };
  await Promise.all([scan(page, 1201), scan(second, 1301)]);
  await expect(page.getByText('100 pending', { exact: true })).toBeVisible();
  const seqs = (await outboxEntries(page)).map((e) => e.tx.seq);
  expect(new Set(seqs).size).toBe(100);
  await second.close();

  await context.setOffline(false);
  await uploadTo(page, 'Two tabs', 'WEST', 'Uploaded 100 transactions');
  const id = await sessionId(context, 'WEST', 'Two tabs');
  const detail = await (await context.request.get(`/api/sessions/${id}`)).json();
  expect(detail.counts.total).toBe(100);
});

test('scans made while an upload runs join that same upload: they arrive too, with nothing clicked', async ({ browser }) => {
  // This desk reaches the server through a line that holds every upload request until the test lets it through.
  const line = await holdingProxy(config.use!.baseURL!, (method, url) => method === 'POST' && url.includes('/uploads'));
  const context = await browser.newContext({ baseURL: line.url });
  try {
    const page = await context.newPage();
    await openDesk(page, 'CENTRAL-DESK-6', 'CENTRAL');
    await createSession(page, 'Slow line', 'CENTRAL');
    await page.goto('/#/desk/in-house-use');
    await context.setOffline(true);
    for (const barcode of ['I01401', 'I01402', 'I01403']) {
      await page.getByLabel('Item barcode').fill(barcode);
      await page.getByRole('button', { name: 'Record use' }).click();
      await expect(page.getByRole('status').filter({ hasText: barcode })).toBeVisible();
    }

    await context.setOffline(false);
    const dialog = syncDialog(page);
    await chooseSession(dialog, 'Slow line', 'CENTRAL');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    // The first chunk is on the line, held: the upload is running and cannot finish yet.
    await line.held;
    await expect(dialog.getByText('0 of 3 sent')).toBeVisible();

    // Meanwhile another tab of this desk scans. It opens after the session was chosen, so it joins the upload, not a prompt.
    const other = await context.newPage();
    await other.goto('/#/desk/in-house-use');
    await expect(other.getByText('Uploading to “Slow line”')).toBeVisible();
    for (const barcode of ['I01404', 'I01405']) {
      await other.getByLabel('Item barcode').fill(barcode);
      await other.getByRole('button', { name: 'Record use' }).click();
      await expect(other.getByRole('status').filter({ hasText: barcode })).toBeVisible();
    }

    // From here nothing is clicked: only the upload already running can take the two new scans.
    line.release();
    // The upload staff started reports all five: the two scans joined it.
    await expect(dialog.getByRole('status')).toContainText('Uploaded 5 transactions to “Slow line”', { timeout: 30_000 });
    await expect(page.getByText('0 pending', { exact: true })).toBeVisible();
    await expect(other.getByText('0 pending', { exact: true })).toBeVisible();
    const id = await sessionId(context, 'CENTRAL', 'Slow line');
    // The server received them as that upload's chunks, in order: the three, then the two scanned while it ran.
    const detail = await (await context.request.get(`/api/sessions/${id}`)).json() as SessionDetail;
    expect(detail.uploads.sort((a, b) => a.id - b.id).map((u) => u.accepted)).toEqual([3, 2]);
    const results = await (await context.request.get(`/api/sessions/${id}/results?limit=100`)).json() as ResultsPage;
    expect(results.results.map((r) => r.item_barcode).sort()).toEqual(['I01401', 'I01402', 'I01403', 'I01404', 'I01405']);
  } finally {
    await context.close();
    await line.close();
  }
});

test.describe('in a library in New York', () => {
  // Koha's times carry no zone: the desk reads them in its own, this browser's.
  test.use({ timezoneId: 'America/New_York' });

  test('Koha and Evergreen files load into the pending list once, however often they are imported', async ({ page }) => {
    await openDesk(page, 'EAST-DESK-6', 'EAST');
    await page.getByRole('link', { name: 'Files' }).click();
    const input = page.getByLabel('Offline file');
    await input.setInputFiles('e2e/fixtures/sample.koc');
    await expect(page.getByRole('status')).toContainText('sample.koc (Koha .koc): 4 transactions added');
    await input.setInputFiles('e2e/fixtures/pending.xacts');
    await expect(page.getByRole('status')).toContainText('pending.xacts (Evergreen pending.xacts): 5 transactions added');
    await expect(page.getByText('9 pending', { exact: true })).toBeVisible();

    await input.setInputFiles('e2e/fixtures/sample.koc');
    await expect(page.getByRole('status')).toContainText('0 transactions added to the pending list. 4 were already on this device.');
    await input.setInputFiles('e2e/fixtures/pending.xacts');
    await expect(page.getByRole('status')).toContainText('0 transactions added to the pending list. 5 were already on this device.');
    await expect(page.getByText('9 pending', { exact: true })).toBeVisible();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export to a file' }).click();
    const file = await download;
    const text = await (await file.createReadStream()).toArray();
    const exported = Buffer.concat(text).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { occurred_at: string; item_barcode?: string });
    expect(exported).toHaveLength(9);
    // 10:02:11.204 on a New York desk clock in November (UTC−05:00).
    expect(exported.find((t) => t.item_barcode === 'I02901')?.occurred_at).toBe('2026-11-28T15:02:11.204Z');
    await expect(page.getByText('read in this device’s zone, America/New_York')).toBeVisible();
  });
});

test('a patron registered offline can borrow at once, and both apply after processing', async ({ page, context }) => {
  await openDesk(page, 'WEST-DESK-6', 'WEST');
  await createSession(page, 'New patrons', 'WEST');
  await page.goto('/#/desk/register');
  await context.setOffline(true);
  await page.getByLabel('Card barcode').fill('P7077');
  await page.getByLabel('First name').fill('Mira');
  await page.getByLabel('Last name').fill('Quill');
  await page.getByLabel('Profile').selectOption('juvenile');
  await page.getByRole('button', { name: 'Register patron' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('Mira Quill');

  await page.getByRole('navigation', { name: 'Desk' }).getByRole('link', { name: 'Checkout' }).click();
  await page.getByLabel('Patron barcode').fill('P7077');
  await page.getByLabel('Item barcode').fill('I00107');
  await expect(page.locator('.due-preview')).toContainText('× juvenile');
  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this device' })).toContainText('I00107');

  await context.setOffline(false);
  await uploadTo(page, 'New patrons', 'WEST', 'Uploaded 2 transactions');
  const id = await sessionId(context, 'WEST', 'New patrons');
  await processAndWait(context, id);
  const results = await (await context.request.get(`/api/sessions/${id}/results`)).json() as ResultsPage;
  expect(results.results.map((r) => [r.type, r.outcome, r.code])).toEqual([['register', 'applied', 'SUCCESS'], ['checkout', 'applied', 'SUCCESS']]);
});
