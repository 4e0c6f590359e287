import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { app, fastifyOptions } from './app.js';
import type { Services } from './services.js';

/** Builds a ready Fastify instance around the services; used by the server and by tests. */
export async function buildApp(services: Services, options: { staticDir?: string; logger?: FastifyServerOptions['logger'] } = {}) {
  const fastify = Fastify({ ...fastifyOptions, logger: options.logger ?? false }).withTypeProvider<TypeBoxTypeProvider>();
  await fastify.register(app, { services, staticDir: options.staticDir });
  fastify.addHook('onClose', async () => services.processor.stop());
  await fastify.ready();
  return fastify;
}
