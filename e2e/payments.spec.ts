import { test, expect, type Page } from '@playwright/test';
import { addLocalDays, today } from '../shared/library-time.js';
import { answerWarning, createSession, outboxEntries, registerWorkstation, scan, waitForOfflineReady } from './support.js';
import { catchPrints, importZoneLibrary, prints, uploadAndProcess } from './library-fixtures.js';

/**
 * Payments at the desk (issue 13), as staff with a scanner take them: a patron over the
 * fine limit is warned at checkout, pays at the Payment screen (F8), and is then lent to
 * without a warning, since the desk counts its own payments against the offline balance;
 * one receipt for the visit lists the payment. After upload and processing the admin view
 * says what the payment paid and what is still owed, or the credit it left, and the
 * follow-up list has the payments for the cash drawer. The cards and their bills come in
 * through the import API (the fine limit is the e2e server's default, 10.00).
 */

const saved = (page: Page) => page.getByRole('status').filter({ hasText: 'Saved on this device' });

test('a payment taken offline lowers what the desk warns about, is on the visit’s receipt, and pays the oldest bills when processed', async ({ page, context }) => {
  await catchPrints(page);
  await importZoneLibrary(page, {
    patrons: [['P9021', 'Pat', 'Payer', 'TZLA'], ['P9022', 'Pru', 'Payer', 'TZLA']],
    items: [['I90021', 'Ledger Lines', 'TZLA']],
    // Pat owes 15.00 in two bills, Pru 2.00.
    bills: 'patron_barcode,amount_cents,reason,billed_at\nP9021,1000,Overdue: Ledger Lines,2026-10-01\nP9021,500,Lost card,2026-10-15\n'
      + 'P9022,200,Overdue: Ledger Lines,2026-10-01\n',
  });
  await page.goto('/');
  await registerWorkstation(page, 'TZLA-DESK-PAY', 'TZLA');
  await waitForOfflineReady(page);
  await createSession(page, 'Payments offline', 'TZLA');
  await page.goto('/#/desk/checkout');
  await page.getByLabel('Print a receipt when the patron is done').check();
  await context.setOffline(true);

  // Over the fine limit: asked when the card is scanned. Cancelled, nothing is lent.
  await page.getByLabel('Patron barcode').focus();
  await scan(page, 'P9021');
  const fines = page.getByRole('dialog', { name: 'Fines over the limit' });
  await expect(fines).toContainText('Card P9021 (Pat Payer) owes 15.00, over the fine limit of 10.00');
  await fines.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toHaveText('Card P9021 not taken: its warning was cancelled. Scan a card.');

  // The Payment screen: the card, what it owes as far as this desk knows, the sum.
  await page.keyboard.press('F8');
  await expect(page.getByRole('heading', { level: 1, name: 'Payment' })).toBeVisible();
  await expect(page.getByLabel('Patron barcode')).toBeFocused();
  await scan(page, 'P9021');
  await expect(page.getByRole('status')).toHaveText('Pat Payer (P9021) owes 15.00 as far as this desk knows.');
  await expect(page.getByLabel('Amount')).toBeFocused();
  await page.keyboard.type('10');
  await page.getByLabel('Note').fill('cash');
  await page.getByLabel('Note').press('Enter');
  await expect(saved(page)).toHaveText('Saved on this device: payment of 10.00 from Pat Payer (P9021).');
  await expect(page.locator('#patron-info')).toHaveText('Pat Payer (P9021) owes 5.00 as far as this desk knows.');
  await expect(page.getByLabel('Amount')).toHaveValue('');
  const visit = page.getByRole('region', { name: /Visit of Pat Payer/ });
  await expect(visit.getByRole('listitem')).toHaveText(['Paid: 10.00 (cash)']);
  await expect(visit.getByRole('heading')).toHaveText('Visit of Pat Payer (P9021) · paid 10.00');
  await page.screenshot({ path: test.info().outputPath('payment-pc.png') });

  // Back at checkout, the same visit: 5.00 owed is under the limit, so the loan goes through without a question.
  await page.keyboard.press('F1');
  await expect(page.getByLabel('Patron barcode')).toHaveValue('P9021');
  await expect(page.getByLabel('Item barcode')).toBeFocused();
  await scan(page, 'I90021');
  await expect(saved(page)).toContainText('checkout of “Ledger Lines” (I90021) to Pat Payer (P9021)');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const loan = (await outboxEntries(page)).find((e) => e.tx.type === 'checkout')!;
  expect(loan.tx.acknowledged ?? []).not.toContain('PATRON_EXCEEDS_FINES');
  await expect(visit.getByRole('heading')).toHaveText('Visit of Pat Payer (P9021) · 1 item, paid 10.00');

  // One receipt for the visit: the loan and the payment.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('status')).toHaveText('Done: 1 item for this patron. Scan the next patron’s card.');
  const [receipt] = await prints(page);
  expect(receipt).toMatch(/Checked out\s*Ledger Lines \(I90021\)/);
  expect(receipt).toMatch(/Paid\s*10\.00 \(cash\)/);
  expect(receipt).toContain('Paid in all: 10.00');

  // More than Pru owes: asked, and allowed, the rest is a credit.
  // The Payment screen again: the next patron's card, scanned where the amount goes, is taken as theirs.
  await page.keyboard.press('F8');
  await page.getByLabel('Patron barcode').focus();
  await scan(page, 'P9021');
  await expect(page.getByLabel('Amount')).toBeFocused();
  await scan(page, 'P9022');
  await expect(page.getByRole('status')).toHaveText('Pru Payer (P9022) owes 2.00 as far as this desk knows.');
  await expect(page.getByLabel('Patron barcode')).toHaveValue('P9022');
  await expect(page.getByLabel('Amount')).toBeFocused();
  await scan(page, '5.00');
  await answerWarning(page, 'More than owed', 'Allow');
  await expect(saved(page)).toHaveText('Saved on this device: payment of 5.00 from Pru Payer (P9022).');
  await expect(page.locator('#patron-info')).toHaveText('Pru Payer (P9022) has 3.00 in credit as far as this desk knows.');
  const payments = (await outboxEntries(page)).filter((e) => e.tx.type === 'payment').map((e) => [e.tx.patron_barcode, e.tx.amount_cents, e.tx.acknowledged ?? []]);
  expect(payments.sort()).toEqual([['P9021', 1000, []], ['P9022', 500, ['PAYMENT_EXCEEDS_BALANCE']]]);

  // Uploaded and processed: the admin view says what each payment did.
  await context.setOffline(false);
  await uploadAndProcess(page, context, 'Payments offline', 'TZLA');
  await page.goto('/#/admin');
  await page.getByRole('link', { name: 'Payments offline' }).click();
  const rows = page.getByRole('table', { name: /Results/ }).getByRole('row');
  await expect(rows.filter({ hasText: 'P9021' }).filter({ hasText: 'Payment' })).toContainText('Paid 10.00 by P9021: 1 bill settled, 5.00 still owed.');
  await expect(rows.filter({ hasText: 'P9022' })).toContainText('PAYMENT_EXCEEDS_BALANCE');
  await expect(rows.filter({ hasText: 'P9022' })).toContainText('3.00 more than P9022 owed is now a credit on their account.');
  // The loan's due date beside it, in the branch's zone.
  await expect(rows.filter({ hasText: 'I90021' }).getByRole('cell').nth(8)).not.toBeEmpty();
  await page.screenshot({ path: test.info().outputPath('payment-results.png'), fullPage: true });

  await page.getByRole('link', { name: 'Follow-up list' }).click();
  const drawer = page.getByRole('table', { name: /Payments taken/ });
  await expect(drawer.getByRole('caption')).toHaveText('Payments taken (2, 15.00 in all)');
  await expect(drawer.getByRole('row').filter({ hasText: 'P9021' }).getByRole('cell')).toHaveText(['Pat Payer (P9021)', '10.00', '', 'cash', '☐']);
  await expect(drawer.getByRole('row').filter({ hasText: 'P9022' }).getByRole('cell')).toHaveText(['Pru Payer (P9022)', '5.00', '3.00', '', '☐']);
});

