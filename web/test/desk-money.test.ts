import 'fake-indexeddb/auto';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EntryState, OutboxEntry } from '../../shared/outbox-messages.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import { storeSnapshot } from '../services/snapshot-store.js';
import { snapshotOf } from './snapshot-fixture.js';

// What this device recorded comes from the outbox, which the service worker keeps.
const outbox = vi.hoisted(() => ({
  registrations: vi.fn(async (): Promise<OutboxEntry[]> => []),
  list: vi.fn(async (_limit: number, _state?: EntryState): Promise<OutboxEntry[]> => []),
}));
vi.mock('../services/outbox-client.js', () => outbox);
const rules = await import('../services/desk-rules.js');

const NOW = Date.now();
const DATA_AT = new Date(NOW - 60 * 60_000).toISOString();
const TODAY = new Date(NOW).toISOString().slice(0, 10);

/** Fine limit 10.00; juveniles may have 3 items out (2 DVDs), adults as many as they like. */
beforeAll(async () => {
  const snapshot = snapshotOf({
    patrons: [
      ['P-OWES', 'adult', '2099-12-31', null, 'Ada Alder', 1500, null],
      ['P-EDGE', 'adult', '2099-12-31', null, 'Bea Birch', 1000, null],
      ['P-KID', 'juvenile', '2099-12-31', null, 'Cy Cedar', 0, 2],
      ['P-BAR', 'adult', '2099-12-31', 'barred', 'Di Dogwood', 2500, null],
      ['P-CREDIT', 'adult', '2099-12-31', null, 'Ed Elm', -300, null],
    ],
    items: [['I-1', 'book', 'Rivers of Salt'], ['I-2', 'dvd', 'Night Trains']],
  }, {
    generated_at: DATA_AT,
    fine_limit_cents: 1000,
    loan_policies: [
      { item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 25, max_fine_cents: 1000, max_items_out: null },
      { item_type: null, patron_profile: 'juvenile', loan_days: 14, max_renewals: 2, daily_fine_cents: 10, max_fine_cents: 500, max_items_out: 3 },
      { item_type: 'dvd', patron_profile: 'juvenile', loan_days: 7, max_renewals: 0, daily_fine_cents: 50, max_fine_cents: 500, max_items_out: 2 },
    ],
  });
  await storeSnapshot(await rules.snapshotDb(), snapshot, '"v1"', new Date(NOW - 5 * 60_000));
});

let seq = 0;
function recorded(fields: Partial<OfflineTransaction>, state: EntryState = 'pending'): OutboxEntry {
  seq++;
  const at = new Date(NOW - 10 * 60_000).toISOString();
  const tx = { id: `id-${seq}`, occurred_at: at, seq, workstation: 'W', staff: 's', type: 'checkout', ...fields } as OfflineTransaction;
  return { id: tx.id, tx, state, recorded_at: at, ...(state === 'uploaded' ? { uploaded_at: at, session_id: 1 } : {}) };
}
function onDevice(...entries: OutboxEntry[]): void {
  outbox.list.mockImplementation(async (limit, state) => entries.filter((e) => e.state === state).slice(0, limit));
}
const codes = async (card: string, purpose: 'checkout' | 'renew' = 'checkout') =>
  (await rules.patronWarnings(card, purpose, TODAY)).map((w) => w.code);

beforeEach(() => onDevice());

describe('fines at the desk', () => {
  it('warn at a checkout about a balance over the limit, with the amounts; not at the limit, nor at a renewal (processing does not either)', async () => {
    expect(await rules.patronWarnings('P-OWES', 'checkout', TODAY)).toEqual([{ code: 'PATRON_EXCEEDS_FINES', heading: 'Fines over the limit',
      message: 'Card P-OWES (Ada Alder) owes 15.00, over the fine limit of 10.00 (offline data 5 min old). Lend anyway?' }]);
    expect(await codes('P-EDGE')).toEqual([]);
    expect(await codes('P-OWES', 'renew')).toEqual([]);
  });

  it('count the payments taken at this desk since the data: paid below the limit, no warning; not enough, the warning says what is left', async () => {
    onDevice(recorded({ type: 'payment', patron_barcode: 'P-OWES', amount_cents: 500 }));
    expect(await codes('P-OWES')).toEqual([]);
    onDevice(recorded({ type: 'payment', patron_barcode: 'P-OWES', amount_cents: 200 }, 'uploaded'));
    expect((await rules.patronWarnings('P-OWES', 'checkout', TODAY))[0].message)
      .toBe('Card P-OWES (Ada Alder) still owes 13.00 after 2.00 paid at this desk, over the fine limit of 10.00 (offline data 5 min old). Lend anyway?');
    // A payment the server refused was never taken.
    onDevice(recorded({ type: 'payment', patron_barcode: 'P-OWES', amount_cents: 1500 }, 'rejected'));
    expect(await codes('P-OWES')).toEqual(['PATRON_EXCEEDS_FINES']);
  });

  it('are asked besides a block, each with its own code', async () => {
    expect(await codes('P-BAR')).toEqual(['PATRON_BARRED', 'PATRON_EXCEEDS_FINES']);
  });
});

