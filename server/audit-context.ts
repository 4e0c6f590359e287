import type { FastifyRequest } from 'fastify';
import type { Access } from './domain/access.js';
import type { Services } from './services.js';

const WORKSTATION = /^[\x21-\x7e]{1,64}$/;

/**
 * Records an administrative action with who did it and from which
 * workstation (the app names its registered workstation in a header).
 */
export function audit(services: Services, request: FastifyRequest, access: Access, action: string, target: string | null, details?: Record<string, unknown>): void {
  const header = request.headers['x-workstation'];
  const workstation = typeof header === 'string' && WORKSTATION.test(header) ? header : null;
  services.audit.record(access.staff.username, workstation, action, target, details);
}
