/**
 * Section 3: DynamoDB capacity per API operation. The real route handlers run in-process on
 * dependencies whose DynamoDB client asks for ReturnConsumedCapacity on every call and adds up
 * what comes back, so each operation's reads, writes and call count can be read off.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { routes as casesRoutes } from '../functions/cases';
import { routes as customersRoutes } from '../functions/customers';
import { routes as metaRoutes } from '../functions/meta';
import { buildEvent, compileRoutes, findRoute } from '../local/gateway';
import type { Runtime } from '../local/runtime';
import { configFromEnv, dynamoDeps } from '../shared/adapters/aws/deps';
import { createDocumentClient } from '../shared/adapters/aws/dynamodb/client';
import { httpApi } from '../shared/http/api';
import { median, progress, round, say, section, table } from './lib/report';

/** Commands that accept ReturnConsumedCapacity, and whether they read or write. */
const METERED: Record<string, 'read' | 'write'> = {
  GetItemCommand: 'read',
  QueryCommand: 'read',
  ScanCommand: 'read',
  BatchGetItemCommand: 'read',
  TransactGetItemsCommand: 'read',
  PutItemCommand: 'write',
  UpdateItemCommand: 'write',
  DeleteItemCommand: 'write',
  BatchWriteItemCommand: 'write',
  TransactWriteItemsCommand: 'write',
};

interface Consumed {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

interface Call {
  command: string;
  rcu: number;
  wcu: number;
  tableCu: number;
  indexCu: number;
}

class Meter {
  calls: Call[] = [];
  reset() {
    this.calls = [];
  }
  record(command: string, consumed: Consumed | Consumed[] | undefined, failed = false) {
    const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    const kind = METERED[command];
    let rcu = 0;
    let wcu = 0;
    let tableCu = 0;
    let indexCu = 0;
    for (const c of list) {
      const total = c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
      // DynamoDB Local leaves out Read/WriteCapacityUnits for most calls: classify by command
      if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
        rcu += c.ReadCapacityUnits ?? 0;
        wcu += c.WriteCapacityUnits ?? 0;
      } else if (kind === 'read') rcu += total;
      else wcu += total;
      tableCu += c.Table?.CapacityUnits ?? 0;
      for (const g of Object.values(c.GlobalSecondaryIndexes ?? {})) indexCu += g.CapacityUnits ?? 0;
    }
    this.calls.push({ command: command.replace(/Command$/, '') + (failed ? ' (failed)' : ''), rcu, wcu, tableCu, indexCu });
  }
}

