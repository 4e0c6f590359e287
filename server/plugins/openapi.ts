import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';

/**
 * The OpenAPI document, generated from the routes' TypeBox schemas, so a
 * library's own scripts can drive sessions, uploads and reports.
 */
export async function openapi(fastify: FastifyInstance): Promise<void> {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Offline Circulation API',
        version: '1',
        description: 'Sessions, uploads of offline transactions, processing, results and reports. '
          + 'Log in with POST /api/auth/login; the session cookie authenticates later requests. '
          + 'Errors are JSON { code, message }.',
      },
      components: { securitySchemes: { cookie: { type: 'apiKey', in: 'cookie', name: 'oc_session' } } },
      security: [{ cookie: [] }],
    },
    hideUntagged: false,
  });
}
