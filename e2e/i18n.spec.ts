import { test, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { outboxEntries, scan, waitForOfflineReady } from './support.js';
import { offlineDataStored, shown, tr, trStart } from './i18n-support.js';
import { E2E_ADMIN_PASSWORD } from '../playwright.config.js';
import type { BranchCalendar, SessionSummary } from '../shared/api.js';

/**
 * The desk and the results in a language other than English: French as the browser's own,
 * Arabic chosen on the device (right to left, kept offline). Expected words come from the
 * XLIFF files (tr), dates and numbers from Intl, so a translator's wording can change and a
 * string left in English cannot.
 */
const DESK_PC = { width: 1366, height: 768 };
/** README's screenshots, written when asked (SCREENSHOTS=1), so a test run leaves the tree as it was. */
const shot = async (page: Page, name: string): Promise<void> => {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `docs/screenshots/${name}.png`, animations: 'disabled' });
};

/**
 * The translation, or — while a screen's messages are not in the catalog yet — a soft failure
 * naming the missing message, so one run lists every such message instead of stopping at the first.
 */
function expected(locale: string, english: string, ...values: (string | number)[]): string {
  try {
    return tr(locale, english, ...values);
  } catch (err) {
    expect.soft(String(err), 'a translated message').toBe('');
    return `⟪${english} in ${locale}⟫`;
  }
}

/** Like expected(), for the opening words of a sentence whose values are sentences of their own. */
function expectedStart(locale: string, englishStart: string): string {
  try {
    return trStart(locale, englishStart);
  } catch (err) {
    expect.soft(String(err), 'a translated message').toBe('');
    return `⟪${englishStart}… in ${locale}⟫`;
  }
}

async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect.soft(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), `axe on ${screen}`).toEqual([]);
}

async function logInIn(page: Page, locale: string): Promise<void> {
  await page.getByLabel(tr(locale, 'Username')).fill('admin');
  await page.getByLabel(tr(locale, 'Password')).fill(E2E_ADMIN_PASSWORD);
  await page.getByRole('button', { name: tr(locale, 'Log in') }).click();
}

async function registerIn(page: Page, locale: string, workstation: string, branch: string): Promise<void> {
  await page.getByLabel(tr(locale, 'Workstation name')).fill(workstation);
  await page.getByLabel(tr(locale, 'Branch')).selectOption(branch);
  await page.getByRole('button', { name: tr(locale, 'Register workstation') }).click();
  await expect(page.locator('oc-desk-page')).toBeVisible();
  await waitForOfflineReady(page);
  await offlineDataStored(page);
}

async function createSessionIn(page: Page, locale: string, session: string, branch: string): Promise<void> {
  await page.goto('/#/admin');
  await page.getByLabel(tr(locale, 'Session name')).fill(session);
  await page.getByLabel(tr(locale, 'Branch')).selectOption(branch);
  await page.getByRole('button', { name: tr(locale, 'Create session') }).click();
  await expect(page.getByRole('link', { name: session }).first()).toBeFocused();
}

async function sessionId(context: BrowserContext, branch: string, name: string): Promise<number> {
  const sessions = await (await context.request.get(`/api/sessions?branch=${branch}`)).json() as SessionSummary[];
  return sessions.find((s) => s.name === name)!.id;
}

/** Checks out at the desk as a scanner does: the card, Enter, the item, Enter. */
async function checkOut(page: Page, patron: string, item: string): Promise<void> {
  await page.locator('input[name="patron_barcode"]').focus();
  await scan(page, patron);
  await expect(page.locator('input[name="item_barcode"]')).toBeFocused();
  await scan(page, item);
  await expect(page.getByRole('status')).toContainText(item);
}

/** Picks the session in the upload prompt (its options read "name (branch, created …)") and uploads. */
async function upload(dialog: Locator, locale: string, session: string): Promise<void> {
  const select = dialog.getByLabel(tr(locale, 'Session'));
  await expect(select).toBeVisible({ timeout: 20_000 });
  await select.selectOption((await select.locator('option', { hasText: session }).first().getAttribute('value'))!);
  await dialog.getByRole('button', { name: tr(locale, 'Upload') }).click();
}

/** Processes the session from its page and waits for the results to list the item. */
async function processFromPage(page: Page, context: BrowserContext, locale: string, id: number, item: string): Promise<Locator> {
  await page.goto(`/#/admin/sessions/${id}`);
  await page.getByRole('button', { name: shown(locale, 'Process') }).click();
  await expect.poll(async () => ((await (await context.request.get(`/api/sessions/${id}`)).json()) as { state: string }).state,
    { timeout: 30_000 }).toBe('processed');
  const row = page.locator('table.results tbody tr').filter({ hasText: item });
  await expect(row).toBeVisible();
  return row;
}

/** The desk's mode tabs as they read, without their keys. */
const modeLabels = (page: Page): Promise<string[]> => page.locator('nav.modes a').evaluateAll((links) => links.map((a) => {
  const copy = a.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('kbd').forEach((k) => k.remove());
  return copy.textContent!.trim();
}));
const MODES = ['Checkout', 'Renew', 'Checkin', 'In-house use', 'Register patron', 'Payment'];

