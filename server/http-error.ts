import { isBlank } from '../shared/transaction.js';

/** An error the API answers with as `{ code, message }` and its status. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'NOT_FOUND', `${what} was not found`);
export const forbidden = (message: string): HttpError => new HttpError(403, 'FORBIDDEN', message);
/** A branch code in a request body that names no branch: the request is wrong, not the URL (400, not 404). */
export const unknownBranch = (code: string): HttpError => new HttpError(400, 'UNKNOWN_BRANCH', `There is no branch '${code}'`);

/**
 * The text trimmed, or a 400 naming the field when nothing visible is left:
 * a name of only spaces or zero-width characters would show as nothing in lists and on paper.
 */
export function visibleText(value: string, field: string): string {
  if (isBlank(value)) throw new HttpError(400, 'BAD_REQUEST', `Invalid body: '${field}' must not be blank`);
  return value.trim();
}
