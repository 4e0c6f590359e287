import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery defence in depth, beside SameSite=Strict
 * cookies and JSON-only bodies: a state-changing request that a browser
 * marks as coming from another site, or whose Origin is not this server,
 * is refused before it reaches a route.
 */
export async function originCheck(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site') throw new HttpError(403, 'CROSS_SITE_REQUEST', 'Requests from other sites are refused');
    const origin = request.headers.origin;
    if (origin === undefined) return; // scripts and tools send no Origin; their requests carry no ambient browser cookie risk
    const expected = `${request.protocol}://${request.headers.host}`;
    if (origin !== expected) throw new HttpError(403, 'CROSS_SITE_REQUEST', `Requests from ${origin} are refused; this server is ${expected}`);
  });
}
