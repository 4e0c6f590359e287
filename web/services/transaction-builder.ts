/**
 * Turns what staff entered in a desk form into the transaction to record,
 * or says what is missing or wrong. Pure: the form's fields, the id and the
 * time come in, so every rule can be tested without a page.
 */
import type { NewTransaction } from '../../shared/outbox-messages.js';
import { BARCODE_PATTERN, type TransactionType } from '../../shared/transaction.js';
import { msg, str } from '@lit/localize';

/** Each desk form records one type of transaction. */
export type DeskMode = TransactionType;

/** A form's fields by name, as `Object.fromEntries(new FormData(form))` gives them. */
export type ScanFields = Readonly<Record<string, unknown>>;

export interface ScanInput {
  mode: DeskMode;
  fields: ScanFields;
  /** The new transaction's id (a UUID v4). */
  id: string;
  now: Date;
  /**
   * Today's date at the desk, in its branch's zone (desk-time's deskToday): a due date may be today
   * but not before, a book-drop date today but not after. The form's date inputs give local dates too.
   */
  today: string;
}

/** A problem names the form field it is about, so the form can point at it (aria-describedby) and select it. */
export type BuiltTransaction = { ok: true; tx: NewTransaction } | { ok: false; problem: string; field: string };

/** The barcode fields, checked in this order. */
const BARCODE_FIELDS = ['item_barcode', 'patron_barcode', 'card_barcode'] as const;

/** Every problem the builder reports, in one place, in the desk's language (read when one is reported). */
const PROBLEMS = {
  badBarcode: (field: (typeof BARCODE_FIELDS)[number], value: string) =>
    field === 'item_barcode' ? msg(str`Item barcode “${value}” has spaces or characters a scanner does not send`)
    : field === 'patron_barcode' ? msg(str`Patron barcode “${value}” has spaces or characters a scanner does not send`)
    : msg(str`Card barcode “${value}” has spaces or characters a scanner does not send`),
  get dueInPast() { return msg('The due date cannot be in the past'); },
  get noPatron() { return msg('Scan the patron’s card first'); },
  get noNoncatType() { return msg('Choose the non-cataloged type'); },
  get badCount() { return msg('Count must be a whole number from 1 to 99'); },
  get noItem() { return msg('Scan the item'); },
  get backdateInFuture() { return msg('The effective date cannot be in the future'); },
  get noCard() { return msg('Scan or type the new card’s barcode'); },
  get noName() { return msg('First and last name are required'); },
  /** The example is the translator's to write as the language does (5.00, 5,00): both are read, in Western digits. */
  get badAmount() { return msg('Amount must be a sum above zero with at most two decimals, such as 5.00'); },
};

/** A sum typed at the desk ("5", "5.5", "5.00", "5,00") in whole cents, or null. */
export function parseAmount(value: string | undefined): number | null {
  const m = value === undefined ? null : /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents > 0 ? cents : null;
}

const PATRON_FIELDS = ['profile', 'home_branch', 'email', 'phone'] as const;

const problem = (text: string, field: string): BuiltTransaction => ({ ok: false, problem: text, field });

/** A count of 1–99 (1 when left empty), or null. */
function count(value: string | undefined): number | null {
  const n = Number(value ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= 99 ? n : null;
}

export function buildTransaction({ mode, fields, id, now, today }: ScanInput): BuiltTransaction {
  const text = (name: string): string | undefined => {
    const v = fields[name];
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  // "YYYY-MM-DD" strings compare in date order.
  const base = { id, occurred_at: now.toISOString() };
  for (const name of BARCODE_FIELDS) {
    const value = text(name);
    if (value && !BARCODE_PATTERN.test(value)) return problem(PROBLEMS.badBarcode(name, value), name);
  }
  const item = text('item_barcode');
  const patron = text('patron_barcode');
  const dueAt = text('due_at');
  if (dueAt && dueAt < today) return problem(PROBLEMS.dueInPast, 'due_at');
  const due = dueAt ? { due_at: dueAt } : {};
  switch (mode) {
    case 'checkout': {
      if (!patron) return problem(PROBLEMS.noPatron, 'patron_barcode');
      if (text('noncat')) {
        const type = text('noncat_type');
        const n = count(text('count'));
        if (!type) return problem(PROBLEMS.noNoncatType, 'noncat_type');
        if (n === null) return problem(PROBLEMS.badCount, 'count');
        return { ok: true, tx: { ...base, type: 'checkout', patron_barcode: patron, noncat_type: type, count: n } };
      }
      if (!item) return problem(PROBLEMS.noItem, 'item_barcode');
      return { ok: true, tx: { ...base, type: 'checkout', patron_barcode: patron, item_barcode: item, ...due } };
    }
    case 'renew':
      if (!item) return problem(PROBLEMS.noItem, 'item_barcode');
      return { ok: true, tx: { ...base, type: 'renew', item_barcode: item, ...(patron ? { patron_barcode: patron } : {}), ...due } };
    case 'checkin': {
      if (!item) return problem(PROBLEMS.noItem, 'item_barcode');
      const backdate = text('backdate');
      if (backdate && backdate > today) return problem(PROBLEMS.backdateInFuture, 'backdate');
      return { ok: true, tx: { ...base, type: 'checkin', item_barcode: item, ...(backdate ? { backdate } : {}) } };
    }
    case 'in_house_use': {
      if (!item) return problem(PROBLEMS.noItem, 'item_barcode');
      const n = count(text('count'));
      if (n === null) return problem(PROBLEMS.badCount, 'count');
      return { ok: true, tx: { ...base, type: 'in_house_use', item_barcode: item, count: n } };
    }
    case 'register': {
      const card = text('card_barcode');
      const first = text('first_name');
      const last = text('last_name');
      if (!card) return problem(PROBLEMS.noCard, 'card_barcode');
      if (!first || !last) return problem(PROBLEMS.noName, first ? 'last_name' : 'first_name');
      const patronRecord: NonNullable<NewTransaction['patron']> = { barcode: card, first_name: first, last_name: last };
      for (const name of PATRON_FIELDS) {
        const value = text(name);
        if (value !== undefined) patronRecord[name] = value;
      }
      return { ok: true, tx: { ...base, type: 'register', patron: patronRecord } };
    }
    case 'payment': {
      if (!patron) return problem(PROBLEMS.noPatron, 'patron_barcode');
      const cents = parseAmount(text('amount'));
      if (cents === null) return problem(PROBLEMS.badAmount, 'amount');
      const note = text('note');
      return { ok: true, tx: { ...base, type: 'payment', patron_barcode: patron, amount_cents: cents, ...(note ? { note } : {}) } };
    }
  }
}
