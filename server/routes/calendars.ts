import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../../shared/schemas/common.js';
import { BranchCalendar, BranchParam, ClosureBody, ClosureParams } from '../../shared/schemas/calendars.js';
import { isLocalDate } from '../../shared/library-time.js';
import { HttpError, refusal, notFound, visibleText } from '../http-error.js';
import { defaultTimeZone } from '../config.js';

/**
 * Branch calendars (SPEC §3, library time): each branch's zone, opening hours and closures,
 * for the branches an administrator administers; closures are added and removed here, while
 * zones and weekly hours come from the import (npm run import -- --branches/--hours/--closed).
 */
export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { branches, closures } = app;

  const calendarOf = (branchId: number) => closures.calendars([branchId], defaultTimeZone())[0];

  /** The branch, if the caller administers it (a system's administrator administers its branches). */
  function administered(request: FastifyRequest, code: string) {
    const branch = branches.byCode(code);
    if (!branch) throw notFound(`Branch '${code}'`);
    request.access.require(request.need, branch.id);
    return branch;
  }

  app.get('/calendars', {
    config: { access: { role: 'admin', to: 'view branch calendars' } },
    schema: { summary: 'The calendars of the branches you administer: time zone, opening hours, closures', response: { 200: Type.Array(BranchCalendar), ...errors(401, 403) } },
  }, async (request) => closures.calendars(request.access.branchesWith('admin'), defaultTimeZone()));

  app.post('/calendars/:code/closures', {
    config: { access: { role: 'admin', to: 'change branch calendars' } },
    schema: { summary: 'Close a branch (or a whole library system) from one date to another, with a reason', params: BranchParam, body: ClosureBody,
      response: { 201: BranchCalendar, ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const branch = administered(request, request.params.code);
    const { first_date: first, last_date: last = first } = request.body;
    const reason = visibleText(request.body.reason, 'reason');
    for (const [field, value] of [['first_date', first], ['last_date', last]] as const) {
      if (!isLocalDate(value)) throw new HttpError(400, 'BAD_REQUEST', `Invalid body: '${field}' ${value} is not a calendar date`);
    }
    if (last < first) throw refusal(400, 'BAD_REQUEST', 'closureReversed', { first, last });
    const existing = closures.startingOn(branch.id, first);
    if (existing) {
      throw refusal(409, 'CLOSURE_EXISTS', 'closureExists', { branch: branch.code, first: existing.first_date, last: existing.last_date, reason: existing.reason });
    }
    const id = closures.add(branch.id, first, last, reason);
    request.audit('calendar.closure_add', branch.code, { id, first_date: first, last_date: last, reason });
    return reply.code(201).send(calendarOf(branch.id));
  });

  app.post('/calendars/:code/closures/:id/remove', {
    config: { access: { role: 'admin', to: 'change branch calendars' } },
    schema: { summary: 'Remove a closure entered at this branch (or system)', params: ClosureParams,
      response: { 200: BranchCalendar, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const branch = administered(request, request.params.code);
    const closure = closures.byId(branch.id, Number(request.params.id));
    if (!closure) throw notFound(`Closure ${request.params.id} of ${branch.code}`);
    closures.remove(closure.id);
    request.audit('calendar.closure_remove', branch.code, { ...closure });
    return calendarOf(branch.id);
  });
};
