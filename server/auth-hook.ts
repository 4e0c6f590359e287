import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { Services } from './services.js';
import { Access } from './domain/access.js';
import { HttpError } from './http-error.js';

export const COOKIE_NAME = 'oc_session';

/** The logged-in staff member's access, or a 401 the app answers by asking to log in. */
export function authenticate(services: Services, request: FastifyRequest): Access {
  const token = request.cookies[COOKIE_NAME];
  const staffId = token ? services.auth.resolve(token) : undefined;
  const staff = staffId === undefined ? undefined : services.staff.byId(staffId);
  if (!staff || !staff.active) throw new HttpError(401, 'NOT_LOGGED_IN', 'Log in to continue');
  return new Access(services, { id: staff.id, username: staff.username, display_name: staff.display_name,
    installationAdmin: staff.installation_admin === 1 });
}
