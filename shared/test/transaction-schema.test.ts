/**
 * The transaction's schema (what the OpenAPI document and the TypeScript type say) and its
 * validator (what the device and the server enforce) must not drift apart: every record the
 * validator accepts, the schema accepts too, and the schema refuses what JSON Schema can say
 * is wrong. What it cannot say (a real calendar date, a backdate not in the future, text that
 * shows something) is left to the validator alone.
 */
import { describe, it, expect } from 'vitest';
import { Value } from 'typebox/value';
import { FIELDS_BY_TYPE, TRANSACTION_TYPES, validateTransaction } from '../transaction.js';
import { OfflineTransactionByType, OfflineTransactionFields, VARIANTS } from '../schemas/transaction.js';

const NOW = new Date('2026-11-29T12:00:00Z');
const base = {
  id: '0b7f6c1e-3c1a-4d2b-9f7e-1a2b3c4d5e6f', occurred_at: '2026-11-29T10:00:00.000Z', seq: 1,
  workstation: 'CENTRAL-DESK-1', staff: 'kim',
};

const VALID: Record<string, unknown>[] = [
  { ...base, type: 'checkout', item_barcode: 'I1', patron_barcode: 'P1' },
  { ...base, type: 'checkout', item_barcode: 'I1', patron_barcode: 'P1', due_at: '2026-12-20', acknowledged: ['PATRON_BARRED'] },
  { ...base, type: 'checkout', item_barcode: 'I1', patron_barcode: 'P1', due_at: '2026-12-20T23:59:59.000Z' },
  { ...base, type: 'checkout', patron_barcode: 'P1', noncat_type: 'paperback' },
  { ...base, type: 'checkout', patron_barcode: 'P1', noncat_type: 'paperback', count: 99 },
  { ...base, id: '0B7F6C1E-3C1A-4D2B-BF7E-1A2B3C4D5E6F', type: 'renew', item_barcode: 'I1' },
  { ...base, type: 'renew', item_barcode: 'I1', patron_barcode: 'P1', due_at: '2027-01-03' },
  { ...base, type: 'checkin', item_barcode: '!~' },
  { ...base, type: 'checkin', item_barcode: 'I1', backdate: '2026-11-28' },
  { ...base, type: 'in_house_use', item_barcode: 'I1', count: 1 },
  { ...base, seq: Number.MAX_SAFE_INTEGER, type: 'in_house_use', item_barcode: 'I1' },
  { ...base, type: 'register', patron: { barcode: 'P9', first_name: 'Ada', last_name: 'Birch' } },
  { ...base, type: 'register', patron: { barcode: 'P9', first_name: 'Ada', last_name: 'Birch', profile: 'adult', home_branch: 'WEST', email: 'a@b.c', phone: '1' } },
  { ...base, workstation: '📚'.repeat(32), type: 'checkin', item_barcode: 'I1' },
];