describe('the items-out limit at the desk', () => {
  it('warns at card scan when the data’s items out and this desk’s loans reach the profile’s limit', async () => {
    expect(await codes('P-KID')).toEqual([]);
    onDevice(recorded({ patron_barcode: 'P-KID', item_barcode: 'I-1' }));
    expect(await rules.patronWarnings('P-KID', 'checkout', TODAY)).toEqual([{ code: 'PATRON_EXCEEDS_CHECKOUT_COUNT', heading: 'Items-out limit reached',
      message: 'Card P-KID (Cy Cedar) has 3 items out; the limit for juvenile is 3 (offline data 5 min old, with this desk’s loans). Lend anyway?' }]);
    // One of them came back here: 2 out again.
    onDevice(recorded({ patron_barcode: 'P-KID', item_barcode: 'I-1' }), recorded({ type: 'checkin', item_barcode: 'I-1' }));
    expect(await codes('P-KID')).toEqual([]);
  });

  it('judges a loan in the visit by its item type’s limit, and nobody without a limit', () => {
    expect(rules.limitWarning('P-KID', 'Cy Cedar', 'juvenile', 2, 'book', null)).toBeNull();
    return rules.meta().then((m) => {
      expect(rules.limitWarning('P-KID', 'Cy Cedar', 'juvenile', 2, 'book', m)).toBeNull();
      expect(rules.limitWarning('P-KID', 'Cy Cedar', 'juvenile', 2, 'dvd', m)?.message)
        .toBe('Card P-KID (Cy Cedar) has 2 items out; the limit for juvenile is 2 (offline data 5 min old, with this desk’s loans). Lend anyway?');
      expect(rules.limitWarning('P-OWES', 'Ada Alder', 'adult', 400, 'dvd', m)).toBeNull();
      expect(rules.limitWarning('P-KID', 'Cy Cedar', 'juvenile', null, 'dvd', m)).toBeNull();
    });
  });
});

describe('a payment at the desk', () => {
  it('is asked about when it is more than the card owes (the rest a credit), naming what is owed', async () => {
    const owes = await rules.cardStanding('P-OWES');
    expect(await rules.paymentWarnings('P-OWES', 1500, owes)).toEqual([]);
    expect(await rules.paymentWarnings('P-OWES', 2000, owes)).toEqual([{ code: 'PAYMENT_EXCEEDS_BALANCE', heading: 'More than owed',
      message: 'Card P-OWES (Ada Alder) owes 15.00 (offline data 5 min old, with this desk’s payments): 5.00 of the 20.00 will be a credit on the account. Take it anyway?' }]);
    expect((await rules.paymentWarnings('P-CREDIT', 100, await rules.cardStanding('P-CREDIT')))[0].message)
      .toBe('Card P-CREDIT (Ed Elm) owes nothing (offline data 5 min old, with this desk’s payments): all 1.00 will be a credit on the account. Take it anyway?');
  });

  it('counts the payments already taken here, and asks nothing about a card the data does not know', async () => {
    onDevice(recorded({ type: 'payment', patron_barcode: 'P-OWES', amount_cents: 1000 }));
    const owes = await rules.cardStanding('P-OWES');
    expect(owes).toEqual({ entry: ['P-OWES', 'adult', '2099-12-31', null, 'Ada Alder', 500, null], activity: { paidCents: 1000, lent: 0 } });
    expect((await rules.paymentWarnings('P-OWES', 600, owes)).map((w) => w.code)).toEqual(['PAYMENT_EXCEEDS_BALANCE']);
    expect(await rules.paymentWarnings('P-NOBODY', 600, await rules.cardStanding('P-NOBODY'))).toEqual([]);
  });
});
