import type { FastifyRequest } from 'fastify';
import type { Access } from './domain/access.js';
import type { Services } from './services.js';

const WORKSTATION = /^[\x21-\x7e]{1,64}$/;

/**
 * Records an administrative action with who did it and from which
 * workstation (the app names its registered workstation in a header). The
 * header is the client's word: only a workstation registered and not retired
 * is recorded as one; any other name is kept in the details as claimed, so
 * the trail never shows a desk that does not exist as the place of an action.
 */
export function audit(services: Services, request: FastifyRequest, access: Access, action: string, target: string | null, details?: Record<string, unknown>): void {
  const header = request.headers['x-workstation'];
  const named = typeof header === 'string' && WORKSTATION.test(header) ? header : null;
  const registered = named !== null && services.db.prepare('SELECT 1 FROM workstations WHERE name = ? AND retired_at IS NULL').get(named) !== undefined;
  services.audit.record(access.staff.username, registered ? named : null, action, target,
    named !== null && !registered ? { ...details, claimed_workstation: named } : details);
}
