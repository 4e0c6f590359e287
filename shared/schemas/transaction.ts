/**
 * The offline transaction (SPEC §4) as a schema, for the OpenAPI document
 * and for the TypeScript type every part reads records with.
 *
 * The rules a record must meet are enforced by validateTransaction
 * (shared/transaction.ts), which the device and the server both run; this
 * schema states the same rules as far as JSON Schema can (a real calendar
 * date, a backdate not in the future, text that shows something are left
 * to the validator and said in the descriptions). A test holds the two
 * together: every record the validator accepts, the schema accepts.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { COMMON_FIELDS, DATE_ONLY, ISO_UTC_MS, UUID_V4, type TransactionType as Type_ } from '../transaction.js';
import { barcode, TransactionType } from './common.js';

const text = (max: number, description?: string) =>
  Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });

const VISIBLE = 'Must show something (not only spaces or invisible characters) and be well-formed Unicode.';
const dateOrInstant = (description: string) =>
  Type.String({ pattern: `${DATE_ONLY.source}|${ISO_UTC_MS.source}`, description: `${description} A real date (YYYY-MM-DD) or an ISO 8601 UTC time with milliseconds.` });

export const NewPatron = Type.Object({
  barcode: barcode({ description: 'The new card’s barcode.' }),
  first_name: text(100, VISIBLE),
  last_name: text(100, VISIBLE),
  profile: Type.Optional(text(200)),
  home_branch: Type.Optional(text(200, 'A branch code.')),
  email: Type.Optional(text(200)),
  phone: Type.Optional(text(200)),
}, { additionalProperties: false, description: 'The patron a registration creates, with their card.' });
export type NewPatron = Static<typeof NewPatron>;

/** Each field once, with its constraints; which type takes which is said by the variants below. */
const FIELD = {
  id: Type.String({ pattern: UUID_V4.source, description: 'A UUID v4 made by the device: the transaction’s identity everywhere, forever.' }),
  type: TransactionType,
  occurred_at: Type.String({ pattern: ISO_UTC_MS.source, description: 'The device’s clock at the scan: ISO 8601 UTC with milliseconds, a real instant.' }),
  seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'The workstation’s counter, strictly increasing.' }),
  workstation: text(64, VISIBLE),
  staff: text(64, VISIBLE),
  item_barcode: barcode({ description: 'The scanned item.' }),
  patron_barcode: barcode({ description: 'The scanned card.' }),
  noncat_type: text(64, `A non-cataloged type’s code. ${VISIBLE}`),
  count: Type.Integer({ minimum: 1, maximum: 99 }),
  due_at: dateOrInstant('The due date given to the patron, if one was given.'),
  backdate: dateOrInstant('The effective checkin date; not in the future.'),
  patron: NewPatron,
  acknowledged: Type.Array(text(64), { maxItems: 20, description: 'The offline warnings the staff member saw and allowed (their codes).' }),
  amount_cents: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Money taken at the desk, in whole cents.' }),
  note: text(200, `What staff noted with a payment. ${VISIBLE}`),
};
type Field = keyof typeof FIELD;

/**
 * Every field a transaction may carry: the type the code reads records with.
 * Flat rather than a union by `type`, since the rules read the fields they
 * need whatever the type; the document's OfflineTransaction is the union.
 */
export const OfflineTransactionFields = Type.Object({
  id: FIELD.id,
  type: FIELD.type,
  occurred_at: FIELD.occurred_at,
  seq: FIELD.seq,
  workstation: FIELD.workstation,
  staff: FIELD.staff,
  item_barcode: Type.Optional(FIELD.item_barcode),
  patron_barcode: Type.Optional(FIELD.patron_barcode),
  noncat_type: Type.Optional(FIELD.noncat_type),
  count: Type.Optional(FIELD.count),
  due_at: Type.Optional(FIELD.due_at),
  backdate: Type.Optional(FIELD.backdate),
  patron: Type.Optional(FIELD.patron),
  amount_cents: Type.Optional(FIELD.amount_cents),
  note: Type.Optional(FIELD.note),
  acknowledged: Type.Optional(FIELD.acknowledged),
}, { additionalProperties: false });
export type OfflineTransaction = Static<typeof OfflineTransactionFields>;

interface Variant { type: Type_; title: string; required: Field[]; optional: Field[] }

/**
 * Which fields each type requires and allows besides the common ones; a checkout lends an item or a
 * non-cataloged count. Together they name exactly the validator's FIELDS_BY_TYPE (a test checks).
 */
export const VARIANTS: readonly Variant[] = [
  { type: 'checkout', title: 'Checkout of an item', required: ['item_barcode', 'patron_barcode'], optional: ['due_at'] },
  { type: 'checkout', title: 'Non-cataloged checkout', required: ['noncat_type', 'patron_barcode'], optional: ['count', 'due_at'] },
  { type: 'renew', title: 'Renewal', required: ['item_barcode'], optional: ['patron_barcode', 'due_at'] },
  { type: 'checkin', title: 'Checkin', required: ['item_barcode'], optional: ['backdate'] },
  { type: 'in_house_use', title: 'In-house use', required: ['item_barcode'], optional: ['count'] },
  { type: 'register', title: 'Patron registration', required: ['patron'], optional: [] },
  { type: 'payment', title: 'Payment', required: ['patron_barcode', 'amount_cents'], optional: ['note'] },
];

function variant({ type, title, required, optional }: Variant): TSchema {
  const properties: Record<string, TSchema> = {};
  for (const field of COMMON_FIELDS) properties[field] = field === 'acknowledged' ? Type.Optional(FIELD[field]) : FIELD[field];
  properties.type = Type.Literal(type);
  for (const field of required) properties[field] = FIELD[field];
  for (const field of optional) properties[field] = Type.Optional(FIELD[field]);
  return Type.Object(properties, { title, additionalProperties: false });
}

/**
 * An offline transaction as the OpenAPI document describes it: one shape
 * per `type`. Its TypeScript reading is OfflineTransaction (the flat one).
 */
export const OfflineTransactionByType = Type.Union(VARIANTS.map(variant), {
  title: 'OfflineTransaction',
  description: 'One scan made at a desk, recorded on the device while offline (SPEC §4). `type` says which fields it takes. '
    + 'The server checks each uploaded record with the same validator the device uses (shared/transaction.ts validateTransaction).',
});
