import { Type, type Static } from 'typebox';
import { Barcode, Lang, Nullable, Outcome, Paging, ResultCode, TransactionType } from './common.js';
import { OutcomeCounts } from './sessions.js';
import { OfflineTransactionFields } from './transaction.js';

export const ResultsQuery = Type.Object({
  outcome: Type.Optional(Outcome),
  code: Type.Optional(ResultCode),
  workstation: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  type: Type.Optional(TransactionType),
  ...Paging,
}, { additionalProperties: false });
export type ResultsQuery = Static<typeof ResultsQuery>;

export const ResultsCsvQuery = Type.Object({ ...ResultsQuery.properties, lang: Type.Optional(Lang) }, { additionalProperties: false });

/**
 * A result's explanation as sentences' keys and data (shared/result-details.ts), for the app to word
 * in the desk's language; `detail` is the same in English, for scripts.
 */
export const DetailParts = Type.Array(Type.Object({
  key: Type.String(),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]))),
}), { description: 'The explanation as sentence keys and their data, to word in any language (see shared/result-details.ts)' });
export type DetailParts = Static<typeof DetailParts>;

export const TransactionResult = Type.Object({
  id: Type.String(), type: TransactionType, workstation: Type.String(), staff: Type.String(), seq: Type.Integer(),
  occurred_at: Type.String(), item_barcode: Nullable(Type.String()), patron_barcode: Nullable(Type.String()), outcome: Outcome,
  code: Nullable(Type.String()), detail: Nullable(Type.String()), detail_parts: Nullable(DetailParts), processed_at: Nullable(Type.String()),
  notice_codes: Type.Array(Type.String(), { description: 'Every notice the transaction produced; `code` is the most actionable of them' }),
  branch: Nullable(Type.String({ description: 'Where it happened: its workstation’s branch, else the session’s (as processing decides)' })),
  time_zone: Type.String({ description: 'That branch’s IANA time zone: its dates are local dates there, and the app shows its times in it' }),
  due_at: Nullable(Type.String({ description: 'A checkout’s or renewal’s due instant as stored on the loan, ISO 8601 UTC; null for other types and before processing' })),
  due_date: Nullable(Type.String({ description: 'The same instant’s local date in that branch’s zone (YYYY-MM-DD): the date the patron was told' })),
});
export type TransactionResult = Static<typeof TransactionResult>;

export const ResultsPage = Type.Object({ total: Type.Integer(), results: Type.Array(TransactionResult) });
export type ResultsPage = Static<typeof ResultsPage>;

export const TxParams = Type.Object({
  id: Type.String({ pattern: '^[0-9]{1,9}$' }),
  txid: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
}, { additionalProperties: false });

/** What fix-and-retry may change in an exception (the original stays in the history). */
export const Correction = Type.Object({
  item_barcode: Type.Optional(Barcode),
  patron_barcode: Type.Optional(Barcode),
  due_at: Type.Optional(Type.String({ minLength: 10, maxLength: 24 })),
}, { additionalProperties: false });
export type Correction = Static<typeof Correction>;

export const RetryReply = Type.Object({ outcome: Outcome, code: Type.String(), detail: Nullable(Type.String()), detail_parts: Nullable(DetailParts) });
export type RetryReply = Static<typeof RetryReply>;

export const RetryAllBody = Type.Object({ code: ResultCode }, { additionalProperties: false });

export const RetryAllReply = Type.Object({ retried: Type.Integer(), ...OutcomeCounts.properties });
export type RetryAllReply = Static<typeof RetryAllReply>;

export const VoidBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

/** The corrected fields, before (null where the record had none) or after a fix. */
const CorrectedFields = Type.Object({
  item_barcode: Type.Optional(Nullable(Type.String())),
  patron_barcode: Type.Optional(Nullable(Type.String())),
  due_at: Type.Optional(Nullable(Type.String())),
});

export const HistoryEntry = Type.Object({
  action: Type.Enum(['fix', 'retry', 'void']),
  staff: Type.String(), at: Type.String(),
  before: Nullable(CorrectedFields), after: Nullable(CorrectedFields),
  reason: Nullable(Type.String()), previous_outcome: Nullable(Outcome), previous_code: Nullable(Type.String()),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const TransactionDetail = Type.Object({
  ...TransactionResult.properties,
  transaction: OfflineTransactionFields,
  notices: Type.Array(Type.Object({ code: Type.String(), detail: Nullable(Type.String()), detail_parts: Nullable(DetailParts) })),
  history: Type.Array(HistoryEntry),
});
export type TransactionDetail = Static<typeof TransactionDetail>;

const Str = Type.String();
export const FollowUpBranch = Type.Object({
  branch: Str, branch_name: Str,
  route: Type.Array(Type.Object({ txn_id: Str, item_barcode: Str, title: Str, call_number: Str, to_branch: Str, to_branch_name: Str, reason: Str,
    reason_parts: Nullable(DetailParts) })),
  shelve: Type.Array(Type.Object({ txn_id: Str, item_barcode: Str, title: Str, call_number: Str, patron_card: Nullable(Str), patron_name: Str })),
  returned: Type.Array(Type.Object({ txn_id: Str, code: Str, item_barcode: Str, title: Str, detail: Nullable(Str), detail_parts: Nullable(DetailParts) })),
  lent: Type.Array(Type.Object({ txn_id: Str, code: Str, item_barcode: Str, title: Str, call_number: Str, patron_card: Nullable(Str),
    patron_name: Nullable(Str), detail: Nullable(Str), detail_parts: Nullable(DetailParts) }), {
    description: 'Items lent though their status said not to (non-circulating, damaged, in transit, on the hold shelf): the patron named is the one a shelved hold was for',
  }),
  overridden: Type.Array(Type.Object({ txn_id: Str, code: Str, patron_card: Nullable(Str), patron_name: Str, detail: Nullable(Str),
    detail_parts: Nullable(DetailParts) })),
  payments: Type.Array(Type.Object({ txn_id: Str, patron_card: Str, patron_name: Str, amount_cents: Type.Integer(),
    credit_cents: Type.Integer({ description: 'What was left after every open bill was paid: now a credit on the account' }), note: Nullable(Str) }), {
    description: 'Money taken at the desks and applied, for the cash drawer: the card it was taken from, what it paid, and any credit it left',
  }),
});
export type FollowUpBranch = Static<typeof FollowUpBranch>;

export const FollowUps = Type.Array(FollowUpBranch);
