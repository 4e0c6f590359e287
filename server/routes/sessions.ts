import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors, IdParam } from '../../shared/schemas/common.js';
import {
  CreateSessionBody, ListSessionsQuery, SessionDetail, SessionSummary, UploadBody, UploadReply,
} from '../../shared/schemas/sessions.js';
import { HttpError, refusal, unknownBranch, visibleText } from '../http-error.js';
import { SessionStateError } from '../repo/sessions-repo.js';
import { sessionAccess } from '../domain/session-access.js';
import { isIsoInstant } from '../../shared/transaction.js';

const MAX_CLOCK_OFFSET_MS = 366 * 24 * 3600_000;

/** Offline sessions: list, create, upload into, process, resume, close and reopen. */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sessions, branches, processor } = app;
  const { visibleBranches, sessionFor } = sessionAccess(app);

  /** Records the action and runs the session in the background; the reply (202) shows where it starts. */
  function startRun(request: FastifyRequest, reply: FastifyReply, row: { id: number }, action: string, details: Record<string, unknown>) {
    request.audit(action, `session ${row.id}`, details);
    processor.run(row.id).catch((err) => request.log.error({ err }, 'processing failed'));
    return reply.code(202).send(sessions.detail(sessions.row(row.id)!));
  }

  app.get('/sessions', {
    config: { access: 'login' },
    schema: { summary: 'The sessions you can see; with branch, those covering that branch (its own and its library system’s)',
      querystring: ListSessionsQuery, response: { 200: Type.Array(SessionSummary), ...errors(400, 401) } },
  }, async (request) => {
    let visible = visibleBranches(request.access);
    if (request.query.branch) {
      // A desk asks for the sessions that cover its branch: the branch's own and its system's.
      const branch = branches.byCode(request.query.branch);
      const chain = branch ? branches.withAncestors([branch.id]) : new Set<number>();
      visible = new Set([...visible].filter((id) => chain.has(id)));
    }
    return sessions.list(visible, request.query.state);
  });

  app.post('/sessions', {
    config: { access: { role: 'admin', to: 'create sessions' } },
    schema: { summary: 'Create a session for a branch or a whole library system', body: CreateSessionBody,
      response: { 201: SessionSummary, ...errors(400, 401, 403) } },
  }, async (request, reply) => {
    const { access } = request;
    const branch = branches.byCode(request.body.branch);
    if (!branch) throw unknownBranch(request.body.branch);
    access.require(request.need, branch.id);
    const name = visibleText(request.body.name, 'name');
    const overridePolicy = request.body.override_policy ?? true;
    const id = sessions.create(name, branch.id, access.staff.id, overridePolicy);
    request.audit('session.create', `session ${id}`, { name, branch: branch.code, override_policy: overridePolicy });
    return reply.code(201).send(sessions.summary(sessions.row(id)!));
  });

  app.get('/sessions/:id', {
    config: { access: { role: 'admin', to: 'view session details' } },
    schema: { summary: 'A session with its uploads, progress and counts by code', params: IdParam,
      response: { 200: SessionDetail, ...errors(400, 401, 403, 404) } },
  }, async (request) => sessions.detail(sessionFor(request.access, request.params.id, request.need)));

  app.post('/sessions/:id/uploads', {
    bodyLimit: 4 * 1024 * 1024,
    config: { access: { role: 'circulation', to: 'upload' } },
    schema: { summary: 'Upload a workstation’s offline transactions into an open session: each record is accepted, a duplicate, or rejected alone',
      params: IdParam, body: UploadBody, response: { 200: UploadReply, ...errors(400, 401, 403, 404, 409, 413) } },
  }, async (request) => {
    const { access } = request;
    const row = sessionFor(access, request.params.id, request.need);
    // The schema checks the form; this checks it names a real instant (no month 13), as the clock offset needs one.
    if (!isIsoInstant(request.body.device_time)) {
      throw new HttpError(400, 'BAD_REQUEST', "Invalid body: 'device_time' must be a real ISO 8601 UTC time with milliseconds");
    }
    // A clock off by more than a year is not skew to correct but a device to fix: its times would land anywhere.
    if (Math.abs(Date.parse(request.body.device_time) - Date.now()) > MAX_CLOCK_OFFSET_MS) {
      throw refusal(400, 'DEVICE_CLOCK_WRONG', 'deviceClockWrong', { device_time: request.body.device_time });
    }
    try {
      return sessions.ingest(row.id, request.body.workstation, access.staff.username, request.body.device_time, request.body.transactions);
    } catch (err) {
      if (err instanceof SessionStateError) throw refusal(409, 'SESSION_NOT_OPEN', 'sessionTakesNoUploads', { name: row.name, state: err.state ?? 'gone' });
      throw err;
    }
  });

  app.post('/sessions/:id/process', {
    config: { access: { role: 'admin', to: 'process sessions' } },
    schema: { summary: 'Process an open session: apply every pending transaction in order, in the background', params: IdParam,
      response: { 202: SessionDetail, ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    if (!sessions.lockForProcessing(row.id)) {
      const state = sessions.row(row.id)!.state;
      throw state === 'processing' ? refusal(409, 'SESSION_NOT_OPEN', 'sessionAlreadyProcessing', { name: row.name })
        : refusal(409, 'SESSION_NOT_OPEN', 'sessionNotOpenToProcess', { name: row.name, state });
    }
    return startRun(request, reply, row, 'session.process', { name: row.name });
  });

  app.post('/sessions/:id/resume', {
    config: { access: { role: 'admin', to: 'process sessions' } },
    schema: { summary: 'Resume processing a session whose run stopped on an error', params: IdParam,
      response: { 202: SessionDetail, ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    if (row.state !== 'processing') {
      throw refusal(409, 'BAD_SESSION_STATE', 'sessionNotStopped', { name: row.name, state: row.state });
    }
    if (processor.isRunning(row.id)) throw refusal(409, 'SESSION_PROCESSING', 'sessionProcessingNow', { name: row.name });
    return startRun(request, reply, row, 'session.resume', { name: row.name, error: row.processing_error });
  });

  for (const [action, from, to] of [['close', 'processed', 'closed'], ['reopen', 'processed', 'open']] as const) {
    app.post(`/sessions/:id/${action}`, {
      config: { access: { role: 'admin', to: `${action} sessions` } },
      schema: { summary: action === 'close' ? 'Close (archive) a processed session' : 'Reopen a processed session for late uploads', params: IdParam,
        response: { 200: SessionSummary, ...errors(400, 401, 403, 404, 409) } },
    }, async (request) => {
      const row = sessionFor(request.access, request.params.id, request.need);
      if (!sessions.transition(row.id, from, to)) {
        throw refusal(409, 'BAD_SESSION_STATE', action === 'close' ? 'sessionCannotClose' : 'sessionCannotReopen', { name: row.name, state: row.state });
      }
      request.audit(`session.${action}`, `session ${row.id}`, { name: row.name });
      return sessions.summary(sessions.row(row.id)!);
    });
  }
};
