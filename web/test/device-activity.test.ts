import { describe, expect, it, vi } from 'vitest';
import type { EntryState, OutboxEntry } from '../../shared/outbox-messages.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import type { PatronEntry } from '../../shared/snapshot.js';
import { cardActivity, entriesSinceData, sinceData, withActivity } from '../services/device-activity.js';

/** The offline data was made at noon; entries are stamped around it. */
const DATA_AT = '2026-12-01T12:00:00.000Z';
let seq = 0;

function entry(state: EntryState, fields: Partial<OfflineTransaction>, times: { at?: string; uploaded?: string } = {}): OutboxEntry {
  seq++;
  const at = times.at ?? '2026-12-01T13:00:00.000Z';
  const tx = { id: `id-${seq}`, type: 'checkout', occurred_at: at, seq, workstation: 'W', staff: 's', ...fields } as OfflineTransaction;
  return { id: tx.id, tx, state, recorded_at: at, ...(state === 'uploaded' ? { uploaded_at: times.uploaded ?? at, session_id: 1 } : {}) };
}
const payment = (state: EntryState, card: string, cents: number, times?: { at?: string; uploaded?: string }) =>
  entry(state, { type: 'payment', patron_barcode: card, amount_cents: cents }, times);
const loan = (state: EntryState, card: string, item: string, times?: { at?: string; uploaded?: string }) =>
  entry(state, { type: 'checkout', patron_barcode: card, item_barcode: item }, times);
const ret = (item: string) => entry('pending', { type: 'checkin', item_barcode: item });

describe('what the offline data cannot know yet', () => {
  it('is every entry still on the device, and those uploaded after the data was made; never a refused one', () => {
    expect(sinceData(payment('pending', 'P1', 500, { at: '2026-12-01T09:00:00.000Z' }), DATA_AT)).toBe(true);
    expect(sinceData(payment('uploaded', 'P1', 500, { at: '2026-12-01T09:00:00.000Z', uploaded: '2026-12-01T12:30:00.000Z' }), DATA_AT)).toBe(true);
    // Uploaded before the data was made: it may have been processed into it, so it is the data's to count.
    expect(sinceData(payment('uploaded', 'P1', 500, { at: '2026-12-01T09:00:00.000Z', uploaded: '2026-12-01T11:00:00.000Z' }), DATA_AT)).toBe(false);
    expect(sinceData(payment('rejected', 'P1', 500), DATA_AT)).toBe(false);
  });
});

describe('a card’s payments and loans at this desk', () => {
  it('adds up the card’s payments since the data, no one else’s', () => {
    const entries = [payment('pending', 'P1', 500), payment('uploaded', 'P1', 250, { uploaded: '2026-12-01T13:05:00.000Z' }),
      payment('pending', 'P2', 900), payment('rejected', 'P1', 10_000),
      payment('uploaded', 'P1', 700, { at: '2026-12-01T10:00:00.000Z', uploaded: '2026-12-01T11:00:00.000Z' })];
    expect(cardActivity(entries, 'P1', DATA_AT)).toEqual({ paidCents: 750, lent: 0 });
  });

  it('counts items lent to the card still out as far as this device knows: not one returned here since, nor one lent on to someone else', () => {
    const entries = [loan('pending', 'P1', 'I1'), loan('pending', 'P1', 'I2'), loan('pending', 'P1', 'I3'), ret('I2'),
      loan('pending', 'P2', 'I3'), loan('pending', 'P1', 'I4'), loan('pending', 'P1', 'I4'),
      entry('pending', { type: 'checkout', patron_barcode: 'P1', noncat_type: 'magazine', count: 3 })];
    // I1 and I4 (lent twice, one loan); I2 came back; I3 went on to P2; a non-cataloged loan is no item out.
    expect(cardActivity(entries, 'P1', DATA_AT)).toEqual({ paidCents: 0, lent: 2 });
    expect(cardActivity(entries, 'P2', DATA_AT)).toEqual({ paidCents: 0, lent: 1 });
  });

  it('takes the payments off the data’s balance (a credit when more was paid) and adds the loans to its items out, where it counts them', () => {
    const limited: PatronEntry = ['P1', 'juvenile', '2030-01-01', null, 'Ann', 1500, 4];
    expect(withActivity(limited, { paidCents: 1000, lent: 2 })).toEqual(['P1', 'juvenile', '2030-01-01', null, 'Ann', 500, 6]);
    expect(withActivity(limited, { paidCents: 2000, lent: 0 })[5]).toBe(-500);
    const unlimited: PatronEntry = ['P2', 'adult', '2030-01-01', null, 'Bo', 0, null];
    expect(withActivity(unlimited, { paidCents: 0, lent: 3 })[6]).toBeNull();
    expect(limited[5]).toBe(1500);
  });
});

describe('reading the entries since the data from the service worker', () => {
  it('takes every pending entry, and uploaded ones newest first until one uploaded before the data was made', async () => {
    const pending = [payment('pending', 'P1', 100)];
    // 500 uploaded since the data, then older ones: more than the first page of 200, fewer than the next of 800.
    const uploaded = [
      ...Array.from({ length: 500 }, (_, i) => payment('uploaded', 'P1', 1, { uploaded: new Date(Date.parse(DATA_AT) + (500 - i) * 1000).toISOString() })),
      ...Array.from({ length: 400 }, () => payment('uploaded', 'P1', 1, { at: '2026-12-01T09:00:00.000Z', uploaded: '2026-12-01T10:00:00.000Z' })),
    ];
    const list = vi.fn(async (limit: number, state?: EntryState) => (state === 'pending' ? pending : uploaded).slice(0, limit));
    const entries = await entriesSinceData(list, DATA_AT);
    expect(entries).toHaveLength(501);
    expect(list.mock.calls.map(([limit, state]) => [state, Math.min(limit, 10_000)])).toEqual([['pending', 10_000], ['uploaded', 200], ['uploaded', 800]]);
    expect(cardActivity(entries, 'P1', DATA_AT).paidCents).toBe(600);
  });

  it('without offline data, takes the pending entries only (there is no balance to take them off)', async () => {
    const list = vi.fn(async (_limit: number, state?: EntryState) => (state === 'pending' ? [payment('pending', 'P1', 100)] : []));
    expect(await entriesSinceData(list, null)).toHaveLength(1);
    expect(list).toHaveBeenCalledTimes(1);
  });
});
