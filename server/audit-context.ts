import type { FastifyInstance, FastifyRequest } from 'fastify';

const WORKSTATION = /^[\x21-\x7e]{1,64}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Records an administrative action with who did it (the caller) and from which
     * workstation (the app names its registered workstation in a header). The header is
     * the client's word: only a workstation registered and not retired is recorded as
     * one; any other name is kept in the details as claimed, so the trail never shows a
     * desk that does not exist as the place of an action.
     */
    audit(action: string, target: string | null, details?: Record<string, unknown>): void;
  }
}

/** What the workstation header named, and whether that was a registered, not retired workstation when the request came in. */
interface Named { name: string; registered: boolean }
const atArrival = new WeakMap<FastifyRequest, Named | null>();

function nameIn(request: FastifyRequest): Named | null {
  const header = request.headers['x-workstation'];
  if (typeof header !== 'string' || !WORKSTATION.test(header)) return null;
  return { name: header, registered: request.server.workstations.inService(header) };
}

/**
 * Gives requests `audit()`, and reads the workstation header before a changing request's
 * handler runs: an administrator who renames or retires the very desk they sit at is
 * still recorded as acting from it.
 */
export function auditTrail(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') atArrival.set(request, nameIn(request));
  });
  fastify.decorateRequest('audit', function audit(this: FastifyRequest, action: string, target: string | null, details?: Record<string, unknown>) {
    const named = atArrival.has(this) ? atArrival.get(this)! : nameIn(this);
    this.server.audit.record(this.access.staff.username, named?.registered ? named.name : null, action, target,
      named && !named.registered ? { ...details, claimed_workstation: named.name } : details);
  });
}
