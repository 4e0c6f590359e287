import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { errors, IdParam } from '../../shared/schemas/common.js';
import { ExportQuery, ExportSummary, ExportSummaryQuery } from '../../shared/schemas/export.js';
import { sessionAccess } from '../domain/session-access.js';
import { CONTENT_TYPES } from '../export/session-export.js';
import { matchLanguage } from '../i18n/languages.js';

/**
 * A session as a file for the library system (SPEC §4): Koha, Evergreen or this app's own.
 * The file holds only lines its system reads; what it does not carry is counted in the
 * reply's headers and listed in full by the summary (the same slices, written again).
 */
export const sessionExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sessionExport } = app;
  const { sessionFor } = sessionAccess(app);

  app.get('/sessions/:id/export', {
    config: { access: { role: 'admin', to: 'export sessions' } },
    schema: {
      summary: 'The session as a Koha, Evergreen or JSON lines file (an attachment); X-Not-Carried counts what the file does not carry, '
        + 'which GET …/export-summary lists',
      params: IdParam, querystring: ExportQuery,
      response: { 200: { description: 'The file', content: { 'text/plain': { schema: Type.String() }, 'application/x-ndjson': { schema: Type.String() } } },
        ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    const { format, outcome } = request.query;
    const plan = sessionExport.plan(row, format, outcome === 'applied');
    // Counted first, so the headers can say it before the file streams out.
    const summary = await sessionExport.summary(plan);
    const query = new URLSearchParams({ format, ...(outcome ? { outcome } : {}) });
    reply.header('content-type', CONTENT_TYPES[format]);
    reply.header('content-disposition', `attachment; filename="${plan.fileName}"`);
    reply.header('x-transactions', String(summary.transactions));
    reply.header('x-written', String(summary.written));
    reply.header('x-not-carried', String(summary.not_carried.length));
    reply.header('x-export-summary', `/api/sessions/${row.id}/export-summary?${query}`);
    request.audit('session.export', `session ${row.id}`, { format, outcome: summary.outcome, transactions: summary.transactions,
      written: summary.written, not_carried: summary.not_carried.length });
    const slices = sessionExport.slicesYielding(plan);
    return reply.send(Readable.from((async function* () { for await (const slice of slices) yield slice.text; })()) as never);
  });

  app.get('/sessions/:id/export-summary', {
    config: { access: { role: 'admin', to: 'export sessions' } },
    schema: { summary: 'What the session’s export in a format holds, and everything it does not carry (to do by hand in the library system), '
      + 'the reasons in `lang` (English unless given)',
      params: IdParam, querystring: ExportSummaryQuery, response: { 200: ExportSummary, ...errors(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    const language = matchLanguage(request.query.lang);
    reply.header('content-language', language);
    return await sessionExport.summary(sessionExport.plan(row, request.query.format, request.query.outcome === 'applied', language));
  });
};
