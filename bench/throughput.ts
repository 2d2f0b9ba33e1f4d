/**
 * Section 2: requests through the local gateway (JWT check, API Gateway event, real handler,
 * DynamoDB Local) against raw PutItem / GetItem on the same DynamoDB Local, at the same
 * concurrency for the same time. Everything stays on 127.0.0.1 and every loop is bounded.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import type { Runtime } from '../local/runtime';
import { resolveCaller } from '../shared/app/caller';
import { openCase, readCase } from '../shared/app/cases';
import { rolesFromClaim } from '../shared/domain/principal';
import { percentile, progress, round, say, section, table } from './lib/report';

export const CREATE_RATIO_TARGET = 0.4;

export interface LoadFigures {
  name: string;
  requests: number;
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
}

export interface ThroughputResult {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  gateway: { createCase: LoadFigures; getCase: LoadFigures };
  /** the same use cases called in-process on the runtime's own deps: the DynamoDB work alone */
  inProcess: { createCase: LoadFigures; getCase: LoadFigures };
  raw: { putItem: LoadFigures; putItemIndexed: LoadFigures; getItem: LoadFigures; itemBytes: number };
  ratios: { createToPutItem: number; getToGetItem: number; createGatewayToInProcess: number; getGatewayToInProcess: number; createToIndexedPutItem: number };
  targets: { createAtLeast40PctOfPutItem: boolean };
  notes: string[];
}

export async function token(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo' }),
  });
  if (!res.ok) throw new Error(`token for ${email}: HTTP ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function cannon(name: string, opts: Parameters<typeof autocannon>[0]): Promise<LoadFigures> {
  if (!/^http:\/\/127\.0\.0\.1:/.test(opts.url)) throw new Error(`refusing to load anything but 127.0.0.1: ${opts.url}`);
  // load from a worker thread, so the gateway keeps the main thread to itself
  const r = await autocannon({ timeout: 10, workers: 1, ...opts });
  // let requests still in flight when the clock stopped finish before the next measurement
  await new Promise((resolve) => setTimeout(resolve, 500));
  const requests = r.latency.totalCount;
  return {
    name,
    requests,
    ok: r['2xx'],
    failed: r.non2xx + r.errors + r.timeouts,
    seconds: round(r.duration, 2),
    rps: round(requests / r.duration, 0),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
  };
}

/** `concurrency` loops, each awaiting one call after another, until the time or count runs out. */
async function loops(name: string, concurrency: number, seconds: number, maxOps: number, op: (n: number) => Promise<unknown>): Promise<LoadFigures> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && n < maxOps) {
        const i = n++;
        const t = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return {
    name,
    requests: latencies.length + failed,
    ok: latencies.length,
    failed,
    seconds: round(elapsed, 2),
    rps: round((latencies.length + failed) / elapsed, 0),
    p50ms: round(percentile(latencies, 50), 2),
    p99ms: round(percentile(latencies, 99), 2),
  };
}

/** An item about the size of a case item (a case with its index keys is ~1 KB). */
function rawItem(n: number) {
  const s = (v: string) => ({ S: v });
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const now = new Date().toISOString();
  return {
    pk: s(`RAW#${id}`),
    sk: s('ITEM'),
    entity: s('case'),
    id: s(id),
    ticketNumber: s(`CAS-${String(n).padStart(5, '0')}-K7F2Q9`),
    title: s('Printer jams on every page'),
    description: s('The printer jams after printing half a page. I cleaned the rollers already and it still jams.'),
    customerId: s('5b0c2d2e-7d0a-4a55-9d55-2c6f0a4d6a11'),
    origin: s('web'),
    caseType: s('problem'),
    priority: s('normal'),
    state: s('active'),
    status: s('new'),
    createdBy: s('5b0c2d2e-7d0a-4a55-9d55-2c6f0a4d6a11'),
    createdAt: s(now),
    updatedAt: s(now),
    version: { N: '1' },
    gsi1pk: s('CUST#5b0c2d2e-7d0a-4a55-9d55-2c6f0a4d6a11'),
    gsi1sk: s(`${now}#${id}`),
    gsi4pk: s('STATE#active'),
    gsi4sk: s(`${now}#${id}`),
    gsi5pk: s(`TICKET#CAS-${String(n).padStart(5, '0')}-K7F2Q9`),
    gsi5sk: s('CASE'),
  };
}

