import { Type } from 'typebox';
import { ResultsReply } from './sessions.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Outcome = Type.Union([Type.Literal('pending'), Type.Literal('applied'), Type.Literal('applied_with_notice'),
  Type.Literal('exception'), Type.Literal('skipped'), Type.Literal('voided')]);

export const TxParams = Type.Object({
  id: Type.String({ pattern: '^[0-9]{1,9}$' }),
  txid: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
}, { additionalProperties: false });

const Barcode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' });

export const RetryBody = Type.Object({
  item_barcode: Type.Optional(Barcode),
  patron_barcode: Type.Optional(Barcode),
  due_at: Type.Optional(Type.String({ minLength: 10, maxLength: 24 })),
}, { additionalProperties: false });

export const RetryReply = Type.Object({ outcome: Outcome, code: Type.String(), detail: Nullable(Type.String()) });

export const RetryAllBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Z_]+$' }) }, { additionalProperties: false });

export const RetryAllReply = Type.Object({
  retried: Type.Integer(), pending: Type.Integer(), applied: Type.Integer(), applied_with_notice: Type.Integer(),
  exception: Type.Integer(), skipped: Type.Integer(), voided: Type.Integer(),
});

export const VoidBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

const ResultItem = ResultsReply.properties.results.items;

export const TransactionDetailReply = Type.Object({
  ...ResultItem.properties,
  transaction: Type.Record(Type.String(), Type.Unknown()),
  notices: Type.Array(Type.Object({ code: Type.String(), detail: Nullable(Type.String()) })),
  history: Type.Array(Type.Object({
    action: Type.Union([Type.Literal('fix'), Type.Literal('retry'), Type.Literal('void')]),
    staff: Type.String(), at: Type.String(),
    before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    reason: Nullable(Type.String()), previous_outcome: Type.Union([Outcome, Type.Null()]), previous_code: Nullable(Type.String()),
  })),
});

const Str = Type.String();
export const FollowUpsReply = Type.Array(Type.Object({
  branch: Str, branch_name: Str,
  route: Type.Array(Type.Object({ txn_id: Str, item_barcode: Str, title: Str, call_number: Str, to_branch: Str, to_branch_name: Str, reason: Str })),
  shelve: Type.Array(Type.Object({ txn_id: Str, item_barcode: Str, title: Str, call_number: Str, patron_card: Nullable(Str), patron_name: Str })),
  returned: Type.Array(Type.Object({ txn_id: Str, code: Str, item_barcode: Str, title: Str, detail: Nullable(Str) })),
  lent: Type.Array(Type.Object({ txn_id: Str, code: Str, item_barcode: Str, title: Str, call_number: Str, patron_card: Nullable(Str),
    patron_name: Nullable(Str), detail: Nullable(Str) })),
  overridden: Type.Array(Type.Object({ txn_id: Str, code: Str, patron_card: Nullable(Str), patron_name: Str, detail: Nullable(Str) })),
}));
