import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../../shared/schemas/health.js';

/** Whether the server answers: the app's reachability check and a monitor's probe. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { config: { access: 'public' }, schema: { summary: 'Whether the server is up', security: [], response: { 200: Health } } },
    async () => ({ ok: true, time: new Date().toISOString() }));
};
