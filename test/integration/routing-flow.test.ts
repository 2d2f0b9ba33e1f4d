/**
 * The routing flow end to end on the local stand-ins: table stream -> events handler -> SQS
 * routing queue -> routing worker -> the case's queue, priority, tags and an explained timeline
 * entry. Redelivery leaves one decision; routing's own write never asks for routing again.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeEventsHandler } from '../../functions/events';
import { makeRoutingWorker } from '../../functions/routing-worker';
import { QueuePoller, startSqs } from '../../local/sqs';
import { StreamPoller } from '../../local/stream-poller';
import { SqsWorkQueue } from '../../shared/adapters/aws/sqs-work-queue';
import { offerOnRelease, routeOnChange } from '../../shared/events/subscribers';
import { type Harness, harness } from '../support/harness';

let h: Harness;
let sqs: Awaited<ReturnType<typeof startSqs>>;
let stream: StreamPoller;
let worker: QueuePoller;
let queueUrl: string;
beforeAll(async () => {
  h = await harness();
  sqs = await startSqs([{ name: 'routing', visibilityTimeoutSeconds: 2, maxReceiveCount: 3 }]);
  process.env.AWS_ENDPOINT_URL_SQS = sqs.endpoint;
  queueUrl = sqs.urls.routing!;
  const queue = new SqsWorkQueue(queueUrl);
  stream = new StreamPoller({ endpoint: inject('dynamoEndpoint'), streamArn: h.streamArn!, handler: makeEventsHandler([routeOnChange(() => queue), offerOnRelease(() => queue)]), batchSize: 100, retryAttempts: 3 });
  worker = new QueuePoller({ endpoint: sqs.endpoint, queue: 'routing', batchSize: 10, handler: (e) => makeRoutingWorker(() => h.deps)(e, {} as never) });
  // the demo data was written before: route it now so the tests start from a quiet queue
  await settle();
});
afterAll(async () => {
  await worker?.stop();
  await sqs?.stop();
  await h?.close();
});

/** Drains the stream and the queue until both are quiet (bounded). */
async function settle() {
  for (let round = 0; round < 30; round++) {
    const fromStream = await stream.pollOnce();
    const routed = await worker.pollOnce(0);
    const { visible, inFlight } = await worker.depth();
    if (!fromStream && !routed && !visible && !inFlight) return;
  }
  throw new Error('routing did not settle');
}

const call = () => h.transports['in-process'];

describe('routing flow', () => {
  it('routes a new case by the rules and explains the decision in the internal timeline', async () => {
    const agent = await h.token('agent1@example.com');
    const customer = await h.token('customer1@example.com');
    const queues = Object.fromEntries((await call()(agent, 'GET', '/queues')).body.items.map((q: { name: string; id: string }) => [q.name, q.id]));
    const subjects = Object.fromEntries((await call()(agent, 'GET', '/subjects')).body.items.map((s: { name: string; id: string }) => [s.name, s.id]));
    // customer1 belongs to a VIP account: the VIP rule comes first
    const c = (await call()(customer, 'POST', '/cases', { body: { title: 'Laptop will not boot', description: 'black screen', caseType: 'problem', subjectId: subjects.Laptops } })).body;
    await settle();
    const routed = (await call()(agent, 'GET', `/cases/${c.id}`)).body;
    expect(routed).toMatchObject({ queueId: queues.VIP, priority: 'high', routedVersion: 1, version: 2 });
    const timeline = (await call()(agent, 'GET', `/cases/${c.id}/timeline`)).body.items;
    const decision = timeline.filter((e: { kind: string }) => e.kind === 'routing');
    expect(decision).toHaveLength(1);
    expect(decision[0]).toMatchObject({ visibility: 'internal', actor: { kind: 'system' } });
    expect(decision[0].body).toContain("Rule 'VIP customers'");
    const customerView = (await call()(customer, 'GET', `/cases/${c.id}/timeline`)).body.items;
    expect(customerView.map((e: { kind: string }) => e.kind)).not.toContain('routing');
  });

  it('re-routes when a field the rules read changes, not when routing itself wrote', async () => {
    const agent = await h.token('agent1@example.com');
    const customer2 = (await call()(agent, 'GET', '/customers?email=customer2@example.com')).body.items[0];
    const c = (await call()(agent, 'POST', '/cases', { body: { title: 'Question about invoices', description: 'x', customerId: customer2.id, caseType: 'question' } })).body;
    await settle();
    const first = (await call()(agent, 'GET', `/cases/${c.id}`)).body;
    const queues = Object.fromEntries((await call()(agent, 'GET', '/queues')).body.items.map((q: { name: string; id: string }) => [q.name, q.id]));
    expect(first.queueId).toBe(queues.General); // no rule: the default queue
    // a title that mentions training: the training rule now applies
    await call()(agent, 'PATCH', `/cases/${c.id}`, { body: { title: 'Question about the training course' }, headers: { 'if-match': `"${first.version}"` } });
    await settle();
    const second = (await call()(agent, 'GET', `/cases/${c.id}`)).body;
    expect(second.queueId).toBe(queues.Education);
    // only the emergency rule applies now: it sets priority and a tag but no queue (so: default)
    await call()(agent, 'PATCH', `/cases/${c.id}`, { body: { title: 'Invoice question', description: 'there is smoke' }, headers: { 'if-match': `"${second.version}"` } });
    await settle();
    const third = (await call()(agent, 'GET', `/cases/${c.id}`)).body;
    expect(third).toMatchObject({ tags: ['safety'], priority: 'urgent', queueId: queues.General });
    const decisions = (await call()(agent, 'GET', `/cases/${c.id}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'routing');
    expect(decisions).toHaveLength(3);
    // a change to something rules do not read asks for nothing
    await call()(agent, 'PATCH', `/cases/${c.id}`, { body: { status: 'researching' }, headers: { 'if-match': `"${third.version}"` } });
    await settle();
    expect((await call()(agent, 'GET', `/cases/${c.id}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'routing')).toHaveLength(3);
  });

  it('delivers twice, decides once', async () => {
    const agent = await h.token('agent1@example.com');
    const customer2 = (await call()(agent, 'GET', '/customers?email=customer2@example.com')).body.items[0];
    const c = (await call()(agent, 'POST', '/cases', { body: { title: 'Twice', description: 'x', customerId: customer2.id } })).body;
    const queue = new SqsWorkQueue(queueUrl);
    await queue.send({ caseId: c.id, version: 1 });
    await queue.send({ caseId: c.id, version: 1 });
    await settle();
    const decisions = (await call()(agent, 'GET', `/cases/${c.id}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'routing');
    expect(decisions).toHaveLength(1);
    expect((await call()(agent, 'GET', `/cases/${c.id}`)).body.version).toBe(2);
  });
});

describe('routing leaves people\'s decisions alone', () => {
  it('does not re-route an owned case, nor undo a priority someone chose', async () => {
    const agent = await h.token('agent1@example.com');
    const me = (await call()(agent, 'GET', '/me')).body.sub;
    const customer = await h.token('customer1@example.com'); // a VIP: the rule sets priority high
    const c = (await call()(customer, 'POST', '/cases', { body: { title: 'Monitor flickers', description: 'x' } })).body;
    await settle();
    const routed = (await call()(agent, 'GET', `/cases/${c.id}`)).body;
    expect(routed.priority).toBe('high');
    // a dispatcher lowers the priority: routing does not put it back
    const lowered = (await call()(agent, 'PATCH', `/cases/${c.id}`, { body: { priority: 'low' }, headers: { 'if-match': `"${routed.version}"` } })).body;
    await settle();
    expect((await call()(agent, 'GET', `/cases/${c.id}`)).body).toMatchObject({ priority: 'low', version: lowered.version });
    // once someone owns it, editing what rules read does not move it either
    const owned = (await call()(agent, 'PATCH', `/cases/${c.id}`, { body: { ownerId: me }, headers: { 'if-match': `"${lowered.version}"` } })).body;
    const retitled = (await call()(agent, 'PATCH', `/cases/${c.id}`, { body: { title: 'Training course for the monitor' }, headers: { 'if-match': `"${owned.version}"` } })).body;
    await settle();
    const after = (await call()(agent, 'GET', `/cases/${c.id}`)).body;
    expect(after).toMatchObject({ version: retitled.version, queueId: routed.queueId, priority: 'low' });
    expect((await call()(agent, 'GET', `/cases/${c.id}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'routing')).toHaveLength(1);
  });
});

