import { test, expect, type Page } from '@playwright/test';
import { chooseSession, createSession, logIn, openDesk, outboxEntries, scan, syncDialog } from './support.js';

/** The rest of a day at the desk with keyboard and scanner alone: keys, errors, what is said, the upload prompt, shifts. */

const status = (page: Page) => page.getByRole('status').filter({ hasText: /\S/ });

test('each mode has its key, as in Evergreen’s staff client; a new card’s Enter moves on to the name', async ({ page }) => {
  await openDesk(page, 'FLOW-DESK-1', 'CENTRAL');
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  for (const [key, name] of [['F2', 'Checkin'], ['F6', 'In-house use'], ['Control+F2', 'Renew'], ['Shift+F1', 'Register patron'], ['F1', 'Checkout']]) {
    await page.keyboard.press(key);
    await expect(heading(name)).toBeVisible();
  }
  const nav = page.getByRole('navigation', { name: 'Desk' });
  await expect(nav.getByRole('link', { name: 'Checkin' })).toHaveAttribute('aria-keyshortcuts', 'F2');

  await page.keyboard.press('Shift+F1');
  await expect(page.getByLabel('Card barcode')).toBeFocused();
  await scan(page, 'P9001');
  await expect(page.getByLabel('First name')).toBeFocused();
  expect(await outboxEntries(page)).toEqual([]);
});

test('an error points at its field, which is selected for the next scan; the due line goes once the loan is saved', async ({ page, context }) => {
  await openDesk(page, 'FLOW-DESK-2', 'CENTRAL');
  await context.setOffline(true);
  // An item scanned before any card.
  await page.getByLabel('Item barcode').focus();
  await scan(page, 'I00021');
  const patron = page.getByLabel('Patron barcode');
  await expect(page.locator('#scan-error')).toHaveText('Scan the patron’s card first');
  await expect(patron).toHaveAttribute('aria-invalid', 'true');
  await expect(patron).toHaveAttribute('aria-describedby', /\bscan-error\b/);
  await expect(patron).toBeFocused();

  await scan(page, 'P0002');
  await expect(patron).not.toHaveAttribute('aria-invalid', 'true');
  // The item from before is selected in its field: the next scan replaces it.
  await expect(page.getByLabel('Item barcode')).toBeFocused();
  await page.keyboard.type('I00022');
  await expect(page.locator('.due-preview')).toContainText('Due ');
  await page.keyboard.press('Enter');
  await expect(status(page)).toContainText('I00022');
  await expect(page.locator('.due-preview')).toHaveCount(0);
  expect((await outboxEntries(page)).map((e) => e.tx.item_barcode)).toEqual(['I00022']);

  // A bad effective date points at the date field.
  await page.keyboard.press('F2');
  await page.getByLabel('Effective date').fill(new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10));
  await page.getByLabel('Item barcode').focus();
  await scan(page, 'I00023');
  await expect(page.locator('#scan-error')).toHaveText('The effective date cannot be in the future');
  await expect(page.getByLabel('Effective date')).toHaveAttribute('aria-describedby', 'backdate-hint scan-error');
});

