/**
 * The whole system on one machine: DynamoDB Local, the table, demo data on first start, the
 * stream poller feeding the `events` function, the queues' consumers, the SLA timers on
 * aws-local-stepfunctions (re-armed from the stored SLA state) with a movable clock, and the
 * gateway. Used by `npm start`, by the integration tests and by the benchmarks.
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CATALOGUE, QUEUES, type QueueName, queueUrlVar } from '../infra/catalogue';
import { configFromEnv, dynamoDeps, resetDefaultDeps, useLocalStandIns } from '../shared/adapters/aws/deps';
import { resetSqsClient } from '../shared/adapters/aws/sqs-work-queue';
import { resetSubscriberQueues } from '../shared/events/subscribers';
import { createDocumentClient } from '../shared/adapters/aws/dynamodb/client';
import type { Deps } from '../shared/app/deps';
import { LocalIdentity } from './auth';
import { type RunningDynamo, startDynamoDbLocal } from './dynamodb-local';
import { type GatewayOptions, startGateway } from './gateway';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { FileBlobStore } from '../shared/adapters/aws/blob-store';
import { resetMailDeps } from '../shared/adapters/aws/mail-deps';
import { recountWorkload } from '../shared/app/directory';
import { logger } from '../shared/http/logger';
import { mailConfigFromEnv } from '../shared/app/mail-deps';
import { BLOB_PATH, blobDownloadHandler } from './blobs';
import { type MailStandIns, startMailStandIns } from './mail';
import { type SeedResult, seedDemo } from './seed';
import { QueuePoller, startSqs } from './sqs';
import { StreamPoller } from './stream-poller';
import { ensureTable, localAwsEnv } from './table';
import { webHandler } from './web';
import { MovableClock, clockHandler } from './clock';
import { LocalTimers, rearmFromStore } from './timers';
import type { TimerInput, TimerOutput } from '../shared/sla-timer';

export interface RuntimeOptions {
  /** persist under this folder; in memory when absent */
  dataDir?: string;
  port?: number;
  table?: string;
  seed?: boolean | { cases: number };
  /** reuse a running DynamoDB Local instead of starting one */
  dynamoEndpoint?: string;
  extra?: GatewayOptions['extra'];
  log?: (line: string) => void;
  /** the local SMTP listener's port (2525 for `npm start`; 0 picks a free one) */
  smtpPort?: number;
}

export interface Runtime {
  url: string;
  dynamoEndpoint: string;
  table: string;
  identity: LocalIdentity;
  deps: Deps;
  poller: StreamPoller | undefined;
  /** the SQS consumers (routing worker...) */
  consumers: QueuePoller[];
  /** mail: the SMTP listener on 127.0.0.1 and the SES stand-in (its viewer at this URL) */
  smtpPort: number;
  sesUrl: string;
  seeded: SeedResult | undefined;
  /** the clock every handler reads: real time until moved (`clock.advance(ms)`, or POST /_local/clock) */
  clock: MovableClock;
  /** the Step Functions stand-in running the SLA timers */
  timers: LocalTimers;
  stop(): Promise<void>;
}

