import { describe, expect, it } from 'vitest';
import { auditSentence, type AuditEntry } from '../services/audit-text.js';

const entry = (action: string, target: string | null, details: Record<string, unknown> | null = null): AuditEntry =>
  ({ id: 1, at: '2026-11-29T10:00:00.000Z', staff: 'admin', workstation: null, action, target, details });

describe('an audit entry in words', () => {
  it('says what was done to a session, by its name', () => {
    expect(auditSentence(entry('session.create', 'session 4', { name: 'Internet Down', branch: 'CENTRAL', override_policy: true })))
      .toBe('Created session “Internet Down” for CENTRAL (blocks overridden)');
    expect(auditSentence(entry('session.create', 'session 5', { name: 'Strict', branch: 'EAST', override_policy: false })))
      .toBe('Created session “Strict” for EAST (blocks not overridden)');
    expect(auditSentence(entry('session.process', 'session 4', { name: 'Internet Down' }))).toBe('Started processing session “Internet Down”');
    expect(auditSentence(entry('session.reopen', 'session 4', { name: 'Internet Down' }))).toBe('Reopened session “Internet Down”');
  });

  it('says what was done to accounts and workstations', () => {
    expect(auditSentence(entry('staff.create', 'kim.desk', { branch: 'EAST', role: 'circulation' }))).toBe('Created the account kim.desk (circulation at EAST)');
    expect(auditSentence(entry('staff.role', 'kim.desk', { branch: 'EAST', role: null }))).toBe('Removed kim.desk’s role at EAST');
    expect(auditSentence(entry('staff.password_reset', 'kim.desk'))).toBe('Set a new password for kim.desk');
    expect(auditSentence(entry('workstation.register', 'CENTRAL-DESK-1', { branch: 'CENTRAL' }))).toBe('Registered workstation CENTRAL-DESK-1 at CENTRAL');
    expect(auditSentence(entry('workstation.rename', 'DESK-1', { to: 'DESK-2' }))).toBe('Renamed workstation DESK-1 to DESK-2');
  });

  it('says what was done to transactions, with the correction and the outcome in words', () => {
    expect(auditSentence(entry('transaction.fix', 'a1b2', { session: 3, correction: { item_barcode: 'I00008' }, outcome: 'applied', code: 'SUCCESS' })))
      .toBe('Corrected transaction a1b2 (item barcode I00008) and retried it: applied');
    expect(auditSentence(entry('transaction.retry_all', 'session 3', { code: 'ASSET_COPY_NOT_FOUND', retried: 1, applied: 0, applied_with_notice: 0, exception: 1 })))
      .toBe('Retried the 1 exception with code ASSET_COPY_NOT_FOUND of session 3: 0 applied, 1 still an exception');
    expect(auditSentence(entry('transaction.void', 'a1b2', { session: 3, reason: 'scanned twice' }))).toBe('Voided transaction a1b2: “scanned twice”');
  });

  it('reads an import’s counts, and a refused import', () => {
    expect(auditSentence(entry('library.import', 'patrons,items', { ok: true, errors: 0,
      counts: { branches: { inserted: 0, updated: 0, unchanged: 0 }, patrons: { inserted: 2, updated: 1, unchanged: 5 }, items: { inserted: 10, updated: 0, unchanged: 0 } } })))
      .toBe('Imported library data: patrons: 2 new, 1 changed; items: 10 new, 0 changed');
    expect(auditSentence(entry('library.import', 'patrons', { ok: false, errors: 3, counts: {} })))
      .toBe('An import of library data was refused: 3 rows had errors, nothing was imported');
  });

  it('counts in the desk’s numbers, with the sentence for one and for more', () => {
    expect(auditSentence(entry('transaction.retry_all', 'session 3', { code: 'PATRON_BARRED', retried: 1200, applied: 1000, applied_with_notice: 5, exception: 195 })))
      .toBe('Retried the 1,200 exceptions with code PATRON_BARRED of session 3: 1,005 applied, 195 still exceptions');
    expect(auditSentence(entry('library.import', 'patrons', { ok: false, errors: 1, counts: {} })))
      .toBe('An import of library data was refused: 1 row had an error, nothing was imported');
    expect(auditSentence(entry('transaction.fix', 'a1b2', { correction: { due_at: '2026-12-01', note: 'x' }, outcome: 'applied_with_notice' })))
      .toBe('Corrected transaction a1b2 (due date 2026-12-01, note x) and retried it: applied with a notice');
  });

  it('gives an action it does not know with its details as words, never as JSON', () => {
    const text = auditSentence(entry('session.archive', 'session 9', { name: 'Old', kept: { results: 12 } }));
    expect(text).toBe('session.archive session 9 (name: Old; kept: results 12)');
    expect(text).not.toContain('{');
  });
});
