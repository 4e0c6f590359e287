import { isBlank } from '../shared/transaction.js';
import { apiErrorText, type ApiErrorKey, type ApiErrorParams } from '../shared/api-errors.js';

/** An error the API answers with as `{ code, message }` and its status; with `say`, also the sentence's key and data for the app. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string,
    readonly say?: { key: string; params?: Record<string, string | number | null> }) {
    super(message);
  }
}

/**
 * A refusal staff read in the app (shared/api-errors.ts): `message` is its sentence in English,
 * and the app words the same key and data in the desk's language.
 */
export function refusal<K extends ApiErrorKey>(statusCode: number, code: string, key: K,
  ...params: ApiErrorParams<K> extends undefined ? [] : [ApiErrorParams<K>]): HttpError {
  const data = params[0] as Record<string, string | number | null> | undefined;
  return new HttpError(statusCode, code, apiErrorText(key, data)!, data ? { key, params: data } : { key });
}

export const notFound = (what: string): HttpError => new HttpError(404, 'NOT_FOUND', `${what} was not found`);
export const forbidden = (message: string): HttpError => new HttpError(403, 'FORBIDDEN', message);
/** A branch code in a request body that names no branch: the request is wrong, not the URL (400, not 404). */
export const unknownBranch = (code: string): HttpError => refusal(400, 'UNKNOWN_BRANCH', 'unknownBranch', { branch: code });

/**
 * The text trimmed, or a 400 naming the field when nothing visible is left:
 * a name of only spaces or zero-width characters would show as nothing in lists and on paper.
 */
export function visibleText(value: string, field: string): string {
  if (isBlank(value)) throw new HttpError(400, 'BAD_REQUEST', `Invalid body: '${field}' must not be blank`);
  return value.trim();
}
