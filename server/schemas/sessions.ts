import { Type } from 'typebox';
import { BranchCode } from './common.js';

const State = Type.Union([Type.Literal('open'), Type.Literal('processing'), Type.Literal('processed'), Type.Literal('closed')]);
const Outcome = Type.Union([Type.Literal('pending'), Type.Literal('applied'), Type.Literal('applied_with_notice'),
  Type.Literal('exception'), Type.Literal('skipped'), Type.Literal('voided')]);

export const MAX_RECORDS_PER_UPLOAD = 1000;

export const CreateSessionBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  branch: BranchCode,
  override_policy: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const ListSessionsQuery = Type.Object({ state: Type.Optional(State), branch: Type.Optional(BranchCode) }, { additionalProperties: false });

const Counts = Type.Object({
  total: Type.Integer(), pending: Type.Integer(), applied: Type.Integer(), applied_with_notice: Type.Integer(),
  exception: Type.Integer(), skipped: Type.Integer(), voided: Type.Integer(),
});

export const SessionSummaryReply = Type.Object({
  id: Type.Integer(), name: Type.String(), branch: Type.String(), state: State, override_policy: Type.Boolean(),
  created_by: Type.String(), created_at: Type.String(), processed_at: Type.Union([Type.String(), Type.Null()]), counts: Counts,
  processing_error: Type.Union([Type.String(), Type.Null()], { description: 'Why the last processing run stopped, while it waits to be resumed' }),
});

export const SessionDetailReply = Type.Object({
  ...SessionSummaryReply.properties,
  uploads: Type.Array(Type.Object({
    id: Type.Integer(), workstation: Type.String(), staff: Type.String(), received_at: Type.String(), device_time: Type.String(),
    clock_offset_ms: Type.Integer(), accepted: Type.Integer(), duplicates: Type.Integer(), rejected: Type.Integer(),
  })),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  code_counts: Type.Record(Type.String(), Type.Integer()),
});

/**
 * Records are checked one by one by the shared validator rather than by
 * this schema, so that one bad record is rejected alone with its reason.
 */
export const UploadBody = Type.Object({
  workstation: Type.String({ minLength: 1, maxLength: 64 }),
  device_time: Type.String({ minLength: 24, maxLength: 24, pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' }),
  transactions: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_RECORDS_PER_UPLOAD }),
}, { additionalProperties: false });

export const UploadReplySchema = Type.Object({
  upload_id: Type.Integer(),
  accepted: Type.Array(Type.String()),
  duplicates: Type.Array(Type.String()),
  rejected: Type.Array(Type.Object({
    index: Type.Integer(), id: Type.Union([Type.String(), Type.Null()]), field: Type.String(), reason: Type.String(),
  })),
});

export const ResultsQuery = Type.Object({
  outcome: Type.Optional(Outcome),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Z_]+$' })),
  workstation: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  type: Type.Optional(Type.Union([Type.Literal('checkout'), Type.Literal('renew'), Type.Literal('checkin'),
    Type.Literal('in_house_use'), Type.Literal('register')])),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
}, { additionalProperties: false });

export const ResultsReply = Type.Object({
  total: Type.Integer(),
  results: Type.Array(Type.Object({
    id: Type.String(), type: Type.String(), workstation: Type.String(), staff: Type.String(), seq: Type.Integer(),
    occurred_at: Type.String(), item_barcode: Type.Union([Type.String(), Type.Null()]),
    patron_barcode: Type.Union([Type.String(), Type.Null()]), outcome: Outcome,
    code: Type.Union([Type.String(), Type.Null()]), detail: Type.Union([Type.String(), Type.Null()]),
    processed_at: Type.Union([Type.String(), Type.Null()]),
    notice_codes: Type.Array(Type.String()),
  })),
});
