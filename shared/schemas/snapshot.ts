import { Type } from 'typebox';

/** The offline snapshot (its TypeScript shape is shared/snapshot.ts), sent as stored gzip: this documents it, no serializer sees it. */
export const SnapshotReply = Type.Object({
  format: Type.Number(),
  version: Type.Integer({ description: 'The library version the data shows; ask with since=<it> next time for what changed since' }),
  generated_at: Type.String(),
  delta: Type.Optional(Type.Boolean({ description: 'True when the reply holds only what changed since `since`' })),
  since: Type.Optional(Type.Integer()),
  patrons: Type.Object({}, { additionalProperties: true, description: 'Every card as columns, sorted by barcode (PatronColumns: front-coded barcodes, packed numbers, sparse pairs; shared/snapshot-columns.ts)' }),
  items: Type.Object({}, { additionalProperties: true, description: 'Every item as columns, sorted by barcode (ItemColumns)' }),
  titles: Type.Object({}, { additionalProperties: true, description: 'The titles items refer to by number (TitleColumns)' }),
}, { additionalProperties: true });

export const SnapshotQuery = Type.Object({
  since: Type.Optional(Type.String({ pattern: '^\\d{1,15}$', description: 'The version the desk holds: the reply is what changed since, when the server can still tell' })),
}, { additionalProperties: false });
