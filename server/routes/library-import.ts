import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../shared/schemas/common.js';
import { ImportBody, ImportRejected, ImportReport } from '../../shared/schemas/library-import.js';
import { forbidden } from '../http-error.js';

/** Loading a library's own branches, patrons and items (the same import as `npm run import`). */
export const libraryImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/import', {
    bodyLimit: 200 * 1024 * 1024,
    config: { access: { role: 'admin', to: 'load library data' } },
    schema: { summary: 'Load branches, patrons and items from CSV text (all or nothing)', body: ImportBody,
      response: { 200: ImportReport, ...errors(401, 403, 413), 400: ImportRejected } },
  }, async (request, reply) => {
    const { access } = request;
    // Library data spans branches: only an administrator of a whole library system loads it.
    const mine = access.branchesWith('admin');
    if (!access.staff.installationAdmin && !app.branches.roots().some((r) => mine.has(r.id))) {
      throw forbidden('Loading library data needs the admin role at a library system');
    }
    const report = app.libraryImport.run(request.body);
    if (!report.ok) {
      // A refused import changed nothing, so it leaves no trace (like every other refused request).
      return reply.code(400).send({ code: 'IMPORT_REJECTED', message: `${report.errors.length} bad row(s): nothing was imported`, errors: report.errors });
    }
    request.audit('library.import', Object.keys(request.body).join(','), { ok: report.ok, counts: report.counts, errors: report.errors.length });
    return report;
  });
};
