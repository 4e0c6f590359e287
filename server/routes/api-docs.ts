import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

interface Operation {
  summary?: string; description?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A readable page of the OpenAPI document: plain HTML, no script, so it runs under the strict CSP. */
function renderDocs(doc: { info: { title: string; description?: string }; paths: Record<string, Record<string, Operation>> }): string {
  const sections = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => {
    const params = (op.parameters ?? []).map((p) => `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ', required' : ''})</li>`).join('');
    const body = op.requestBody?.content?.['application/json']?.schema;
    const responses = Object.entries(op.responses ?? {}).map(([status, r]) => `<li><code>${escape(status)}</code> ${escape(r.description ?? '')}</li>`).join('');
    return `<section class="card"><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2>
      ${op.summary ? `<p>${escape(op.summary)}</p>` : ''}
      ${op.description ? `<p class="muted">${escape(op.description)}</p>` : ''}
      ${params ? `<h3>Parameters</h3><ul>${params}</ul>` : ''}
      ${body ? `<h3>JSON body</h3><pre>${escape(JSON.stringify(body, null, 2))}</pre>` : ''}
      <h3>Replies</h3><ul>${responses}</ul></section>`;
  }));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title><link rel="stylesheet" href="/styles.css"></head>
<body><main><h1>${escape(doc.info.title)}</h1><p>${escape(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>${sections.join('\n')}</main></body></html>`;
}

export async function apiDocsRoutes(api: FastifyInstance): Promise<void> {
  api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } } },
    async () => api.swagger());
  api.get('/docs', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderDocs(api.swagger() as never)));
}
