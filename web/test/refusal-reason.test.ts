/**
 * A record the server refused is shown with the reason in the desk's language, worded on the
 * device by the validator the server used; the pseudo-locale brackets what went through msg().
 */
import { describe, it, expect } from 'vitest';
import type { LocaleModule } from '@lit/localize';
import { inLocale } from '../../shared/i18n/msg.js';
import * as pseudo from '../../shared/i18n/locales/en-XA.js';
import { refusalReason } from '../services/refusal-reason.js';
import type { OfflineTransaction } from '../../shared/transaction.js';

const tx = {
  id: '3f2b8c1e-9a4d-4f6b-8c2d-1e5f7a9b0c3d', type: 'checkout', occurred_at: '2026-11-02T10:00:00.000Z', seq: 1,
  workstation: 'DESK-1', staff: 'ann', item_barcode: 'I00001', patron_barcode: 'P0001',
} as OfflineTransaction;
const inPseudo = <T>(fn: () => T): T => inLocale('en-XA', pseudo as LocaleModule, fn);

describe('refusalReason', () => {
  it('words the fault the server found in the desk\'s language, the field kept as it is', () => {
    const entry = { tx: { ...tx, count: 3 }, reason: 'count is only for non-cataloged checkouts', recorded_at: '2026-11-02T10:00:01.000Z' };
    expect(refusalReason(entry)).toBe('count is only for non-cataloged checkouts');
    expect(inPseudo(() => refusalReason(entry))).toMatch(/^count ⟦.+⟧$/);
  });

  it('keeps the server\'s words for a fault this device does not see', () => {
    const entry = { tx, reason: 'backdate must not be in the future', recorded_at: '2026-11-02T10:00:01.000Z' };
    expect(inPseudo(() => refusalReason(entry))).toBe('backdate must not be in the future');
  });
});
