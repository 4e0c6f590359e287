import { expect, type BrowserContext, type Page } from '@playwright/test';
import { addLocalDays, instantOfLocal, today } from '../shared/library-time.js';
import type { ResultsPage, SessionSummary, TransactionResult } from '../shared/api.js';
import { chooseSession, syncDialog } from './support.js';
import { E2E_ADMIN_PASSWORD } from '../playwright.config.js';

/**
 * A library system of its own for the library-time and payment tests, loaded
 * through POST /api/import as a library would load its files: branches in Los
 * Angeles and Auckland (the e2e server's default zone is its host's, so the
 * demo branches name none), and each test's own cards (P9xxx) and items
 * (I9xxxx), in the e2e server's barcode forms. Loading the branches again
 * changes nothing; each test names only its own cards and items, so no test
 * sets back what another changed.
 */
export const ZONES = { TZLA: 'America/Los_Angeles', TZAKL: 'Pacific/Auckland' } as const;

export interface ZoneFiles {
  /** [card, first name, last name, home branch, profile (adult when not given)] */
  patrons?: [string, string, string, keyof typeof ZONES, string?][];
  /** [barcode, title, owning branch] */
  items?: [string, string, keyof typeof ZONES][];
  /** The other files, as CSV text with their header. */
  closed?: string;
  loans?: string;
  bills?: string;
  policies?: string;
  /**
   * When the files describe the library (default now). A test whose desk clock is set back must give a time
   * before it: the import's changes take effect then, and a scan made before them would be stale.
   */
  as_of?: Date;
}

/**
 * Logs the browser in as the admin and loads the files, before the app is opened: the app then
 * starts logged in and fetches offline data that has them (and lists their branches).
 */
export async function importZoneLibrary(page: Page, files: ZoneFiles): Promise<void> {
  const login = await page.request.post('/api/auth/login', { data: { username: 'admin', password: E2E_ADMIN_PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const body = {
    branches: 'code,name,parent,time_zone\nTZSYS,Zone Test System,,\n'
      + `TZLA,Zone Test Los Angeles,TZSYS,${ZONES.TZLA}\nTZAKL,Zone Test Auckland,TZSYS,${ZONES.TZAKL}\n`,
    ...(files.patrons ? { patrons: 'barcode,first_name,last_name,profile,home_branch,expires_on,barred\n'
      + files.patrons.map(([card, first, last, home, profile]) => `${card},${first},${last},${profile ?? 'adult'},${home},2099-12-31,false\n`).join('') } : {}),
    ...(files.items ? { items: 'barcode,title,author,call_number,item_type,owning_branch,status\n'
      + files.items.map(([barcode, title, owner]) => `${barcode},${title},A. Writer,X 1,book,${owner},available\n`).join('') } : {}),
    ...(files.closed ? { closed: files.closed } : {}),
    ...(files.loans ? { loans: files.loans } : {}),
    ...(files.bills ? { bills: files.bills } : {}),
    ...(files.policies ? { policies: files.policies } : {}),
    ...(files.as_of ? { as_of: files.as_of.toISOString() } : {}),
  };
  const reply = await page.request.post('/api/import', { data: body });
  expect(reply.status(), await reply.text()).toBe(200);
}

/** The latest past moment a zone's clocks read `time` (HH:MM): recent, so the server takes a book-drop date of that day. */
export function lastLocal(zone: string, time: string): Date {
  const at = Date.parse(instantOfLocal(today(zone), time, zone));
  return new Date(at <= Date.now() ? at : Date.parse(instantOfLocal(addLocalDays(today(zone), -1), time, zone)));
}

/** Makes window.print keep the receipt's text instead of opening the print dialog. */
export async function catchPrints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { prints: string[] }).prints = [];
    window.print = () => { (window as unknown as { prints: string[] }).prints.push(document.getElementById('receipt')?.innerText ?? ''); };
  });
}

export const prints = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { prints: string[] }).prints);

/** A date as the desk shows it in this browser's locale: a local date is that day, whatever the zone. */
export const shownDate = (page: Page, date: string): Promise<string> =>
  page.evaluate((d) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`)), date);

/** Uploads what the desk holds to the named session through the upload prompt, processes it, and reads its results. */
export async function uploadAndProcess(page: Page, context: BrowserContext, session: string, branch: string): Promise<TransactionResult[]> {
  const dialog = syncDialog(page);
  await chooseSession(dialog, session, branch);
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('status')).toContainText('Uploaded');
  await dialog.getByRole('button', { name: 'Close' }).click();
  const sessions = await (await context.request.get(`/api/sessions?branch=${branch}`)).json() as SessionSummary[];
  const id = sessions.find((s) => s.name === session)!.id;
  expect((await context.request.post(`/api/sessions/${id}/process`)).status()).toBe(202);
  await expect.poll(async () => ((await (await context.request.get(`/api/sessions/${id}`)).json()) as { state: string }).state).toBe('processed');
  return ((await (await context.request.get(`/api/sessions/${id}/results?limit=1000`)).json()) as ResultsPage).results;
}
