import { Type } from 'typebox';

/** The offline snapshot (its TypeScript shape is shared/snapshot.ts), sent as stored gzip: this documents it, no serializer sees it. */
export const SnapshotReply = Type.Object({
  format: Type.Number(),
  generated_at: Type.String(),
  patrons: Type.Array(Type.Unknown()),
  items: Type.Array(Type.Unknown()),
}, { additionalProperties: true });
