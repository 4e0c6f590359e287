/** The server's JSON API, with its `{ code, message }` errors turned into exceptions. */
import { msg, str } from '@lit/localize';
import type { ApiError } from '../../shared/api.js';
import { apiErrorText } from '../../shared/api-errors.js';

export class ApiRequestError extends Error {
  /** `message` is the server's English; `say` the sentence's key and data, when the server gave them, for the desk's language. */
  constructor(readonly status: number, readonly code: string, message: string, readonly say?: Pick<ApiError, 'message_key' | 'params'>) {
    super(message);
  }
}

let workstation: string | null = null;

/** Names this device's workstation on every request, so the audit trail can say where an action was taken. */
export function setWorkstationHeader(name: string | null): void {
  workstation = name;
}

/**
 * What to tell staff about a failed request, in the desk's language: the server's sentence worded
 * here, else what kind of failure it was with the server's English words (a refusal no form of the
 * app provokes: bad input, a missing route), else the error as it came.
 */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiRequestError)) return err instanceof Error ? err.message : String(err);
  const worded = apiErrorText(err.say?.message_key, err.say?.params);
  if (worded) return worded;
  if (err.code === 'NETWORK') return msg('The server cannot be reached. Your work is kept on this device.');
  if (err.code === 'HTTP_ERROR') return msg(str`The server answered ${err.status}; try again.`);
  return msg(str`The server refused this (${err.code}): ${err.message}`);
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(workstation ? { 'x-workstation': workstation } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiRequestError(0, 'NETWORK', 'The server cannot be reached. Your work is kept on this device.');
  }
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const err = data as Partial<ApiError> | null;
    throw new ApiRequestError(response.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `The server answered ${response.status}`,
      err?.message_key ? { message_key: err.message_key, params: err.params } : undefined);
  }
  return data as T;
}