const itemBytes = (item: Record<string, { S?: string; N?: string }>) =>
  Object.entries(item).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v.S ?? v.N ?? ''), 0);

export async function runThroughput(rt: Runtime, opts: { connections: number; seconds: number; warmupSeconds: number }): Promise<ThroughputResult> {
  section('2. Throughput: local gateway vs raw DynamoDB Local');
  const { connections, seconds, warmupSeconds } = opts;
  const maxOps = 200_000; // a hard cap besides the clock
  const customer = await token(rt.url, 'customer1@example.com');
  const agent = await token(rt.url, 'agent1@example.com');
  const principalOf = async (tok: string) => {
    const claims = await rt.identity.verify(`Bearer ${tok}`);
    if (!claims) throw new Error('token did not verify');
    return { sub: claims.sub!, email: claims.email ?? '', roles: rolesFromClaim(claims['cognito:groups']) };
  };
  const customerPrincipal = await principalOf(customer);
  const agentCaller = await resolveCaller(rt.deps, await principalOf(agent));
  // The stream poller would otherwise feed every new case to the events handler in this same
  // process while we measure; on AWS that runs on its own Lambda, not next to the API.
  await rt.poller?.stop();

  const createBody = JSON.stringify({ title: 'Printer jams on every page', description: 'The printer jams after printing half a page. I cleaned the rollers already.' });
  const created = await fetch(`${rt.url}/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
    body: createBody,
  });
  if (created.status !== 201) throw new Error(`POST /cases answered ${created.status}: ${await created.text()}`);
  const caseId = ((await created.json()) as { id: string }).id;

  const createOpts = {
    url: `${rt.url}/cases`,
    connections,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
    body: createBody,
  };
  const getOpts = { url: `${rt.url}/cases/${caseId}`, connections, method: 'GET' as const, headers: { authorization: `Bearer ${agent}` } };

  const raw = new DynamoDBClient({
    endpoint: rt.dynamoEndpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const rawTable = 'bench-raw';
  try {
    await raw.send(
      new CreateTableCommand({
        TableName: rawTable,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  let seq = 0;
  const put = () => raw.send(new PutItemCommand({ TableName: rawTable, Item: rawItem(seq++) }));
  // the same item written into the domain table, where its index keys are live: what one case
  // write costs the engine before any of our code runs (the ceiling for create case here)
  let seqIdx = 0;
  const putIndexed = () => {
    // a customer's new case carries three index keys: customer (gsi1), state (gsi4), ticket (gsi5)
    const n = 1_000_000 + seqIdx++;
    return raw.send(new PutItemCommand({ TableName: rt.table, Item: rawItem(n) }));
  };

  await put();
  const getKey = { pk: { S: 'RAW#00000000-0000-4000-8000-000000000000' }, sk: { S: 'ITEM' } };
  const get = async () => {
    const out = await raw.send(new GetItemCommand({ TableName: rawTable, Key: getKey }));
    if (!out.Item) throw new Error('raw item missing');
  };
  // what the handlers do per request minus HTTP, JWT, the API Gateway event and middy
  const parsedBody = JSON.parse(createBody) as { title: string; description: string };
  const createInProcess = async () => openCase(rt.deps, await resolveCaller(rt.deps, customerPrincipal), parsedBody);
  const getInProcess = () => readCase(rt.deps, agentCaller, caseId);

  try {
    progress(`warm-up: ${warmupSeconds}s of each workload (JIT in node and in DynamoDB Local's JVM)...`);
    await cannon('warm-up', { ...createOpts, duration: warmupSeconds });
    await cannon('warm-up', { ...getOpts, duration: warmupSeconds });
    await loops('warm-up', connections, warmupSeconds, maxOps, createInProcess);
    await loops('warm-up', connections, warmupSeconds, maxOps, put);
    await loops('warm-up', connections, warmupSeconds, maxOps, putIndexed);
    await loops('warm-up', connections, warmupSeconds, maxOps, get);

    progress(`measuring: 7 workloads x ${seconds}s, ${connections} in flight each...`);
    const createCase = await cannon('POST /cases (customer) via gateway', { ...createOpts, duration: seconds });
    const createCaseIn = await loops('  same use case in-process, no HTTP', connections, seconds, maxOps, createInProcess);
    const putItem = await loops('PutItem, raw SDK', connections, seconds, maxOps, put);
    const putIndexedItem = await loops('  PutItem into the domain table, 3 index keys', connections, seconds, maxOps, putIndexed);
    const getCase = await cannon('GET /cases/{id} (agent) via gateway', { ...getOpts, duration: seconds });
    const getCaseIn = await loops('  same use case in-process, no HTTP', connections, seconds, maxOps, getInProcess);
    const getItem = await loops('GetItem, raw SDK', connections, seconds, maxOps, get);

    const ratios = {
      createToPutItem: round(createCase.rps / putItem.rps, 3),
      getToGetItem: round(getCase.rps / getItem.rps, 3),
      createGatewayToInProcess: round(createCase.rps / createCaseIn.rps, 3),
      createToIndexedPutItem: round(createCase.rps / putIndexedItem.rps, 3),
      getGatewayToInProcess: round(getCase.rps / getCaseIn.rps, 3),
    };
    say(
      table(
        ['workload', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx/errors'],
        [createCase, createCaseIn, putItem, putIndexedItem, getCase, getCaseIn, getItem].map((f) => [f.name, f.rps, f.p50ms, f.p99ms, f.requests, f.failed]),
      ),
    );
    say();
    const pct = (x: number) => `${round(x * 100, 1)}%`;
    say(`create case via gateway / raw PutItem: ${pct(ratios.createToPutItem)} (target >= ${CREATE_RATIO_TARGET * 100}%)`);
    say(`create case via gateway / PutItem with a new case's 3 index keys: ${pct(ratios.createToIndexedPutItem)}`);
    say(`get case via gateway    / raw GetItem: ${pct(ratios.getToGetItem)}`);
    say(`gateway / in-process (the cost of HTTP, JWT, the event and middy): create ${pct(ratios.createGatewayToInProcess)}, get ${pct(ratios.getGatewayToInProcess)}`);
    const notes = [
      `${connections} concurrent connections (gateway: autocannon from a worker thread) or ${connections} in-flight loops (in-process and raw SDK), ${seconds}s each after ${warmupSeconds}s of warm-up per workload; the gateway, the handlers and the loops share one node process, and DynamoDB Local (a JVM) shares the same 2 cores, so the figures move with whatever else runs on the machine.`,
      '"in-process" rows call the same use cases (resolveCaller + openCase, readCase) on the runtime\'s own dependencies: the same DynamoDB calls with no HTTP, JWT check, API Gateway event or middy. Gateway / in-process is what that layer costs here.',
      'POST /cases as a customer is two DynamoDB calls: a GetItem to resolve the caller (their contact, by e-mail) and one conditional PutItem of the case (its creation entries travel inside the item), plus one counter UpdateItem per TICKET_SERIAL_BLOCK (10) cases. The case item also writes 3 index entries (customer, state, ticket; more when an owner or a queue is set).',
      'GET /cases/{id} as an agent is one GetItem plus JWT verification, the API Gateway event, middy and JSON (agents need no caller lookup).',
      `The raw PutItem writes a ~${itemBytes(rawItem(0))}-byte item (case-like attributes) to a scratch table "bench-raw" (pk/sk only, no GSIs). The indented PutItem row writes the same item into the domain table, where its keys for the customer, state and ticket indexes are live (what a customer's new case carries), so DynamoDB Local maintains three index entries: the engine's own cost of one case write, the practical ceiling for create case here.`,
      'The stream poller of the runtime was stopped before measuring, so the events handler does not compete for the CPU (on AWS it runs on its own Lambda).',
      'Latency percentiles from autocannon are whole milliseconds (its histogram resolution); the raw loops are timed with performance.now().',
    ];
    for (const n of notes) say(`  note: ${n}`);
    return {
      connections,
      durationSeconds: seconds,
      warmupSeconds,
      gateway: { createCase, getCase },
      inProcess: { createCase: createCaseIn, getCase: getCaseIn },
      raw: { putItem, putItemIndexed: putIndexedItem, getItem, itemBytes: itemBytes(rawItem(0)) },
      ratios,
      targets: { createAtLeast40PctOfPutItem: ratios.createToPutItem >= CREATE_RATIO_TARGET },
      notes,
    };
  } finally {
    raw.destroy();
  }
}