test.describe('a desk whose browser speaks French', () => {
  test.use({ locale: 'fr-FR', viewport: DESK_PC });

  test('the desk, its offline checkout with a French due date, the upload and the results are in French', async ({ page, context }) => {
    test.setTimeout(180_000);
    const FR = 'fr';
    const SESSION = 'Panne réseau Est';
    await page.goto('/');
    // Nothing chosen on the device: the browser's language decides.
    expect(await page.evaluate(() => localStorage.getItem('oc-locale'))).toBeNull();
    await expect(page.locator('html')).toHaveAttribute('lang', FR);
    await expect(page.getByRole('heading', { name: tr(FR, 'Log in') })).toBeVisible();
    await logInIn(page, FR);
    await registerIn(page, FR, 'FR-DESK-1', 'EAST');
    await createSessionIn(page, FR, SESSION, 'EAST');
    const calendars = await (await context.request.get('/api/calendars')).json() as BranchCalendar[];
    const zone = calendars.find((c) => c.code === 'EAST')!.zone;

    await page.goto('/#/desk/checkout');
    await context.setOffline(true);
    await expect(page.locator('header .net')).toHaveText(tr(FR, 'Offline'), { timeout: 20_000 });
    expect.soft(await modeLabels(page), 'the desk’s modes').toEqual(MODES.map((m) => expected(FR, m)));
    expect.soft((await page.locator('main h1').textContent())?.trim(), 'the form’s heading').toBe(expected(FR, 'Checkout'));
    await expect.soft(page.getByLabel(expected(FR, 'Patron barcode'))).toBeVisible({ timeout: 1000 });
    await expect.soft(page.getByLabel(expected(FR, 'Item barcode'))).toBeVisible({ timeout: 1000 });

    // P0003 is a juvenile: the book × juvenile policy gives the due date.
    await checkOut(page, 'P0003', 'I00141');
    const [entry] = await outboxEntries(page);
    expect(entry.tx.due_at).toBeTruthy();
    const dueFr = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: zone }).format(new Date(entry.tx.due_at!));
    const status = page.getByRole('status');
    await expect(status).toContainText(dueFr);
    await expect.soft(status).toContainText(expectedStart(FR, 'Saved on this device: checkout of'), { timeout: 1000 });
    const row = page.locator('oc-recent-entries tbody tr').filter({ hasText: 'I00141' });
    await expect(row.locator('time').last()).toHaveText(dueFr);
    await expect(row).toContainText(tr(FR, 'pending'));
    await expect(row).toContainText(tr(FR, 'Checkout'));
    await expect(page.locator('header .pending')).toHaveText(tr(FR, '{0} pending', 1));
    await expectNoAxeViolations(page, 'the French desk with a checkout saved offline');
    await shot(page, 'desk-fr');

    await context.setOffline(false);
    const dialog = page.locator('oc-sync-dialog dialog');
    await expect(dialog).toContainText(tr(FR, '{0} transaction waiting — upload to session:', 1), { timeout: 20_000 });
    await upload(dialog, FR, SESSION);
    await expect(dialog.getByRole('heading', { name: tr(FR, 'Upload finished') })).toBeVisible();
    await expect(dialog.getByRole('status')).toContainText(tr(FR, 'Uploaded {0} transaction to “{1}”.', 1, SESSION));
    await dialog.getByRole('button', { name: tr(FR, 'Close') }).click();
    await expect(row).toContainText(tr(FR, 'uploaded'));

    const id = await sessionId(context, 'EAST', SESSION);
    const result = await processFromPage(page, context, FR, id, 'I00141');
    await expect(result).toContainText(tr(FR, 'Applied'));
    const detail = await (await context.request.get(`/api/sessions/${id}/transactions/${entry.id}`)).json() as { detail_parts: { key: string; params: { date: string } }[] };
    const dueDay = detail.detail_parts.find((p) => p.key === 'due')!.params.date;
    const dueDayFr = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${dueDay}T00:00:00Z`));
    await expect.soft(result, 'the result’s detail').toContainText(expected(FR, 'Due {0}.', dueDayFr), { timeout: 1000 });
    const headers = await page.locator('table.results thead th').allTextContents();
    expect.soft(headers.map((h) => h.trim()).slice(0, 6), 'the results’ columns')
      .toEqual(['Time', 'Workstation', 'Type', 'Item', 'Patron', 'Outcome'].map((c) => expected(FR, c)));
    await expectNoAxeViolations(page, 'the French results');
    await shot(page, 'results-fr');
  });
});

test.describe('a desk that chose Arabic', () => {
  test.use({ viewport: DESK_PC });

  test('Arabic from the header’s menu: kept across reloads, offline too; the page right to left, barcodes left to right', async ({ page, context }) => {
    test.setTimeout(180_000);
    const AR = 'ar';
    const SESSION = 'انقطاع الغرب';
    await page.addInitScript('window.print = () => undefined;');
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await page.getByRole('combobox', { name: 'Language' }).selectOption(AR);
    const html = page.locator('html');
    await expect(html).toHaveAttribute('lang', AR);
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: tr(AR, 'Log in') })).toBeVisible();
    // The menu names each language in itself, and now shows the one chosen.
    await expect(page.getByRole('combobox', { name: tr(AR, 'Language') })).toHaveValue(AR);

    await page.reload();
    await expect(html).toHaveAttribute('lang', AR);
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: tr(AR, 'Log in') })).toBeVisible();
    await logInIn(page, AR);
    await registerIn(page, AR, 'AR-DESK-1', 'WEST');
    await createSessionIn(page, AR, SESSION, 'WEST');

    // Offline, the service worker serves the app and its Arabic strings.
    await page.goto('/#/desk/checkout');
    await context.setOffline(true);
    await page.reload();
    await expect(html).toHaveAttribute('lang', AR);
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('header .net')).toHaveText(tr(AR, 'Offline'));
    const brand = page.locator('header.top a.brand');
    await expect(brand).toHaveText(tr(AR, 'Offline Circulation'));
    // The header is mirrored: the brand, first in it, sits at the right; the navigation at the left.
    const brandBox = (await brand.boundingBox())!;
    expect(brandBox.x).toBeGreaterThan(DESK_PC.width / 2);
    const navBox = (await page.locator('header.top nav').boundingBox())!;
    expect(navBox.x + navBox.width).toBeLessThan(DESK_PC.width / 2);

    await page.getByLabel(tr(AR, 'Print a receipt when the patron is done')).check();
    await checkOut(page, 'P0002', 'I00152');
    expect.soft(await modeLabels(page), 'the desk’s modes').toEqual(MODES.map((m) => expected(AR, m)));
    await expect.soft(page.getByRole('status')).toContainText(expectedStart(AR, 'Saved on this device: checkout of'), { timeout: 1000 });
    // The visit's heading names the patron inside an Arabic sentence (which of its wordings depends on what the desk knows).
    await expect.soft(page.locator('#visit-title'), 'the visit').toHaveText(/\p{Script=Arabic}.*Milo Hazel|Milo Hazel.*\p{Script=Arabic}/u, { timeout: 1000 });
    // Barcodes read as scanned, left to right, inside the right-to-left page.
    const barcodes = page.locator('.data-code, [translate="no"]').filter({ hasText: /^(I00152|P0002|AR-DESK-1)$/ });
    await expect(barcodes.first()).toBeVisible();
    const directions = await barcodes.evaluateAll((els) => els.map((el) => `${el.textContent}: ${getComputedStyle(el).direction}`));
    expect(directions.length).toBeGreaterThanOrEqual(3);
    expect(directions.filter((d) => !d.endsWith(': ltr'))).toEqual([]);
    expect(directions.some((d) => d.startsWith('I00152'))).toBe(true);
    await expectNoAxeViolations(page, 'the Arabic desk with a visit');
    await shot(page, 'desk-ar');

    // The visit ends: its receipt, in Arabic.
    await page.locator('.visit button.done').click();
    const receipt = page.locator('#receipt');
    await expect(receipt).toBeAttached();
    await page.emulateMedia({ media: 'print' });
    await expect(receipt).toBeVisible();
    await expect.soft(receipt.locator('h2'), 'the receipt’s heading').toHaveText(expected(AR, 'Receipt'), { timeout: 1000 });
    await expect(receipt).toContainText('I00152');
    await page.emulateMedia({ media: 'screen' });

    await context.setOffline(false);
    const dialog = page.locator('oc-sync-dialog dialog');
    const one = await page.evaluate(() => new Intl.NumberFormat('ar').format(1));
    await expect(dialog).toContainText(tr(AR, '{0} transaction waiting — upload to session:', one), { timeout: 20_000 });
    await expect(dialog.getByLabel(tr(AR, 'Session'))).toBeVisible();
    await expectNoAxeViolations(page, 'the Arabic upload prompt');
    await shot(page, 'sync-ar');
    await upload(dialog, AR, SESSION);
    await expect(dialog.getByRole('status')).toContainText(tr(AR, 'Uploaded {0} transaction to “{1}”.', one, SESSION));
    await dialog.getByRole('button', { name: tr(AR, 'Close') }).click();

    const id = await sessionId(context, 'WEST', SESSION);
    const result = await processFromPage(page, context, AR, id, 'I00152');
    await expect(result).toContainText(tr(AR, 'Applied'));
    const headers = await page.locator('table.results thead th').allTextContents();
    expect.soft(headers.map((h) => h.trim()).slice(0, 6), 'the results’ columns')
      .toEqual(['Time', 'Workstation', 'Type', 'Item', 'Patron', 'Outcome'].map((c) => expected(AR, c)));
    await expectNoAxeViolations(page, 'the Arabic results');
    await shot(page, 'results-ar');
  });
});
