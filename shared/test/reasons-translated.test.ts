/**
 * Why a record or a file's line was refused is worded in the reader's language: the desk's
 * files page shows these reasons as they are. In the pseudo-locale every message is
 * bracketed, so a reason that skipped msg() would show unbracketed here.
 */
import { describe, it, expect } from 'vitest';
import type { LocaleModule } from '@lit/localize';
import { inLocale } from '../i18n/msg.js';
import { validateTransaction } from '../transaction.js';
import { mapKocRow } from '../file-formats/koha.js';
import { mapEvergreenLine } from '../file-formats/evergreen.js';
import { zoneOffsetAt } from '../file-formats/zone-offset.js';
import * as pseudo from '../i18n/locales/en-XA.js';

const zone = zoneOffsetAt('Europe/Paris');
const inPseudo = <T>(fn: () => T): T => inLocale('en-XA', pseudo as LocaleModule, fn);
const reasonOf = (r: { ok: boolean; reason?: string }): string => (r.ok ? '' : r.reason ?? '');

describe('refusal reasons in the reader\'s language', () => {
  it('the transaction validator: every reason a message, the values inside it as data', () => {
    const cases: unknown[] = [
      'text',
      { id: 'not-a-uuid' },
      { id: '3f2b8c1e-9a4d-4f6b-8c2d-1e5f7a9b0c3d', type: 'teleport' },
      { id: '3f2b8c1e-9a4d-4f6b-8c2d-1e5f7a9b0c3d', type: 'renew', occurred_at: '2026-11-02T10:00:00.000Z', seq: 1, workstation: 'W', staff: 'S' },
    ];
    for (const raw of cases) {
      const english = validateTransaction(raw);
      const pseudoResult = inPseudo(() => validateTransaction(raw));
      expect(english.ok).toBe(false);
      expect(reasonOf(pseudoResult)).toMatch(/^⟦.+⟧$/s);
      expect(reasonOf(english)).not.toContain('⟦');
    }
  });

  it('Koha and Evergreen lines: the reasons are messages, the line\'s own text kept as it is', () => {
    const koha = inPseudo(() => mapKocRow('2026-11-02 10:00:00\tteleport\tP1', zone));
    expect(reasonOf(koha)).toMatch(/^⟦.*teleport.*⟧$/s);
    const evergreen = inPseudo(() => mapEvergreenLine('{"type":"checkin","timestamp":"soon"}', zone));
    expect(reasonOf(evergreen)).toMatch(/^⟦.+⟧$/s);
    expect(reasonOf(mapKocRow('2026-11-02 10:00:00\tteleport\tP1', zone))).toBe("unknown action 'teleport'");
  });
});
