/** The OpenAPI 3.1 document, generated from ROUTES and the zod schemas they name. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ROUTES } from './routes';
import { ProblemSchema } from './schemas';

const PROBLEMS: Record<number, string> = {
  400: 'Invalid request (field-level details in `errors`)',
  401: 'Missing or invalid token',
  403: 'Not allowed for your role, or fields you may not set',
  404: 'Not found (or not yours)',
  409: 'Conflict with the current state',
  412: 'Stale If-Match: someone else changed it',
  413: 'Body over 64 KB',
  415: 'Body is not JSON',
  428: 'If-Match required',
};

export function buildOpenApi(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const problem = { description: '', content: { 'application/problem+json': { schema: ProblemSchema } } };
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const responses: Record<string, unknown> = {};
    const ok = r.response ?? { status: 200 };
    responses[String(ok.status)] = {
      description: 'Success',
      ...(ok.etag ? { headers: { ETag: { description: 'The version; send it back as If-Match', schema: { type: 'string' } } } } : {}),
      ...(ok.schema ? { content: { 'application/json': { schema: ok.schema } } } : ok.contentType ? { content: { [ok.contentType]: { schema: { type: 'string' } } } } : {}),
    };
    const codes = new Set<number>([400]);
    if (r.auth === 'jwt') for (const c of [401, 403]) codes.add(c);
    if (params.length) codes.add(404);
    if (r.body) for (const c of [409, 413, 415]) codes.add(c);
    if (r.ifMatch) codes.add(412);
    if (r.ifMatch === 'required') codes.add(428);
    for (const c of codes) responses[String(c)] = { ...problem, description: PROBLEMS[c] };
    const headers = r.ifMatch ? z.object({ 'if-match': r.ifMatch === 'required' ? z.string() : z.string().optional() }) : undefined;
    registry.registerPath({
      method: r.method.toLowerCase() as 'get',
      path: r.path,
      summary: r.summary,
      tags: [r.tag],
      ...(r.roles ? { description: `Roles: ${r.roles}.` } : {}),
      ...(r.auth === 'jwt' ? { security: [{ bearer: [] }] } : {}),
      request: {
        ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(r.query ? { query: r.query as z.ZodObject } : {}),
        ...(headers ? { headers } : {}),
        ...(r.body ? { body: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      },
      responses: responses as never,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Help desk API',
      version: '0.1.0',
      description:
        'Cases, customers and catalogue. Errors are RFC 9457 problem+json. Case and customer responses carry an ETag; PATCH requires If-Match.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
  });
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A readable reference page, rendered on the server: no scripts, so a strict CSP holds. */
export function renderDocs(doc: ReturnType<typeof buildOpenApi>): string {
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops as Record<string, Record<string, unknown>>)) {
      const o = op as { summary?: string; description?: string; security?: unknown; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description?: string }> };
      const body = o.requestBody?.content?.['application/json']?.schema;
      rows.push(`<section><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code>${o.security ? ' <small>token</small>' : ''}</h3>
<p>${esc(o.summary ?? '')} ${esc(o.description ?? '')}</p>
${body ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(body, null, 2))}</pre></details>` : ''}
<p class="codes">${Object.entries(o.responses).map(([c, r]) => `<span title="${esc(r.description ?? '')}">${esc(c)}</span>`).join(' ')}</p></section>`);
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<details id="${esc(name)}"><summary>${esc(name)}</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)}</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h3{font-size:1rem;margin:.2rem 0}section{border-top:1px solid #d0d7de;padding:.6rem 0}
.m{display:inline-block;min-width:4.2rem;font:600 .8rem monospace;padding:.1rem .3rem;border-radius:3px;background:#eef;text-align:center}
.get{background:#ddf4ff}.post{background:#dafbe1}.patch{background:#fff8c5}.delete{background:#ffebe9}
small{color:#57606a}pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:12px}.codes span{font:12px monospace;margin-right:.4rem;color:#57606a}
</style></head><body><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1). Send <code>Authorization: Bearer &lt;token&gt;</code> where marked <small>token</small>.</p>
${rows.join('\n')}<h2>Schemas</h2>${schemas}</body></html>`;
}
