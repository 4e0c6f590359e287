import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LoginBody, Me } from '../../shared/schemas/auth.js';
import { errors } from '../../shared/schemas/common.js';
import { COOKIE_NAME } from '../plugins/access-control.js';
import { verifyPassword } from '../domain/passwords.js';
import { refusal } from '../http-error.js';
import type { AppServices } from '../plugins/services.js';

function me({ staff, branches }: Pick<AppServices, 'staff' | 'branches'>, staffId: number): Required<Me> {
  const row = staff.byId(staffId)!;
  const roles = staff.roles(staffId).map((r) => ({ branch: r.code, role: r.role }));
  if (row.installation_admin) {
    // Every library system, those imported since the first start too, so the app offers them all.
    for (const b of branches.roots()) {
      if (!roles.some((r) => r.branch === b.code && r.role === 'admin')) roles.push({ branch: b.code, role: 'admin' });
    }
  }
  return { username: row.username, display_name: row.display_name, roles, installation_admin: row.installation_admin === 1 };
}

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/auth/login', {
    config: { access: 'public' },
    schema: { summary: 'Log in; sets the session cookie', security: [], body: LoginBody, response: { 200: Me, ...errors(400, 401, 429) } },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const wait = app.loginThrottle.retryAfter(username, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw refusal(429, 'TOO_MANY_ATTEMPTS', 'tooManyAttempts', { minutes: Math.ceil(wait / 60) });
    }
    const staff = app.staff.byUsername(username);
    // Verify even for unknown users so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, staff?.password_hash ?? 'scrypt$16384$8$1$AAAA$AAAA');
    if (!staff || !ok || !staff.active) {
      app.loginThrottle.fail(username, request.ip);
      throw refusal(401, 'BAD_CREDENTIALS', 'badCredentials');
    }
    app.loginThrottle.succeed(username);
    const session = app.auth.create(staff.id);
    reply.setCookie(COOKIE_NAME, session.token, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', expires: new Date(session.expiresAt),
    });
    return me(app, staff.id);
  });

  app.post('/auth/logout', { config: { access: 'public' }, schema: { summary: 'Log out; ends the session cookie’s login', security: [], response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = request.cookies[COOKIE_NAME];
      if (token) app.auth.revoke(token);
      reply.clearCookie(COOKIE_NAME, { path: '/' });
      return reply.code(204).send(null);
    });

  app.get('/auth/me', { config: { access: 'login' }, schema: { summary: 'Who is logged in, with their roles', response: { 200: Me, ...errors(401) } } },
    async (request) => me(app, request.access.staff.id));
};
