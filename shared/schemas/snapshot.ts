import { Type } from 'typebox';

/** The offline snapshot (its TypeScript shape is shared/snapshot.ts), sent as stored gzip: this documents it, no serializer sees it. */
export const SnapshotReply = Type.Object({
  format: Type.Number(),
  version: Type.Integer({ description: 'The library version the data shows; ask with since=<it> next time for what changed since' }),
  generated_at: Type.String(),
  delta: Type.Optional(Type.Boolean({ description: 'True when the reply holds only what changed since `since`' })),
  since: Type.Optional(Type.Integer()),
  patrons: Type.Array(Type.Unknown()),
  items: Type.Array(Type.Unknown()),
}, { additionalProperties: true });

export const SnapshotQuery = Type.Object({
  since: Type.Optional(Type.String({ pattern: '^\\d{1,15}$', description: 'The version the desk holds: the reply is what changed since, when the server can still tell' })),
}, { additionalProperties: false });
