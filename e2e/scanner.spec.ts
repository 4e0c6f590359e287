import { test, expect, type Page } from '@playwright/test';
import { openDesk, outboxEntries, scan } from './support.js';

/**
 * The desk driven as a barcode scanner drives it: each code and Enter typed at
 * full speed into whatever has the focus, nothing clicked between scans. Each
 * test asserts what the device stored, not only what the screen says. The demo
 * library: cards P0001–P0300 (P0009 barred, P0005 expired), items I00001–I03000
 * (I02801 and I02851 wanted by holds for P0004 and P0154; no test here uploads, so they stay wanted); the e2e server's barcode rules are
 * I + 5 digits for items and P + 4 digits for cards.
 */

const saved = (page: Page) => page.getByRole('status').filter({ hasText: 'Saved on this device' });
const checkouts = async (page: Page) => (await outboxEntries(page)).filter((e) => e.tx.type === 'checkout')
  .map((e) => [e.tx.patron_barcode, e.tx.item_barcode]).reverse();

async function offlineDesk(page: Page, workstation: string, mode = 'checkout'): Promise<void> {
  await openDesk(page, workstation, 'CENTRAL');
  await page.goto(`/#/desk/${mode}`);
  await page.context().setOffline(true);
}

test('a warning cancelled leaves nothing in the field: the next scan is stored as itself, not glued to the last', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-1');
  await scan(page, 'P0002');
  await expect(page.getByRole('status')).toContainText('Patron: ');
  await scan(page, 'I02801');
  const warning = page.getByRole('dialog', { name: 'Wanted by a hold' });
  await expect(warning).toBeVisible();
  // Cancel answered with the keyboard (it has the focus), as staff at a scanner do.
  await page.keyboard.press('Enter');
  await expect(warning).toBeHidden();
  await expect(page.getByRole('status')).toHaveText('Not saved: cancelled.');
  await expect(page.getByLabel('Item barcode')).toBeFocused();
  await expect(page.getByLabel('Item barcode')).toHaveValue('');

  await scan(page, 'I00019');
  await expect(saved(page)).toContainText('I00019');
  expect(await checkouts(page)).toEqual([['P0002', 'I00019']]);
});

test('a scan made while a warning is open never presses its buttons: it is refused, named, and nothing is stored for it', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-2');
  await scan(page, 'P0002');
  await scan(page, 'I02851');
  const warning = page.getByRole('dialog', { name: 'Wanted by a hold' });
  await expect(warning).toBeVisible();

  // The next item, scanned while the question is open: its Enter must not answer it.
  await scan(page, 'I00019');
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('alert')).toHaveText(/I00019 was scanned while this question was open and was not recorded/);
  expect(await outboxEntries(page)).toEqual([]);

  await warning.getByRole('button', { name: 'Allow' }).click();
  await expect(saved(page)).toContainText('I02851');
  await expect(page.getByRole('alert').filter({ hasText: 'I00019 was not recorded' })).toBeVisible();
  await expect(page.getByLabel('Item barcode')).toHaveValue('');
  // Scanned again, it is stored; nothing was ever stored as a glued or lost code.
  await scan(page, 'I00019');
  await expect(saved(page)).toContainText('I00019');
  expect(await checkouts(page)).toEqual([['P0002', 'I02851'], ['P0002', 'I00019']]);
});

test('scans back to back, each typed while the last is still being saved, are each stored once and whole', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-3', 'in-house-use');
  const codes = ['I01001', 'I01002', 'I01003', 'I01004', 'I01005', 'I01006'];
  // One burst: no waiting for "Saved" between codes.
  await page.keyboard.type(codes.map((c) => `${c}\n`).join(''));
  await expect(page.getByText('6 pending', { exact: true })).toBeVisible();
  const stored = (await outboxEntries(page)).map((e) => e.tx.item_barcode).reverse();
  expect(stored).toEqual(codes);
});

test('the next patron’s card scanned into the item field switches to that patron instead of lending an item of that number', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-4');
  await scan(page, 'P0002');
  await scan(page, 'I00006');
  await expect(saved(page)).toContainText('I00006');
  // The queue moves on: the next patron's card goes into the item field, which has the focus.
  await expect(page.getByLabel('Item barcode')).toBeFocused();
  await scan(page, 'P0003');
  await expect(page.getByRole('status')).toHaveText(/^New patron: P0003 \(.+\)\.$/);
  await expect(page.getByLabel('Patron barcode')).toHaveValue('P0003');
  await expect(page.getByLabel('Item barcode')).toBeFocused();
  await scan(page, 'I00019');
  await expect(saved(page)).toContainText('I00019');
  expect(await checkouts(page)).toEqual([['P0002', 'I00006'], ['P0003', 'I00019']]);

  // At a checkin a card is no item either: refused with the reason, nothing stored.
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: 'Checkin' })).toBeVisible();
  await scan(page, 'P0004');
  await expect(page.getByRole('alert')).toHaveText('P0004 is a patron’s card, not an item: nothing was recorded.');
  await expect(page.getByLabel('Item barcode')).toHaveValue('');
  expect((await outboxEntries(page)).map((e) => e.tx.item_barcode)).not.toContain('P0004');
});