function meteredClient(endpoint: string, meter: Meter) {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      // INDEXES: the same aggregate as TOTAL, plus the split between the table and each GSI
      if (METERED[command]) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      try {
        const out = await next(args);
        meter.record(command, (out.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity);
        return out;
      } catch (e) {
        meter.record(command, undefined, true);
        throw e;
      }
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
  return client;
}

export interface CapacityRow {
  operation: string;
  request: string;
  status: number;
  reps: number;
  rcu: number;
  wcu: number;
  tableCu: number;
  indexCu: number;
  calls: number;
  commands: string;
  stable: boolean;
  detail?: string;
}

export interface CapacityResult {
  reps: number;
  rows: CapacityRow[];
  notes: string[];
}

type Claims = Record<string, string>;

export async function runCapacity(rt: Runtime, opts: { reps: number }): Promise<CapacityResult> {
  section('3. DynamoDB consumed capacity per API operation (in-process, real handlers)');
  const meter = new Meter();
  const client = meteredClient(rt.dynamoEndpoint, meter);
  const deps = dynamoDeps(createDocumentClient(client), rt.table, configFromEnv({}));
  const handlers: Record<string, (e: unknown, c: unknown) => Promise<{ statusCode: number; body?: string }>> = {
    cases: httpApi(casesRoutes, () => deps) as never,
    customers: httpApi(customersRoutes, () => deps) as never,
    meta: httpApi(metaRoutes, () => deps) as never,
  };
  const compiled = compileRoutes();
  const claimsOf = async (email: string): Promise<Claims> => {
    const t = await rt.identity.signIn(email, 'demo');
    const claims = t && (await rt.identity.verify(`Bearer ${t}`));
    if (!claims) throw new Error(`cannot sign in ${email}`);
    return claims;
  };
  const customer = await claimsOf('customer1@example.com');
  const agent = await claimsOf('agent1@example.com');

  const call = async (claims: Claims, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const url = new URL(path, 'http://127.0.0.1');
    const route = findRoute(compiled, method, url.pathname);
    if (!route) throw new Error(`no route ${method} ${path}`);
    const text = body === undefined ? '' : JSON.stringify(body);
    const { event, context } = buildEvent(route, {
      method,
      url,
      headers: { ...(text ? { 'content-type': 'application/json' } : {}), ...headers },
      body: Buffer.from(text),
      claims,
      sourceIp: '127.0.0.1',
    });
    const handler = handlers[route.fn.name];
    if (!handler) throw new Error(`no handler for ${route.fn.name}`);
    const res = await handler(event, context);
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, any>) : {} };
  };

  const me = await call(customer, 'GET', '/me');
  const customerId = me.body.customerId as string | undefined;
  if (!customerId) throw new Error(`GET /me gave no customerId: ${JSON.stringify(me.body)}`);

  // measured: one request, with the meter reset before it
  type Sample = { status: number; body: Record<string, any>; calls: Call[] };
  const samples = new Map<string, { request: string; list: Sample[]; detail?: string }>();
  const measure = async (operation: string, request: string, claims: Claims, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    meter.reset();
    const res = await call(claims, method, path, body, headers);
    const entry = samples.get(operation) ?? { request, list: [] };
    entry.list.push({ ...res, calls: [...meter.calls] });
    samples.set(operation, entry);
    return res;
  };

  progress(`${opts.reps} repetitions of 14 operations...`);
  const stamp = Date.now().toString(36);
  for (let r = 0; r < opts.reps; r++) {
    const caseBody = { title: 'Printer jams on every page', description: 'The printer jams after printing half a page. I cleaned the rollers already.' };
    await measure('create case (agent)', 'POST /cases', agent, 'POST', '/cases', { ...caseBody, customerId });
    const c = await measure('create case (customer)', 'POST /cases', customer, 'POST', '/cases', caseBody);
    const id = c.body.id as string;
    await measure('get case (agent)', 'GET /cases/{id}', agent, 'GET', `/cases/${id}`);
    await measure('get case (customer)', 'GET /cases/{id}', customer, 'GET', `/cases/${id}`);
    const la = await measure('list cases (agent, limit 25)', 'GET /cases?limit=25', agent, 'GET', '/cases?limit=25');
    const lc = await measure('list cases (customer, limit 25)', 'GET /cases?limit=25', customer, 'GET', '/cases?limit=25');
    samples.get('list cases (agent, limit 25)')!.detail = `${(la.body.items as unknown[] | undefined)?.length ?? 0} items`;
    samples.get('list cases (customer, limit 25)')!.detail = `${(lc.body.items as unknown[] | undefined)?.length ?? 0} items`;
    const p = await measure('patch case (agent)', 'PATCH /cases/{id}', agent, 'PATCH', `/cases/${id}`, { priority: 'high', status: 'in_progress' }, { 'if-match': `"${c.body.version}"` });
    const m1 = await measure('post message (customer)', 'POST /cases/{id}/messages', customer, 'POST', `/cases/${id}/messages`, { body: 'It still jams, photo attached.' }, { 'if-match': `"${p.body.version}"` });
    const m2 = await measure('post message (agent)', 'POST /cases/{id}/messages', agent, 'POST', `/cases/${id}/messages`, { body: 'Thank you. Could you send us the serial number?' }, { 'if-match': `"${m1.body.version}"` });
    await measure('resolve (agent)', 'POST /cases/{id}/resolve', agent, 'POST', `/cases/${id}/resolve`, { resolutionType: 'problem_solved', text: 'Replaced the pick-up roller.', minutesSpent: 25 }, { 'if-match': `"${m2.body.version}"` });
    const ta = await measure('timeline (agent)', 'GET /cases/{id}/timeline', agent, 'GET', `/cases/${id}/timeline`);
    const tc = await measure('timeline (customer)', 'GET /cases/{id}/timeline', customer, 'GET', `/cases/${id}/timeline`);
    samples.get('timeline (agent)')!.detail = `${(ta.body.items as unknown[] | undefined)?.length ?? 0} entries`;
    samples.get('timeline (customer)')!.detail = `${(tc.body.items as unknown[] | undefined)?.length ?? 0} public entries`;
    await measure('create customer (contact)', 'POST /customers', agent, 'POST', '/customers', { kind: 'contact', name: `Bench Contact ${r}`, email: `bench-${stamp}-${r}@example.com` });
    await measure('create customer (account)', 'POST /customers', agent, 'POST', '/customers', { kind: 'account', name: `Bench Account ${stamp} ${r}`, tier: 'premium' });
  }
  client.destroy();

  const sum = (calls: Call[], k: keyof Omit<Call, 'command'>) => calls.reduce((a, c) => a + c[k], 0);
  const rows: CapacityRow[] = [...samples.entries()].map(([operation, s]) => {
    const last = s.list[s.list.length - 1]!;
    const per = s.list.map((x) => ({ rcu: sum(x.calls, 'rcu'), wcu: sum(x.calls, 'wcu'), tableCu: sum(x.calls, 'tableCu'), indexCu: sum(x.calls, 'indexCu'), n: x.calls.length }));
    const signature = (x: (typeof per)[number]) => `${x.rcu}/${x.wcu}/${x.n}`;
    const bad = s.list.find((x) => x.status >= 400);
    return {
      operation,
      request: s.request,
      status: bad?.status ?? last.status,
      reps: s.list.length,
      rcu: round(median(per.map((x) => x.rcu)), 2),
      wcu: round(median(per.map((x) => x.wcu)), 2),
      tableCu: round(median(per.map((x) => x.tableCu)), 2),
      indexCu: round(median(per.map((x) => x.indexCu)), 2),
      calls: median(per.map((x) => x.n)),
      commands: last.calls.map((c) => c.command).join(' + '),
      stable: new Set(per.map(signature)).size === 1,
      ...(bad ? { detail: `HTTP ${bad.status}: ${JSON.stringify(bad.body).slice(0, 200)}` } : s.detail ? { detail: s.detail } : {}),
    };
  });

  say(
    table(
      ['operation', 'status', 'RCU', 'WCU', 'of which table', 'of which GSIs', 'calls', 'DynamoDB calls', 'same each rep', 'note'],
      rows.map((r) => [r.operation, r.status, r.rcu, r.wcu, r.tableCu, r.indexCu, r.calls, r.commands, r.stable ? 'yes' : 'no', r.detail ?? '']),
    ),
  );
  const notes = [
    `Figures are what DynamoDB Local (the jar in amplify-dynamodb-simulator) reports with ReturnConsumedCapacity=INDEXES (the TOTAL aggregate plus a table/GSI split); medians of ${opts.reps} repetitions. DynamoDB Local only approximates AWS's accounting (it is not the billing system): confirm on AWS before turning these into costs.`,
    'DynamoDB Local reports one CapacityUnits figure for most calls; RCU vs WCU here is by the kind of call (reads: Get/Query; writes: Put/Update/TransactWrite).',
    'On AWS: eventually consistent reads cost 0.5 RCU per 4 KB, writes 1 WCU per 1 KB, transactional writes 2 WCU per 1 KB per item, and every GSI whose key attributes an item carries costs a write of its own. A case item carries the keys of 4 to 6 GSIs, all projecting ALL, so any change to a case (patch, message, resolve) rewrites it in each of them: that is the "of which GSIs" column. A change of state (resolve) also moves the item within gsi4 (a delete plus a put).',
    'Read figures depend on data size: list/timeline read whole pages (Query with Limit), so they grow with the item sizes and page size; the table already holds the cases written in section 2.',
  ];
  for (const n of notes) say(`  note: ${n}`);
  return { reps: opts.reps, rows, notes };
}