describe('assignment through the flow', () => {
  it('a new case reaches an available agent; when they finish one, the next waiting case follows', async () => {
    const tom = await h.token('agent2@example.com');
    const sara = await h.token('agent1@example.com');
    const tomId = (await call()(tom, 'GET', '/me')).body.sub;
    const customer2 = (await call()(tom, 'GET', '/customers?email=customer2@example.com')).body.items[0];
    const subjects = Object.fromEntries((await call()(tom, 'GET', '/subjects')).body.items.map((s: { name: string; id: string }) => [s.name, s.id]));
    const queues = Object.fromEntries((await call()(tom, 'GET', '/queues')).body.items.map((q: { name: string; id: string }) => [q.name, q.id]));
    // Education is round robin over Tom and Sara; only Tom is available, with room for one more case
    const me = (await call()(tom, 'PUT', '/me/presence', { body: { presence: 'available' } })).body;
    const admin = await h.token('admin@example.com');
    expect((await call()(admin, 'PATCH', `/agents/${tomId}`, { body: { capacity: me.openCases + 1 }, headers: { 'if-match': `"${me.version}"` } })).status).toBe(200);
    const open = async (title: string) =>
      (await call()(sara, 'POST', '/cases', { body: { title, description: 'x', customerId: customer2.id, caseType: 'request', subjectId: subjects.Courses } })).body;
    const first = await open('Enrol me in the spring course');
    await settle();
    expect((await call()(tom, 'GET', `/cases/${first.id}`)).body).toMatchObject({ queueId: queues.Education, ownerId: tomId });
    const second = await open('Enrol my colleague too');
    await settle();
    expect((await call()(tom, 'GET', `/cases/${second.id}`)).body).toMatchObject({ queueId: queues.Education, ownerId: null });
    // Tom resolves the first: his room goes to the waiting one
    const resolved = await call()(tom, 'POST', `/cases/${first.id}/resolve`, { body: { resolutionType: 'information_provided', text: 'Enrolled.', minutesSpent: 5 } });
    expect(resolved.status).toBe(200);
    await settle();
    const after = (await call()(tom, 'GET', `/cases/${second.id}`)).body;
    expect(after.ownerId).toBe(tomId);
    const entry = (await call()(tom, 'GET', `/cases/${second.id}/timeline`)).body.items.at(-1);
    expect(entry).toMatchObject({ kind: 'assignment', actor: { kind: 'system' } });
    expect(entry.body).toMatch(/became available|has room/);
    await call()(tom, 'PUT', '/me/presence', { body: { presence: 'offline' } });
  });
});
