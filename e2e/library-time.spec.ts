import { test, expect, type Page } from '@playwright/test';
import { addLocalDays, instantOfLocal, localDateOf, today } from '../shared/library-time.js';
import { createSession, outboxEntries, registerWorkstation, scan, waitForOfflineReady } from './support.js';
import { catchPrints, importZoneLibrary, lastLocal, prints, shownDate, uploadAndProcess, ZONES } from './library-fixtures.js';

/**
 * Library time at the desk (issue 12): a desk in Los Angeles in the evening and one in
 * Auckland in the morning — hours when the UTC date is already, or still, another day —
 * each in a browser set to its branch's zone and a clock set by Playwright. The due date
 * the desk shows before a checkout is the receipt's and the one stored after processing;
 * today is taken as a due date and as a book-drop date. The branches' zones and a closure
 * come in through the import API, on a library system of their own.
 */

const saved = (page: Page) => page.getByRole('status').filter({ hasText: 'Saved on this device' });

interface DeskDay {
  branch: keyof typeof ZONES;
  /** The local time at the desk when the test runs. */
  clock: string;
  card: string;
  /** Lent with the policy's date, lent due today, and on loan already (back through the book drop). */
  items: [string, string, string];
}

async function deskDay(page: Page, context: import('@playwright/test').BrowserContext, day: DeskDay): Promise<void> {
  const zone = ZONES[day.branch];
  const now = lastLocal(zone, day.clock);
  const localToday = localDateOf(now, zone);
  // 21 days (the demo library's default policy) land on a closure there, so the loan is due the day after.
  const closedDay = addLocalDays(localToday, 21);
  const due = addLocalDays(localToday, 22);
  await page.clock.install({ time: now });
  await catchPrints(page);
  await importZoneLibrary(page, {
    as_of: new Date(now.getTime() - 3600_000),
    patrons: [[day.card, 'Tess', 'Zone', day.branch]],
    items: day.items.map((b) => [b, `Hours of ${b}`, day.branch] as [string, string, keyof typeof ZONES]),
    closed: `branch,first,last,reason\n${day.branch},${closedDay},,Inventory day\n`,
    loans: `item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\n${day.items[2]},${day.card},${addLocalDays(localToday, -10)},${addLocalDays(localToday, 4)},0,${day.branch}\n`,
  });
  await page.goto('/');
  await registerWorkstation(page, `${day.branch}-DESK-1`, day.branch);
  await waitForOfflineReady(page);
  const session = `${day.branch} at ${day.clock}`;
  await createSession(page, session, day.branch);
  await page.goto('/#/desk/checkout');
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  // The device keeps its branch's zone: nothing to say about it.
  await expect(page.locator('.zone-note')).toHaveCount(0);
  await page.getByLabel('Print a receipt when the patron is done').check();
  await context.setOffline(true);

  // Today at the desk is the branch's date, which UTC's is not at this hour.
  expect(localToday).not.toBe(now.toISOString().slice(0, 10));
  await page.getByLabel('Patron barcode').focus();
  await scan(page, day.card);
  await expect(page.getByRole('status')).toContainText(`(${day.card})`);
  await expect(page.getByLabel('Due date', { exact: true })).toHaveAttribute('min', localToday);

  // The due date the desk shows before the checkout: 21 local days on, moved past the closure.
  await page.getByLabel('Item barcode').fill(day.items[0]);
  const dueText = await shownDate(page, due);
  await expect(page.locator('.due-preview')).toHaveText(`Due ${dueText} (book × adult, 21 days)`);
  await page.getByLabel('Item barcode').press('Enter');
  await expect(saved(page)).toContainText(`due ${dueText}.`);

  // Today is a due date the desk takes.
  await page.getByLabel('Item barcode').fill(day.items[1]);
  await page.getByLabel('Due date', { exact: true }).fill(localToday);
  await page.getByLabel('Item barcode').press('Enter');
  const todayText = await shownDate(page, localToday);
  await expect(saved(page)).toContainText(`${day.items[1]}) to Tess Zone (${day.card}), due ${todayText}.`);

  // The visit's receipt gives the same dates.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('status')).toContainText('Done: 2 items');
  const [receipt] = await prints(page);
  expect(receipt).toMatch(new RegExp(`\\(${day.items[0]}\\)\\s*Due ${dueText}`));
  expect(receipt).toMatch(new RegExp(`\\(${day.items[1]}\\)\\s*Due ${todayText}`));

  // A book-drop date of today is taken too.
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: 'Checkin' })).toBeVisible();
  await expect(page.getByLabel('Effective date')).toHaveAttribute('max', localToday);
  await page.getByLabel('Effective date').fill(localToday);
  await page.getByLabel('Item barcode').fill(day.items[2]);
  await page.getByLabel('Item barcode').press('Enter');
  await expect(saved(page)).toContainText(`checkin of “Hours of ${day.items[2]}” (${day.items[2]}) effective ${todayText}.`);

  // What was recorded: local dates, which the server reads in the branch's zone.
  const recorded = Object.fromEntries((await outboxEntries(page)).map((e) => [e.tx.item_barcode, e.tx]));
  expect([recorded[day.items[0]].due_at, recorded[day.items[1]].due_at, recorded[day.items[2]].backdate]).toEqual([due, localToday, localToday]);

  await context.setOffline(false);
  const results = await uploadAndProcess(page, context, session, day.branch);
  const result = (item: string) => results.find((r) => r.item_barcode === item)!;
  // Stored: the end of that local day in the branch's zone, as an instant in UTC, with the branch's date beside it.
  expect(result(day.items[0])).toMatchObject({ outcome: 'applied', due_date: due, due_at: instantOfLocal(due, '23:59:59', zone), time_zone: zone });
  expect(result(day.items[1])).toMatchObject({ outcome: 'applied', due_date: localToday, due_at: instantOfLocal(localToday, '23:59:59', zone) });
  expect(result(day.items[2])).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
  expect(today(zone, now)).toBe(localToday);
}