test('an item the offline data does not know is asked about; cancelled, nothing is stored and the field is empty', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-5');
  await scan(page, 'P0002');
  await scan(page, 'I99999');
  const warning = page.getByRole('dialog', { name: 'Item not in the offline data' });
  await expect(warning).toContainText('Item I99999 is not in the offline data');
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel('Item barcode')).toHaveValue('');
  expect(await outboxEntries(page)).toEqual([]);
  await scan(page, 'I99998');
  await page.getByRole('dialog', { name: 'Item not in the offline data' }).getByRole('button', { name: 'Allow' }).click();
  await expect(saved(page)).toContainText('I99998');
  expect((await outboxEntries(page))[0].tx.acknowledged).toEqual(['ITEM_NOT_IN_OFFLINE_DATA']);
});

test('a blocked card is asked about once, when it is scanned, with a heading that says what it is; every loan of the visit carries the answer', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-6');
  await scan(page, 'P0009');
  const barred = page.getByRole('dialog', { name: 'Patron barred' });
  await expect(barred).toContainText('Card P0009');
  await expect(barred).toContainText('the patron is barred');
  await barred.getByRole('button', { name: 'Allow' }).click();
  for (const item of ['I00111', 'I00112', 'I00113']) {
    await scan(page, item);
    await expect(saved(page)).toContainText(item);
  }
  const entries = await outboxEntries(page);
  expect(entries.map((e) => e.tx.acknowledged)).toEqual([['PATRON_BARRED'], ['PATRON_BARRED'], ['PATRON_BARRED']]);
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The next patron's card expired: the heading says so. Cancelled, the card is not taken and the field is empty.
  await scan(page, 'P0005');
  const expired = page.getByRole('dialog', { name: 'Card expired' });
  await expect(expired).toContainText('the patron account has expired');
  await expired.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toHaveText('Card P0005 not taken: its warning was cancelled. Scan a card.');
  await expect(page.getByLabel('Patron barcode')).toHaveValue('');
  await expect(page.getByLabel('Patron barcode')).toBeFocused();
  // An item scanned before any card is not taken for one.
  await scan(page, 'I00114');
  await expect(page.locator('#scan-error')).toHaveText('I00114 is an item, not a patron’s card: scan the patron’s card first.');
  await expect(page.getByLabel('Patron barcode')).toHaveValue('');
  expect(await outboxEntries(page)).toHaveLength(3);
});

test('“Done / next patron” prints one receipt for the whole visit, with titles and due dates, and clears the patron', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { prints: string[] }).prints = [];
    window.print = () => { (window as unknown as { prints: string[] }).prints.push(document.getElementById('receipt')?.innerText ?? ''); };
  });
  await offlineDesk(page, 'SCAN-DESK-7');
  await page.getByLabel('Print a receipt when the patron is done').check();
  await page.getByLabel('Patron barcode').focus();
  await scan(page, 'P0002');
  for (const item of ['I00006', 'I00003', 'I00004']) {
    await scan(page, item);
    await expect(saved(page)).toContainText(item);
  }
  const visit = page.getByRole('region', { name: /Visit of/ });
  await expect(visit.getByRole('listitem')).toHaveCount(3);
  expect(await page.evaluate(() => (window as unknown as { prints: string[] }).prints)).toEqual([]);

  await page.keyboard.press('Escape');
  await expect(page.getByRole('status')).toHaveText('Done: 3 items for this patron. Scan the next patron’s card.');
  const prints = await page.evaluate(() => (window as unknown as { prints: string[] }).prints);
  expect(prints).toHaveLength(1);
  const entries = (await outboxEntries(page)).reverse();
  for (const e of entries) {
    expect(prints[0]).toContain(e.tx.item_barcode!);
    const due = await page.evaluate((iso) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }), e.tx.due_at!);
    expect(prints[0]).toContain(`Due ${due}`);
  }
  expect(prints[0]).toMatch(/Patron: .+ \(P0002\)/);
  expect(prints[0]).toContain('3 items');
  await expect(page.getByLabel('Patron barcode')).toHaveValue('');
  await expect(page.getByLabel('Patron barcode')).toBeFocused();
  await expect(visit).toHaveCount(0);

  // The visit button does the same; with nothing recorded there is nothing to print.
  await scan(page, 'P0003');
  await page.getByRole('button', { name: 'Done / next patron' }).click();
  expect(await page.evaluate(() => (window as unknown as { prints: string[] }).prints)).toHaveLength(1);
});

test('the item’s title and the patron’s name from the offline data are on screen and in what is said', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-8');
  await scan(page, 'P0002');
  const name = (await page.locator('#patron-info').textContent())!.trim();
  expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  await expect(page.getByRole('status')).toHaveText(`Patron: ${name} (P0002).`);
  await scan(page, 'I00006');
  await expect(saved(page)).toHaveText(new RegExp(`^Saved on this device: checkout of “[^”]+” \\(I00006\\) to ${name} \\(P0002\\), due .+\\.$`));
});

test('a scan that follows a mode’s key at once lands whole in that mode’s field, every time', async ({ page }) => {
  await offlineDesk(page, 'SCAN-DESK-9', 'in-house-use');
  await page.getByLabel('Item barcode').focus();
  // A scanner does not wait for the screen: each code is typed the moment the key to its mode is pressed.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('F2');
    await scan(page, `I0010${i}`);
    await page.keyboard.press('F6');
    await scan(page, `I0020${i}`);
  }
  await expect.poll(async () => (await outboxEntries(page)).length).toBe(12);
  const stored = (await outboxEntries(page)).map((e) => [e.tx.type, e.tx.item_barcode]).reverse();
  expect(stored).toEqual(Array.from({ length: 6 }, (_, i) => [['checkin', `I0010${i}`], ['in_house_use', `I0020${i}`]]).flat());
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
