/**
 * An audit entry in words ("Created session “Internet Down” for CENTRAL"),
 * for the audit page: the action code and its details as the server records
 * them (the CSV export keeps those) are read into one sentence each.
 */
import { msg, str } from '@lit/localize';
import { plural } from '../../shared/i18n/plural.js';
import { formatCount } from '../../shared/i18n/locale.js';
import type { AuditEntry } from '../../shared/api.js';

export type { AuditEntry } from '../../shared/api.js';

type Details = Record<string, unknown>;
const field = (d: Details, key: string): string => (typeof d[key] === 'string' || typeof d[key] === 'number' ? String(d[key]) : '');
const num = (d: Details, key: string): number => (typeof d[key] === 'number' ? d[key] as number : 0);
const n = formatCount;

/** A corrected field and its new value, each said whole (read when the sentence is written, so in the desk's language). */
const CHANGES: Readonly<Record<string, (value: string) => string>> = {
  item_barcode: (value) => msg(str`item barcode ${value}`),
  patron_barcode: (value) => msg(str`patron barcode ${value}`),
  due_at: (value) => msg(str`due date ${value}`),
};
/** What became of a retried transaction. */
const OUTCOMES: Readonly<Record<string, string>> = {
  get applied() { return msg('applied'); },
  get applied_with_notice() { return msg('applied with a notice'); },
  get exception() { return msg('still an exception'); },
  get skipped() { return msg('skipped'); },
  get voided() { return msg('voided'); },
  get pending() { return msg('pending'); },
};

const TEXT = {
  sessionCreate: (name: string, branch: string, override: boolean) => override
    ? msg(str`Created session “${name}” for ${branch} (blocks overridden)`)
    : msg(str`Created session “${name}” for ${branch} (blocks not overridden)`),
  sessionProcess: (name: string) => msg(str`Started processing session “${name}”`),
  sessionResume: (name: string) => msg(str`Resumed processing session “${name}”`),
  sessionClose: (name: string) => msg(str`Closed session “${name}”`),
  sessionReopen: (name: string) => msg(str`Reopened session “${name}”`),
  staffCreate: (user: string, role: string, branch: string) => msg(str`Created the account ${user} (${role} at ${branch})`),
  staffDisable: (user: string) => msg(str`Disabled the account ${user}`),
  staffEnable: (user: string) => msg(str`Enabled the account ${user}`),
  staffPassword: (user: string) => msg(str`Set a new password for ${user}`),
  staffRole: (user: string, role: string, branch: string) => msg(str`Gave ${user} the ${role} role at ${branch}`),
  staffRoleRemoved: (user: string, branch: string) => msg(str`Removed ${user}’s role at ${branch}`),
  workstationRegister: (name: string, branch: string) => msg(str`Registered workstation ${name} at ${branch}`),
  workstationRename: (name: string, to: string) => msg(str`Renamed workstation ${name} to ${to}`),
  workstationRetire: (name: string) => msg(str`Retired workstation ${name}`),
  importDone: (parts: string) => msg(str`Imported library data: ${parts}`),
  importRefused: (errors: number) => plural(errors, {
    one: msg(str`An import of library data was refused: ${n(errors)} row had an error, nothing was imported`),
    other: msg(str`An import of library data was refused: ${n(errors)} rows had errors, nothing was imported`),
  }),
  importPart: (file: string, inserted: number, updated: number) => msg(str`${file}: ${n(inserted)} new, ${n(updated)} changed`),
  fix: (tx: string, changes: string, outcome: string) => msg(str`Corrected transaction ${tx} (${changes}) and retried it: ${outcome}`),
  retry: (tx: string, outcome: string) => msg(str`Retried transaction ${tx}: ${outcome}`),
  retryAll: (code: string, session: string, retried: number, applied: number, exceptions: number) => plural(retried, {
    one: msg(str`Retried the ${n(retried)} exception with code ${code} of ${session}: ${n(applied)} applied, ${n(exceptions)} still an exception`),
    other: msg(str`Retried the ${n(retried)} exceptions with code ${code} of ${session}: ${n(applied)} applied, ${n(exceptions)} still exceptions`),
  }),
  void: (tx: string, reason: string) => msg(str`Voided transaction ${tx}: “${reason}”`),
};

/** What the sentence says of a role (the server records admin or circulation). */
const ROLES: Readonly<Record<string, string>> = {
  get admin() { return msg('admin'); },
  get circulation() { return msg('circulation'); },
};
const role = (d: Details): string => ROLES[field(d, 'role')] ?? field(d, 'role');

/** An action this build has no sentence for, with its target: codes as recorded, not words. */
const other = (action: string, target: string): string => (target ? `${action} ${target}` : action);

/** Any details not read into the sentence, as "key: value" pairs (never raw JSON). */
function detailsText(d: Details): string {
  return Object.entries(d).map(([k, v]) => `${k.replaceAll('_', ' ')}: ${typeof v === 'object' && v !== null
    ? Object.entries(v).map(([k2, v2]) => `${k2} ${String(v2)}`).join(', ') : String(v)}`).join('; ');
}

export function auditSentence(e: AuditEntry): string {
  const d = e.details ?? {};
  const target = e.target ?? '';
  switch (e.action) {
    case 'session.create': return TEXT.sessionCreate(field(d, 'name'), field(d, 'branch'), d.override_policy !== false);
    case 'session.process': return TEXT.sessionProcess(field(d, 'name'));
    case 'session.resume': return TEXT.sessionResume(field(d, 'name'));
    case 'session.close': return TEXT.sessionClose(field(d, 'name'));
    case 'session.reopen': return TEXT.sessionReopen(field(d, 'name'));
    case 'staff.create': return TEXT.staffCreate(target, role(d), field(d, 'branch'));
    case 'staff.disable': return TEXT.staffDisable(target);
    case 'staff.enable': return TEXT.staffEnable(target);
    case 'staff.password_reset': return TEXT.staffPassword(target);
    case 'staff.role': return d.role ? TEXT.staffRole(target, role(d), field(d, 'branch')) : TEXT.staffRoleRemoved(target, field(d, 'branch'));
    case 'workstation.register': return TEXT.workstationRegister(target, field(d, 'branch'));
    case 'workstation.rename': return TEXT.workstationRename(target, field(d, 'to'));
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
      const changes = Object.keys(correction).map((k) => CHANGES[k]?.(field(correction, k)) ?? `${k} ${field(correction, k)}`).join(', ');
      return TEXT.fix(target, changes, OUTCOMES[field(d, 'outcome')] ?? field(d, 'outcome'));
    }
    case 'transaction.retry': return TEXT.retry(target, OUTCOMES[field(d, 'outcome')] ?? field(d, 'outcome'));
    case 'transaction.retry_all':
      return TEXT.retryAll(field(d, 'code'), target, num(d, 'retried'), num(d, 'applied') + num(d, 'applied_with_notice'), num(d, 'exception'));
    case 'transaction.void': return TEXT.void(target, field(d, 'reason'));
    default: {
      const rest = detailsText(d);
      return rest ? `${other(e.action, target)} (${rest})` : other(e.action, target);
    }
  }
}
