/**
 * The test harness: a fresh table in the shared DynamoDB Local, the real handlers wired to it,
 * demo users, and one client interface with two transports: in-process (handler called with the
 * event the gateway would build) and HTTP (through the local gateway). The same scenarios run
 * over both. Every DynamoDB command is recorded, and a Scan fails the test.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { routes as cases } from '../../functions/cases';
import { routes as catalog } from '../../functions/catalog';
import { routes as customers } from '../../functions/customers';
import { routes as mailRoutes } from '../../functions/mail';
import { routes as meta } from '../../functions/meta';
import { routes as routing } from '../../functions/routing';
import { routes as sla } from '../../functions/sla';
import type { FunctionSpec } from '../../infra/catalogue';
import { LocalIdentity } from '../../local/auth';
import { buildEvent, compileRoutes, findRoute, startGateway } from '../../local/gateway';
import { DEMO_PASSWORD, seedDemo } from '../../local/seed';
import { ensureTable } from '../../local/table';
import { configFromEnv, dynamoDeps } from '../../shared/adapters/aws/deps';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb/client';
import type { Deps } from '../../shared/app/deps';
import { type MailConfig, type MailDeps, mailConfigFromEnv } from '../../shared/app/mail-deps';
import { MemoryTimers, MemoryWorkQueue } from '../../shared/adapters/memory';
import { FileBlobStore } from '../../shared/adapters/aws/blob-store';
import { DynamoMailStore } from '../../shared/adapters/aws/dynamodb/mail-store';
import { parseMime } from '../../shared/adapters/mail/parse';
import type { OutboundMail } from '../../shared/ports/mail';
import { httpApi } from '../../shared/http/api';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** sent as-is (for malformed JSON tests) */
  rawBody?: string;
  headers?: Record<string, string>;
}

export type Call = (token: string | undefined, method: string, path: string, opts?: CallOptions) => Promise<Reply>;

export class ScanIssued extends Error {}

export function guardedClient(endpoint: string, commands: string[]) {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      if (context.commandName === 'ScanCommand') throw new ScanIssued('A Scan was issued on a request path');
      return next(args);
    },
    { step: 'initialize', name: 'scanGuard' },
  );
  return client;
}

export async function harness(opts: { seedCases?: number; config?: Partial<Deps['config']>; mailConfig?: Partial<MailConfig> } = {}) {
  const endpoint = inject('dynamoEndpoint');
  const commands: string[] = [];
  const client = guardedClient(endpoint, commands);
  const table = `t-${randomUUID().slice(0, 12)}`;
  const { streamArn } = await ensureTable(client, table);
  const blobDir = await mkdtemp(join(tmpdir(), 'helpdesk-test-blobs-'));
  const blobs = new FileBlobStore(blobDir, { baseUrl: 'http://127.0.0.1:9/local/blobs', secret: 'test-secret' });
  // timers in memory: tests that need them running use the local runtime (Step Functions stand-in)
  const deps: Deps = { ...dynamoDeps(createDocumentClient(client), table, { ...configFromEnv({}), ...opts.config }), blobs, timers: new MemoryTimers(), slaQueue: new MemoryWorkQueue() };
  const identity = await LocalIdentity.open();
  await seedDemo(deps, identity, { cases: opts.seedCases ?? 0 });
  const sent: OutboundMail[] = [];
  const outbox: Record<string, unknown>[] = [];
  const mailDeps: MailDeps = {
    ...deps,
    mail: new DynamoMailStore(createDocumentClient(client), table),
    parse: parseMime,
    mailer: {
      // records what would go out; the runtime test sends through the SES stand-in
      async send(m) {
        sent.push(m);
        const providerId = `test-${sent.length}-${randomUUID().slice(0, 8)}`;
        return { providerId, messageId: `${providerId}@eu-west-1.amazonses.com` };
      },
    },
    mailConfig: { ...mailConfigFromEnv({}), ...opts.mailConfig },
    outbox: { send: async (m) => void outbox.push(m) },
  };
  const handlers = {
    mail: httpApi(mailRoutes, () => mailDeps),
    meta: httpApi(meta, () => deps),
    cases: httpApi(cases, () => deps),
    customers: httpApi(customers, () => deps),
    catalog: httpApi(catalog, () => deps),
    routing: httpApi(routing, () => deps),
    sla: httpApi(sla, () => deps),
  };
  const compiled = compileRoutes();
  const tokens = new Map<string, string>();
  const token = async (email: string) => {
    let t = tokens.get(email);
    if (!t) {
      t = await identity.signIn(email, DEMO_PASSWORD);
      if (!t) throw new Error(`no demo user ${email}`);
      tokens.set(email, t);
    }
    return t;
  };

  const inProcess: Call = async (tok, method, path, o = {}) => {
    const url = new URL(path, 'http://127.0.0.1');
    const route = findRoute(compiled, method, url.pathname);
    if (!route) return { status: 404, headers: {}, body: { message: 'Not Found' }, text: '' };
    let claims: Record<string, string> | undefined;
    if (route.spec.auth === 'jwt') {
      claims = await identity.verify(tok ? `Bearer ${tok}` : undefined);
      if (!claims) return { status: 401, headers: {}, body: { message: 'Unauthorized' }, text: '' };
    }
    const text = o.rawBody ?? (o.body === undefined ? '' : JSON.stringify(o.body));
    const headers = { ...(text ? { 'content-type': 'application/json' } : {}), ...lower(o.headers) };
    const { event, context } = buildEvent(route, { method, url, headers, body: Buffer.from(text), claims, sourceIp: '127.0.0.1' });
    const res = (await (handlers as Record<string, (e: unknown, c: unknown) => Promise<any>>)[route.fn.name]!(event, context)) as {
      statusCode: number;
      headers?: Record<string, string>;
      body?: string;
    };
    return reply(res.statusCode, lower(res.headers), res.body ?? '');
  };

  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  const gatewayUrl = async () => {
    gateway ??= await startGateway({
      identity,
      port: 0,
      load: async (fn: FunctionSpec) => (handlers as Record<string, any>)[fn.name],
    });
    return gateway.url;
  };
  const overHttp: Call = async (tok, method, path, o = {}) => {
    const base = await gatewayUrl();
    const text = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(text !== undefined ? { 'content-type': 'application/json' } : {}), ...(tok ? { authorization: `Bearer ${tok}` } : {}), ...o.headers },
      ...(text !== undefined ? { body: text } : {}),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return reply(res.status, headers, await res.text());
  };

  return {
    deps,
    mailDeps,
    sent,
    outbox,
    blobDir,
    identity,
    table,
    client,
    streamArn,
    commands,
    token,
    gatewayUrl,
    transports: { 'in-process': inProcess, http: overHttp } as Record<'in-process' | 'http', Call>,
    async close() {
      await gateway?.close();
      client.destroy();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;

const lower = (h: Record<string, string> | undefined) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));

function reply(status: number, headers: Record<string, string>, text: string): Reply {
  let body: unknown = text;
  if (/json/.test(headers['content-type'] ?? '') && text) body = JSON.parse(text);
  return { status, headers, body, text };
}
