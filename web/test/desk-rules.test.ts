import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/snapshot.js';
import type { OutboxEntry } from '../../shared/outbox-messages.js';
import { storeSnapshot } from '../services/snapshot-store.js';
import { snapshotOf } from './snapshot-fixture.js';
import { OPEN_ALL_WEEK, type LibraryCalendar } from '../../shared/library-time.js';

// Cards registered on this device, and what it recorded since its data, come from the outbox, which the service worker keeps.
const outbox = vi.hoisted(() => ({
  registrations: vi.fn(async (): Promise<OutboxEntry[]> => []),
  list: vi.fn(async (_limit: number, _state?: string): Promise<OutboxEntry[]> => []),
}));
vi.mock('../services/outbox-client.js', () => outbox);
const rules = await import('../services/desk-rules.js');

const NOW = Date.now();
const snapshot: Snapshot = snapshotOf({
  patrons: [['P-1', 'adult', '2099-12-31', null, 'Ada Alder'], ['P-2', 'juvenile', '2099-12-31', null, 'Bea Birch'],
    ['P-BAR', 'adult', '2099-12-31', 'barred', 'Carl Cedar'], ['P-OLD', 'adult', '2001-01-01', null, 'Dina Elm']],
  items: [['79927398713', 'book', 'Rivers of Salt'], ['4', 'book', 'The Quiet Index', 'P-2'], ['18', 'dvd', 'Night Trains', '']],
}, {
  generated_at: new Date(NOW - 30 * 60_000).toISOString(),
  loan_policies: [
    { item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 25, max_fine_cents: 1000 },
    { item_type: 'book', patron_profile: null, loan_days: 14, max_renewals: 2, daily_fine_cents: 25, max_fine_cents: 1000 },
    { item_type: 'book', patron_profile: 'juvenile', loan_days: 28, max_renewals: 2, daily_fine_cents: 10, max_fine_cents: 500 },
  ],
  barcode_rules: { patron: { pattern: 'P-.+', check_digit: 'none' }, item: { pattern: null, check_digit: 'luhn' } },
});
const HELD = '4';
const HELD_FOR_NOBODY_KNOWN = '18';
const BOOK = '79927398713';
const AT = new Date('2026-11-29T10:00:00.000Z');
const TODAY = '2026-11-29';
const UTC: LibraryCalendar = { zone: 'UTC', hours: OPEN_ALL_WEEK, closures: [] };

describe('the desk rules without offline data', () => {
  it('warn about nothing they would need the data for, take nothing for a card, and give no due date', async () => {
    expect(await rules.patronWarnings('P-BAR', 'checkout', TODAY)).toEqual([]);
    expect(await rules.itemInfo(BOOK)).toBeNull();
    expect(await rules.itemWarnings('P-1', null)).toEqual([]);
    expect(await rules.isPatronCard('P-1', null)).toBe(false);
    expect(await rules.isItem('I-1')).toBe(false);
    expect(await rules.holdWarnings('checkout', HELD, 'P-1', null)).toEqual([]);
    expect(await rules.dueFor(BOOK, 'P-1', AT, UTC)).toBeNull();
    expect(await rules.meta()).toBeNull();
  });
});

