import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { OfflineTransactionByType } from '../../shared/schemas/transaction.js';
import { ProcessProgress, UploadRecord } from '../../shared/schemas/sessions.js';
import { COOKIE_NAME, describeAccess } from './access-control.js';

/**
 * Schemas the document shows as something other than what requests are validated with.
 * An upload's records are validated one by one by the shared validator, so that a bad
 * record is rejected alone (SPEC §5): the body's schema lets each record through, and the
 * document says what a record must be to be accepted.
 */
const DOCUMENTED_AS = new Map<unknown, object>([
  [UploadRecord, { $ref: '#/components/schemas/OfflineTransaction' }],
]);

/** The schema with every node DOCUMENTED_AS names replaced; the route's own schema is left as it is. */
function documented(schema: unknown): unknown {
  const replacement = DOCUMENTED_AS.get(schema);
  if (replacement) return replacement;
  if (Array.isArray(schema)) {
    const items = schema.map(documented);
    return items.some((item, i) => item !== schema[i]) ? items : schema;
  }
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).map(([key, value]) => [key, documented(value)] as const);
  return entries.some(([key, value]) => value !== (schema as Record<string, unknown>)[key]) ? Object.fromEntries(entries) : schema;
}

/**
 * The OpenAPI document, generated from the routes' TypeBox schemas (shared/schemas/), so a
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
      components: {
        securitySchemes: { cookie: { type: 'apiKey', in: 'cookie', name: COOKIE_NAME } },
        schemas: { OfflineTransaction: OfflineTransactionByType, ProcessProgress },
      },
      security: [{ cookie: [] }],
    },
    hideUntagged: false,
    transform: ({ schema, url, route }) => {
      const shown = documented(schema) as typeof schema & { description?: string };
      // Each operation says who may call it, as its route declares.
      const declared = route.config?.access;
      if (!declared) return { schema: shown, url };
      const access = `Needs ${describeAccess(declared)}.`;
      return { schema: { ...shown, description: shown.description ? `${shown.description} ${access}` : access }, url };
    },
  });
}
