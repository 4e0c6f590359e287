/**
 * Pieces every part of the API uses: the error reply, path and paging
 * parameters, codes, and the unions built from the shared const lists.
 *
 * The server validates and documents with these schemas; the app and the
 * service worker import only their types (`import type`), so TypeBox never
 * reaches a browser bundle.
 */
import { Type, type Static, type TSchema, type TSchemaOptions } from 'typebox';
import { OUTCOMES } from '../result-codes.js';
import { BARCODE_PATTERN, TRANSACTION_TYPES } from '../transaction.js';

export const ApiError = Type.Object({
  code: Type.String(),
  message: Type.String({ description: 'What went wrong, in English (for scripts and logs)' }),
  message_key: Type.Optional(Type.String({ description: 'The sentence of `message`, for an app to word in its own language (shared/api-errors.ts)' })),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]), { description: 'The data the sentence names' })),
}, { additionalProperties: false });
export type ApiError = Static<typeof ApiError>;

/** The `{ code, message }` reply for each of these statuses. */
export const errors = (...statuses: number[]): Record<number, typeof ApiError> =>
  Object.fromEntries(statuses.map((s) => [s, ApiError]));

export const Nullable = <T extends TSchema>(type: T, options?: TSchemaOptions) => Type.Union([type, Type.Null()], options);

/** Path and query numbers arrive as text; type coercion is off, so they are matched as digits. */
export const IdParam = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,9}$' }) }, { additionalProperties: false });

/** A page of a long list: `limit` up to four digits (capped by the route), `offset` up to nine. */
export const Paging = {
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
};

export const BranchCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });

/** What a scanner types: printable ASCII without spaces (the validator's BARCODE_PATTERN). */
export const barcode = (options: TSchemaOptions = {}) => Type.String({ minLength: 1, maxLength: 64, pattern: BARCODE_PATTERN.source, ...options });
export const Barcode = barcode();

/** A result code's form, as a filter or a retry names it (shared/result-codes.ts lists the codes). */
export const ResultCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Z_]+$' });

export const WorkstationName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]*$' });

export const ROLES = ['circulation', 'admin'] as const;
export const Role = Type.Enum(ROLES);
export type Role = Static<typeof Role>;

export const Outcome = Type.Enum(OUTCOMES);
export type Outcome = Static<typeof Outcome>;

export const TransactionType = Type.Enum(TRANSACTION_TYPES);
export type TransactionType = Static<typeof TransactionType>;

/** A language tag (BCP 47): `fr`, `pt-BR`. */
export const Lang = Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35,
  description: 'The language of the text (BCP 47); the closest the server has, else English' });
