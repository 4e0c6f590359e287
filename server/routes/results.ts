import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { errors, IdParam } from '../../shared/schemas/common.js';
import {
  Correction, FollowUps, ResultsCsvQuery, ResultsPage, ResultsQuery, RetryAllBody, RetryAllReply, RetryReply, TransactionDetail, TxParams, VoidBody,
} from '../../shared/schemas/results.js';
import { notFound, visibleText } from '../http-error.js';
import { sessionAccess } from '../domain/session-access.js';
import { resultsCsv } from '../domain/results-csv.js';
import { matchLanguage } from '../i18n/languages.js';

/** Reading and working a session's results: filters, one transaction, fix-and-retry, void, follow-ups, CSV. */
export const resultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { results, corrections } = app;
  const { sessionFor } = sessionAccess(app);

  app.get('/sessions/:id/results', {
    config: { access: { role: 'admin', to: 'read results' } },
    schema: { summary: 'A session’s results in processing order, filtered', params: IdParam, querystring: ResultsQuery,
      response: { 200: ResultsPage, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    const { limit, offset, ...filter } = request.query;
    return results.page(row.id, { ...filter, limit: Math.min(Number(limit ?? 100), 1000), offset: Number(offset ?? 0) });
  });

  app.get('/sessions/:id/results.csv', {
    config: { access: { role: 'admin', to: 'export results' } },
    schema: {
      summary: 'A session’s results as CSV, filtered; the explanations in `lang` (English unless given)', params: IdParam, querystring: ResultsCsvQuery,
      response: { 200: { description: 'Every result as CSV (UTF-8, header row)', content: { 'text/csv': { schema: Type.String() } } }, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    const { limit: _limit, offset: _offset, lang, ...filter } = request.query;
    const language = matchLanguage(lang);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-language', language);
    reply.header('content-disposition', `attachment; filename="session-${row.id}-results.csv"`);
    // A stream of CSV text: the typed reply expects the schema's string, which the stream produces piece by piece.
    return reply.send(Readable.from(resultsCsv(results.iterate(row.id, filter), language)) as never);
  });

  app.get('/sessions/:id/transactions/:txid', {
    config: { access: { role: 'admin', to: 'read results' } },
    schema: { summary: 'One transaction: the record, its result, notices and history', params: TxParams,
      response: { 200: TransactionDetail, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    const detail = results.detail(row.id, request.params.txid.toLowerCase());
    if (!detail) throw notFound(`Transaction ${request.params.txid} in session ${row.id}`);
    return detail;
  });

  app.post('/sessions/:id/transactions/:txid/retry', {
    config: { access: { role: 'admin', to: 'fix and retry transactions' } },
    schema: { summary: 'Retry an exception, corrected or not (the original stays in its history)', params: TxParams, body: Correction,
      response: { 200: RetryReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const { access } = request;
    const row = sessionFor(access, request.params.id, request.need);
    const txid = request.params.txid.toLowerCase();
    const correction = request.body ?? {};
    const result = corrections.retry(row.id, txid, access.staff.username, correction);
    request.audit(Object.keys(correction).length ? 'transaction.fix' : 'transaction.retry', txid,
      { session: row.id, correction, outcome: result.outcome, code: result.code });
    return result;
  });

  app.post('/sessions/:id/retry', {
    config: { access: { role: 'admin', to: 'retry transactions' } },
    schema: { summary: 'Retry every exception of the session with this code', params: IdParam, body: RetryAllBody,
      response: { 200: RetryAllReply, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    const { access } = request;
    const row = sessionFor(access, request.params.id, request.need);
    const tally = corrections.retryAll(row.id, request.body.code, access.staff.username);
    request.audit('transaction.retry_all', `session ${row.id}`, { code: request.body.code, ...tally });
    return tally;
  });

  app.post('/sessions/:id/transactions/:txid/void', {
    config: { access: { role: 'admin', to: 'void transactions' } },
    schema: { summary: 'Void a transaction that was not applied, with a reason', params: TxParams, body: VoidBody,
      response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const { access } = request;
    const row = sessionFor(access, request.params.id, request.need);
    const txid = request.params.txid.toLowerCase();
    const reason = visibleText(request.body.reason, 'reason');
    corrections.void(row.id, txid, access.staff.username, reason);
    request.audit('transaction.void', txid, { session: row.id, reason });
    return reply.code(204).send(null);
  });

  app.get('/sessions/:id/follow-ups', {
    config: { access: { role: 'circulation', to: 'read the follow-up list' } },
    schema: { summary: 'What staff must physically do after processing, by branch', params: IdParam,
      response: { 200: FollowUps, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    return results.followUps(row.id);
  });
};