test('a profile’s items-out limit is asked about once per patron: when the visit’s loans reach it, or at the card when the data and this desk’s loans already do', async ({ page, context }) => {
  // Pupils may have 2 items out; Kim has 1 already (an imported loan).
  await importZoneLibrary(page, {
    policies: 'item_type,patron_profile,loan_days,max_renewals,daily_fine_cents,max_fine_cents,max_items_out\n,tzpupil,14,1,10,500,2\n',
    patrons: [['P9041', 'Kim', 'Pupil', 'TZLA', 'tzpupil']],
    items: [['I90040', 'Out Already', 'TZLA'], ['I90041', 'First Loan', 'TZLA'], ['I90042', 'Second Loan', 'TZLA'], ['I90043', 'Third Loan', 'TZLA']],
    loans: `item_barcode,patron_barcode,checked_out_at,due_at,renewals,branch\nI90040,P9041,${addLocalDays(today('America/Los_Angeles'), -3)},`
      + `${addLocalDays(today('America/Los_Angeles'), 11)},0,TZLA\n`,
  });
  await page.goto('/');
  await registerWorkstation(page, 'TZLA-DESK-LIMIT', 'TZLA');
  await waitForOfflineReady(page);
  await createSession(page, 'Limits offline', 'TZLA');
  await page.goto('/#/desk/checkout');
  await context.setOffline(true);

  await page.getByLabel('Patron barcode').focus();
  await scan(page, 'P9041');
  await expect(page.getByRole('status')).toHaveText('Patron: Kim Pupil (P9041).');
  await scan(page, 'I90041');
  await expect(saved(page)).toContainText('I90041');
  // The second loan of the visit would be the third item out.
  await scan(page, 'I90042');
  const limit = page.getByRole('dialog', { name: 'Items-out limit reached' });
  await expect(limit).toContainText('Card P9041 (Kim Pupil) has 2 items out; the limit for tzpupil is 2');
  await limit.getByRole('button', { name: 'Allow' }).click();
  await expect(saved(page)).toContainText('I90042');
  // Allowed once for the visit: the next loan carries it without a question.
  await scan(page, 'I90043');
  await expect(saved(page)).toContainText('I90043');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const acknowledged = Object.fromEntries((await outboxEntries(page)).map((e) => [e.tx.item_barcode, e.tx.acknowledged ?? []]));
  expect(acknowledged).toEqual({ I90041: [], I90042: ['PATRON_EXCEEDS_CHECKOUT_COUNT'], I90043: ['PATRON_EXCEEDS_CHECKOUT_COUNT'] });

  // The next visit: the data's one and this desk's three, asked at the card.
  await page.keyboard.press('Escape');
  await scan(page, 'P9041');
  await expect(page.getByRole('dialog', { name: 'Items-out limit reached' })).toContainText('has 4 items out');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await context.setOffline(false);
  const results = await uploadAndProcess(page, context, 'Limits offline', 'TZLA');
  const codes = Object.fromEntries(results.map((r) => [r.item_barcode, r.notice_codes]));
  expect(codes).toEqual({ I90041: [], I90042: ['PATRON_EXCEEDS_CHECKOUT_COUNT'], I90043: ['PATRON_EXCEEDS_CHECKOUT_COUNT'] });
});
