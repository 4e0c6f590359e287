import { test, expect } from '@playwright/test';
import { logIn, watchCsp } from './support.js';

test('an administrator creates a circulation account, which can work the desk but not the admin pages, and the audit trail records it', async ({ page, browser }) => {
  const cspViolations = watchCsp(page);
  await page.goto('/');
  await logIn(page);
  await page.goto('/#/admin/staff');
  await page.getByLabel('New username').fill('kim.desk');
  await page.getByLabel('Display name').fill('Kim at the desk');
  await page.getByLabel('Initial password').fill('kim-desk-password');
  await page.getByRole('combobox', { name: 'Branch', exact: true }).selectOption('EAST');
  await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('circulation');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toContainText('Account kim.desk created');
  await expect(page.getByRole('row').filter({ hasText: 'kim.desk' })).toContainText('circulation at EAST');

  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const desk = await other.newPage();
  await desk.goto('/');
  await logIn(desk, 'kim.desk', 'kim-desk-password');
  await expect(desk.getByLabel('Workstation name')).toBeVisible();
  await expect(desk.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await desk.goto('/#/admin');
  await expect(desk.getByRole('alert')).toContainText('admin role');
  await other.close();

  await page.goto('/#/admin/audit');
  // In words, not action codes or JSON.
  const row = page.getByRole('row').filter({ hasText: 'Created the account kim.desk (circulation at EAST)' });
  await expect(row).toHaveCount(1);
  await expect(page.getByRole('table')).not.toContainText('staff.create');
  await expect(page.getByRole('table')).not.toContainText('{"');
  expect(cspViolations).toEqual([]);
});
