import { Type, type Static } from 'typebox';

export const Health = Type.Object({ ok: Type.Boolean(), time: Type.String({ description: 'The server’s clock, ISO 8601 UTC' }) });
export type Health = Static<typeof Health>;
