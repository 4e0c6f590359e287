import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParam } from '../../shared/schemas/common.js';
import { sessionAccess } from '../domain/session-access.js';
import type { ProcessProgress } from '../../shared/api.js';
import type { Progress } from '../domain/processor.js';

const MIN_INTERVAL_MS = 250;

/**
 * Live processing progress as Server-Sent Events: one `progress` event at
 * once, then as the run moves (a few a second), and a last one when it ends.
 */
export const progressRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sessions, processor } = app;
  const { sessionFor } = sessionAccess(app);

  function snapshot(sessionId: number, live?: Progress): ProcessProgress {
    const row = sessions.row(sessionId)!;
    if (live) {
      const { sessionId: _sessionId, ...progress } = live;
      return { ...progress, state: live.finished ? 'processed' : row.state };
    }
    const detail = sessions.detail(row);
    const { total: _total, ...counts } = detail.counts;
    return { done: detail.progress.done, total: detail.progress.total, rate: 0, eta_seconds: row.state === 'processing' ? null : 0,
      counts, finished: row.state !== 'processing', state: row.state, ...(row.processing_error ? { error: row.processing_error } : {}) };
  }

  app.get('/sessions/:id/progress', {
    config: { access: { role: 'admin', to: 'follow processing' } },
    schema: {
      summary: 'Live progress of processing, as Server-Sent Events', params: IdParam,
      response: { 200: { description: 'text/event-stream of `progress` events, each a ProcessProgress (#/components/schemas/ProcessProgress) as JSON',
        content: { 'text/event-stream': { schema: Type.String() } } },
        ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const row = sessionFor(request.access, request.params.id, request.need);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (p: ProcessProgress): void => { res.write(`event: progress\ndata: ${JSON.stringify(p)}\n\n`); };
    const first = snapshot(row.id, processor.progress(row.id));
    send(first);
    if (first.finished || !processor.progress(row.id)) {
      res.end();
      return;
    }
    let last = 0;
    const unsubscribe = processor.onProgress((p) => {
      if (p.sessionId !== row.id) return;
      const now = Date.now();
      if (!p.finished && !p.error && now - last < MIN_INTERVAL_MS) return;
      last = now;
      send(snapshot(row.id, p));
      if (p.finished || p.error) { unsubscribe(); res.end(); }
    });
    request.raw.on('close', unsubscribe);
  });
};
