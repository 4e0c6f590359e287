import { Type, type Static } from 'typebox';
import { BranchCode, Nullable, Outcome } from './common.js';
import { ISO_UTC_MS } from '../transaction.js';

export const SESSION_STATES = ['open', 'processing', 'processed', 'closed'] as const;
export const SessionState = Type.Enum(SESSION_STATES);
export type SessionState = Static<typeof SessionState>;

export const MAX_RECORDS_PER_UPLOAD = 1000;

export const CreateSessionBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  branch: BranchCode,
  override_policy: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type CreateSessionBody = Static<typeof CreateSessionBody>;

export const ListSessionsQuery = Type.Object({
  state: Type.Optional(SessionState),
  branch: Type.Optional(BranchCode),
}, { additionalProperties: false });
export type ListSessionsQuery = Static<typeof ListSessionsQuery>;

/** How many of a session's transactions have each outcome. */
export const OutcomeCounts = Type.Record(Outcome, Type.Integer());
export type OutcomeCounts = Static<typeof OutcomeCounts>;

export const SessionSummary = Type.Object({
  id: Type.Integer(), name: Type.String(), branch: Type.String(), state: SessionState, override_policy: Type.Boolean(),
  created_by: Type.String(), created_at: Type.String(), processed_at: Nullable(Type.String()),
  counts: Type.Object({ total: Type.Integer(), ...OutcomeCounts.properties }),
  processing_error: Nullable(Type.String(), { description: 'Why the last processing run stopped, while it waits to be resumed' }),
});
export type SessionSummary = Static<typeof SessionSummary>;

export const UploadSummary = Type.Object({
  id: Type.Integer(), workstation: Type.String(), staff: Type.String(), received_at: Type.String(), device_time: Type.String(),
  clock_offset_ms: Type.Integer(), accepted: Type.Integer(), duplicates: Type.Integer(), rejected: Type.Integer(),
});
export type UploadSummary = Static<typeof UploadSummary>;

export const SessionDetail = Type.Object({
  ...SessionSummary.properties,
  uploads: Type.Array(UploadSummary),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  code_counts: Type.Record(Type.String(), Type.Integer(), { description: 'How many transactions carry each result code (their main code or any notice)' }),
});
export type SessionDetail = Static<typeof SessionDetail>;

/** Live progress of a processing run: the data of each `progress` event the admin page reads. */
export const ProcessProgress = Type.Object({
  done: Type.Integer(), total: Type.Integer(), rate: Type.Number({ description: 'Transactions a second' }),
  eta_seconds: Nullable(Type.Number()), counts: OutcomeCounts, finished: Type.Boolean(), state: SessionState,
  error: Type.Optional(Type.String()),
});
export type ProcessProgress = Static<typeof ProcessProgress>;

/**
 * One record of an upload as the body's schema checks it: anything. Each record is checked
 * alone by the shared validator, so that a bad one is rejected with its reason and the rest
 * of the batch is kept (SPEC §5); a schema that described the record here would make the
 * whole request fail for one bad record. The OpenAPI document shows it as an
 * OfflineTransaction (server/plugins/openapi.ts).
 */
export const UploadRecord = Type.Unknown();

export const UploadBody = Type.Object({
  workstation: Type.String({ minLength: 1, maxLength: 64 }),
  device_time: Type.String({ minLength: 24, maxLength: 24, pattern: ISO_UTC_MS.source, description: 'The device’s clock at upload, to correct its skew' }),
  transactions: Type.Array(UploadRecord, {
    minItems: 1, maxItems: MAX_RECORDS_PER_UPLOAD,
    description: 'Offline transactions. Each record is checked on its own: one that is not a valid OfflineTransaction does not fail the request, '
      + 'it is listed in the reply’s `rejected` with its reason, and the others are stored.',
  }),
}, { additionalProperties: false });
export type UploadBody = Static<typeof UploadBody>;

export const UploadReply = Type.Object({
  upload_id: Type.Integer(),
  accepted: Type.Array(Type.String()),
  duplicates: Type.Array(Type.String(), { description: 'Ids the server already held, in this session or another: stored once' }),
  rejected: Type.Array(Type.Object({
    index: Type.Integer({ description: 'The record’s place in `transactions`' }),
    id: Nullable(Type.String()), field: Type.String(), reason: Type.String(),
  })),
});
export type UploadReply = Static<typeof UploadReply>;
