import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';

/** What routes reach on their Fastify instance: the repositories and domain services, never the database itself. */
const DECORATED = [
  'auth', 'branches', 'staff', 'workstations', 'sessions', 'results', 'audit', 'libraryImport', 'snapshots', 'processor', 'corrections',
  'loginThrottle', 'closures', 'policies', 'sessionExport',
] as const satisfies readonly (keyof Services)[];

export type AppServices = Pick<Services, (typeof DECORATED)[number]>;

declare module 'fastify' {
  interface FastifyInstance extends AppServices {}
}

/** Decorates the instance with each service, so `app.sessions` and the like are there, typed, in every route plugin below it. */
export function decorateServices(fastify: FastifyInstance, services: Services): void {
  // Each name is decorated with its own service, which is what AppServices says it holds; TypeScript cannot follow that through the loop.
  for (const name of DECORATED) fastify.decorate(name, services[name] as never);
}
