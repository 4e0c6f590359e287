import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from './domain/access.js';
import type { Services } from './services.js';

const WORKSTATION = /^[\x21-\x7e]{1,64}$/;

/** What the workstation header named, and whether that was a registered, not retired workstation when the request came in. */
interface Named { name: string; registered: boolean }
const atArrival = new WeakMap<FastifyRequest, Named | null>();

function nameIn(services: Services, request: FastifyRequest): Named | null {
  const header = request.headers['x-workstation'];
  if (typeof header !== 'string' || !WORKSTATION.test(header)) return null;
  const registered = services.db.prepare('SELECT 1 FROM workstations WHERE name = ? AND retired_at IS NULL').get(header) !== undefined;
  return { name: header, registered };
}

/**
 * Reads the workstation header before a changing request's handler runs:
 * an administrator who renames or retires the very desk they sit at is
 * still recorded as acting from it.
 */
export function resolveWorkstationOnArrival(fastify: FastifyInstance, services: Services): void {
  fastify.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') atArrival.set(request, nameIn(services, request));
  });
}

/**
 * Records an administrative action with who did it and from which
 * workstation (the app names its registered workstation in a header). The
 * header is the client's word: only a workstation registered and not retired
 * is recorded as one; any other name is kept in the details as claimed, so
 * the trail never shows a desk that does not exist as the place of an action.
 */
export function audit(services: Services, request: FastifyRequest, access: Access, action: string, target: string | null, details?: Record<string, unknown>): void {
  const named = atArrival.has(request) ? atArrival.get(request)! : nameIn(services, request);
  services.audit.record(access.staff.username, named?.registered ? named.name : null, action, target,
    named && !named.registered ? { ...details, claimed_workstation: named.name } : details);
}
