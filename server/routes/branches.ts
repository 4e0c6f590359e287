import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Branch, BranchesQuery } from '../../shared/schemas/branches.js';
import { errors } from '../../shared/schemas/common.js';

export const branchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/branches', {
    config: { access: 'login' },
    schema: {
      summary: 'Branches and library systems; for=workstation: where you may register a workstation, by name; for=admin: the branches you administer',
      querystring: BranchesQuery,
      response: { 200: Type.Array(Branch), ...errors(400, 401) },
    },
  }, async (request) => {
    const all = app.branches.all();
    switch (request.query.for) {
      case undefined: return app.branches.toApi(all);
      case 'admin': {
        const mine = request.access.branchesWith('admin');
        return app.branches.toApi(all.filter((b) => mine.has(b.id)));
      }
      case 'workstation': {
        const mine = request.access.branchesWith('circulation');
        const places = app.branches.leafIds();
        const usable = all.filter((b) => mine.has(b.id) && places.has(b.id)).sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
        return app.branches.toApi(usable);
      }
    }
  });
};
