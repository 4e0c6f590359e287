import { test, expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { chooseSession, createSession, logIn, registerWorkstation, scan, syncDialog, waitForOfflineReady } from './support.js';

/**
 * axe-core on every screen and dialog of the app, in the light and the dark
 * colour scheme: no violations of any rule axe runs by default (WCAG 2.x A
 * and AA, and its best practices). The light walk is on a tablet, the dark
 * one on a desk PC, so both layouts are checked too.
 */

/**
 * Violations, and contrasts axe measured but did not settle: text the same
 * colour as its background (the white-on-white "Details" buttons were such)
 * is only "incomplete" to axe, which suspects it is meant to be hidden.
 */
async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const { violations, incomplete } = await new AxeBuilder({ page }).analyze();
  // Of what axe left undecided, the contrasts it did measure (not the backgrounds it could not see, such as a dialog's over the page).
  const measured = incomplete.filter((r) => r.id === 'color-contrast')
    .map((r) => ({ ...r, nodes: r.nodes.filter((n) => n.any.some((c) => /contrast ratio/.test(c.message))) })).filter((r) => r.nodes.length);
  const found = [...violations, ...measured]
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${
      n.failureSummary?.split('\n').slice(1).join(' ') || n.any.map((c) => c.message).join(' ')}`).join('\n')}`);
  expect(found, `axe on ${screen}`).toEqual([]);
}

for (const [scheme, viewport, branch] of [['light', { width: 820, height: 1180 }, 'CENTRAL'], ['dark', { width: 1366, height: 768 }, 'EAST']] as const) {
  test.describe(`in the ${scheme} scheme`, () => {
    test.use({ colorScheme: scheme, viewport, hasTouch: scheme === 'light' });

    test(`every screen and dialog passes axe (${scheme}, ${viewport.width}×${viewport.height})`, async ({ page, context }) => {
      test.setTimeout(180_000);
      // A camera that sees no barcode, so the camera dialog can be opened: headless Chromium has neither.
      await page.addInitScript(() => {
        (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class { async detect() { return []; } };
        Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia: async () => {
          const canvas = document.createElement('canvas');
          canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
          return canvas.captureStream();
        } } });
      });
      const session = `Axe ${scheme}`;
      const workstation = `AXE-${scheme.toUpperCase()}-1`;
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
      await expectNoViolations(page, 'the login page');
      await logIn(page);
      await expect(page.getByLabel('Workstation name')).toBeVisible();
      await expectNoViolations(page, 'the workstation form');
      await registerWorkstation(page, workstation, branch);
      await waitForOfflineReady(page);
      await createSession(page, session, branch);
      await expectNoViolations(page, 'the sessions list, a session just created');

      await page.goto('/#/desk/checkout');
      await context.setOffline(true);
      await scan(page, 'P0002');
      await scan(page, 'I00061');
      await expect(page.getByRole('status')).toContainText('I00061');
      await expectNoViolations(page, 'the checkout with a visit');
      await page.getByRole('button', { name: 'Scan with camera' }).click();
      const camera = page.getByRole('dialog', { name: 'Scan with camera' });
      await expect(camera).toBeVisible();
      await expectNoViolations(page, 'the camera dialog');
      await camera.getByRole('button', { name: 'Cancel' }).click();
      await expect(camera).toBeHidden();
      // The next scan goes to the field the camera was for, not to the button that opened it.
      await expect(page.getByLabel('Item barcode')).toBeFocused();
      // A barred card: the warning dialog.
      await page.getByRole('button', { name: 'Done / next patron' }).click();
      await scan(page, 'P0009');
      await expect(page.getByRole('dialog', { name: 'Patron barred' })).toBeVisible();
      await expectNoViolations(page, 'the warning dialog');
      await page.getByRole('dialog').getByRole('button', { name: 'Allow' }).click();
      // An error pointing at its field: an item scanned where the card goes.
      await page.getByRole('button', { name: 'Done / next patron' }).click();
      await scan(page, 'I00063');
      await expect(page.locator('#scan-error')).not.toBeEmpty();
      await expectNoViolations(page, 'the checkout with an error');
      for (const [key, name] of [['Control+F2', 'Renew'], ['F2', 'Checkin'], ['F6', 'In-house use'], ['Shift+F1', 'Register patron']] as const) {
        await page.keyboard.press(key);
        await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
        await expectNoViolations(page, `the ${name} form`);
      }
      // Payment: the card with what it owes, then a sum above it, asked about, and the payment in the visit.
      await page.keyboard.press('F8');
      await expect(page.getByRole('heading', { level: 1, name: 'Payment' })).toBeVisible();
      await expectNoViolations(page, 'the Payment form');
      await page.getByLabel('Patron barcode').focus();
      await scan(page, 'P0002');
      await expect(page.locator('#patron-info')).toContainText('as far as this desk knows');
      await expectNoViolations(page, 'the Payment form with a card');
      await scan(page, '500.00');
      await expect(page.getByRole('dialog', { name: 'More than owed' })).toBeVisible();
      await expectNoViolations(page, 'the overpayment question');
      await page.getByRole('dialog').getByRole('button', { name: 'Allow' }).click();
      await expect(page.getByRole('status')).toContainText('Saved on this device: payment of 500.00');
      await expectNoViolations(page, 'the Payment form with a payment in the visit');
      await page.keyboard.press('Escape');
      await page.goto('/#/files');
      await page.getByLabel('Offline file').setInputFiles({ name: 'bad.jsonl', mimeType: 'text/plain', buffer: Buffer.from('{"not": "a transaction"}\n') });
      await expect(page.getByRole('status')).toBeVisible();
      await expectNoViolations(page, 'the Files page');
      await page.goto('/#/login');
      await expect(page.getByRole('heading', { name: 'Work at this desk while offline' })).toBeVisible();
      await expectNoViolations(page, 'the login page offline, with the take-over');
      await page.getByRole('button', { name: /^Continue as / }).click();

      await context.setOffline(false);
      const prompt = syncDialog(page);
      await expect(prompt.getByRole('button', { name: 'Upload' })).toBeFocused({ timeout: 20_000 });
      await expectNoViolations(page, 'the upload prompt');
      await chooseSession(prompt, session, branch);
      await prompt.getByRole('button', { name: 'Upload' }).click();
      await expect(page.getByRole('dialog', { name: 'Upload finished' })).toBeVisible();
      await expectNoViolations(page, 'the upload prompt after the upload');
      await prompt.getByRole('button', { name: 'Close' }).click();
      await expectNoViolations(page, 'the desk online, with uploaded history');

      await page.goto('/#/admin');
      await page.getByRole('link', { name: session }).click();
      await page.getByRole('button', { name: 'Process' }).click();
      await expect(page.getByText('processed', { exact: true })).toBeVisible();
      await expectNoViolations(page, 'a processed session with its results');
      await page.getByRole('table', { name: /Results/ }).getByRole('button').first().click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await expectNoViolations(page, 'the fix / details dialog');
      await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
      await page.getByRole('link', { name: 'Follow-up list' }).click();
      await expect(page.getByRole('heading', { name: /Follow-up list/ })).toBeVisible();
      await expectNoViolations(page, 'the follow-up list');
      for (const [path, heading] of [['#/admin/staff', 'Staff accounts'], ['#/admin/workstations', 'Workstations'], ['#/admin/import', 'Import'],
        ['#/admin/audit', 'Audit trail']] as const) {
        await page.goto(`/${path}`);
        await expect(page.getByRole('heading', { level: 1, name: new RegExp(heading) })).toBeVisible();
        await expect(page.getByRole('table').or(page.getByRole('form')).or(page.locator('form')).first()).toBeVisible();
        await expectNoViolations(page, `the ${heading} page`);
      }
    });
  });
}

