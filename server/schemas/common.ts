import { Type } from 'typebox';

export const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false });

/** Path and query numbers arrive as text; type coercion is off, so they are matched as digits. */
export const IdParam = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,9}$' }) }, { additionalProperties: false });

export const BranchCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });

export const errors = (...statuses: number[]): Record<number, typeof ErrorReply> =>
  Object.fromEntries(statuses.map((s) => [s, ErrorReply]));
