/** The server's JSON API, with its `{ code, message }` errors turned into exceptions. */
import type { ApiError } from '../../shared/api.js';

export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let workstation: string | null = null;

/** Names this device's workstation on every request, so the audit trail can say where an action was taken. */
export function setWorkstationHeader(name: string | null): void {
  workstation = name;
}

/** What to tell staff about a failed request: the server's own words, or the error as it came. */
export function errorMessage(err: unknown): string {
  return err instanceof ApiRequestError ? err.message : String(err);
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
    throw new ApiRequestError(response.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `The server answered ${response.status}`);
  }
  return data as T;
}
