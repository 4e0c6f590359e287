import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { Services } from '../services.js';
import { errors, IdParam } from '../schemas/common.js';
import { ResultsQuery, ResultsReply } from '../schemas/sessions.js';
import {
  FollowUpsReply, RetryAllBody, RetryAllReply, RetryBody, RetryReply, TransactionDetailReply, TxParams, VoidBody,
} from '../schemas/results.js';
import { authenticate } from '../auth-hook.js';
import { notFound, visibleText } from '../http-error.js';
import { sessionAccess } from '../domain/session-access.js';
import { resultsCsv } from '../domain/results-csv.js';
import { audit } from '../audit-context.js';

/** Reading and working a session's results: filters, one transaction, fix-and-retry, void, follow-ups, CSV. */
export const resultRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { results, corrections } = services;
  const { sessionFor } = sessionAccess(services);

  app.get('/sessions/:id/results', {
    schema: { params: IdParam, querystring: ResultsQuery, response: { 200: ResultsReply, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const row = sessionFor(authenticate(services, request), request.params.id, 'admin', 'read results');
    const { limit, offset, ...filter } = request.query;
    return results.page(row.id, { ...filter, limit: Math.min(Number(limit ?? 100), 1000), offset: Number(offset ?? 0) });
  });

  app.get('/sessions/:id/results.csv', {
    schema: {
      params: IdParam, querystring: ResultsQuery,
      response: { 200: { description: 'Every result as CSV (UTF-8, header row)', content: { 'text/csv': { schema: Type.String() } } }, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const row = sessionFor(authenticate(services, request), request.params.id, 'admin', 'export results');
    const { limit: _limit, offset: _offset, ...filter } = request.query;
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="session-${row.id}-results.csv"`);
    // A stream of CSV text: the typed reply expects the schema's string, which the stream produces piece by piece.
    return reply.send(Readable.from(resultsCsv(results.iterate(row.id, filter))) as never);
  });

  app.get('/sessions/:id/transactions/:txid', {
    schema: { params: TxParams, response: { 200: TransactionDetailReply, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const row = sessionFor(authenticate(services, request), request.params.id, 'admin', 'read results');
    const detail = results.detail(row.id, request.params.txid.toLowerCase());
    if (!detail) throw notFound(`Transaction ${request.params.txid} in session ${row.id}`);
    return { ...detail, transaction: { ...detail.transaction } as Record<string, unknown> };
  });

  app.post('/sessions/:id/transactions/:txid/retry', {
    schema: { params: TxParams, body: RetryBody, response: { 200: RetryReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const access = authenticate(services, request);
    const row = sessionFor(access, request.params.id, 'admin', 'fix and retry transactions');
    const txid = request.params.txid.toLowerCase();
    const result = corrections.retry(row.id, txid, access.staff.username, request.body ?? {});
    audit(services, request, access, Object.keys(request.body ?? {}).length ? 'transaction.fix' : 'transaction.retry', txid,
      { session: row.id, correction: request.body ?? {}, outcome: result.outcome, code: result.code });
    return result;
  });

  app.post('/sessions/:id/retry', {
    schema: { params: IdParam, body: RetryAllBody, response: { 200: RetryAllReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const access = authenticate(services, request);
    const row = sessionFor(access, request.params.id, 'admin', 'retry transactions');
    const tally = corrections.retryAll(row.id, request.body.code, access.staff.username);
    audit(services, request, access, 'transaction.retry_all', `session ${row.id}`, { code: request.body.code, ...tally });
    return tally;
  });

  app.post('/sessions/:id/transactions/:txid/void', {
    schema: { params: TxParams, body: VoidBody, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const access = authenticate(services, request);
    const row = sessionFor(access, request.params.id, 'admin', 'void transactions');
    const txid = request.params.txid.toLowerCase();
    const reason = visibleText(request.body.reason, 'reason');
    corrections.void(row.id, txid, access.staff.username, reason);
    audit(services, request, access, 'transaction.void', txid, { session: row.id, reason });
    return reply.code(204).send(null);
  });

  app.get('/sessions/:id/follow-ups', {
    schema: { params: IdParam, response: { 200: FollowUpsReply, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const row = sessionFor(authenticate(services, request), request.params.id, 'circulation', 'read the follow-up list');
    return results.followUps(row.id);
  });
};
