/** Pick-next: the most urgent, oldest waiting case, and never the same case twice. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../shared/app/cases';
import type { Caller } from '../../shared/app/caller';
import { type Harness, harness } from '../support/harness';

let h: Harness;
let queues: Record<string, string>;
let agentToken: string;
let staff: Caller;
let customerId: string;
beforeAll(async () => {
  h = await harness();
  agentToken = await h.token('agent1@example.com');
  const call = h.transports['in-process'];
  queues = Object.fromEntries((await call(agentToken, 'GET', '/queues')).body.items.map((q: { name: string; id: string }) => [q.name, q.id]));
  const me = (await call(agentToken, 'GET', '/me')).body;
  staff = { principal: { sub: me.sub, email: me.email, roles: ['agent'] }, actor: { sub: me.sub, kind: 'staff' }, customerId: null };
  customerId = (await call(agentToken, 'GET', '/customers?email=customer2@example.com')).body.items[0].id;
});
afterAll(async () => h?.close());

let clock = Date.parse('2026-01-01T00:00:00.000Z');
/** Cases created through the use case with a clock that ticks, so "oldest" is well defined. */
async function queued(queueId: string, priority: 'low' | 'normal' | 'high' | 'urgent', title: string) {
  clock += 1000;
  const at = new Date(clock);
  const deps = { ...h.deps, clock: { now: () => at } };
  return openCase(deps, staff, { title, description: 'd', customerId, priority, queueId });
}

describe('pick next', () => {
  it('hands out the most urgent case first, then the oldest, and takes it off the waiting list', async () => {
    const q = queues.Education!;
    const oldLow = await queued(q, 'low', 'old low');
    const newUrgent = await queued(q, 'urgent', 'new urgent');
    const oldHigh = await queued(q, 'high', 'old high');
    const newHigh = await queued(q, 'high', 'new high');
    const call = h.transports.http;
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await call(agentToken, 'POST', `/queues/${q}/pick`);
      expect(r.status).toBe(200);
      expect(r.body.ownerId).toBe(staff.principal.sub);
      order.push(r.body.id);
    }
    expect(order).toEqual([newUrgent.id, oldHigh.id, newHigh.id, oldLow.id]);
    const none = await call(agentToken, 'POST', `/queues/${q}/pick`);
    expect(none.status).toBe(404);
    expect(none.body.detail).toMatch(/No case is waiting/);
    const ownerChanges = (items: { kind: string; changes?: { field: string }[] }[]) =>
      items.filter((e) => e.kind === 'assignment' && e.changes?.some((c) => c.field === 'ownerId'));
    const tl = await call(agentToken, 'GET', `/cases/${newUrgent.id}/timeline`);
    expect(ownerChanges(tl.body.items)).toHaveLength(1);
    expect((await call(agentToken, 'POST', '/queues/00000000-0000-4000-8000-000000000000/pick')).status).toBe(404);
    const customer = await h.token('customer1@example.com');
    expect((await call(customer, 'POST', `/queues/${q}/pick`)).status).toBe(403);
  });

  it('eight concurrent pickers over 500 waiting cases: every case handed out exactly once', async () => {
    const q = queues['IT support']!;
    const created = new Set<string>();
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    for (let i = 0; i < 500; i++) created.add((await queued(q, priorities[i % 4]!, `bulk ${i}`)).id);
    const tokens = await Promise.all(['agent1@example.com', 'agent2@example.com', 'manager@example.com'].map((e) => h.token(e)));
    const call = h.transports['in-process'];
    const picked: { id: string; by: number }[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, picker) => {
        // bounded: no picker can loop more than the number of cases
        for (let n = 0; n < 600; n++) {
          const r = await call(tokens[picker % tokens.length]!, 'POST', `/queues/${q}/pick`);
          if (r.status === 404) return;
          expect(r.status).toBe(200);
          picked.push({ id: r.body.id, by: picker });
        }
      }),
    );
    const ids = picked.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length); // never twice
    expect(new Set(ids)).toEqual(created); // and none left behind
    // every case has one owner and one assignment entry
    for (const id of [...created].slice(0, 25)) {
      const tl = await call(tokens[0]!, 'GET', `/cases/${id}/timeline`);
      const owners = tl.body.items.filter((e: { kind: string; changes?: { field: string }[] }) => e.kind === 'assignment' && e.changes?.some((c) => c.field === 'ownerId'));
      expect(owners).toHaveLength(1);
    }
    expect(new Set(picked.map((p) => p.by)).size).toBeGreaterThan(1); // the work was shared
  }, 180_000);
});
