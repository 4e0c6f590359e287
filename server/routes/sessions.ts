import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../services.js';
import { errors, IdParam } from '../schemas/common.js';
import {
  CreateSessionBody, ListSessionsQuery, SessionDetailReply, SessionSummaryReply, UploadBody, UploadReplySchema,
} from '../schemas/sessions.js';
import { Type } from 'typebox';
import { authenticate } from '../auth-hook.js';
import { HttpError, notFound, visibleText } from '../http-error.js';
import { SessionStateError } from '../repo/sessions-repo.js';
import { sessionAccess } from '../domain/session-access.js';
import { audit } from '../audit-context.js';
import { isIsoInstant } from '../../shared/transaction.js';

const MAX_CLOCK_OFFSET_MS = 366 * 24 * 3600_000;

export const sessionRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { sessions, branches, processor } = services;

  const { visibleBranches, sessionFor } = sessionAccess(services);

  app.get('/sessions', {
    schema: { querystring: ListSessionsQuery, response: { 200: Type.Array(SessionSummaryReply), ...errors(400, 401) } },
  }, async (request) => {
    const access = authenticate(services, request);
    let visible = visibleBranches(access);
    if (request.query.branch) {
      // A desk asks for the sessions that cover its branch: the branch's own and its system's.
      const chain = new Set<number>();
      for (let b = branches.byCode(request.query.branch); b; b = b.parent_id === null ? undefined : branches.byId(b.parent_id)) chain.add(b.id);
      visible = new Set([...visible].filter((id) => chain.has(id)));
    }
    return sessions.list(visible, request.query.state);
  });

  app.post('/sessions', {
    schema: { body: CreateSessionBody, response: { 201: SessionSummaryReply, ...errors(400, 401, 403) } },
  }, async (request, reply) => {
    const access = authenticate(services, request);
    const branch = branches.byCode(request.body.branch);
    if (!branch) throw new HttpError(400, 'UNKNOWN_BRANCH', `There is no branch '${request.body.branch}'`);
    access.require('admin', branch.id, 'create sessions');
    const name = visibleText(request.body.name, 'name');
    const id = sessions.create(name, branch.id, access.staff.id, request.body.override_policy ?? true);
    audit(services, request, access, 'session.create', `session ${id}`, { name, branch: branch.code, override_policy: request.body.override_policy ?? true });
    return reply.code(201).send(sessions.summary(sessions.row(id)!));
  });

  app.get('/sessions/:id', {
    schema: { params: IdParam, response: { 200: SessionDetailReply, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const access = authenticate(services, request);
    const row = sessionFor(access, request.params.id, 'admin', 'view session details');
    return sessions.detail(row);
  });

  app.post('/sessions/:id/uploads', {
    bodyLimit: 4 * 1024 * 1024,
    schema: { params: IdParam, body: UploadBody, response: { 200: UploadReplySchema, ...errors(400, 401, 403, 404, 409, 413) } },
  }, async (request) => {
    const access = authenticate(services, request);
    const row = sessionFor(access, request.params.id, 'circulation', 'upload');
    // The schema checks the form; this checks it names a real instant (no month 13), as the clock offset needs one.
    if (!isIsoInstant(request.body.device_time)) {
      throw new HttpError(400, 'BAD_REQUEST', "Invalid body: 'device_time' must be a real ISO 8601 UTC time with milliseconds");
    }
    // A clock off by more than a year is not skew to correct but a device to fix: its times would land anywhere.
    if (Math.abs(Date.parse(request.body.device_time) - Date.now()) > MAX_CLOCK_OFFSET_MS) {
      throw new HttpError(400, 'DEVICE_CLOCK_WRONG', `The device's clock says ${request.body.device_time}; set its date and time, then upload again (nothing was stored)`);
    }
    try {
      return sessions.ingest(row.id, request.body.workstation, access.staff.username, request.body.device_time, request.body.transactions);
    } catch (err) {
      if (err instanceof SessionStateError) throw new HttpError(409, 'SESSION_NOT_OPEN', `Session “${row.name}” is ${err.state}; it no longer takes uploads. Pick an open session.`);
      throw err;
    }
  });

  app.post('/sessions/:id/process', {
    schema: { params: IdParam, response: { 202: SessionDetailReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const access = authenticate(services, request);
    const row = sessionFor(access, request.params.id, 'admin', 'process sessions');
    if (!sessions.lockForProcessing(row.id)) {
      const state = sessions.row(row.id)!.state;
      throw new HttpError(409, 'SESSION_NOT_OPEN', state === 'processing'
        ? `Session “${row.name}” is already being processed` : `Session “${row.name}” is ${state}; only an open session can be processed`);
    }
    audit(services, request, access, 'session.process', `session ${row.id}`, { name: row.name });
    processor.run(row.id).catch((err) => request.log.error({ err }, 'processing failed'));
    return reply.code(202).send(sessions.detail(sessions.row(row.id)!));
  });

  app.post('/sessions/:id/resume', {
    schema: { summary: 'Resume processing a session whose run stopped on an error', params: IdParam,
      response: { 202: SessionDetailReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const access = authenticate(services, request);
    const row = sessionFor(access, request.params.id, 'admin', 'process sessions');
    if (row.state !== 'processing') {
      throw new HttpError(409, 'BAD_SESSION_STATE', `Session “${row.name}” is ${row.state}; only a session whose processing stopped can be resumed`);
    }
    if (processor.isRunning(row.id)) throw new HttpError(409, 'SESSION_PROCESSING', `Session “${row.name}” is being processed right now`);
    audit(services, request, access, 'session.resume', `session ${row.id}`, { name: row.name, error: row.processing_error });
    processor.run(row.id).catch((err) => request.log.error({ err }, 'processing failed'));
    return reply.code(202).send(sessions.detail(sessions.row(row.id)!));
  });

  for (const [action, from, to] of [['close', 'processed', 'closed'], ['reopen', 'processed', 'open']] as const) {
    app.post(`/sessions/:id/${action}`, {
      schema: { params: IdParam, response: { 200: SessionSummaryReply, ...errors(400, 401, 403, 404, 409) } },
    }, async (request) => {
      const access = authenticate(services, request);
      const row = sessionFor(access, request.params.id, 'admin', `${action} sessions`);
      if (!sessions.transition(row.id, from, to)) {
        throw new HttpError(409, 'BAD_SESSION_STATE', `Session “${row.name}” is ${row.state}; only a ${from} session can be ${action === 'close' ? 'closed' : 'reopened'}`);
      }
      audit(services, request, access, `session.${action}`, `session ${row.id}`, { name: row.name });
      return sessions.summary(sessions.row(row.id)!);
    });
  }
};
