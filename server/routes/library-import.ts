import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../shared/schemas/common.js';
import { COMPLETE_FILES, IMPORT_FILES, ImportBody, ImportRejected, ImportReport } from '../../shared/schemas/library-import.js';
import { HttpError } from '../http-error.js';
import { requireSystemAdmin } from './system-admin.js';
import { parseAsOf } from '../import/times.js';

/** Loading a library's own data and state (the same import as `npm run import`). */
export const libraryImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/import', {
    bodyLimit: 200 * 1024 * 1024,
    config: { access: { role: 'admin', to: 'load library data' } },
    schema: { summary: 'Load branches, calendars, policies, patrons, items, loans, holds and bills from CSV text (all or nothing)', body: ImportBody,
      response: { 200: ImportReport, ...errors(401, 403, 413), 400: ImportRejected } },
  }, async (request, reply) => {
    const { access } = request;
    // Library data spans branches: only an administrator of a whole library system loads it.
    requireSystemAdmin(access, app.branches, 'Loading library data');
    const { as_of: asOfText, complete = false, ...files } = request.body;
    const kinds = IMPORT_FILES.filter((kind) => files[kind] !== undefined);
    if (kinds.length === 0) throw new HttpError(400, 'NO_FILES', `Give at least one file: ${IMPORT_FILES.join(', ')}`);
    if (complete && !kinds.some((kind) => (COMPLETE_FILES as readonly string[]).includes(kind))) {
      throw new HttpError(400, 'NOTHING_COMPLETE', `'complete' applies to the files ${COMPLETE_FILES.join(', ')}: give one of them`);
    }
    const asOf = parseAsOf(asOfText);
    if (!asOf.ok) throw new HttpError(400, 'BAD_AS_OF', `Invalid body: ${asOf.reason}`);
    const report = app.libraryImport.run(files, { asOf: asOf.asOf, complete, staff: access.staff.username });
    if (!report.ok) {
      // A refused import changed nothing, so it leaves no trace (like every other refused request).
      return reply.code(400).send({ code: 'IMPORT_REJECTED', message: `${report.errors.length} bad row(s): nothing was imported`, errors: report.errors });
    }
    request.audit('library.import', kinds.join(','), { ok: report.ok, as_of: report.as_of, complete, counts: report.counts, errors: report.errors.length });
    return report;
  });
};
