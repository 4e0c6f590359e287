/**
 * The application as a Fastify plugin: the server process registers it,
 * and tests build it around a temporary database and call it with `inject`.
 */
import type { FastifyInstance, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import type { Services } from './services.js';
import { HttpError } from './http-error.js';
import { apiErrorText } from '../shared/api-errors.js';
import { auditTrail } from './audit-context.js';
import { LONE_SURROGATE } from '../shared/transaction.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth.js';
import { branchRoutes } from './routes/branches.js';
import { workstationRoutes } from './routes/workstations.js';
import { sessionRoutes } from './routes/sessions.js';
import { resultRoutes } from './routes/results.js';
import { progressRoutes } from './routes/progress.js';
import { snapshotRoutes } from './routes/snapshot.js';
import { staffRoutes } from './routes/staff.js';
import { auditRoutes } from './routes/audit.js';
import { libraryImportRoutes } from './routes/library-import.js';
import { apiDocsRoutes } from './routes/api-docs.js';
import { calendarRoutes } from './routes/calendars.js';
import { policyRoutes } from './routes/policies.js';
import { sessionExportRoutes } from './routes/session-export.js';
import { securityHeaders } from './plugins/security-headers.js';
import { originCheck } from './plugins/origin-check.js';
import { openapi } from './plugins/openapi.js';
import { decorateServices } from './plugins/services.js';
import { accessControl } from './plugins/access-control.js';
import { loadLanguages } from './i18n/languages.js';
import { schemaController } from './schema-compilers.js';

export interface AppOptions { services: Services; staticDir?: string; tls?: boolean }

export async function app(fastify: FastifyInstance, { services, staticDir, tls = false }: AppOptions): Promise<void> {
  await fastify.register(cookie);
  await loadLanguages();
  await securityHeaders(fastify, { tls });
  await originCheck(fastify);
  await openapi(fastify);
  decorateServices(fastify, services);
  // JSON bodies only: text/plain is a type a cross-site HTML form can send without a CORS preflight.
  fastify.removeContentTypeParser('text/plain');
  auditTrail(fastify);
  fastify.addHook('preValidation', async (request) => {
    // An upload's records are checked one by one (a bad one is rejected alone), so they are not checked here.
    const skip = request.routeOptions.url === '/api/sessions/:id/uploads' ? 'transactions' : undefined;
    const where = illFormedText(request.body, skip);
    if (where !== undefined) {
      throw new HttpError(400, 'BAD_REQUEST', `Invalid body: ${where ? `'${where}' ` : ''}is not well-formed Unicode text (it holds a lone surrogate)`);
    }
  });

  fastify.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ code: error.code, message: error.message,
        ...(error.say ? { message_key: error.say.key, ...(error.say.params ? { params: error.say.params } : {}) } : {}) });
    }
    if ('validation' in error && error.validation) {
      return reply.code(400).send({ code: 'BAD_REQUEST', message: describeValidation(error) });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ code: 'INTERNAL_ERROR', message: apiErrorText('internalError', {}), message_key: 'internalError' });
    }
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : (error.code ?? 'BAD_REQUEST');
    return reply.code(status).send({ code, message: error.message });
  });

  await fastify.register(async (api) => {
    // Before any route, so every API route is checked for its declared access.
    accessControl(api);
    for (const routes of [healthRoutes, authRoutes, branchRoutes, workstationRoutes, sessionRoutes, resultRoutes, progressRoutes, snapshotRoutes,
      staffRoutes, auditRoutes, libraryImportRoutes, calendarRoutes, policyRoutes, sessionExportRoutes, apiDocsRoutes]) await api.register(routes);
    api.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 'NOT_FOUND', message: `No API route ${request.method} ${request.url}` }));
  }, { prefix: '/api' });

  if (staticDir && existsSync(staticDir)) {
    await fastify.register(fastifyStatic, {
      root: staticDir,
      // The service worker and the page that registers it must never be served stale by HTTP caches.
      setHeaders: (res, path) => {
        if (path.endsWith('sw.js') || path.endsWith('.html')) res.header('Cache-Control', 'no-cache');
      },
    });
    // Client-side routes (#/admin and the like) all load the app shell.
    fastify.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && request.headers.accept?.includes('text/html')) return reply.sendFile('index.html');
      return reply.code(404).send({ code: 'NOT_FOUND', message: `Nothing at ${request.url}` });
    });
  }
}

/**
 * The path of the first string (or key) in a parsed JSON body that is not well-formed
 * UTF-16: SQLite stores text as UTF-8, where a lone surrogate would silently become
 * U+FFFD, so the stored value would differ from the one sent. Iterative: bodies may nest deep.
 */
function illFormedText(body: unknown, skipTopLevel?: string): string | undefined {
  const stack: [unknown, string][] = [[body, '']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push([value[i], path ? `${path}.${i}` : String(i)]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (LONE_SURROGATE.test(key)) return at;
        if (!(path === '' && key === skipTopLevel)) stack.push([inner, at]);
      }
    }
  }
  return undefined;
}

/** Names the field at fault, so a script's author can fix the request without reading the schema. */
function describeValidation(error: FastifyError): string {
  const first = error.validation![0];
  const where = error.validationContext ?? 'request';
  const path = first.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
  const params = first.params as Record<string, unknown>;
  if (params.additionalProperty) return `Invalid ${where}: unknown field '${path ? `${path}.` : ''}${params.additionalProperty}'`;
  if (params.missingProperty) return `Invalid ${where}: missing field '${path ? `${path}.` : ''}${params.missingProperty}'`;
  return `Invalid ${where}: ${path ? `'${path}' ` : ''}${first.message ?? 'is not valid'}`;
}

/** Fastify's options: reject rather than strip unknown properties, and never coerce types. */
export const fastifyOptions = {
  schemaController,
  ajv: { customOptions: { removeAdditional: false as const, coerceTypes: false as const, allErrors: false } },
  bodyLimit: 256 * 1024,
  /** The router's own refusals (a malformed %-escape, an over-long path segment) in the API's `{ code, message }` form. */
  frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode ?? 400;
    const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A part of the URL is too long' : 'The URL is not valid (a malformed %-escape)';
    void reply.code(status).send({ code: status === 414 ? 'URI_TOO_LONG' : 'BAD_URL', message });
  },
};