describe('the desk rules with offline data 30 minutes old', () => {
  beforeAll(async () => {
    await storeSnapshot(await rules.snapshotDb(), snapshot, '"v1"', new Date(NOW - 30 * 60_000));
  });

  it('say how old the offline data is, in words', () => {
    const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
    expect(rules.ageText(undefined, NOW)).toBe('no offline data yet');
    expect(rules.ageText(ago(1), NOW)).toBe('offline data just updated');
    expect(rules.ageText(ago(30), NOW)).toBe('offline data 30 min old');
    expect(rules.ageText(ago(119), NOW)).toBe('offline data 119 min old');
    expect(rules.ageText(ago(120), NOW)).toBe('offline data 2 h old');
    expect(rules.ageText(ago(47 * 60), NOW)).toBe('offline data 47 h old');
    expect(rules.ageText(ago(48 * 60), NOW)).toBe('offline data 2 days old');
  });

  it('warn about a blocked or expired card with a heading that says which, naming the patron, the reason and the data’s age', async () => {
    expect(await rules.patronWarnings('P-BAR', 'checkout', TODAY)).toEqual([{ code: 'PATRON_BARRED', heading: 'Patron barred',
      message: 'Card P-BAR (Carl Cedar): the patron is barred (offline data 30 min old). Lend anyway?' }]);
    expect(await rules.patronWarnings('P-OLD', 'renew', TODAY)).toEqual([{ code: 'PATRON_ACCOUNT_EXPIRED', heading: 'Card expired',
      message: 'Card P-OLD (Dina Elm): the patron account has expired (offline data 30 min old). Renew anyway?' }]);
    expect(await rules.patronWarnings('P-1', 'checkout', TODAY)).toEqual([]);
  });

  it('warn about barcodes that break the library’s rules: the card’s form, the item’s check digit', async () => {
    expect(await rules.patronWarnings('X-1', 'checkout', TODAY)).toEqual([{ code: 'BAD_PATRON_BARCODE', heading: 'Unusual card number',
      message: 'Card X-1: it does not have the form of this library’s barcodes.' }]);
    expect(await rules.itemWarnings('79927398710', null)).toEqual([{ code: 'BAD_ITEM_BARCODE', heading: 'Unusual barcode',
      message: 'Item 79927398710: its check digit is wrong (a mis-scan or typo?).' }]);
    expect(await rules.itemWarnings(BOOK, await rules.itemInfo(BOOK))).toEqual([]);
  });

  it('know an item’s type and title, and ask about an item the offline data does not list', async () => {
    expect(await rules.itemInfo(BOOK)).toEqual({ type: 'book', title: 'Rivers of Salt' });
    expect(await rules.itemInfo('26')).toBeNull();
    // 26 passes the check digit, so only its absence from the data is asked about.
    expect(await rules.itemWarnings('26', null)).toEqual([{ code: 'ITEM_NOT_IN_OFFLINE_DATA', heading: 'Item not in the offline data',
      message: 'Item 26 is not in the offline data (offline data 30 min old): a mis-scan, or an item added since? Record it anyway?' }]);
  });

  it('take a code scanned into the item field for a card when it has the cards’ form or the data knows it as a card, never a known item', async () => {
    expect(await rules.isPatronCard('P-77', null)).toBe(true); // the patron pattern P-.+, unknown to the data
    expect(await rules.isPatronCard('P-1', null)).toBe(true);
    expect(await rules.isPatronCard(BOOK, await rules.itemInfo(BOOK))).toBe(false);
    expect(await rules.isPatronCard('26', null)).toBe(false);
  });

  it('take a code scanned into the patron field for an item when the data knows it as an item and not as a card', async () => {
    expect(await rules.isItem(BOOK)).toBe(true);
    expect(await rules.isItem('P-1')).toBe(false);
    expect(await rules.isItem('26')).toBe(false);
  });

  it('warn when a hold wants the item for someone else, and not for the patron it is wanted for', async () => {
    const held = await rules.itemInfo(HELD);
    expect(await rules.holdWarnings('checkout', HELD, 'P-1', held)).toEqual([{ code: 'HOLD_FOR_OTHER_PATRON', heading: 'Wanted by a hold',
      message: 'Item 4 is wanted by a hold for patron P-2 (offline data 30 min old). Lend it anyway?' }]);
    expect(await rules.holdWarnings('checkout', HELD, 'P-2', held)).toEqual([]);
    expect(await rules.holdWarnings('checkout', BOOK, 'P-1', await rules.itemInfo(BOOK))).toEqual([]);
  });

  it('at a renewal without the card, say who the hold is for, since the borrower may be that patron', async () => {
    expect((await rules.holdWarnings('renew', HELD, undefined, await rules.itemInfo(HELD)))[0].message)
      .toBe('Item 4 is wanted by a hold for patron P-2 (offline data 30 min old). Nothing is wrong if the borrower is P-2. Renew it anyway?');
    expect((await rules.holdWarnings('renew', HELD_FOR_NOBODY_KNOWN, undefined, await rules.itemInfo(HELD_FOR_NOBODY_KNOWN)))[0].message)
      .toBe('Item 18 is wanted by a hold for another patron (offline data 30 min old). Renew it anyway?');
  });

  it('give the due date of the most specific loan policy, and say which', async () => {
    expect(await rules.dueFor(BOOK, 'P-2', AT, UTC)).toEqual({ due: '2026-12-27', basis: 'book × juvenile, 28 days', fallback: false });
    expect(await rules.dueFor(BOOK, 'P-1', AT, UTC)).toEqual({ due: '2026-12-13', basis: 'book × adult, 14 days', fallback: false });
    expect(await rules.dueFor(BOOK, undefined, AT, UTC)).toEqual({ due: '2026-12-13', basis: 'book, 14 days', fallback: false });
  });

  it('count the loan’s days in the desk branch’s local days, moved off its closed days: the date processing stores', async () => {
    const west: LibraryCalendar = { zone: 'America/Los_Angeles', hours: OPEN_ALL_WEEK, closures: [['2026-12-24', '2026-12-26', 'Christmas']] };
    // 20:30 on 9 December in Los Angeles (10 December in UTC): 14 days on is the 23rd there, where UTC arithmetic said the 24th.
    const laEvening = new Date('2026-12-10T04:30:00.000Z');
    expect((await rules.dueFor(BOOK, 'P-1', laEvening, west))?.due).toBe('2026-12-23');
    expect((await rules.dueFor(BOOK, 'P-1', laEvening, UTC))?.due).toBe('2026-12-24');
    // A day later, 14 days on is Christmas Eve, closed through the 26th: the 27th.
    expect((await rules.dueFor(BOOK, 'P-1', new Date('2026-12-11T04:30:00.000Z'), west))?.due).toBe('2026-12-27');
  });

  it('give an item the offline data does not know the default policy, marked as the branch default', async () => {
    expect(await rules.dueFor('I-UNKNOWN', 'P-2', AT, UTC)).toEqual({ due: '2026-12-20',
      basis: 'branch default, 21 days: item not in the offline data', fallback: true });
  });

  it('know a card registered on this device before the server does: no warning, and its profile’s due date', async () => {
    outbox.registrations.mockResolvedValue([{ id: 'r1', state: 'pending', recorded_at: AT.toISOString(),
      tx: { id: 'r1', type: 'register', occurred_at: AT.toISOString(), seq: 1, workstation: 'W', staff: 's',
        patron: { barcode: 'P-NEW', first_name: 'Mira', last_name: 'Quill', profile: 'juvenile' } } }]);
    expect(await rules.patronEntry('P-NEW')).toEqual(['P-NEW', 'juvenile', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), null, 'Mira Quill', 0, null]);
    expect(await rules.patronWarnings('P-NEW', 'checkout', TODAY)).toEqual([]);
    expect((await rules.dueFor(BOOK, 'P-NEW', AT, UTC))?.basis).toBe('book × juvenile, 28 days');
    expect(await rules.patronEntry('P-NOBODY')).toBeNull();
  });
});
