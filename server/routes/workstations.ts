import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../shared/schemas/common.js';
import { RenameBody, Workstation, WorkstationBody, WorkstationParam, WorkstationRecord } from '../../shared/schemas/workstations.js';
import { refusal, notFound, unknownBranch } from '../http-error.js';
import type { Access } from '../domain/access.js';

/**
 * Workstations: a device registers itself once at its branch; administrators list,
 * rename and retire the workstations of the branches they administer.
 */
export const workstationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { workstations, branches } = app;

  /** Registering the same name at the same branch again is harmless. */
  app.post('/workstations', {
    config: { access: { role: 'circulation', to: 'register a workstation' } },
    schema: { summary: 'Register this device as a workstation at a branch', body: WorkstationBody,
      response: { 200: Workstation, 201: Workstation, ...errors(400, 401, 403, 409) } },
  }, async (request, reply) => {
    const { access } = request;
    const branch = branches.byCode(request.body.branch);
    if (!branch) throw unknownBranch(request.body.branch);
    access.require(request.need, branch.id);
    // A desk stands in a branch: a library system with branches of its own is not a place.
    if (!branches.leafIds().has(branch.id)) {
      throw refusal(400, 'NOT_A_BRANCH', 'notABranch', { branch: branch.code });
    }
    const existing = workstations.byName(request.body.name);
    if (existing?.retired_at) {
      throw refusal(409, 'WORKSTATION_RETIRED', 'workstationRetired', { name: request.body.name });
    }
    if (existing) {
      if (existing.branch_id !== branch.id) {
        throw refusal(409, 'WORKSTATION_EXISTS', 'workstationElsewhere', { name: request.body.name });
      }
      return reply.code(200).send({ name: request.body.name, branch: branch.code });
    }
    workstations.register(request.body.name, branch.id, access.staff.id);
    request.audit('workstation.register', request.body.name, { branch: branch.code });
    return reply.code(201).send({ name: request.body.name, branch: branch.code });
  });

  app.get('/workstations', {
    config: { access: { role: 'admin', to: 'list workstations' } },
    schema: { summary: 'Workstations of the branches you administer', response: { 200: Type.Array(WorkstationRecord), ...errors(401, 403) } },
  }, async (request) => workstations.records(request.access.branchesWith('admin')));

  /** A workstation of a branch this admin administers; any other is not found, so names elsewhere are not revealed. */
  function administered(access: Access, name: string) {
    const row = workstations.byName(name);
    if (!row || !access.branchesWith('admin').has(row.branch_id)) throw notFound(`Workstation '${name}'`);
    return row;
  }

  app.post('/workstations/:name/rename', {
    config: { access: { role: 'admin', to: 'rename workstations' } },
    schema: { summary: 'Rename a workstation (its past transactions keep the name they were recorded under)', params: WorkstationParam, body: RenameBody,
      response: { 200: WorkstationRecord, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const ws = administered(request.access, request.params.name);
    if (workstations.byName(request.body.name)) {
      throw refusal(409, 'WORKSTATION_EXISTS', 'workstationNameTaken', { name: request.body.name });
    }
    workstations.rename(ws.id, request.body.name);
    request.audit('workstation.rename', ws.name, { to: request.body.name });
    return workstations.record(request.body.name)!;
  });

  app.post('/workstations/:name/retire', {
    config: { access: { role: 'admin', to: 'retire workstations' } },
    schema: { summary: 'Retire a workstation: its name cannot be registered again', params: WorkstationParam,
      response: { 200: WorkstationRecord, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const ws = administered(request.access, request.params.name);
    if (ws.retired_at) throw refusal(409, 'WORKSTATION_RETIRED', 'workstationAlreadyRetired', { name: ws.name });
    workstations.retire(ws.id);
    request.audit('workstation.retire', ws.name);
    return workstations.record(ws.name)!;
  });
};