/** The WCAG contrast ratio of two computed CSS colours (rgb/rgba on an opaque background). */
function contrastIn(page: Page, pairs: { fg: string; bg: string }[]): Promise<number[]> {
  return page.evaluate((list) => {
    const luminance = (css: string): number => {
      const [r, g, b] = css.match(/[\d.]+/g)!.slice(0, 3).map(Number).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return list.map(({ fg, bg }) => {
      const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      return Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100;
    });
  }, pairs);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`field borders and focus rings stand out from what is around them at 3:1 or more (${scheme})`, async ({ page }) => {
    // axe does not measure non-text contrast (WCAG 1.4.11): the computed colours are compared here.
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    const username = page.getByLabel('Username');
    await expect(username).toBeVisible();
    await username.focus();
    const colours = await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('input[name="username"]')!;
      const card = getComputedStyle(input.closest('.card')!).backgroundColor;
      const pageBg = getComputedStyle(document.documentElement).backgroundColor;
      const focused = getComputedStyle(input);
      const password = getComputedStyle(document.querySelector('input[name="password"]')!);
      const headerLink = document.querySelector<HTMLAnchorElement>('header.top a')!;
      headerLink.focus();
      return {
        card, pageBg, border: password.borderTopColor, ring: focused.outlineColor, ringWidth: focused.outlineWidth,
        header: getComputedStyle(document.querySelector('header.top')!).backgroundColor, headerRing: getComputedStyle(headerLink).outlineColor,
      };
    });
    expect(colours.ringWidth).toBe('3px');
    const [border, ring, ringOnPage, headerRing] = await contrastIn(page, [
      { fg: colours.border, bg: colours.card }, { fg: colours.ring, bg: colours.card }, { fg: colours.ring, bg: colours.pageBg },
      { fg: colours.headerRing, bg: colours.header },
    ]);
    expect.soft(border, 'input border against the card').toBeGreaterThanOrEqual(3);
    expect.soft(ring, 'focus ring against the card').toBeGreaterThanOrEqual(3);
    expect.soft(ringOnPage, 'focus ring against the page').toBeGreaterThanOrEqual(3);
    expect.soft(headerRing, 'focus ring in the header').toBeGreaterThanOrEqual(3);
  });
}

test.describe('on a tablet', () => {
  test.use({ viewport: { width: 820, height: 1180 }, hasTouch: true });

  test('every control of the desk and of the sessions list is at least 44 × 44 px', async ({ page }) => {
    const tooSmall = () => page.evaluate(() => {
      const small: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input, select')) {
        // A link inside a sentence is exempt (WCAG 2.5.5); a checkbox's target is its label.
        if (el.matches('p a, li a, td a') || el.closest('[hidden], dialog:not([open])')) continue;
        const target = el.matches('input[type="checkbox"]') ? el.closest('label') ?? el : el;
        const box = target.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        if (box.height < 44 || box.width < 44) small.push(`${target.tagName.toLowerCase()} “${(target.textContent || target.getAttribute('aria-label') || (el as HTMLInputElement).name || '').trim().slice(0, 30)}” ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
      return small;
    });
    await page.goto('/');
    await logIn(page);
    await registerWorkstation(page, 'TOUCH-DESK-1', 'WEST');
    await scan(page, 'P0002');
    await scan(page, 'I00081');
    await expect(page.getByRole('status')).toContainText('I00081');
    expect(await tooSmall(), 'the checkout').toEqual([]);
    await page.goto('/#/admin');
    expect(await tooSmall(), 'the sessions list').toEqual([]);
  });
});
