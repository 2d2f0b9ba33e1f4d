/**
 * The API Gateway stand-in: turns HTTP requests into API Gateway v2 (payload 2.0) events, checks
 * bearer tokens as the JWT authorizer does, and invokes the same handlers the stack deploys,
 * found through the catalogue. Also serves the dev-only `POST /local/token`.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { CATALOGUE, type FunctionSpec } from '../infra/catalogue';
import type { RouteSpec } from '../shared/api/routes';
import type { LocalIdentity } from './auth';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface CompiledRoute {
  spec: RouteSpec;
  fn: FunctionSpec;
  pattern: RegExp;
  params: string[];
  literals: number;
}

const MAX_BODY = 10 * 1024 * 1024; // API Gateway's own payload limit; functions enforce theirs

export function compileRoutes(): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  for (const fn of CATALOGUE)
    for (const spec of fn.routes) {
      const params: string[] = [];
      const segs = spec.path.split('/').filter(Boolean);
      const source = segs
        .map((s) => {
          const m = /^\{(\w+)\}$/.exec(s);
          if (m) {
            params.push(m[1]!);
            return '/([^/]+)';
          }
          return `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
        })
        .join('');
      routes.push({ spec, fn, pattern: new RegExp(`^${source || '/'}$`), params, literals: segs.length - params.length });
    }
  // like API Gateway: the most specific route (more literal segments) wins
  return routes.sort((a, b) => b.literals - a.literals);
}


export const findRoute = (routes: CompiledRoute[], method: string, path: string) =>
  routes.find((r) => r.spec.method === method && r.pattern.test(path));

/** An API Gateway v2 (payload 2.0) event and a Lambda context, as the real integration sends them. */
export function buildEvent(
  route: CompiledRoute,
  req: { method: string; url: URL; headers: Record<string, string>; body: Buffer; claims?: Record<string, string>; sourceIp: string },
): { event: APIGatewayProxyEventV2; context: Context } {
  const { url, headers, body, claims } = req;
  const match = route.pattern.exec(url.pathname)!;
  const pathParameters = Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(match[i + 1]!)]));
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const isText = !body.length || TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const requestId = randomUUID();
  const routeKey = `${route.spec.method} ${route.spec.path}`;
  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(route.params.length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
  const context = {
    awsRequestId: requestId,
    functionName: `local-${route.fn.name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${route.fn.name}`,
    memoryLimitInMB: String(route.fn.memoryMb),
    logGroupName: `/aws/lambda/local-${route.fn.name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => route.fn.timeoutSeconds * 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as Context;
  return { event, context };
}

export interface GatewayOptions {
  identity: LocalIdentity;
  port: number;
  host?: string;
  /** loads a function's handler; defaults to importing its catalogue entry */
  load?: (fn: FunctionSpec) => Promise<Handler>;
  /** extra routes served before the API (the web app, local tools) */
  extra?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;
}

const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

const TEXT_TYPES = /^(text\/|application\/(json|[a-z.+-]*\+json|xml|x-www-form-urlencoded|javascript))/i;

export async function startGateway(opts: GatewayOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const routes = compileRoutes();
  const handlers = new Map<string, Promise<Handler>>();
  const load =
    opts.load ?? (async (fn: FunctionSpec) => (await import(/* @vite-ignore */ `../${fn.entry.replace(/\.ts$/, '')}`)).handler as Handler);
  const handlerFor = (fn: FunctionSpec) => {
    let h = handlers.get(fn.name);
    if (!h) {
      h = load(fn);
      handlers.set(fn.name, h);
    }
    return h;
  };

  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY) return json(res, 413, { message: 'Request Entity Too Large' });
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (opts.extra && (await opts.extra(req, res, body))) return;

      if (req.method === 'POST' && url.pathname === '/local/token') {
        let creds: { email?: unknown; password?: unknown } = {};
        try {
          creds = JSON.parse(body.toString('utf8') || '{}');
        } catch {
          /* fall through to 400 */
        }
        if (typeof creds.email !== 'string' || typeof creds.password !== 'string')
          return json(res, 400, { type: '/problems/validation', title: 'Your request is not valid.', status: 400, detail: 'Send { "email", "password" }.' }, 'application/problem+json');
        const token = await opts.identity.signIn(creds.email, creds.password);
        if (!token)
          return json(res, 401, { type: '/problems/unauthorized', title: 'Unauthorized.', status: 401, detail: 'Wrong e-mail or password.' }, 'application/problem+json');
        return json(res, 200, { accessToken: token, tokenType: 'Bearer', expiresIn: 3600 });
      }
      if (req.method === 'GET' && url.pathname === '/local/users')
        return json(res, 200, { items: opts.identity.listUsers().map((u) => ({ email: u.email, name: u.name, groups: u.groups })) });

      const route = findRoute(routes, req.method ?? 'GET', url.pathname);
      if (!route) return json(res, 404, { message: 'Not Found' });
      let claims: Record<string, string> | undefined;
      if (route.spec.auth === 'jwt') {
        claims = await opts.identity.verify(req.headers.authorization);
        if (!claims) return json(res, 401, { message: 'Unauthorized' });
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const { event, context } = buildEvent(route, { method: req.method ?? 'GET', url, headers, body, claims, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' });
      const handler = await handlerFor(route.fn);
      const result = await handler(event, context);
      if (typeof result === 'string' || result === undefined || result === null) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(typeof result === 'string' ? result : '');
      }
      const outHeaders: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
      if (result.cookies?.length) outHeaders['set-cookie'] = result.cookies;
      res.writeHead(result.statusCode ?? 200, outHeaders);
      res.end(result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (e) {
      // what API Gateway answers when the integration fails
      process.stderr.write(`[gateway] ${req.method} ${req.url}: ${(e as Error).stack}\n`);
      if (!res.headersSent) json(res, 500, { message: 'Internal Server Error' });
      else res.end();
    }
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  server.keepAliveTimeout = 5_000;
  const port = (server.address() as { port: number }).port;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
