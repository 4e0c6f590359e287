/** An error the API answers with as `{ code, message }` and its status. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'NOT_FOUND', `${what} was not found`);
export const forbidden = (message: string): HttpError => new HttpError(403, 'FORBIDDEN', message);
