import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { logIn, watchCsp } from './support.js';

/**
 * A real library's state in and out, from the admin pages (issue 13): its files imported
 * (all or nothing, the same files twice change nothing), a branch's calendar and the loan
 * policies changed by hand, and a processed session downloaded for Koha with what the
 * file does not carry listed beside it. It works on a library system of its own, so the
 * demo library the other tests use is untouched.
 */

const FILES = {
  branches: 'code,name,parent,time_zone\nSTATE,State Test System,,Pacific/Auckland\nSTATE-A,State Test Branch,STATE,\n',
  hours: 'branch,mon,tue,wed,thu,fri,sat,sun\nSTATE,09:00-17:00,09:00-17:00,09:00-17:00,09:00-17:00,"09:00-12:00,13:00-20:00",10:00-14:00,\n',
  patrons: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred\nSTATE-P1,Ana,Tester,adult,STATE-A,2030-12-31,false\n',
  items: 'barcode,title,author,call_number,item_type,owning_branch,status,record_id\n'
    + 'STATE-I1,Offline Days,A. Writer,X 1,book,STATE-A,available,REC-9\nSTATE-I2,Offline Days,A. Writer,X 1,book,STATE-A,available,REC-9\n',
  loans: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nSTATE-I1,STATE-P1,2026-10-01T10:00:00Z,2026-10-22,0,STATE-A\n',
  holds: 'patron_barcode,item_barcode,record_id,pickup_branch,placed_at,status\nSTATE-P1,,REC-9,STATE-A,2026-10-02,waiting\n',
  bills: 'patron_barcode,amount_cents,reason,billed_at\nSTATE-P1,450,Overdue: Offline Days,2026-09-20\n',
};

async function chooseFiles(page: Page, files: Record<string, string>): Promise<void> {
  for (const [kind, text] of Object.entries(files)) {
    await page.locator(`input[type=file][name=${kind}]`).setInputFiles({ name: `${kind}.csv`, mimeType: 'text/csv', buffer: Buffer.from(text) });
  }
}

