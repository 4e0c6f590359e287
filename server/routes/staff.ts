import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../shared/schemas/common.js';
import { CreateStaffBody, PasswordBody, RoleBody, StaffAccount, UsernameParam } from '../../shared/schemas/staff.js';
import { forbidden, refusal, notFound, unknownBranch, visibleText } from '../http-error.js';
import { hashPassword } from '../domain/passwords.js';
import type { Access } from '../domain/access.js';

/** Staff accounts and their roles by branch. An admin manages only accounts within the branches they administer. */
export const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { staff, branches } = app;

  /** The account, if every branch it has a role at is one this admin administers (so no one manages their own superiors). */
  function manageable(access: Access, username: string) {
    const row = staff.byUsername(username);
    if (!row) throw notFound(`Staff account '${username}'`);
    if (row.installation_admin && !access.staff.installationAdmin) throw forbidden(`${username} administers the whole installation`);
    const mine = access.branchesWith('admin');
    if (staff.roles(row.id).some((r) => !mine.has(r.branch_id))) throw forbidden(`${username} has roles outside the branches you administer`);
    return row;
  }

  const account = (id: number): StaffAccount => {
    const row = staff.byId(id)!;
    return { username: row.username, display_name: row.display_name, active: row.active === 1,
      roles: staff.roles(id).map((r) => ({ branch: r.code, role: r.role })) };
  };

  app.get('/staff', {
    config: { access: { role: 'admin', to: 'list staff accounts' } },
    schema: { summary: 'Staff accounts within the branches you administer', response: { 200: Type.Array(StaffAccount), ...errors(401, 403) } },
  }, async (request) => {
    const mine = request.access.branchesWith('admin');
    return staff.ids().filter((id) => {
      const roles = staff.roles(id);
      return roles.length === 0 || roles.some((r) => mine.has(r.branch_id));
    }).map(account);
  });

  app.post('/staff', {
    config: { access: { role: 'admin', to: 'create staff accounts' } },
    schema: { summary: 'Create a staff account with a role at a branch', body: CreateStaffBody, response: { 201: StaffAccount, ...errors(400, 401, 403, 409) } },
  }, async (request, reply) => {
    const b = request.body;
    const branch = branches.byCode(b.branch);
    if (!branch) throw unknownBranch(b.branch);
    request.access.require(request.need, branch.id);
    const displayName = visibleText(b.display_name, 'display_name');
    if (staff.byUsername(b.username)) throw refusal(409, 'USERNAME_TAKEN', 'usernameTaken', { username: b.username });
    const id = staff.createWithRole(b.username, await hashPassword(b.password), displayName, branch.id, b.role);
    request.audit('staff.create', b.username, { branch: branch.code, role: b.role });
    return reply.code(201).send(account(id));
  });

  for (const [action, active] of [['disable', false], ['enable', true]] as const) {
    app.post(`/staff/:username/${action}`, {
      config: { access: { role: 'admin', to: `${action} staff accounts` } },
      schema: { summary: `${action === 'disable' ? 'Disable' : 'Enable'} a staff account`, params: UsernameParam,
        response: { 200: StaffAccount, ...errors(400, 401, 403, 404, 409) } },
    }, async (request) => {
      const row = manageable(request.access, request.params.username);
      if (row.id === request.access.staff.id) throw refusal(409, 'OWN_ACCOUNT', 'ownAccountDisable');
      staff.setActive(row.id, active);
      request.audit(`staff.${action}`, row.username);
      return account(row.id);
    });
  }

  app.post('/staff/:username/password', {
    config: { access: { role: 'admin', to: 'reset passwords' } },
    schema: { summary: 'Set a new password (ends the account\'s logins)', params: UsernameParam, body: PasswordBody,
      response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const row = manageable(request.access, request.params.username);
    staff.setPassword(row.id, await hashPassword(request.body.password));
    request.audit('staff.password_reset', row.username);
    return reply.code(204).send(null);
  });

  app.post('/staff/:username/roles', {
    config: { access: { role: 'admin', to: 'change roles' } },
    schema: { summary: 'Give, change or remove (role null) an account\'s role at a branch', params: UsernameParam, body: RoleBody,
      response: { 200: StaffAccount, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const { access } = request;
    const row = staff.byUsername(request.params.username);
    if (!row) throw notFound(`Staff account '${request.params.username}'`);
    const branch = branches.byCode(request.body.branch);
    if (!branch) throw unknownBranch(request.body.branch);
    access.require(request.need, branch.id);
    if (row.installation_admin && !access.staff.installationAdmin) throw forbidden(`${row.username} administers the whole installation`);
    if (row.id === access.staff.id) throw refusal(409, 'OWN_ACCOUNT', 'ownRoles');
    if (request.body.role) staff.setRole(row.id, branch.id, request.body.role);
    else staff.removeRole(row.id, branch.id);
    request.audit('staff.role', row.username, { branch: branch.code, role: request.body.role });
    return account(row.id);
  });
};
