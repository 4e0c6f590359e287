/**
 * Payments taken offline and the patron limits checked at checkout: what the
 * result says, and what the bills, payments and loans hold after.
 */
import { describe, it, expect } from 'vitest';
import { ITEMS, PATRONS, createSession, loansOf, minutesAgo, processSession, results, tx, upload, uploadRequest, useTestEnv } from './helpers.js';
import type { OfflineTransaction } from '../../shared/transaction.js';

const { env, cookies } = useTestEnv('sysadmin', 'circA');

const patronId = (card: string): number => env.db.prepare('SELECT patron_id FROM patron_cards WHERE barcode = ?').pluck().get(card) as number;

function bill(card: string, cents: number, createdAt: string): number {
  return Number(env.db.prepare(`INSERT INTO bills (patron_id, amount_cents, reason, created_at) VALUES (?, ?, 'Overdue', ?)`)
    .run(patronId(card), cents, createdAt).lastInsertRowid);
}
const bills = (card: string) => env.db.prepare('SELECT id, amount_cents, paid_cents FROM bills WHERE patron_id = ? ORDER BY id').all(patronId(card));
const payments = () => env.db.prepare('SELECT patron_id, amount_cents, credit_cents, note, txn_id FROM payments ORDER BY id').all();

async function run(transactions: OfflineTransaction[], options: { override_policy?: boolean } = {}) {
  const session = await createSession(env.app, cookies.sysadmin, options);
  await upload(env.app, cookies.circA, session.id, transactions);
  await processSession(env.app, cookies.sysadmin, session.id);
  const page = await results(env.app, cookies.sysadmin, session.id, { limit: '100' });
  return (t: OfflineTransaction) => page.results.find((r) => r.id === t.id)!;
}

const pay = (card: string, cents: number, extra: Record<string, unknown> = {}) => {
  const t = tx('payment', { patron_barcode: card, amount_cents: cents, ...extra });
  delete (t as Partial<OfflineTransaction>).item_barcode;
  return t;
};

describe('payments taken offline', () => {
  it('pay the patron’s open bills, oldest first', async () => {
    const older = bill(PATRONS.adult, 300, '2026-01-01T00:00:00.000Z');
    const newer = bill(PATRONS.adult, 200, '2026-02-01T00:00:00.000Z');
    const payment = pay(PATRONS.adult, 400, { note: 'cash at the desk' });
    const result = await run([payment]);
    expect(result(payment)).toMatchObject({ outcome: 'applied', code: 'SUCCESS',
      detail: `Paid 4.00 by ${PATRONS.adult}: 1 bill settled, 1.00 still owed.` });
    expect(bills(PATRONS.adult)).toEqual([{ id: older, amount_cents: 300, paid_cents: 300 }, { id: newer, amount_cents: 200, paid_cents: 100 }]);
    expect(payments()).toEqual([{ patron_id: patronId(PATRONS.adult), amount_cents: 400, credit_cents: 0, note: 'cash at the desk', txn_id: payment.id }]);
  });

  it('leave a credit, with a notice, when more was paid than owed', async () => {
    bill(PATRONS.adult, 250, '2026-01-01T00:00:00.000Z');
    const payment = pay(PATRONS.adult, 1000);
    const result = await run([payment]);
    expect(result(payment)).toMatchObject({ outcome: 'applied_with_notice', code: 'PAYMENT_EXCEEDS_BALANCE',
      detail: `7.50 more than ${PATRONS.adult} owed is now a credit on their account. Paid 10.00 by ${PATRONS.adult}: 1 bill settled.` });
    expect(payments()).toEqual([expect.objectContaining({ amount_cents: 1000, credit_cents: 750 })]);
  });

  it('from an unknown card are an exception that changes nothing', async () => {
    const payment = pay('P-NOBODY', 500);
    const result = await run([payment]);
    expect(result(payment)).toMatchObject({ outcome: 'exception', code: 'ACTOR_USER_NOT_FOUND' });
    expect(payments()).toEqual([]);
  });

  it('are refused at upload, alone, when the amount is not whole cents above zero', async () => {
    const session = await createSession(env.app, cookies.sysadmin);
    const good = pay(PATRONS.adult, 100);
    const reply = await uploadRequest(env.app, cookies.circA, session.id, [pay(PATRONS.adult, 0), pay(PATRONS.adult, 1.5), good]);
    expect(reply.body.accepted).toEqual([good.id]);
    expect(reply.body.rejected.map((r: { reason: string }) => r.reason)).toEqual([
      'amount_cents must be a whole number of cents from 1 to 100000000', 'amount_cents must be a whole number of cents from 1 to 100000000']);
  });
});

describe('limits at checkout', () => {
  it('PATRON_EXCEEDS_CHECKOUT_COUNT: counts the items already out, the ones lent earlier in the visit too', async () => {
    // The adult profile may have 3 items out; P-ADULT has 2 on loan already.
    env.db.prepare('UPDATE loan_policies SET max_items_out = 3 WHERE item_type IS NULL AND patron_profile IS NULL').run();
    const third = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(10) });
    const fourth = tx('checkout', { item_barcode: ITEMS.book2, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(9) });
    const result = await run([third, fourth]);
    expect(result(third)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(result(fourth)).toMatchObject({ outcome: 'applied_with_notice', code: 'PATRON_EXCEEDS_CHECKOUT_COUNT',
      detail: expect.stringContaining(`(${PATRONS.adult}) had 3 items out; the limit for adult is 3.`) });
    expect(loansOf(env.db, ITEMS.book2)).toHaveLength(1);
  });

  it('PATRON_EXCEEDS_FINES: with the override policy off, an exception that lends nothing; a payment first clears it', async () => {
    bill(PATRONS.adult, 1500, '2026-01-01T00:00:00.000Z');
    const lend = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(10) });
    const strict = await run([lend], { override_policy: false });
    expect(strict(lend)).toMatchObject({ outcome: 'exception', code: 'PATRON_EXCEEDS_FINES',
      detail: expect.stringContaining(`(${PATRONS.adult}) owed 15.00, over the limit of 10.00.`) });
    expect(loansOf(env.db, ITEMS.book1)).toEqual([]);

    // The patron pays 6.00 at the desk, then borrows: in time order the balance is 9.00 by then.
    const payment = pay(PATRONS.adult, 600, { occurred_at: minutesAgo(8) });
    const again = tx('checkout', { item_barcode: ITEMS.book1, patron_barcode: PATRONS.adult, occurred_at: minutesAgo(7) });
    const later = await run([again, payment], { override_policy: false });
    expect(later(payment)).toMatchObject({ outcome: 'applied' });
    expect(later(again)).toMatchObject({ outcome: 'applied', code: 'SUCCESS' });
    expect(loansOf(env.db, ITEMS.book1)).toHaveLength(1);
  });
});