test('a library\'s state comes in through the import page, calendars and policies are kept by hand, and a session goes out for Koha', async ({ page }) => {
  const cspViolations = watchCsp(page);
  await page.goto('/');
  await logIn(page);

  // In: every file at once, as of an hour ago; then the same files again change nothing.
  await page.goto('/#/admin/import');
  await chooseFiles(page, FILES);
  const hourAgo = new Date(Date.now() - 3600_000);
  const local = new Date(hourAgo.getTime() - hourAgo.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  await page.getByLabel(/^As of/).fill(local);
  await page.getByRole('button', { name: 'Import' }).click();
  const imported = page.getByRole('table', { name: 'Imported' });
  await expect(imported.getByRole('row').filter({ hasText: 'Open loans' })).toContainText('1 new, 0 updated, 0 unchanged');
  await expect(imported.getByRole('row').filter({ hasText: 'Holds' })).toContainText('1 new');
  await expect(imported.getByRole('row').filter({ hasText: 'Bills' })).toContainText('1 new');
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(imported.getByRole('row').filter({ hasText: 'Items' })).toContainText('0 new, 0 updated, 2 unchanged');
  await expect(imported.getByRole('row').filter({ hasText: 'Open loans' })).toContainText('0 new, 0 updated, 1 unchanged');

  // A bad row anywhere: nothing imported, every bad row with its file and line.
  await page.reload();
  await chooseFiles(page, { loans: 'item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nSTATE-I2,STATE-P1,2026-10-01T10:00:00,2026-10-22,0,\nSTATE-I9,STATE-P1,2026-10-01,2026-10-22,0,\n' });
  await page.getByRole('button', { name: 'Import' }).click();
  const refused = page.getByRole('table', { name: 'Rows refused (nothing was imported)' });
  await expect(refused.getByRole('row').filter({ hasText: 'has no time zone' }).getByRole('cell')).toHaveText(['Open loans', '2',
    "checked_out_at '2026-10-01T10:00:00' has no time zone (add Z for UTC or an offset such as +01:00, or give only the date)"]);
  await expect(refused.getByRole('row').filter({ hasText: "unknown item_barcode 'STATE-I9'" }).getByRole('cell').nth(1)).toHaveText('3');

  // The branch keeps its system's zone and hours; a closure is added and removed by hand.
  await page.goto('/#/admin/calendars');
  await page.getByLabel('Branch').selectOption('STATE-A');
  await expect(page.getByText('Time zone Pacific/Auckland')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Opening hours (from STATE)' }).getByRole('row').filter({ hasText: 'Friday' })).toContainText('09:00-12:00, 13:00-20:00');
  await page.getByLabel('First day').fill('2026-12-24');
  await page.getByLabel(/^Last day/).fill('2026-12-26');
  await page.getByLabel('Reason').fill('Christmas');
  await page.getByRole('button', { name: 'Add closure' }).click();
  await expect(page.getByRole('status')).toContainText('STATE-A is closed from Dec 24, 2026 to Dec 26, 2026: Christmas.');
  await expect(page.getByRole('table', { name: 'Closures' })).toContainText('Christmas');
  await page.getByRole('button', { name: 'Remove the closure of Dec 24, 2026 (Christmas)' }).click();
  await expect(page.getByText('No closures.')).toBeVisible();

  // A policy added, changed and removed (for an item type no demo item has).
  await page.goto('/#/admin/policies');
  const add = page.getByRole('form', { name: 'Add a policy' });
  await add.getByLabel('Item type of the new policy').fill('state-kit');
  await add.getByLabel('Loan days of the new policy').fill('3');
  await add.getByLabel('Renewals of the new policy').fill('0');
  await add.getByLabel('Fine a day (cents) of the new policy').fill('50');
  await add.getByLabel('Most fine (cents) of the new policy').fill('500');
  await add.getByRole('button', { name: 'Add policy' }).click();
  await expect(page.getByRole('status')).toContainText('state-kit × any profile added.');
  const kit = page.getByRole('form', { name: 'Policy state-kit × any profile' });
  await kit.getByLabel('Loan days of state-kit × any profile').fill('5');
  await kit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('state-kit × any profile saved.');
  await expect(kit.getByLabel('Loan days of state-kit × any profile')).toHaveValue('5');
  await kit.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('status')).toContainText('removed.');
  await expect(page.getByRole('form', { name: 'Policy state-kit × any profile' })).toHaveCount(0);

  // Out: a session of the branch, processed, downloaded for Koha; what Koha cannot take is listed beside the download.
  await page.goto('/#/admin');
  await page.getByLabel('Session name').fill('State test outage');
  await page.getByLabel('Branch').selectOption('STATE-A');
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.getByRole('link', { name: 'State test outage' }).click();
  const sessionId = /sessions\/(\d+)/.exec(page.url())![1];
  const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const base = { workstation: 'STATE-A-DESK', staff: 'admin' };
  const uploaded = await page.request.post(`/api/sessions/${sessionId}/uploads`, { data: { workstation: 'STATE-A-DESK', device_time: new Date().toISOString(),
    transactions: [
      { ...base, id: crypto.randomUUID(), type: 'checkin', item_barcode: 'STATE-I1', occurred_at: at(20), seq: 1 },
      { ...base, id: crypto.randomUUID(), type: 'in_house_use', item_barcode: 'STATE-I2', count: 2, occurred_at: at(19), seq: 2 },
    ] } });
  expect(uploaded.status()).toBe(200);
  await page.reload();
  await page.getByRole('button', { name: 'Process' }).click();
  await expect(page.locator('.badge')).toHaveText('processed');
  // The imported loan came back: the imported hold on its record took it.
  await expect(page.getByRole('row').filter({ hasText: 'STATE-I1' }).first()).toContainText('HOLD_CAPTURED');

  const exportCard = page.getByRole('region', { name: 'Export for the library system' });
  await expect(exportCard.getByRole('status')).toContainText('1 of 2 transactions in the file, times in Pacific/Auckland.');
  await expect(exportCard.getByRole('table', { name: 'Not in the file' })).toContainText("Koha's offline file has no in-house uses");
  const download = page.waitForEvent('download');
  await exportCard.getByRole('link', { name: 'Download' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`session-${sessionId}.koc`);
  const text = await readFile((await file.path())!, 'utf8');
  expect(text.split('\n')[0]).toBe('Version=1.0\tGenerator=offline-circulation');
  expect(text).toContain('\treturn\tSTATE-I1\n');
  expect(text).not.toContain('STATE-I2');

  await exportCard.getByLabel('Format').selectOption('evergreen');
  await expect(exportCard.getByRole('status')).toContainText('2 of 2 transactions in the file.');
  expect(cspViolations).toEqual([]);
});