test('one announcement per scan, and the same sentence twice is announced twice; counts in words; non-cataloged types by name', async ({ page, context }) => {
  await openDesk(page, 'FLOW-DESK-3', 'CENTRAL');
  await page.goto('/#/desk/in-house-use');
  await context.setOffline(true);
  // Every text a live region receives, as a screen reader would be handed it.
  await page.evaluate(() => {
    const w = window as unknown as { announced: string[] };
    w.announced = [];
    new MutationObserver((records) => {
      for (const r of records) {
        const region = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest('[aria-live], [role="status"], [role="alert"], [role="log"]');
        if (!region) continue;
        const added = r.type === 'characterData' ? r.target.textContent : [...r.addedNodes].map((n) => n.textContent).join('');
        if (added?.trim()) w.announced.push(added.trim());
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const heard = () => page.evaluate(() => (window as unknown as { announced: string[] }).announced.slice());

  await page.getByLabel('Item barcode').focus();
  await scan(page, 'I00031');
  await expect(status(page)).toHaveText(/^Saved on this device: 1 in-house use of “.+” \(I00031\)\.$/);
  await expect.poll(heard).toHaveLength(1);

  await page.getByLabel('Count').fill('3');
  await page.getByLabel('Item barcode').focus();
  await scan(page, 'I00032');
  await expect(status(page)).toHaveText(/^Saved on this device: 3 in-house uses of “.+” \(I00032\)\.$/);
  await expect.poll(heard).toHaveLength(2);
  const sentence = (await heard())[1];
  await page.getByLabel('Count').fill('3');
  await page.getByLabel('Item barcode').focus();
  await scan(page, 'I00032');
  // The same item again is asked about; allowed, the same sentence is announced again.
  await page.getByRole('dialog', { name: 'Same item again' }).getByRole('button', { name: 'Allow' }).click();
  await expect.poll(async () => (await heard()).slice(2)).toEqual([sentence]);

  await page.keyboard.press('F1');
  await scan(page, 'P0002');
  await page.getByLabel('Non-cataloged item (paperback exchange, magazine…)').check();
  await page.getByLabel('Type').selectOption({ label: 'Paperback exchange' });
  await page.getByLabel('Count').fill('2');
  await page.getByRole('button', { name: 'Check out' }).click();
  await expect(status(page)).toContainText('checkout of 2 × Paperback exchange to');
  await expect(page.getByRole('cell', { name: '2 × Paperback exchange' })).toBeVisible();
});

test('the upload prompt: Upload has the focus once sessions load, sessions are told apart by branch and date, the end says what happened, a scan never answers it', async ({ page, context }) => {
  await openDesk(page, 'FLOW-DESK-4', 'CENTRAL');
  await createSession(page, 'Same name', 'CENTRAL');
  await createSession(page, 'Same name', 'DEMO');
  await expect(page.getByRole('status')).toHaveText(/^Session “Same name” created for DEMO\./);
  await expect(page.getByRole('row', { name: /Same name/ }).first()).toHaveAttribute('aria-current', 'true');
  await page.goto('/#/desk/in-house-use');
  await context.setOffline(true);
  await scan(page, 'I00041');
  await expect(status(page)).toContainText('I00041');

  await context.setOffline(false);
  const dialog = syncDialog(page);
  await expect(dialog.getByRole('button', { name: 'Upload' })).toBeFocused({ timeout: 20_000 });
  const options = await dialog.getByLabel('Session').locator('option').allTextContents();
  expect(options.filter((o) => o.startsWith('Same name (CENTRAL, created '))).toHaveLength(1);
  expect(options.filter((o) => o.startsWith('Same name (DEMO, created '))).toHaveLength(1);

  // A scan while the prompt is open: refused, and its Enter does not upload.
  await scan(page, 'I00042');
  await expect(dialog.getByRole('alert')).toContainText('I00042 was scanned while this window was open and was not recorded');
  await expect(page.getByText('1 pending', { exact: true })).toBeVisible();
  expect((await outboxEntries(page)).map((e) => e.tx.item_barcode)).toEqual(['I00041']);

  await chooseSession(dialog, 'Same name', 'CENTRAL');
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('dialog', { name: 'Upload finished' })).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText(/Uploaded 1 transaction to “Same name”\.\s+Nothing is waiting on this device now\./);
  await expect(dialog).not.toContainText('0 transactions waiting');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
});

test('offline, staff can log out and the next one take the desk over; every scan stays on the device under its own name', async ({ page, context }) => {
  await openDesk(page, 'FLOW-DESK-5', 'WEST');
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('Offline', { exact: true })).toBeVisible();
  await scan(page, 'P0002');
  await scan(page, 'I00053');
  await expect(status(page)).toContainText('I00053');

  const header = page.getByRole('navigation', { name: 'Main' });
  await expect(header.getByRole('link', { name: 'Switch staff' })).toBeVisible();
  await header.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  // Locked: the desk is not there for whoever comes by.
  await page.goto('/#/desk/checkout');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByText('1 pending', { exact: true })).toBeVisible();

  await page.getByLabel('Your username').fill('kim.desk');
  await page.getByRole('button', { name: 'Take over the desk' }).click();
  await expect(page.getByText('FLOW-DESK-5 · WEST · kim.desk')).toBeVisible();
  await scan(page, 'P0003');
  await scan(page, 'I00054');
  await expect(status(page)).toContainText('I00054');
  const staff = (await outboxEntries(page)).reverse().map((e) => [e.tx.item_barcode, e.tx.staff]);
  expect(staff).toEqual([['I00053', 'admin'], ['I00054', 'kim.desk']]);

  // Back online, the login the first staff member left offline is ended: uploading asks for a real login.
  await context.setOffline(false);
  const prompt = syncDialog(page);
  await expect(prompt).toContainText('Log in again to upload', { timeout: 20_000 });
  await expect(header.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await prompt.getByRole('link', { name: 'Log in' }).click();
  await logIn(page);
  await expect(page.getByText('FLOW-DESK-5 · WEST · Administrator')).toBeVisible();
});

test('the workstation form offers branches only, sorted by name, and Enter registers', async ({ page }) => {
  await page.goto('/');
  await logIn(page);
  const branch = page.getByLabel('Branch');
  await expect(branch.locator('option')).toHaveText(['Demo Central Branch (CENTRAL)', 'Demo East Branch (EAST)', 'Demo West Branch (WEST)']);
  await branch.selectOption('EAST');
  await page.getByLabel('Workstation name').fill('FLOW-DESK-6');
  await page.getByLabel('Workstation name').press('Enter');
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
});

test('printed pages carry the date they were printed and not the storage line; the footer links to Files; the icons are there', async ({ page }) => {
  await openDesk(page, 'FLOW-DESK-7', 'CENTRAL');
  const footer = page.locator('footer.device-status');
  await footer.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Files' })).toBeVisible();

  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.print-date')).toHaveText(/^Printed .+\d/);
  await expect(page.locator('.print-date')).toBeVisible();
  await expect(footer).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.locator('.print-date')).toBeHidden();

  const manifest = await (await page.request.get('/manifest.webmanifest')).json() as { icons: { src: string; sizes: string; type: string }[] };
  const pngs = manifest.icons.filter((i) => i.type === 'image/png').map((i) => i.sizes);
  expect(pngs).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) expect((await page.request.get(icon.src)).status()).toBe(200);
  const touch = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  const touchIcon = await page.request.get(touch!);
  expect(touchIcon.headers()['content-type']).toBe('image/png');
});
