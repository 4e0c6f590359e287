import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { errors } from '../../shared/schemas/common.js';
import { AuditExportQuery, AuditPage, AuditQuery } from '../../shared/schemas/audit.js';
import { csvCell } from '../domain/results-csv.js';

/** The audit trail of administrative actions, for administrators. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', {
    config: { access: { role: 'admin', to: 'read the audit trail' } },
    schema: { summary: 'The audit trail, newest first', querystring: AuditQuery, response: { 200: AuditPage, ...errors(400, 401, 403) } },
  }, async (request) => {
    const { limit, offset, ...filter } = request.query;
    return app.audit.page({ ...filter, limit: Math.min(Number(limit ?? 100), 1000), offset: Number(offset ?? 0) });
  });

  app.get('/audit.csv', {
    config: { access: { role: 'admin', to: 'export the audit trail' } },
    schema: { summary: 'The audit trail as CSV: every entry matching the filter, oldest first', querystring: AuditExportQuery,
      response: { 200: { description: 'CSV, UTF-8, header row', content: { 'text/csv': { schema: Type.String() } } }, ...errors(400, 401, 403) } },
  }, async (request, reply) => {
    const entries = app.audit.iterate(request.query);
    function* lines() {
      yield '\ufeffid,at,staff,workstation,action,target,details\r\n';
      for (const e of entries) yield [e.id, e.at, e.staff, e.workstation, e.action, e.target, e.details].map(csvCell).join(',') + '\r\n';
    }
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"');
    return reply.send(Readable.from(lines()) as never);
  });
};