test.describe('a desk in Los Angeles in the evening', () => {
  test.use({ timezoneId: ZONES.TZLA });

  test('shows, prints and stores the same due date; takes today as a due date and a book-drop date', async ({ page, context }) => {
    await deskDay(page, context, { branch: 'TZLA', clock: '20:30', card: 'P9001', items: ['I90001', 'I90002', 'I90003'] });
  });
});

test.describe('a desk in Auckland in the morning', () => {
  test.use({ timezoneId: ZONES.TZAKL });

  test('shows, prints and stores the same due date; takes today as a due date and a book-drop date', async ({ page, context }) => {
    await deskDay(page, context, { branch: 'TZAKL', clock: '08:30', card: 'P9011', items: ['I90011', 'I90012', 'I90013'] });
  });
});

test.describe('a tablet whose clock is set to another zone than its branch keeps', () => {
  test.use({ timezoneId: 'Europe/London', viewport: { width: 820, height: 1180 }, hasTouch: true });

  test('says so once, with both zones, and keeps the branch’s day for today and the quick due dates', async ({ page }) => {
    // 07:30 in London is still the day before in Los Angeles.
    const now = lastLocal('Europe/London', '07:30');
    const laToday = localDateOf(now, ZONES.TZLA);
    await page.clock.install({ time: now });
    await importZoneLibrary(page, {});
    await page.goto('/');
    await registerWorkstation(page, 'TZLA-TABLET-1', 'TZLA');
    await waitForOfflineReady(page);
    const note = page.locator('.zone-note');
    await expect(note).toHaveText('This device’s clock is set to Europe/London, but TZLA keeps time in America/Los_Angeles: every date at this desk is TZLA’s.');
    expect(laToday).not.toBe(localDateOf(now, 'Europe/London'));
    await expect(page.getByLabel('Due date', { exact: true })).toHaveAttribute('min', laToday);
    await page.getByRole('button', { name: '+7 days' }).click();
    await expect(page.getByLabel('Due date', { exact: true })).toHaveValue(addLocalDays(laToday, 7));
    await page.getByLabel('Patron barcode').focus();
    await scan(page, 'P0002');
    // Said on the desk, not at every scan.
    await expect(page.getByRole('status')).toHaveText(/^Patron: .+ \(P0002\)\.$/);
    await expect(note).toHaveCount(1);
    await page.keyboard.press('F2');
    await expect(page.getByLabel('Effective date')).toHaveAttribute('max', laToday);
    await expect(note).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('zone-note-tablet.png') });
  });
});
