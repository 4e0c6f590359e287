import { Type, type Static } from 'typebox';
import { Nullable, Paging, Username } from './common.js';

const filter = {
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_.]+$' })),
  staff: Type.Optional(Username),
};

export const AuditQuery = Type.Object({ ...filter, ...Paging }, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

/** The CSV export is every matching entry: paging parameters would be ignored, so they are refused. */
export const AuditExportQuery = Type.Object(filter, { additionalProperties: false });
export type AuditFilter = Static<typeof AuditExportQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(), at: Type.String(), staff: Type.String(), workstation: Nullable(Type.String()),
  action: Type.String(), target: Nullable(Type.String()),
  details: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Type.Object({ total: Type.Integer(), entries: Type.Array(AuditEntry) });
export type AuditPage = Static<typeof AuditPage>;