export async function startRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = opts.log ?? (() => undefined);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_DEV ??= 'true';
  // the logger may exist already (imported before this ran): give it the level now
  logger.setLogLevel(process.env.POWERTOOLS_LOG_LEVEL as Parameters<typeof logger.setLogLevel>[0]);
  let dynamo: RunningDynamo | undefined;
  let endpoint = opts.dynamoEndpoint;
  if (!endpoint) {
    log('starting DynamoDB Local...');
    dynamo = await startDynamoDbLocal({ dbPath: opts.dataDir ? join(opts.dataDir, 'dynamodb') : undefined });
    endpoint = dynamo.endpoint;
  }
  localAwsEnv(endpoint);
  // one runtime after another in the same process (the benchmarks): drop clients made for the last one
  resetDefaultDeps();
  resetSqsClient();
  resetSubscriberQueues();
  const table = opts.table ?? 'helpdesk';
  process.env.TABLE_NAME = table;
  const { streamArn, created } = await ensureTable(new DynamoDBClient({}), table);
  const identity = await LocalIdentity.open(opts.dataDir ? join(opts.dataDir, 'identity') : undefined);
  // what no endpoint variable selects: the movable clock, and the SLA timers on aws-local-stepfunctions
  // whose Task is the sla-timer function's handler (the handlers reach both through defaultDeps)
  const clock = await MovableClock.open(opts.dataDir);
  const timerCheck = CATALOGUE.find((f) => f.timerCheck)!;
  const { handler: check } = (await import(/* @vite-ignore */ `../${timerCheck.entry.replace(/\.ts$/, '')}`)) as { handler: (input: TimerInput) => Promise<TimerOutput> };
  const timers = new LocalTimers({ clock, check: (input) => check(input), log });
  useLocalStandIns({ clock, timers });
  const deps: Deps = { ...dynamoDeps(createDocumentClient(), table, configFromEnv()), clock, timers };

  // SQS: fauxqs with every catalogue queue, their URLs in the senders' environment, and a poller
  // per consuming function (the event source mapping, below). Before the seeds: saving the SLA
  // policies asks the sla queue to recompute the open cases.
  const sqs = await startSqs(
    Object.entries(QUEUES).map(([name, q]) => ({ name, visibilityTimeoutSeconds: q.visibilityTimeoutSeconds, maxReceiveCount: q.maxReceiveCount })),
  );
  for (const name of Object.keys(QUEUES) as QueueName[]) process.env[queueUrlVar(name)] = sqs.urls[name];
  process.env.AWS_ENDPOINT_URL_SQS = sqs.endpoint;

  let seeded: SeedResult | undefined;
  try {
    if (opts.seed !== false && (created || !identity.hasUsers())) {
      log('writing demo data (first start)...');
      seeded = await seedDemo(deps, identity, typeof opts.seed === 'object' ? opts.seed : {});
    } else if (!created) {
      // data from an earlier version may predate the open-case counts: count them from the cases
      await recountWorkload(deps);
    }
  } catch (e) {
    timers.stop();
    useLocalStandIns({});
    await sqs.stop();
    await dynamo?.stop();
    throw e;
  }

  // mail: raw MIME and attachments in a folder, SMTP in, the SES stand-in out
  const blobDir = opts.dataDir ? join(opts.dataDir, 'blobs') : await mkdtemp(join(tmpdir(), 'helpdesk-blobs-'));
  process.env.BLOB_DIR = blobDir;
  // download links for the blobs: signed here, checked by the gateway (the URL follows once it listens)
  const blobSecret = randomBytes(24).toString('base64url');
  process.env.LOCAL_BLOB_SECRET = blobSecret;
  process.env.SUPPORT_ADDRESSES ??= 'support@example.com';
  resetMailDeps();
  let mail: MailStandIns;
  try {
    mail = await startMailStandIns({
      blobs: new FileBlobStore(blobDir),
      sqsEndpoint: sqs.endpoint,
      inboundQueueUrl: sqs.urls['inbound-mail']!,
      supportAddresses: mailConfigFromEnv().supportAddresses,
      smtpPort: opts.smtpPort ?? 0,
      sesPort: 0,
      log,
    });
  } catch (e) {
    await sqs.stop();
    await dynamo?.stop();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`The SMTP port ${opts.smtpPort} is already in use. Stop whatever uses it, or pick another: SMTP_PORT=2526 npm start`);
    throw e;
  }
  process.env.AWS_ENDPOINT_URL_SESV2 = mail.sesUrl;

  const consumers: QueuePoller[] = [];
  for (const fn of CATALOGUE.filter((f) => f.consumes)) {
    const { handler } = await import(/* @vite-ignore */ `../${fn.entry.replace(/\.ts$/, '')}`);
    consumers.push(
      new QueuePoller({
        endpoint: sqs.endpoint,
        queue: fn.consumes!,
        batchSize: QUEUES[fn.consumes!].batchSize,
        handler: (event) => handler(event, { functionName: `local-${fn.name}`, awsRequestId: 'local', getRemainingTimeInMillis: () => fn.timeoutSeconds * 1000 }),
        onError: (e) => log(`[${fn.name}] ${e.message}`),
      }).start(),
    );
  }

  const events = CATALOGUE.find((f) => f.stream)!;
  let poller: StreamPoller | undefined;
  if (streamArn) {
    const { handler } = await import(/* @vite-ignore */ `../${events.entry.replace(/\.ts$/, '')}`);
    poller = new StreamPoller({
      streamArn,
      handler,
      batchSize: events.stream!.batchSize,
      retryAttempts: events.stream!.retryAttempts,
      checkpointFile: opts.dataDir ? join(opts.dataDir, 'stream-checkpoints.json') : undefined,
      onDropped: (records, reason) => log(`[stream] dropped ${records.length} record(s): ${reason}`),
    }).start();
  }

  // executions live in memory: arm again what the stored SLA state says is watched
  const rearmed = await rearmFromStore(deps, log);
  if (rearmed.armed || rearmed.failed) log(`re-armed ${rearmed.armed} SLA timer(s)${rearmed.failed ? `, ${rearmed.failed} could not be` : ''}`);

  const port = opts.port ?? 3000;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    const blobs = blobDownloadHandler(blobDir, blobSecret);
    const clockRoute = clockHandler(clock, identity, () => ({ timersRunning: timers.active.length }));
    const extra = opts.extra ?? webHandler();
    gateway = await startGateway({ identity, port, extra: async (req, res, body) => (await blobs(req, res)) || (await clockRoute(req, res, body)) || extra(req, res, body) });
  } catch (e) {
    // leave nothing running behind a failed start
    timers.stop();
    useLocalStandIns({});
    await poller?.stop();
    await Promise.all(consumers.map((c) => c.stop()));
    await mail.stop();
    await sqs.stop();
    await dynamo?.stop();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`Port ${port} is already in use. Stop whatever uses it, or start on another port: PORT=3001 npm start`);
    throw e;
  }
  process.env.LOCAL_BLOB_URL = `${gateway.url}${BLOB_PATH.replace(/\/$/, '')}`;
  return {
    url: gateway.url,
    dynamoEndpoint: endpoint,
    table,
    identity,
    deps,
    poller,
    consumers,
    smtpPort: mail.smtpPort,
    sesUrl: mail.sesUrl,
    seeded,
    clock,
    timers,
    async stop() {
      timers.stop();
      await gateway.close();
      await poller?.stop();
      await Promise.all(consumers.map((c) => c.stop()));
      await mail.stop();
      await sqs.stop();
      await dynamo?.stop();
      useLocalStandIns({});
    },
  };
}
