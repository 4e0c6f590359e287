import { expect, type Page } from '@playwright/test';
import { E2E_ADMIN_PASSWORD } from '../playwright.config.js';

export async function logIn(page: Page, username = 'admin', password = E2E_ADMIN_PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Waits until the service worker controls the page, so the app and its outbox work offline. */
export async function waitForOfflineReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

export async function registerWorkstation(page: Page, name: string, branch: string): Promise<void> {
  await page.getByLabel('Workstation name').fill(name);
  await page.getByLabel('Branch').selectOption(branch);
  await page.getByRole('button', { name: 'Register workstation' }).click();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
}

export async function createSession(page: Page, name: string, branch: string): Promise<void> {
  await page.goto('/#/admin');
  await page.getByLabel('Session name').fill(name);
  await page.getByLabel('Branch').selectOption(branch);
  await page.getByRole('button', { name: 'Create session' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
}
