import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { errors } from '../schemas/common.js';
import {
  AuditExportQuery, AuditQuery, AuditReply, CreateStaffBody, ImportBody, ImportRejected, ImportReply, PasswordBody, RenameBody, RoleBody, StaffReply, UsernameParam,
  WorkstationAdminReply, WorkstationParam,
} from '../schemas/admin.js';
import { authenticate } from '../auth-hook.js';
import { forbidden, HttpError, notFound, visibleText } from '../http-error.js';
import { audit } from '../audit-context.js';
import { hashPassword } from '../domain/passwords.js';
import type { Access } from '../domain/access.js';
import { importLibraryData } from '../import/library-import.js';
import { csvCell } from '../domain/results-csv.js';

/**
 * Administration: staff accounts and their roles by branch, workstations,
 * the audit trail, and loading a library's own data. An admin manages only
 * what lies within the branches they administer.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { db, staff, branches, auth } = services;

  const adminAccess = (request: Parameters<typeof authenticate>[1]): Access => {
    const access = authenticate(services, request);
    if (access.branchesWith('admin').size === 0) throw forbidden(`${access.staff.username} is not an administrator`);
    return access;
  };

  /** The account, if every branch it has a role at is one this admin administers (so no one manages their own superiors). */
  function manageable(access: Access, username: string) {
    const row = staff.byUsername(username);
    if (!row) throw notFound(`Staff account '${username}'`);
    if (row.installation_admin && !access.staff.installationAdmin) throw forbidden(`${username} administers the whole installation`);
    const mine = access.branchesWith('admin');
    const roles = staff.roles(row.id);
    if (roles.some((r) => !mine.has(r.branch_id))) throw forbidden(`${username} has roles outside the branches you administer`);
    return row;
  }

  const toReply = (id: number) => {
    const row = staff.byId(id)!;
    return { username: row.username, display_name: row.display_name, active: row.active === 1,
      roles: staff.roles(id).map((r) => ({ branch: r.code, role: r.role })) };
  };

  app.get('/staff', { schema: { summary: 'Staff accounts within the branches you administer', response: { 200: Type.Array(StaffReply), ...errors(401, 403) } } },
    async (request) => {
      const access = adminAccess(request);
      const mine = access.branchesWith('admin');
      const ids = db.prepare('SELECT id FROM staff ORDER BY username').pluck().all() as number[];
      return ids.filter((id) => {
        const roles = staff.roles(id);
        return roles.length === 0 || roles.some((r) => mine.has(r.branch_id));
      }).map(toReply);
    });

  app.post('/staff', {
    schema: { summary: 'Create a staff account with a role at a branch', body: CreateStaffBody, response: { 201: StaffReply, ...errors(400, 401, 403, 409) } },
  }, async (request, reply) => {
    const access = adminAccess(request);
    const b = request.body;
    const branch = branches.byCode(b.branch);
    if (!branch) throw new HttpError(400, 'UNKNOWN_BRANCH', `There is no branch '${b.branch}'`);
    access.require('admin', branch.id, 'create staff accounts');
    const displayName = visibleText(b.display_name, 'display_name');
    if (staff.byUsername(b.username)) throw new HttpError(409, 'USERNAME_TAKEN', `The username '${b.username}' is taken`);
    const hash = await hashPassword(b.password);
    const id = db.transaction(() => {
      const created = staff.create(b.username, hash, displayName);
      staff.setRole(created, branch.id, b.role);
      return created;
    })();
    audit(services, request, access, 'staff.create', b.username, { branch: branch.code, role: b.role });
    return reply.code(201).send(toReply(id));
  });

  for (const [action, active] of [['disable', 0], ['enable', 1]] as const) {
    app.post(`/staff/:username/${action}`, {
      schema: { summary: `${action === 'disable' ? 'Disable' : 'Enable'} a staff account`, params: UsernameParam, response: { 200: StaffReply, ...errors(400, 401, 403, 404, 409) } },
    }, async (request) => {
      const access = adminAccess(request);
      const row = manageable(access, request.params.username);
      if (row.id === access.staff.id) throw new HttpError(409, 'OWN_ACCOUNT', 'You cannot disable your own account');
      db.transaction(() => {
        db.prepare('UPDATE staff SET active = ? WHERE id = ?').run(active, row.id);
        // A disabled account's logins end now, not when their cookies expire.
        if (!active) auth.revokeAll(row.id);
      })();
      audit(services, request, access, `staff.${action}`, row.username);
      return toReply(row.id);
    });
  }

  app.post('/staff/:username/password', {
    schema: { summary: 'Set a new password (ends the account\'s logins)', params: UsernameParam, body: PasswordBody, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const access = adminAccess(request);
    const row = manageable(access, request.params.username);
    const hash = await hashPassword(request.body.password);
    db.transaction(() => {
      db.prepare('UPDATE staff SET password_hash = ? WHERE id = ?').run(hash, row.id);
      auth.revokeAll(row.id);
    })();
    audit(services, request, access, 'staff.password_reset', row.username);
    return reply.code(204).send(null);
  });

  app.post('/staff/:username/roles', {
    schema: { summary: 'Give, change or remove (role null) an account\'s role at a branch', params: UsernameParam, body: RoleBody,
      response: { 200: StaffReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const access = adminAccess(request);
    const row = staff.byUsername(request.params.username);
    if (!row) throw notFound(`Staff account '${request.params.username}'`);
    const branch = branches.byCode(request.body.branch);
    if (!branch) throw new HttpError(400, 'UNKNOWN_BRANCH', `There is no branch '${request.body.branch}'`);
    access.require('admin', branch.id, 'change roles');
    if (row.installation_admin && !access.staff.installationAdmin) throw forbidden(`${row.username} administers the whole installation`);
    if (row.id === access.staff.id) throw new HttpError(409, 'OWN_ACCOUNT', 'You cannot change your own roles');
    if (request.body.role) staff.setRole(row.id, branch.id, request.body.role);
    else db.prepare('DELETE FROM staff_roles WHERE staff_id = ? AND branch_id = ?').run(row.id, branch.id);
    audit(services, request, access, 'staff.role', row.username, { branch: branch.code, role: request.body.role });
    return toReply(row.id);
  });

  const workstationRows = (ids: Set<number>) => (db.prepare(`SELECT w.name, b.code AS branch, s.username AS registered_by, w.registered_at, w.retired_at, w.branch_id
    FROM workstations w JOIN branches b ON b.id = w.branch_id JOIN staff s ON s.id = w.registered_by ORDER BY w.name`).all() as
    { name: string; branch: string; registered_by: string; registered_at: string; retired_at: string | null; branch_id: number }[])
    .filter((w) => ids.has(w.branch_id)).map(({ branch_id: _b, ...w }) => w);

  app.get('/workstations', { schema: { summary: 'Workstations of the branches you administer', response: { 200: Type.Array(WorkstationAdminReply), ...errors(401, 403) } } },
    async (request) => workstationRows(adminAccess(request).branchesWith('admin')));

  function workstationFor(access: Access, name: string) {
    const row = db.prepare('SELECT id, name, branch_id, retired_at FROM workstations WHERE name = ?').get(name) as
      { id: number; name: string; branch_id: number; retired_at: string | null } | undefined;
    if (!row || !access.branchesWith('admin').has(row.branch_id)) throw notFound(`Workstation '${name}'`);
    return row;
  }

  app.post('/workstations/:name/rename', {
    schema: { summary: 'Rename a workstation (its past transactions keep the name they were recorded under)', params: WorkstationParam, body: RenameBody,
      response: { 200: WorkstationAdminReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const access = adminAccess(request);
    const ws = workstationFor(access, request.params.name);
    if (db.prepare('SELECT 1 FROM workstations WHERE name = ?').get(request.body.name)) {
      throw new HttpError(409, 'WORKSTATION_EXISTS', `A workstation is already named '${request.body.name}'`);
    }
    db.prepare('UPDATE workstations SET name = ? WHERE id = ?').run(request.body.name, ws.id);
    audit(services, request, access, 'workstation.rename', ws.name, { to: request.body.name });
    return workstationRows(access.branchesWith('admin')).find((w) => w.name === request.body.name)!;
  });

  app.post('/workstations/:name/retire', {
    schema: { summary: 'Retire a workstation: its name cannot be registered again', params: WorkstationParam, response: { 200: WorkstationAdminReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const access = adminAccess(request);
    const ws = workstationFor(access, request.params.name);
    if (ws.retired_at) throw new HttpError(409, 'WORKSTATION_RETIRED', `Workstation '${ws.name}' is already retired`);
    db.prepare('UPDATE workstations SET retired_at = ? WHERE id = ?').run(new Date().toISOString(), ws.id);
    audit(services, request, access, 'workstation.retire', ws.name);
    return workstationRows(access.branchesWith('admin')).find((w) => w.name === ws.name)!;
  });

  app.get('/audit', { schema: { summary: 'The audit trail, newest first', querystring: AuditQuery, response: { 200: AuditReply, ...errors(400, 401, 403) } } },
    async (request) => {
      adminAccess(request);
      const { limit, offset, ...filter } = request.query;
      return services.audit.page({ ...filter, limit: Math.min(Number(limit ?? 100), 1000), offset: Number(offset ?? 0) });
    });

  app.get('/audit.csv', {
    schema: { summary: 'The audit trail as CSV: every entry matching the filter, oldest first', querystring: AuditExportQuery,
      response: { 200: { description: 'CSV, UTF-8, header row', content: { 'text/csv': { schema: Type.String() } } }, ...errors(400, 401, 403) } },
  }, async (request, reply) => {
    adminAccess(request);
    const filter = request.query;
    function* lines() {
      yield '\ufeffid,at,staff,workstation,action,target,details\r\n';
      for (const e of services.audit.iterate(filter)) yield [e.id, e.at, e.staff, e.workstation, e.action, e.target, e.details].map(csvCell).join(',') + '\r\n';
    }
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"');
    return reply.send(Readable.from(lines()) as never);
  });

  app.post('/import', {
    bodyLimit: 200 * 1024 * 1024,
    schema: { summary: 'Load branches, patrons and items from CSV text (all or nothing)', body: ImportBody, response: { 200: ImportReply, ...errors(401, 403, 413), 400: ImportRejected } },
  }, async (request, reply) => {
    const access = authenticate(services, request);
    // Library data spans branches: only an administrator of a whole library system loads it.
    const roots = branches.all().filter((b) => b.parent_id === null);
    if (!access.staff.installationAdmin && !roots.some((r) => access.branchesWith('admin').has(r.id))) {
      throw forbidden('Loading library data needs the admin role at a library system');
    }
    const report = importLibraryData(db, request.body);
    if (!report.ok) {
      // A refused import changed nothing, so it leaves no trace (like every other refused request).
      return reply.code(400).send({ code: 'IMPORT_REJECTED', message: `${report.errors.length} bad row(s): nothing was imported`, errors: report.errors });
    }
    audit(services, request, access, 'library.import', Object.keys(request.body).join(','), { ok: report.ok, counts: report.counts, errors: report.errors.length });
    return report;
  });
};
