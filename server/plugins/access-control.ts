/**
 * Who may call each route, declared on the route and enforced in one place:
 *
 *   app.post('/sessions/:id/process', { config: { access: { role: 'admin', to: 'process sessions' } }, schema: … }, handler)
 *
 * The check runs on arrival (onRequest), before the body is read or validated: a caller
 * without a login gets 401 whatever they sent, and one without the role at any branch
 * gets 403 naming what they may not do. Which branch the role is needed at depends on the
 * request (the session's branch, the account's), so the handlers check that, with the
 * route's declared need (`request.need`) and the caller (`request.access`). A route that
 * declares nothing stops the app from starting.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { Access, type Need } from '../domain/access.js';
import { forbidden, refusal } from '../http-error.js';
import { ROLES } from '../../shared/schemas/common.js';

export const COOKIE_NAME = 'oc_session';

/**
 * 'public': anyone, logged in or not (logging in and out, health, the API's documentation);
 * 'login': any logged-in account, with or without a role; a Need: a login with that role at some branch.
 */
export type RouteAccess = 'public' | 'login' | Need;

declare module 'fastify' {
  interface FastifyContextConfig {
    access: RouteAccess;
  }
  interface FastifyRequest {
    /** The logged-in caller; reading it on a public route is a programming error. */
    readonly access: Access;
    /** The role the route declares, and what for; reading it on a route that declares none is a programming error. */
    readonly need: Need;
  }
}

/** The declaration in words, for the OpenAPI document. */
export function describeAccess(access: RouteAccess): string {
  if (access === 'public') return 'no login';
  if (access === 'login') return 'a login';
  return `the ${access.role} role at some branch (to ${access.to})`;
}

function isDeclared(access: unknown): access is RouteAccess {
  if (access === 'public' || access === 'login') return true;
  const need = access as Partial<Need> | undefined;
  return typeof need === 'object' && need !== null && (ROLES as readonly unknown[]).includes(need.role) && typeof need.to === 'string' && need.to !== '';
}

const callers = new WeakMap<FastifyRequest, Access>();

/** The logged-in staff member the request's cookie names, if any. */
function caller(request: FastifyRequest): Access | undefined {
  const { auth, staff, branches } = request.server;
  const token = request.cookies[COOKIE_NAME];
  const staffId = token ? auth.resolve(token) : undefined;
  const row = staffId === undefined ? undefined : staff.byId(staffId);
  if (!row || !row.active) return undefined;
  return new Access({ branches, staff }, { id: row.id, username: row.username, display_name: row.display_name,
    installationAdmin: row.installation_admin === 1 });
}

export function accessControl(api: FastifyInstance): void {
  api.addHook('onRoute', (route) => {
    if (!isDeclared(route.config?.access)) {
      throw new Error(`${[route.method].flat().join(',')} ${route.url} declares no access: give it config.access, 'public', 'login' or { role, to }`);
    }
  });

  api.decorateRequest('access', {
    getter(this: FastifyRequest): Access {
      const access = callers.get(this);
      if (!access) throw new Error(`${this.method} ${this.routeOptions.url} read request.access, but the route is public`);
      return access;
    },
  });

  api.decorateRequest('need', {
    getter(this: FastifyRequest): Need {
      const declared = this.routeOptions.config.access;
      if (typeof declared !== 'object') throw new Error(`${this.method} ${this.routeOptions.url} read request.need, but the route declares no role`);
      return declared;
    },
  });

  api.addHook('onRequest', async (request) => {
    // Unknown paths answer 404 to everyone, as before.
    if (request.is404) return;
    const declared = request.routeOptions.config.access;
    if (declared === 'public') return;
    const access = caller(request);
    if (!access) throw refusal(401, 'NOT_LOGGED_IN', 'notLoggedIn');
    if (typeof declared === 'object' && !access.holds(declared.role)) {
      throw forbidden(`${access.staff.username} may not ${declared.to}: it needs the ${declared.role} role`);
    }
    callers.set(request, access);
  });
}
