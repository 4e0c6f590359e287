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

function me(services: Services, staffId: number): Me {
  const staff = services.staff.byId(staffId)!;
  return {
    username: staff.username,
    display_name: staff.display_name,
    roles: services.staff.roles(staffId).map((r) => ({ branch: r.code, role: r.role })),
  };
}

export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post('/auth/login', {
    schema: { body: LoginBody, response: { 200: MeReply, ...errors(400, 401) } },
  }, async (request, reply) => {
    const staff = services.staff.byUsername(request.body.username);
    // Verify even for unknown users so response time does not reveal which usernames exist.
    const ok = await verifyPassword(request.body.password, staff?.password_hash ?? 'scrypt$16384$8$1$AAAA$AAAA');
    if (!staff || !ok || !staff.active) throw new HttpError(401, 'BAD_CREDENTIALS', 'Wrong username or password');
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
