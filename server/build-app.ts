import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { app, fastifyOptions } from './app.js';
import type { Services } from './services.js';

/** Builds a ready Fastify instance around the services; used by the server and by tests. */
export interface BuildOptions {
  staticDir?: string;
  logger?: FastifyServerOptions['logger'];
  /** Certificate and key (PEM) to serve HTTPS: tablets need a secure context for service workers. */
  https?: { cert: Buffer; key: Buffer };
  /** Fastify's trustProxy: needed behind a TLS-terminating proxy so the Origin check sees https. */
  trustProxy?: boolean | number | string;
}

export async function buildApp(services: Services, options: BuildOptions = {}) {
  const base = { ...fastifyOptions, logger: options.logger ?? false, ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}) };
  // Typed as the plain HTTP server: the routes do not care which transport carries them.
  const fastify = Fastify({ ...base, ...(options.https ? { https: options.https } : {}) } as FastifyServerOptions)
    .withTypeProvider<TypeBoxTypeProvider>();
  await fastify.register(app, { services, staticDir: options.staticDir, tls: !!options.https });
  fastify.addHook('onClose', async () => { await services.processor.stop(); await services.close(); });
  await fastify.ready();
  return fastify;
}