/** Wrong in ways JSON Schema says: both refuse. */
const INVALID: unknown[] = [
  { ...base, id: 'not-a-uuid', type: 'renew', item_barcode: 'I1' },
  { ...base, id: '0b7f6c1e-3c1a-1d2b-9f7e-1a2b3c4d5e6f', type: 'renew', item_barcode: 'I1' },
  { ...base, type: 'lend', item_barcode: 'I1' },
  { ...base, type: 'payment', patron_barcode: 'P1' },
  { ...base, type: 'renew', item_barcode: 'I1', colour: 'red' },
  { ...base, type: 'renew' },
  { ...base, type: 'checkout', item_barcode: 'I1' },
  { ...base, type: 'checkout', patron_barcode: 'P1' },
  { ...base, type: 'checkout', item_barcode: 'I1', patron_barcode: 'P1', count: 2 },
  { ...base, type: 'checkout', item_barcode: 'I1', patron_barcode: 'P1', noncat_type: 'paperback' },
  { ...base, type: 'checkin', item_barcode: 'I1', patron_barcode: 'P1' },
  { ...base, type: 'checkin', item_barcode: 'I 1' },
  { ...base, type: 'checkin', item_barcode: 'x'.repeat(65) },
  { ...base, type: 'checkin', item_barcode: 'I1', backdate: 'yesterday' },
  { ...base, type: 'in_house_use', item_barcode: 'I1', count: 0 },
  { ...base, type: 'in_house_use', item_barcode: 'I1', count: 100 },
  { ...base, type: 'in_house_use', item_barcode: 'I1', count: 1.5 },
  { ...base, seq: -1, type: 'checkin', item_barcode: 'I1' },
  { ...base, seq: '1', type: 'checkin', item_barcode: 'I1' },
  { ...base, occurred_at: '2026-11-29T10:00:00Z', type: 'checkin', item_barcode: 'I1' },
  { ...base, workstation: '', type: 'checkin', item_barcode: 'I1' },
  { ...base, staff: 's'.repeat(65), type: 'checkin', item_barcode: 'I1' },
  { ...base, type: 'checkin', item_barcode: 'I1', acknowledged: 'PATRON_BARRED' },
  { ...base, type: 'checkin', item_barcode: 'I1', acknowledged: Array.from({ length: 21 }, () => 'X') },
  { ...base, type: 'register' },
  { ...base, type: 'register', patron: { barcode: 'P9', first_name: 'Ada' } },
  { ...base, type: 'register', patron: { barcode: 'P9', first_name: 'Ada', last_name: 'Birch', age: 3 } },
  { ...base, type: 'register', item_barcode: 'I1', patron: { barcode: 'P9', first_name: 'Ada', last_name: 'Birch' } },
  null, [], 'checkin', 42,
];

/** Wrong in ways only the validator can tell: the schema's descriptions say so. */
const VALIDATOR_ONLY: Record<string, unknown>[] = [
  { ...base, occurred_at: '2026-13-01T10:00:00.000Z', type: 'checkin', item_barcode: 'I1' },
  { ...base, type: 'checkin', item_barcode: 'I1', backdate: '2026-02-30' },
  { ...base, type: 'checkin', item_barcode: 'I1', backdate: '2099-01-01' },
  { ...base, workstation: '   ', type: 'checkin', item_barcode: 'I1' },
  { ...base, staff: '\u200b', type: 'checkin', item_barcode: 'I1' },
  { ...base, type: 'register', patron: { barcode: 'P9', first_name: 'x\ud800', last_name: 'Birch' } },
];

describe('the transaction schema and the validator', () => {
  it('accept the same valid records', () => {
    for (const record of VALID) {
      expect(validateTransaction(record, NOW), JSON.stringify(record)).toMatchObject({ ok: true });
      expect(Value.Check(OfflineTransactionByType, record), JSON.stringify(record)).toBe(true);
      expect(Value.Check(OfflineTransactionFields, record), JSON.stringify(record)).toBe(true);
    }
  });

  it('refuse the same records where JSON Schema can tell', () => {
    for (const record of INVALID) {
      expect(validateTransaction(record, NOW).ok, JSON.stringify(record)).toBe(false);
      expect(Value.Check(OfflineTransactionByType, record), JSON.stringify(record)).toBe(false);
    }
  });

  it('leave to the validator what JSON Schema cannot tell', () => {
    for (const record of VALIDATOR_ONLY) {
      expect(validateTransaction(record, NOW).ok, JSON.stringify(record)).toBe(false);
      expect(Value.Check(OfflineTransactionByType, record), JSON.stringify(record)).toBe(true);
    }
  });

  it('name, type by type, exactly the fields the validator allows', () => {
    for (const type of TRANSACTION_TYPES) {
      const named = new Set(VARIANTS.filter((v) => v.type === type).flatMap((v) => [...v.required, ...v.optional]));
      expect([...named].sort(), type).toEqual([...FIELDS_BY_TYPE[type]].sort());
    }
  });
});
