import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { gunzipSync } from 'node:zlib';
import { Type } from 'typebox';
import { errors } from '../../shared/schemas/common.js';
import { SnapshotQuery, SnapshotReply } from '../../shared/schemas/snapshot.js';

/** The offline data snapshot for desks: gzip JSON with an ETag, so an unchanged library costs a 304. */
export const snapshotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { snapshots } = app;

  app.get('/snapshot', {
    config: { access: 'login' },
    schema: {
      summary: 'The offline data desks keep: cards, items, holds, policies, branches and their calendars; with since, what changed since that version',
      querystring: SnapshotQuery,
      response: {
        200: { description: 'The offline snapshot (shared/snapshot.ts), gzip-encoded JSON', content: { 'application/json': { schema: SnapshotReply } } },
        304: { description: 'The snapshot named by If-None-Match is still current', content: { 'application/json': { schema: Type.Null() } } },
        ...errors(401),
      },
    },
  }, async (request, reply) => {
    const current = snapshots.tag();
    reply.header('cache-control', 'no-cache');
    reply.header('vary', 'accept-encoding');
    if (etagMatches(request.headers['if-none-match'], current)) {
      reply.header('etag', current);
      return reply.code(304).send();
    }
    // A desk that holds a version this format knows gets what changed since, when the change log still reaches back.
    const since = request.query.since === undefined ? undefined : Number(request.query.since);
    const snap = (since !== undefined ? snapshots.since(since) : undefined) ?? snapshots.current();
    const built = await snap;
    reply.header('etag', built.etag);
    reply.header('content-type', 'application/json; charset=utf-8');
    // A Buffer goes out as is: Fastify's serializer never sees it, so the cached gzip is not re-encoded.
    if (acceptsGzip(request.headers['accept-encoding'])) {
      reply.header('content-encoding', 'gzip');
      return reply.send(built.gzip as never);
    }
    return reply.send(gunzipSync(built.gzip) as never);
  });
};

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** Whether gzip is acceptable: named (or `*`) without q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
