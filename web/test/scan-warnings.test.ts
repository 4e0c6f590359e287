import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NewTransaction } from '../../shared/outbox-messages.js';

// What the offline data says is the desk rules' business (tested on their own); here each rule warns once.
const rules = vi.hoisted(() => ({
  itemWarnings: vi.fn(async (item: string) => [{ code: 'BAD_ITEM_BARCODE', heading: 'Unusual barcode', message: item }]),
  holdWarnings: vi.fn(async (type: string) => [{ code: 'HOLD_FOR_OTHER_PATRON', heading: 'Wanted by a hold', message: type }]),
  patronEntry: vi.fn(async () => null as unknown),
}));
vi.mock('../services/desk-rules.js', () => rules);
const { scanWarnings } = await import('../services/scan-warnings.js');

const scan = (fields: Partial<NewTransaction>): NewTransaction =>
  ({ id: crypto.randomUUID(), type: 'checkout', occurred_at: '2026-11-29T10:00:00.000Z', ...fields });
const ITEM = { type: 'book', title: 'Rivers of Salt' };
const codes = async (tx: NewTransaction, last: NewTransaction | null = null) => (await scanWarnings(tx, last, ITEM)).map((w) => w.code);

describe('the warnings a scan raises', () => {
  beforeEach(() => rules.patronEntry.mockResolvedValue(null));

  it('at a checkout: the item, then a hold; not the card, which was asked about when it was taken', async () => {
    expect(await codes(scan({ patron_barcode: 'P1', item_barcode: 'I1' }))).toEqual(['BAD_ITEM_BARCODE', 'HOLD_FOR_OTHER_PATRON']);
    expect(rules.itemWarnings).toHaveBeenLastCalledWith('I1', ITEM);
    expect(rules.holdWarnings).toHaveBeenLastCalledWith('checkout', 'I1', 'P1', ITEM);
  });

  it('at a renewal without the card: the item and a hold only', async () => {
    expect(await codes(scan({ type: 'renew', item_barcode: 'I1' }))).toEqual(['BAD_ITEM_BARCODE', 'HOLD_FOR_OTHER_PATRON']);
    expect(rules.holdWarnings).toHaveBeenLastCalledWith('renew', 'I1', undefined, ITEM);
  });

  it('at a checkin or an in-house use: the item only', async () => {
    expect(await codes(scan({ type: 'checkin', item_barcode: 'I1' }))).toEqual(['BAD_ITEM_BARCODE']);
    expect(await codes(scan({ type: 'in_house_use', item_barcode: 'I1', count: 1 }))).toEqual(['BAD_ITEM_BARCODE']);
  });

  it('at a registration: a card number that already belongs to a patron', async () => {
    const register = scan({ type: 'register', patron: { barcode: 'P7', first_name: 'Mira', last_name: 'Quill' } });
    expect(await scanWarnings(register, null, null)).toEqual([]);
    rules.patronEntry.mockResolvedValue(['P7', 'adult', '2099-12-31', null, 'Ada Alder']);
    expect(await scanWarnings(register, null, null)).toEqual([{ code: 'PATRON_BARCODE_EXISTS', heading: 'Card already in use',
      message: 'Card P7 already belongs to a patron. Register anyway?' }]);
  });

  it('last of all, the same item scanned again for the same thing, and only then', async () => {
    const first = scan({ type: 'checkin', item_barcode: 'I1' });
    expect((await scanWarnings(scan({ type: 'checkin', item_barcode: 'I1' }), first, ITEM)).at(-1))
      .toEqual({ code: 'DUPLICATE_SCAN', heading: 'Same item again', message: 'I1 was just checked in. Record the checkin again?' });
    expect(await codes(scan({ type: 'checkin', item_barcode: 'I2' }), first)).not.toContain('DUPLICATE_SCAN');
    expect(await codes(scan({ type: 'in_house_use', item_barcode: 'I1', count: 1 }), first)).not.toContain('DUPLICATE_SCAN');
  });
});
