import { describe, it, expect } from 'vitest';
import { validateTransaction } from '../transaction.js';
import { pickPolicy, type LoanPolicy } from '../loan-policy.js';

const base = {
  id: '0b7f6c1e-3c1a-4d2b-9f7e-1a2b3c4d5e6f', occurred_at: '2026-11-29T10:00:00.000Z', seq: 1,
  workstation: 'CENTRAL-DESK-1', staff: 'kim',
};

describe('validateTransaction', () => {
  it('accepts each type in its documented shape', () => {
    for (const tx of [
      { ...base, type: 'checkout', item_barcode: 'I1', patron_barcode: 'P1', due_at: '2026-12-20' },
      { ...base, type: 'checkout', patron_barcode: 'P1', noncat_type: 'paperback', count: 3 },
      { ...base, type: 'renew', item_barcode: 'I1' },
      { ...base, type: 'checkin', item_barcode: 'I1', backdate: '2026-11-28' },
      { ...base, type: 'in_house_use', item_barcode: 'I1', count: 2 },
      { ...base, type: 'register', patron: { barcode: 'P9', first_name: 'Ada', last_name: 'Birch' } },
    ]) {
      expect(validateTransaction(tx, new Date('2026-11-29T12:00:00Z'))).toMatchObject({ ok: true });
    }
  });

  it.each([
    [{ ...base, id: 'not-a-uuid', type: 'renew', item_barcode: 'I1' }, 'id'],
    [{ ...base, type: 'lend', item_barcode: 'I1' }, 'type'],
    [{ ...base, type: 'renew', item_barcode: 'I1', colour: 'red' }, 'colour'],
    [{ ...base, type: 'checkin', item_barcode: 'I1', backdate: '2099-01-01' }, 'backdate'],
    [{ ...base, type: 'checkout', item_barcode: 'I1' }, 'patron_barcode'],
    [{ ...base, type: 'in_house_use', item_barcode: 'I1', count: 0 }, 'count'],
    [{ ...base, type: 'in_house_use', item_barcode: 'I 1' }, 'item_barcode'],
    [{ ...base, occurred_at: '2026-11-29 10:00', type: 'renew', item_barcode: 'I1' }, 'occurred_at'],
    [{ ...base, occurred_at: '2026-02-30T10:00:00.000Z', type: 'renew', item_barcode: 'I1' }, 'occurred_at'],
    [{ ...base, seq: -1, type: 'renew', item_barcode: 'I1' }, 'seq'],
    [{ ...base, type: 'register', patron: { barcode: 'P9', first_name: 'Ada' } }, 'patron.last_name'],
    [{ ...base, staff: '\u200b\u200d', type: 'renew', item_barcode: 'I1' }, 'staff'],
    [{ ...base, staff: '\u3164\u2800', type: 'renew', item_barcode: 'I1' }, 'staff'],
    [{ ...base, type: 'register', patron: { barcode: 'P9', first_name: '\u2060', last_name: 'Birch' } }, 'patron.first_name'],
  ])('rejects %j naming %s', (tx, field) => {
    const result = validateTransaction(tx, new Date('2026-11-29T12:00:00Z'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.field).toBe(field);
  });

  it('rejects what is not an object', () => {
    for (const raw of [null, 3, 'x', []]) expect(validateTransaction(raw).ok).toBe(false);
  });
});

describe('loan policy', () => {
  const policies: LoanPolicy[] = [
    { item_type: null, patron_profile: null, loan_days: 21, max_renewals: 2, daily_fine_cents: 25, max_fine_cents: 1000 },
    { item_type: 'dvd', patron_profile: null, loan_days: 7, max_renewals: 1, daily_fine_cents: 100, max_fine_cents: 1500 },
    { item_type: null, patron_profile: 'staff', loan_days: 42, max_renewals: 5, daily_fine_cents: 0, max_fine_cents: 0 },
    { item_type: 'dvd', patron_profile: 'juvenile', loan_days: 3, max_renewals: 0, daily_fine_cents: 50, max_fine_cents: 500 },
  ];

  it('picks the most specific policy', () => {
    expect(pickPolicy(policies, 'dvd', 'juvenile')?.loan_days).toBe(3);
    expect(pickPolicy(policies, 'dvd', 'adult')?.loan_days).toBe(7);
    expect(pickPolicy(policies, 'book', 'staff')?.loan_days).toBe(42);
    expect(pickPolicy(policies, 'book', 'adult')?.loan_days).toBe(21);
    expect(pickPolicy([], 'book', 'adult')).toBeUndefined();
  });
});
