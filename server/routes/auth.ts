import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { LoginBody, MeReply } from '../schemas/auth.js';
import { errors } from '../schemas/common.js';
import { authenticate, COOKIE_NAME } from '../auth-hook.js';
import { verifyPassword } from '../domain/passwords.js';
import { HttpError } from '../http-error.js';
import type { Me } from '../../shared/api.js';
import type {} from '@fastify/cookie';

function me(services: Services, staffId: number): Required<Me> {
  const staff = services.staff.byId(staffId)!;
  const roles = services.staff.roles(staffId).map((r) => ({ branch: r.code, role: r.role }));
  if (staff.installation_admin) {
    // Every library system, those imported since the first start too, so the app offers them all.
    for (const b of services.branches.all()) {
      if (b.parent_id === null && !roles.some((r) => r.branch === b.code && r.role === 'admin')) roles.push({ branch: b.code, role: 'admin' });
    }
  }
  return { username: staff.username, display_name: staff.display_name, roles, installation_admin: staff.installation_admin === 1 };
}

export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post('/auth/login', {
    schema: { summary: 'Log in; sets the session cookie', security: [], body: LoginBody, response: { 200: MeReply, ...errors(400, 401, 429) } },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const wait = services.loginThrottle.retryAfter(username, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new HttpError(429, 'TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${Math.ceil(wait / 60)} minute(s)`);
    }
    const staff = services.staff.byUsername(username);
    // Verify even for unknown users so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, staff?.password_hash ?? 'scrypt$16384$8$1$AAAA$AAAA');
    if (!staff || !ok || !staff.active) {
      services.loginThrottle.fail(username, request.ip);
      throw new HttpError(401, 'BAD_CREDENTIALS', 'Wrong username or password');
    }
    services.loginThrottle.succeed(username);
    const session = services.auth.create(staff.id);
    reply.setCookie(COOKIE_NAME, session.token, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', expires: new Date(session.expiresAt),
    });
    return me(services, staff.id);
  });

  app.post('/auth/logout', { schema: { response: { 204: Type.Null() } } }, async (request, reply) => {
    const token = request.cookies[COOKIE_NAME];
    if (token) services.auth.revoke(token);
    reply.clearCookie(COOKIE_NAME, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/auth/me', { schema: { response: { 200: MeReply, ...errors(401) } } }, async (request) => {
    const access = authenticate(services, request);
    return me(services, access.staff.id);
  });
};
