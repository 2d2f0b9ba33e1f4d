/**
 * The event backbone: DynamoDB Local's stream, polled like an event source mapping, into the
 * real `events` handler, with the same record shape Lambda delivers.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeEventsHandler } from '../../functions/events';
import { StreamPoller } from '../../local/stream-poller';
import type { DomainEvent } from '../../shared/events/domain-events';
import { type Harness, harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h?.close());

async function drain(poller: StreamPoller, until: () => boolean) {
  for (let i = 0; i < 40 && !until(); i++) {
    await poller.pollOnce();
    if (!until()) await new Promise((r) => setTimeout(r, 50));
  }
}

describe('events from the table stream', () => {
  it('turns case writes into domain events, in order, and retries a failed record', async () => {
    const seen: DomainEvent[] = [];
    let failOnce = true;
    const handler = makeEventsHandler([
      {
        name: 'recorder',
        async handle(e) {
          if (e.type === 'case.changed' && failOnce) {
            failOnce = false;
            throw new Error('transient');
          }
          seen.push(e);
        },
      },
    ]);
    const dropped: unknown[] = [];
    const poller = new StreamPoller({ endpoint: inject('dynamoEndpoint'), streamArn: h.streamArn!, handler, batchSize: 100, retryAttempts: 3, onDropped: (r) => dropped.push(r) });
    await drain(poller, () => false); // skip the demo data written by the harness
    seen.length = 0;

    const call = h.transports['in-process'];
    const customer = await h.token('customer1@example.com');
    const agent = await h.token('agent1@example.com');
    const c = (await call(customer, 'POST', '/cases', { body: { title: 'Evented', description: 'd' } })).body;
    await call(agent, 'PATCH', `/cases/${c.id}`, { body: { priority: 'urgent' }, headers: { 'if-match': '"1"' } });

    await drain(poller, () => seen.some((e) => e.type === 'case.changed'));
    const mine = seen.filter((e) => (e.type === 'timeline.appended' ? e.entry.caseId : e.case.id) === c.id);
    expect(mine.map((e) => e.type)).toEqual(['case.created', 'timeline.appended', 'case.changed', 'timeline.appended']);
    const changed = mine.find((e) => e.type === 'case.changed') as Extract<DomainEvent, { type: 'case.changed' }>;
    expect(changed.changedFields.sort()).toEqual(['priority', 'updatedAt', 'version']);
    expect(changed.before.priority).toBe('normal');
    expect(failOnce).toBe(false); // it did fail once, and the record came again
    expect(dropped).toEqual([]);
    // the created event is not delivered twice even though the batch was retried after it
    expect(mine.filter((e) => e.type === 'case.created')).toHaveLength(1);
  });

  it('gives up on a record that always fails after the retry budget, and goes on', async () => {
    const dropped: unknown[] = [];
    const handled: string[] = [];
    const handler = makeEventsHandler([
      {
        name: 'picky',
        async handle(e) {
          if (e.type === 'case.created' && e.case.title === 'Poison') throw new Error('always');
          if (e.type === 'case.created') handled.push(e.case.title);
        },
      },
    ]);
    const poller = new StreamPoller({ endpoint: inject('dynamoEndpoint'), streamArn: h.streamArn!, handler, batchSize: 100, retryAttempts: 2, onDropped: (r) => dropped.push(...r) });
    await drain(poller, () => false);
    const call = h.transports['in-process'];
    const customer = await h.token('customer1@example.com');
    await call(customer, 'POST', '/cases', { body: { title: 'Poison', description: 'd' } });
    await call(customer, 'POST', '/cases', { body: { title: 'After poison', description: 'd' } });
    await drain(poller, () => handled.includes('After poison'));
    expect(handled).toContain('After poison');
    expect(dropped).toHaveLength(1);
  });

  it('reports the failed record by sequence number, as Lambda expects', async () => {
    const handler = makeEventsHandler([{ name: 'boom', handle: async () => { throw new Error('x'); } }]);
    const record = {
      eventID: '1',
      eventName: 'INSERT' as const,
      dynamodb: { SequenceNumber: '42', NewImage: { entity: { S: 'timeline' }, caseId: { S: 'c' }, kind: { S: 'note' } } },
    };
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
    expect(await makeEventsHandler([])({ Records: [record] })).toEqual({ batchItemFailures: [] });
  });
});
