/**
 * An audit entry in words ("Created session “Internet Down” for CENTRAL"),
 * for the audit page: the action code and its details as the server records
 * them (the CSV export keeps those) are read into one sentence each.
 */
import { plural } from '../../shared/i18n/plural.js';
import type { AuditEntry } from '../../shared/api.js';

export type { AuditEntry } from '../../shared/api.js';

type Details = Record<string, unknown>;
const str = (d: Details, key: string): string => (typeof d[key] === 'string' || typeof d[key] === 'number' ? String(d[key]) : '');
const num = (d: Details, key: string): number => (typeof d[key] === 'number' ? d[key] as number : 0);

const FIELD_NAMES: Record<string, string> = { item_barcode: 'item barcode', patron_barcode: 'patron barcode', due_at: 'due date' };
const OUTCOMES: Record<string, string> = {
  applied: 'applied', applied_with_notice: 'applied with a notice', exception: 'still an exception', skipped: 'skipped', voided: 'voided', pending: 'pending',
};

const TEXT = {
  sessionCreate: (name: string, branch: string, override: boolean) => override
    ? `Created session “${name}” for ${branch} (blocks overridden)`
    : `Created session “${name}” for ${branch} (blocks not overridden)`,
  sessionProcess: (name: string) => `Started processing session “${name}”`,
  sessionResume: (name: string) => `Resumed processing session “${name}”`,
  sessionClose: (name: string) => `Closed session “${name}”`,
  sessionReopen: (name: string) => `Reopened session “${name}”`,
  staffCreate: (user: string, role: string, branch: string) => `Created the account ${user} (${role} at ${branch})`,
  staffDisable: (user: string) => `Disabled the account ${user}`,
  staffEnable: (user: string) => `Enabled the account ${user}`,
  staffPassword: (user: string) => `Set a new password for ${user}`,
  staffRole: (user: string, role: string, branch: string) => `Gave ${user} the ${role} role at ${branch}`,
  staffRoleRemoved: (user: string, branch: string) => `Removed ${user}’s role at ${branch}`,
  workstationRegister: (name: string, branch: string) => `Registered workstation ${name} at ${branch}`,
  workstationRename: (name: string, to: string) => `Renamed workstation ${name} to ${to}`,
  workstationRetire: (name: string) => `Retired workstation ${name}`,
  importDone: (parts: string) => `Imported library data: ${parts}`,
  importRefused: (errors: number) => plural(errors, {
    one: 'An import of library data was refused: 1 row had an error, nothing was imported',
    other: `An import of library data was refused: ${errors} rows had errors, nothing was imported`,
  }),
  importPart: (file: string, inserted: number, updated: number) => `${file} ${inserted} new, ${updated} changed`,
  fix: (tx: string, changes: string, outcome: string) => `Corrected transaction ${tx} (${changes}) and retried it: ${outcome}`,
  change: (field: string, value: string) => `${field} ${value}`,
  retry: (tx: string, outcome: string) => `Retried transaction ${tx}: ${outcome}`,
  retryAll: (code: string, session: string, retried: number, applied: number, exceptions: number) => plural(retried, {
    one: `Retried the 1 ${code} exception of ${session}: ${applied} applied, ${exceptions} still an exception`,
    other: `Retried the ${retried} ${code} exceptions of ${session}: ${applied} applied, ${exceptions} still exceptions`,
  }),
  void: (tx: string, reason: string) => `Voided transaction ${tx}: “${reason}”`,
  other: (action: string, target: string) => target ? `${action} ${target}` : action,
  detail: (key: string, value: string) => `${key}: ${value}`,
};

/** Any details not read into the sentence, as "key: value" pairs (never raw JSON). */
function detailsText(d: Details): string {
  return Object.entries(d).map(([k, v]) => TEXT.detail(k.replaceAll('_', ' '), typeof v === 'object' && v !== null
    ? Object.entries(v).map(([k2, v2]) => `${k2} ${String(v2)}`).join(', ') : String(v))).join('; ');
}

export function auditSentence(e: AuditEntry): string {
  const d = e.details ?? {};
  const target = e.target ?? '';
  switch (e.action) {
    case 'session.create': return TEXT.sessionCreate(str(d, 'name'), str(d, 'branch'), d.override_policy !== false);
    case 'session.process': return TEXT.sessionProcess(str(d, 'name'));
    case 'session.resume': return TEXT.sessionResume(str(d, 'name'));
    case 'session.close': return TEXT.sessionClose(str(d, 'name'));
    case 'session.reopen': return TEXT.sessionReopen(str(d, 'name'));
    case 'staff.create': return TEXT.staffCreate(target, str(d, 'role'), str(d, 'branch'));
    case 'staff.disable': return TEXT.staffDisable(target);
    case 'staff.enable': return TEXT.staffEnable(target);
    case 'staff.password_reset': return TEXT.staffPassword(target);
    case 'staff.role': return d.role ? TEXT.staffRole(target, str(d, 'role'), str(d, 'branch')) : TEXT.staffRoleRemoved(target, str(d, 'branch'));
    case 'workstation.register': return TEXT.workstationRegister(target, str(d, 'branch'));
    case 'workstation.rename': return TEXT.workstationRename(target, str(d, 'to'));
    case 'workstation.retire': return TEXT.workstationRetire(target);
    case 'library.import': {
      if (d.ok === false) return TEXT.importRefused(num(d, 'errors'));
      const counts = (d.counts ?? {}) as Record<string, Details>;
      const parts = Object.entries(counts).filter(([, c]) => num(c, 'inserted') + num(c, 'updated') + num(c, 'unchanged') > 0)
        .map(([file, c]) => TEXT.importPart(file, num(c, 'inserted'), num(c, 'updated')));
      return TEXT.importDone(parts.join('; '));
    }
    case 'transaction.fix': {
      const correction = (d.correction ?? {}) as Details;
      const changes = Object.keys(correction).map((k) => TEXT.change(FIELD_NAMES[k] ?? k, str(correction, k))).join(', ');
      return TEXT.fix(target, changes, OUTCOMES[str(d, 'outcome')] ?? str(d, 'outcome'));
    }
    case 'transaction.retry': return TEXT.retry(target, OUTCOMES[str(d, 'outcome')] ?? str(d, 'outcome'));
    case 'transaction.retry_all':
      return TEXT.retryAll(str(d, 'code'), target, num(d, 'retried'), num(d, 'applied') + num(d, 'applied_with_notice'), num(d, 'exception'));
    case 'transaction.void': return TEXT.void(target, str(d, 'reason'));
    default: {
      const rest = detailsText(d);
      return rest ? `${TEXT.other(e.action, target)} (${rest})` : TEXT.other(e.action, target);
    }
  }
}
