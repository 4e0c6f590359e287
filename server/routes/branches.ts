import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { BranchReply, WorkstationBody, WorkstationReply } from '../schemas/auth.js';
import { errors } from '../schemas/common.js';
import { authenticate } from '../auth-hook.js';
import { HttpError } from '../http-error.js';
import { nowIso } from '../db/open.js';
import { audit } from '../audit-context.js';

export const branchRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/branches', {
    schema: {
      summary: 'Branches and library systems; with for=workstation, only the branches where you may register a workstation, by name',
      querystring: Type.Object({ for: Type.Optional(Type.Literal('workstation')) }, { additionalProperties: false }),
      response: { 200: Type.Array(BranchReply), ...errors(400, 401) },
    },
  }, async (request) => {
    const access = authenticate(services, request);
    const all = services.branches.all();
    if (request.query.for !== 'workstation') return services.branches.toApi(all);
    const mine = access.branchesWith('circulation');
    const parents = new Set(all.map((b) => b.parent_id));
    const usable = all.filter((b) => mine.has(b.id) && !parents.has(b.id)).sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
    return services.branches.toApi(usable);
  });

  /** Registers this device as a workstation; registering the same name at the same branch again is harmless. */
  app.post('/workstations', {
    schema: { body: WorkstationBody, response: { 200: WorkstationReply, 201: WorkstationReply, ...errors(400, 401, 403, 409) } },
  }, async (request, reply) => {
    const access = authenticate(services, request);
    const branch = services.branches.byCode(request.body.branch);
    if (!branch) throw new HttpError(400, 'UNKNOWN_BRANCH', `There is no branch '${request.body.branch}'`);
    access.require('circulation', branch.id, 'register a workstation');
    // A desk stands in a branch: a library system with branches of its own is not a place.
    if (services.branches.all().some((b) => b.parent_id === branch.id)) {
      throw new HttpError(400, 'NOT_A_BRANCH', `'${branch.code}' is a library system; register the workstation at one of its branches`);
    }
    const existing = services.db.prepare('SELECT branch_id, retired_at FROM workstations WHERE name = ?').get(request.body.name) as { branch_id: number; retired_at: string | null } | undefined;
    if (existing?.retired_at) {
      throw new HttpError(409, 'WORKSTATION_RETIRED', `Workstation '${request.body.name}' was retired; register this device under a new name`);
    }
    if (existing) {
      if (existing.branch_id !== branch.id) {
        throw new HttpError(409, 'WORKSTATION_EXISTS', `Workstation '${request.body.name}' is already registered at another branch`);
      }
      return reply.code(200).send({ name: request.body.name, branch: branch.code });
    }
    services.db.prepare('INSERT INTO workstations (name, branch_id, registered_by, registered_at) VALUES (?, ?, ?, ?)')
      .run(request.body.name, branch.id, access.staff.id, nowIso());
    audit(services, request, access, 'workstation.register', request.body.name, { branch: branch.code });
    return reply.code(201).send({ name: request.body.name, branch: branch.code });
  });
};
