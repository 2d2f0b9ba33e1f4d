/**
 * Cases end to end: the real handlers against DynamoDB Local, each scenario run in-process and
 * over HTTP through the local gateway.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Call, type Harness, harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h?.close());

const TICKET = /^CAS-\d{5}-[A-HJKMNP-TV-Z2-9]{6}$/;

describe.each(['in-process', 'http'] as const)('cases (%s)', (transport) => {
  let call: Call;
  let customer1: string;
  let customer2: string;
  let agent: string;
  let customer1Id: string;
  let customer2Id: string;
  beforeAll(async () => {
    call = h.transports[transport];
    customer1 = await h.token('customer1@example.com');
    customer2 = await h.token('customer2@example.com');
    agent = await h.token('agent1@example.com');
    customer1Id = (await call(customer1, 'GET', '/me')).body.customerId;
    customer2Id = (await call(customer2, 'GET', '/me')).body.customerId;
  });

  const open = async (title = 'Printer on fire') => {
    const r = await call(customer1, 'POST', '/cases', { body: { title, description: 'Smoke comes out of the tray.' } });
    expect(r.status).toBe(201);
    return r.body;
  };

  it('customer opens, agent works and resolves, customer reads the resolution, another customer sees nothing', async () => {
    const created = await call(customer1, 'POST', '/cases', { body: { title: 'Printer on fire', description: 'Smoke comes out.' } });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const c = created.body;
    expect(c).toMatchObject({ customerId: customer1Id, state: 'active', status: 'new', origin: 'web', priority: 'normal', version: 1 });
    expect(c.ticketNumber).toMatch(TICKET);
    expect(created.headers.location).toBe(`/cases/${c.id}`);

    const listed = await call(agent, 'GET', `/cases?customerId=${customer1Id}&state=active`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(c.id);

    const patched = await call(agent, 'PATCH', `/cases/${c.id}`, { body: { status: 'in_progress', priority: 'urgent' }, headers: { 'if-match': created.headers.etag! } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'in_progress', priority: 'urgent', version: 2 });
    expect(patched.headers.etag).toBe('"2"');

    const reply = await call(agent, 'POST', `/cases/${c.id}/messages`, { body: { body: 'We are on our way with an extinguisher.' } });
    expect(reply.status).toBe(201);
    expect(reply.body.firstResponseAt).toBeTruthy();
    const note = await call(agent, 'POST', `/cases/${c.id}/notes`, { body: { body: 'Internal: customer is VIP, bill nothing.' } });
    expect(note.status).toBe(201);
    const customerReply = await call(customer1, 'POST', `/cases/${c.id}/messages`, { body: { body: 'Thanks!' } });
    expect(customerReply.status).toBe(201);
    expect(customerReply.body.firstResponseAt).toBe(reply.body.firstResponseAt);

    const resolved = await call(agent, 'POST', `/cases/${c.id}/resolve`, {
      body: { resolutionType: 'problem_solved', text: 'Fire out, printer replaced.', minutesSpent: 45 },
      headers: { 'if-match': customerReply.headers.etag! },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: 'resolved', status: 'problem_solved' });

    const seen = await call(customer1, 'GET', `/cases/${c.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.resolution).toMatchObject({ type: 'problem_solved', text: 'Fire out, printer replaced.', minutesSpent: 45 });

    const timeline = await call(customer1, 'GET', `/cases/${c.id}/timeline`);
    expect(timeline.status).toBe(200);
    const kinds = timeline.body.items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['created', 'status_change', 'message', 'message', 'resolution']);
    expect(JSON.stringify(timeline.body)).not.toContain('bill nothing');
    const staffTimeline = await call(agent, 'GET', `/cases/${c.id}/timeline`);
    expect(staffTimeline.body.items.map((e: { kind: string }) => e.kind)).toEqual([
      'created', 'status_change', 'field_change', 'message', 'note', 'message', 'resolution',
    ]);

    for (const path of [`/cases/${c.id}`, `/cases/${c.id}/timeline`, `/cases/by-ticket/${c.ticketNumber}`]) {
      const other = await call(customer2, 'GET', path);
      expect(other.status, path).toBe(404);
      expect(other.headers['content-type']).toContain('application/problem+json');
    }
    expect((await call(customer2, 'POST', `/cases/${c.id}/messages`, { body: { body: 'hi' } })).status).toBe(404);
    expect((await call(customer2, 'POST', `/cases/${c.id}/reactivate`)).status).toBe(404);
    const others = await call(customer2, 'GET', `/cases?customerId=${customer1Id}`);
    expect(others.body.items).toEqual([]);

    const reopened = await call(customer1, 'POST', `/cases/${c.id}/reactivate`, { body: { reason: 'It smokes again' } });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ state: 'active', status: 'in_progress', resolution: null });
  });

  it('finds a case by ticket number, case-insensitively, and 404s unknown or malformed numbers', async () => {
    const c = await open();
    const r = await call(customer1, 'GET', `/cases/by-ticket/${c.ticketNumber.toLowerCase()}`);
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(c.id);
    expect((await call(agent, 'GET', '/cases/by-ticket/CAS-99999-AAAAAA')).status).toBe(404);
    expect((await call(agent, 'GET', '/cases/by-ticket/not%20a%20ticket')).status).toBe(404);
  });

  it('never lets a customer set internal fields or write internal notes', async () => {
    const c = await open();
    const create = await call(customer1, 'POST', '/cases', { body: { title: 't', description: 'd', ownerId: c.createdBy, priority: 'urgent' } });
    expect(create.status).toBe(403);
    expect(create.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['ownerId', 'priority']);
    const patch = await call(customer1, 'PATCH', `/cases/${c.id}`, { body: { status: 'researching' }, headers: { 'if-match': '"1"' } });
    expect(patch.status).toBe(403);
    expect(patch.body.errors[0].path).toBe('status');
    expect((await call(customer1, 'POST', `/cases/${c.id}/notes`, { body: { body: 'x' } })).status).toBe(403);
    expect((await call(customer1, 'POST', `/cases/${c.id}/resolve`, { body: { resolutionType: 'problem_solved', text: 'x', minutesSpent: 1 } })).status).toBe(403);
    const own = await call(customer1, 'PATCH', `/cases/${c.id}`, { body: { title: 'Printer still on fire' }, headers: { 'if-match': '"1"' } });
    expect(own.status).toBe(200);
    expect(own.body.title).toBe('Printer still on fire');
    const after = await call(agent, 'GET', `/cases/${c.id}`);
    expect(after.body).toMatchObject({ status: 'new', ownerId: null, priority: 'normal', version: 2 });
  });

  it('requires If-Match on PATCH and refuses a stale one', async () => {
    const c = await open();
    const none = await call(agent, 'PATCH', `/cases/${c.id}`, { body: { priority: 'high' } });
    expect(none.status).toBe(428);
    const first = await call(agent, 'PATCH', `/cases/${c.id}`, { body: { priority: 'high' }, headers: { 'if-match': '"1"' } });
    expect(first.status).toBe(200);
    const stale = await call(agent, 'PATCH', `/cases/${c.id}`, { body: { priority: 'low' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);
    const staleAction = await call(agent, 'POST', `/cases/${c.id}/cancel`, { headers: { 'if-match': '"1"' } });
    expect(staleAction.status).toBe(412);
    const now = await call(agent, 'GET', `/cases/${c.id}`);
    expect(now.body).toMatchObject({ priority: 'high', state: 'active', version: 2 });
  });

  it('twenty concurrent PATCHes with the same If-Match: exactly one wins', async () => {
    const c = await open();
    const priorities = ['low', 'high', 'urgent', 'normal'];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(agent, 'PATCH', `/cases/${c.id}`, { body: { title: `Title ${i}`, priority: priorities[i % 4] }, headers: { 'if-match': '"1"' } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200)!.body;
    const now = await call(agent, 'GET', `/cases/${c.id}`);
    expect(now.body).toMatchObject({ title: winner.title, version: 2 });
    const tl = await call(agent, 'GET', `/cases/${c.id}/timeline`);
    expect(tl.body.items.filter((e: { kind: string }) => e.kind === 'field_change')).toHaveLength(1);
  });

  it('refuses transitions the state does not allow', async () => {
    const c = await open();
    expect((await call(agent, 'POST', `/cases/${c.id}/cancel`, { body: { reason: 'duplicate' } })).status).toBe(200);
    const resolve = await call(agent, 'POST', `/cases/${c.id}/resolve`, { body: { resolutionType: 'problem_solved', text: 'x', minutesSpent: 1 } });
    expect(resolve.status).toBe(409);
    expect(resolve.body.type).toBe('/problems/invalid-transition');
    expect((await call(agent, 'PATCH', `/cases/${c.id}`, { body: { title: 'x' }, headers: { 'if-match': '"2"' } })).status).toBe(409);
    expect((await call(customer1, 'POST', `/cases/${c.id}/messages`, { body: { body: 'hello?' } })).status).toBe(409);
    // customers may reopen resolved cases only; agents may reactivate cancelled ones
    expect((await call(customer1, 'POST', `/cases/${c.id}/reactivate`)).status).toBe(409);
    expect((await call(agent, 'POST', `/cases/${c.id}/reactivate`)).status).toBe(200);
    const setResolved = await call(agent, 'PATCH', `/cases/${c.id}`, { body: { status: 'problem_solved' }, headers: { 'if-match': '"3"' } });
    expect(setResolved.status).toBe(400);
  });

  it('pages with an opaque cursor, no duplicates, and refuses a cursor from another query', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await call(agent, 'POST', '/cases', { body: { title: `Bulk ${transport} ${i}`, description: 'd', customerId: customer2Id, priority: 'low' } });
      expect(r.status).toBe(201);
      made.push(r.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await call(
        customer2,
        'GET',
        `/cases?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.items.map((x) => x.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of made) expect(seen).toContain(id);
    const first = await call(customer2, 'GET', '/cases?limit=2');
    const foreign = await call(agent, 'GET', `/cases?state=active&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe('cursor');
    expect((await call(agent, 'GET', '/cases?cursor=%%%garbage')).status).toBe(400);
  });

  it('filters by state, status, priority and owner', async () => {
    const me = (await call(agent, 'GET', '/me')).body.sub;
    const c = await open('Filter me');
    await call(agent, 'PATCH', `/cases/${c.id}`, { body: { ownerId: me, status: 'researching', priority: 'high' }, headers: { 'if-match': '"1"' } });
    const byOwner = await call(agent, 'GET', `/cases?ownerId=${me}&status=researching&priority=high`);
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
    for (const x of byOwner.body.items) expect(x).toMatchObject({ ownerId: me, status: 'researching', priority: 'high' });
    const resolved = await call(agent, 'GET', '/cases?state=resolved');
    for (const x of resolved.body.items) expect(x.state).toBe('resolved');
    const bad = await call(agent, 'GET', '/cases?priority=extreme&limit=1000&colour=red');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query', 'query.limit', 'query.priority']);
  });
});

describe('bad input never stores anything and never answers 500', () => {
  // the test itself may scan to verify the table; the handlers' client would refuse
  let unguarded: DynamoDBClient;
  beforeAll(() => {
    unguarded = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
  });
  const countItems = async () => {
    let n = 0;
    let start: Record<string, any> | undefined;
    do {
      const out = await unguarded.send(new ScanCommand({ TableName: h.table, Select: 'COUNT', ExclusiveStartKey: start }));
      n += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return n;
  };

  it.each(['in-process', 'http'] as const)('%s', async (transport) => {
    const call = h.transports[transport];
    const agent = await h.token('agent1@example.com');
    const customer = await h.token('customer1@example.com');
    const customerId = (await call(customer, 'GET', '/me')).body.customerId;
    const existing = (await call(customer, 'POST', '/cases', { body: { title: 'x', description: 'y' } })).body;
    const missing = '00000000-0000-4000-8000-000000000000';
    const before = await countItems();
    const cases: [string, string, string, Parameters<Call>[3], number, string?][] = [
      ['malformed JSON', 'POST', '/cases', { rawBody: '{"title": "x",' }, 400, '(body)'],
      ['JSON array', 'POST', '/cases', { rawBody: '[1,2]' }, 400, '(body)'],
      ['empty body', 'POST', '/cases', { rawBody: '' }, 400, '(body)'],
      ['wrong types', 'POST', '/cases', { body: { title: 42, description: ['x'], customerId } }, 400, 'title'],
      ['unknown field', 'POST', '/cases', { body: { title: 'x', description: 'y', customerId, colour: 'red' } }, 400, '(body)'],
      ['blank title', 'POST', '/cases', { body: { title: '   ', description: 'y', customerId } }, 400, 'title'],
      ['bad enum', 'POST', '/cases', { body: { title: 'x', description: 'y', customerId, priority: 'whenever' } }, 400, 'priority'],
      ['over 64 KB', 'POST', '/cases', { body: { title: 'x', description: 'y'.repeat(70_000), customerId } }, 413],
      ['no customer named', 'POST', '/cases', { body: { title: 'x', description: 'y' } }, 400, 'customerId'],
      ['customer does not exist', 'POST', '/cases', { body: { title: 'x', description: 'y', customerId: missing } }, 400, 'customerId'],
      ['subject does not exist', 'POST', '/cases', { body: { title: 'x', description: 'y', customerId, subjectId: missing } }, 400, 'subjectId'],
      ['owner does not exist', 'POST', '/cases', { body: { title: 'x', description: 'y', customerId, ownerId: missing } }, 400, 'ownerId'],
      ['malformed id', 'GET', '/cases/not-a-uuid', {}, 400, 'id'],
      ['foreign id', 'GET', `/cases/${missing}`, {}, 404],
      ['patch foreign id', 'PATCH', `/cases/${missing}`, { body: { title: 'x' }, headers: { 'if-match': '"1"' } }, 404],
      ['patch to missing queue', 'PATCH', `/cases/${existing.id}`, { body: { queueId: missing }, headers: { 'if-match': '"1"' } }, 400, 'queueId'],
      ['bad If-Match', 'PATCH', `/cases/${existing.id}`, { body: { title: 'x' }, headers: { 'if-match': 'banana' } }, 400, 'If-Match'],
      ['wrong content type', 'POST', `/cases/${existing.id}/notes`, { rawBody: 'body=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
      ['resolve without text', 'POST', `/cases/${existing.id}/resolve`, { body: { resolutionType: 'problem_solved', minutesSpent: -1 } }, 400, 'text'],
      ['customer with bad email', 'POST', '/customers', { body: { kind: 'contact', name: 'x', email: 'nope' } }, 400, 'email'],
      ['account for a contact is a contact', 'POST', '/customers', { body: { kind: 'contact', name: 'x', email: 'new@example.com', accountId: customerId } }, 400, 'accountId'],
      ['duplicate e-mail, other case', 'POST', '/customers', { body: { kind: 'contact', name: 'x', email: 'CUSTOMER1@example.com' } }, 409, 'email'],
    ];
    for (const [name, method, path, opts, status, field] of cases) {
      const r = await call(agent, method, path, opts);
      expect(r.status, name).toBe(status);
      expect(r.headers['content-type'], name).toContain('application/problem+json');
      expect(r.body.status, name).toBe(status);
      if (field) expect(r.body.errors?.map((e: { path: string }) => e.path), name).toContain(field);
    }
    // only the ticket counter may have moved (gaps are allowed); no case, entry or guard was stored
    expect(await countItems()).toBe(before);
    const still = await call(agent, 'GET', `/cases/${existing.id}`);
    expect(still.body.version).toBe(1);
  });
});

describe('ticket numbers and access patterns', () => {
  it('hands out unique ticket numbers under concurrency', async () => {
    const call = h.transports['in-process'];
    const customer = await h.token('customer1@example.com');
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => call(customer, 'POST', '/cases', { body: { title: `Concurrent ${i}`, description: 'd' } })),
    );
    const numbers = results.map((r) => r.body.ticketNumber as string);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(numbers).size).toBe(25);
    const serials = new Set(numbers.map((n) => n.split('-')[1]));
    expect(serials.size).toBe(25);
  });

  it('reads a case with exactly one GetItem, finds by ticket with one Query, and never scans', async () => {
    const call = h.transports['in-process'];
    const agent = await h.token('agent1@example.com');
    const customer = await h.token('customer1@example.com');
    const c = (await call(customer, 'POST', '/cases', { body: { title: 'One read', description: 'd' } })).body;
    h.commands.length = 0;
    expect((await call(agent, 'GET', `/cases/${c.id}`)).status).toBe(200);
    expect(h.commands).toEqual(['GetItemCommand']);
    h.commands.length = 0;
    expect((await call(agent, 'GET', `/cases/by-ticket/${c.ticketNumber}`)).status).toBe(200);
    expect(h.commands).toEqual(['QueryCommand']);
    h.commands.length = 0;
    // a customer's identity costs one extra key read (their contact by e-mail)
    expect((await call(customer, 'GET', `/cases/${c.id}`)).status).toBe(200);
    expect(h.commands).toEqual(['GetItemCommand', 'GetItemCommand']);
  });

  afterAll(() => {
    expect(h.commands).not.toContain('ScanCommand');
  });
});

describe('lost races', () => {
  it('report the version that won, read from the failed transaction', async () => {
    const customer = await h.token('customer1@example.com');
    const c = (await h.transports['in-process'](customer, 'POST', '/cases', { body: { title: 'Race', description: 'd' } })).body;
    const { DynamoCaseStore } = await import('../../shared/adapters/aws/dynamodb/case-store');
    const store = h.deps.cases as InstanceType<typeof DynamoCaseStore>;
    await store.save({ ...c, title: 'winner', version: 2 }, [], c, []);
    const lost = await store.save({ ...c, title: 'loser', version: 2 }, [], c, []).catch((e) => e);
    expect(lost.kind).toBe('precondition-failed');
    expect(lost.extra.currentVersion).toBe(2);
  });
});

describe('listing every case', () => {
  it('pages through all states in order (active, resolved, cancelled) with one cursor, nothing twice or missed', async () => {
    const call = h.transports['in-process'];
    const agent = await h.token('agent1@example.com');
    const customer = await h.token('customer2@example.com');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await call(customer, 'POST', '/cases', { body: { title: `All ${i}`, description: 'd' } })).body.id);
    await call(agent, 'POST', `/cases/${ids[0]}/resolve`, { body: { resolutionType: 'problem_solved', text: 'ok', minutesSpent: 1 } });
    await call(agent, 'POST', `/cases/${ids[1]}/cancel`);

    const byState: Record<string, number> = {};
    for (const state of ['active', 'resolved', 'cancelled']) {
      let n = 0;
      let cursor: string | null = null;
      do {
        const r: { body: { items: unknown[]; nextCursor: string | null } } = await call(agent, 'GET', `/cases?state=${state}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        n += r.body.items.length;
        cursor = r.body.nextCursor;
      } while (cursor);
      byState[state] = n;
    }
    const seen: { id: string; state: string }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const r: { status: number; body: { items: { id: string; state: string }[]; nextCursor: string | null } } = await call(
        agent,
        'GET',
        `/cases?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
    expect(seen.length).toBe(byState.active! + byState.resolved! + byState.cancelled!);
    const order = seen.map((c) => ['active', 'resolved', 'cancelled'].indexOf(c.state));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const id of ids) expect(seen.map((c) => c.id)).toContain(id);
  });
});
