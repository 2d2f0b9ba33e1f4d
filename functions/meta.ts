/** Health, identity and the API description. */
import { defaultDeps } from '../shared/adapters/aws/deps';
import { buildOpenApi, renderDocs } from '../shared/api/openapi';
import { type Route, httpApi } from '../shared/http/api';

let doc: ReturnType<typeof buildOpenApi> | undefined;
const openApi = () => (doc ??= buildOpenApi(process.env.API_URL));

export const routes: Record<string, Route> = {
  'GET /health': async ({ deps }) => ({ status: 200, body: { status: 'ok', time: deps.clock.now().toISOString() } }),
  'GET /me': async ({ caller }) => {
    const c = await caller();
    return {
      status: 200,
      body: { sub: c.principal.sub, email: c.principal.email, roles: c.principal.roles, customerId: c.customerId },
    };
  },
  'GET /openapi.json': async () => ({
    status: 200,
    raw: { contentType: 'application/json; charset=utf-8', text: JSON.stringify(openApi()) },
    headers: { 'cache-control': 'public, max-age=300' },
  }),
  'GET /docs': async () => ({
    status: 200,
    raw: { contentType: 'text/html; charset=utf-8', text: renderDocs(openApi()) },
    headers: {
      'cache-control': 'public, max-age=300',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    },
  }),
};

export const handler = httpApi(routes, defaultDeps);
