/**
 * The function catalogue: each Lambda declared once. The CDK stack and the local runtime both
 * read it, so what runs on a laptop is what deploys.
 */
import { type FunctionName, ROUTES, type RouteSpec } from '../shared/api/routes';
import type { QueueName } from '../shared/work-queues';

export interface FunctionSpec {
  name: FunctionName | 'events' | 'routing-worker' | 'inbound-mail' | 'mail-sender' | 'sla-worker' | 'sla-timer';
  /** path from the repository root */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  routes: RouteSpec[];
  /** consumes the domain table's stream */
  stream?: { batchSize: number; maxBatchingWindowSeconds: number; retryAttempts: number };
  /** consumes one of QUEUES (SQS event source with partial batch failures) */
  consumes?: QueueName;
  /** sends to these QUEUES: gets sqs:SendMessage and `QUEUE_URL_<NAME>` in its environment */
  sends?: QueueName[];
  /** starts and stops SLA timer executions: states:StartExecution/StopExecution and SLA_TIMER_STATE_MACHINE_ARN */
  armsTimers?: boolean;
  /** the SLA timer state machine's Task (invoked by Step Functions with a TimerInput, returns a TimerOutput) */
  timerCheck?: boolean;
}

export { QUEUES, type QueueName, queueUrlVar } from '../shared/work-queues';

const http = (name: FunctionName, description: string): FunctionSpec => ({
  name,
  entry: `functions/${name}.ts`,
  description,
  memoryMb: 512,
  timeoutSeconds: 10,
  routes: ROUTES.filter((r) => r.fn === name),
});

export const CATALOGUE: FunctionSpec[] = [
  http('meta', 'Health, identity and API description'),
  http('cases', 'Cases: open, read, list, update, converse, resolve'),
  http('customers', 'Accounts and contacts'),
  http('catalog', 'Subject tree and product catalogue'),
  http('routing', 'Routing rules and dry run, queues, agents and presence, pick-next'),
  http('mail', 'E-mail intake monitor (replay, release) and mail templates'),
  { ...http('sla', 'SLA calendars and policies, the SLA clocks of a case, at-risk view and measures'), sends: ['sla'] },
  {
    name: 'events',
    entry: 'functions/events.ts',
    description: 'Domain table stream consumer: the hook for side effects',
    memoryMb: 256,
    timeoutSeconds: 30,
    routes: [],
    stream: { batchSize: 100, maxBatchingWindowSeconds: 1, retryAttempts: 5 },
    sends: ['routing', 'outbound-mail', 'sla'],
  },
  {
    name: 'routing-worker',
    entry: 'functions/routing-worker.ts',
    description: 'Routes cases: rules pick the queue, the queue strategy picks the agent',
    memoryMb: 512,
    timeoutSeconds: 20,
    routes: [],
    consumes: 'routing',
  },
  {
    name: 'inbound-mail',
    entry: 'functions/inbound-mail.ts',
    description: 'Inbound mail: stored raw MIME -> parse, decide, create or continue a case, record the outcome',
    memoryMb: 1024,
    timeoutSeconds: 60,
    routes: [],
    consumes: 'inbound-mail',
  },
  {
    name: 'mail-sender',
    entry: 'functions/mail-sender.ts',
    description: 'Outbound mail: agents\' replies and acknowledgements through SES, each sent once',
    memoryMb: 256,
    timeoutSeconds: 30,
    routes: [],
    consumes: 'outbound-mail',
  },
  {
    name: 'sla-worker',
    entry: 'functions/sla-worker.ts',
    description: 'SLA: recompute a changed case\'s KPI instances, act on thresholds already crossed, re-arm its timer',
    memoryMb: 512,
    timeoutSeconds: 30,
    routes: [],
    consumes: 'sla',
    sends: ['sla'],
    armsTimers: true,
  },
  {
    name: 'sla-timer',
    entry: 'functions/sla-timer.ts',
    description: 'SLA timer check: at a warning or failure time, recompute, act once, and say when to wake next',
    memoryMb: 512,
    timeoutSeconds: 30,
    routes: [],
    timerCheck: true,
  },
];
