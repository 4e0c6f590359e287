import { expect, type Locator, type Page } from '@playwright/test';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { E2E_ADMIN_PASSWORD } from '../playwright.config.js';
import type { OutboxEntry, OutboxReply, OutboxRequest } from '../shared/outbox-messages.js';

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
  // The offline data (block list, policies, barcode rules) arrives right after registration.
  await expect(page.getByText('offline data just updated')).toBeVisible();
}

/** Logs in, registers the desk, and waits until the app works offline with fresh offline data. */
export async function openDesk(page: Page, workstation: string, branch: string): Promise<void> {
  await page.goto('/');
  await logIn(page);
  await registerWorkstation(page, workstation, branch);
  await waitForOfflineReady(page);
}

/**
 * A barcode scanner: the code and Enter typed at full speed into whatever has
 * the focus, as a keyboard-wedge scanner does. Nothing is clicked or filled.
 */
export async function scan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

/** Reads the device's outbox through the service worker, as the app does: what is stored, not what is shown. */
export async function outboxEntries(page: Page): Promise<OutboxEntry[]> {
  return page.evaluate(async (request) => {
    const registration = await navigator.serviceWorker.ready;
    return new Promise<OutboxEntry[]>((resolve, reject) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (e: MessageEvent<OutboxReply<'list'>>) => (e.data.ok ? resolve(e.data.entries) : reject(new Error(e.data.error)));
      registration.active!.postMessage(request, [channel.port2]);
    });
  }, { type: 'list', limit: 1000 } satisfies OutboxRequest<'list'>);
}

/** Answers the desk's warning dialog. */
export async function answerWarning(page: Page, heading: string | RegExp, answer: 'Allow' | 'Cancel'): Promise<void> {
  const dialog = page.getByRole('dialog', { name: heading });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: answer }).click();
}

/** The upload prompt, before and after its upload. */
export const syncDialog = (page: Page): Locator => page.getByRole('dialog', { name: /waiting|Upload finished/ });

/**
 * Picks a session in the upload prompt. Sessions may share a name, so each
 * option reads "name (branch, created date time)": the name and branch find it.
 */
export async function chooseSession(dialog: Locator, name: string, branch: string): Promise<void> {
  const select = dialog.getByLabel('Session');
  await expect(select).toBeVisible({ timeout: 20_000 });
  const value = await select.locator('option', { hasText: `${name} (${branch}, created ` }).getAttribute('value');
  await select.selectOption(value!);
}

export async function createSession(page: Page, name: string, branch: string): Promise<void> {
  await page.goto('/#/admin');
  await page.getByLabel('Session name').fill(name);
  await page.getByLabel('Branch').selectOption(branch);
  await page.getByRole('button', { name: 'Create session' }).click();
  // The new session is listed first, marked, and its link has the focus.
  await expect(page.getByRole('link', { name }).first()).toBeFocused();
}

/**
 * A line between the browser and the server that can hold requests: a proxy
 * on its own port that keeps matching requests waiting until `release()`,
 * and passes every other request at once. Uploads run in the service worker,
 * whose requests Playwright's route() does not see, so the hold is put on
 * the wire. `held` resolves once a matching request waits on the line.
 */
export async function holdingProxy(target: string, matches: (method: string, url: string) => boolean): Promise<{
  url: string; held: Promise<void>; release: () => void; close: () => Promise<void>;
}> {
  const upstream = new URL(target);
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => { arrived = resolve; });
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
        // The Host header passes through unchanged, as a real reverse proxy keeps it: the server checks Origin against it.
        headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      out.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(out);
    };
    if (!matches(req.method ?? 'GET', req.url ?? '')) return forward();
    arrived();
    void released.then(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    release,
    close: () => new Promise<void>((resolve) => { release(); server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Collects Content-Security-Policy violations the page reports, to assert the app runs under its policy. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
