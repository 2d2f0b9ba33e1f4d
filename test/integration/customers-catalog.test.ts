/** Customers, subjects and products through the real handlers on DynamoDB Local. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Call, type Harness, harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h?.close());

describe.each(['in-process', 'http'] as const)('customers (%s)', (transport) => {
  let call: Call;
  let agent: string;
  let customer1: string;
  beforeAll(async () => {
    call = h.transports[transport];
    agent = await h.token('agent1@example.com');
    customer1 = await h.token('customer1@example.com');
  });

  it('creates an account and a contact in it; e-mail is unique case-insensitively', async () => {
    const acct = await call(agent, 'POST', '/customers', { body: { kind: 'account', name: `Acme ${transport}`, tier: 'vip' } });
    expect(acct.status).toBe(201);
    const email = `Jane.${transport}@Acme.example`;
    const contact = await call(agent, 'POST', '/customers', { body: { kind: 'contact', name: 'Jane', email, accountId: acct.body.id, language: 'fa', phone: '+98 21 1234 5678' } });
    expect(contact.status).toBe(201);
    expect(contact.body).toMatchObject({ kind: 'contact', email, tier: 'standard', language: 'fa', accountId: acct.body.id, version: 1 });
    const dup = await call(agent, 'POST', '/customers', { body: { kind: 'contact', name: 'Other Jane', email: email.toUpperCase() } });
    expect(dup.status).toBe(409);
    const found = await call(agent, 'GET', `/customers?email=${encodeURIComponent(email.toLowerCase())}`);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([contact.body.id]);
    const inAccount = await call(agent, 'GET', `/customers?accountId=${acct.body.id}`);
    expect(inAccount.body.items.map((c: { id: string }) => c.id)).toEqual([contact.body.id]);
    const accounts = await call(agent, 'GET', '/customers?kind=account&limit=100');
    expect(accounts.body.items.map((c: { id: string }) => c.id)).toContain(acct.body.id);
  });

  it('moves the e-mail guard when a contact changes address, under If-Match', async () => {
    const email = `move.${transport}@example.com`;
    const c = (await call(agent, 'POST', '/customers', { body: { kind: 'contact', name: 'Mover', email } })).body;
    expect((await call(agent, 'PATCH', `/customers/${c.id}`, { body: { name: 'x' } })).status).toBe(428);
    const moved = await call(agent, 'PATCH', `/customers/${c.id}`, { body: { email: `moved.${transport}@example.com` }, headers: { 'if-match': '"1"' } });
    expect(moved.status).toBe(200);
    expect(moved.body.version).toBe(2);
    // the old address is free again, the new one is taken
    expect((await call(agent, 'POST', '/customers', { body: { kind: 'contact', name: 'Newcomer', email } })).status).toBe(201);
    expect((await call(agent, 'POST', '/customers', { body: { kind: 'contact', name: 'Clash', email: `MOVED.${transport}@example.com` } })).status).toBe(409);
    expect((await call(agent, 'PATCH', `/customers/${c.id}`, { body: { name: 'y' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
  });

  it('lets customers read and edit only themselves, and only harmless fields', async () => {
    const me = (await call(customer1, 'GET', '/me')).body;
    const self = await call(customer1, 'GET', `/customers/${me.customerId}`);
    expect(self.status).toBe(200);
    expect(self.body.email).toBe('customer1@example.com');
    const other = (await call(agent, 'GET', '/customers?email=customer2@example.com')).body.items[0];
    expect((await call(customer1, 'GET', `/customers/${other.id}`)).status).toBe(404);
    expect((await call(customer1, 'GET', '/customers')).status).toBe(403);
    const tier = await call(customer1, 'PATCH', `/customers/${me.customerId}`, { body: { tier: 'vip' }, headers: { 'if-match': self.headers.etag! } });
    expect(tier.status).toBe(403);
    const lang = await call(customer1, 'PATCH', `/customers/${me.customerId}`, { body: { language: 'fa' }, headers: { 'if-match': self.headers.etag! } });
    expect(lang.status).toBe(200);
    expect(lang.body.language).toBe('fa');
    const back = await call(customer1, 'PATCH', `/customers/${me.customerId}`, { body: { language: 'en' }, headers: { 'if-match': lang.headers.etag! } });
    expect(back.status).toBe(200);
  });

  it('refuses contacts without e-mail and accounts inside accounts', async () => {
    expect((await call(agent, 'POST', '/customers', { body: { kind: 'contact', name: 'No mail' } })).status).toBe(400);
    const acct = (await call(agent, 'POST', '/customers', { body: { kind: 'account', name: 'Parent' } })).body;
    const nested = await call(agent, 'POST', '/customers', { body: { kind: 'account', name: 'Child', accountId: acct.id } });
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].path).toBe('accountId');
  });
});

describe.each(['in-process', 'http'] as const)('catalogue (%s)', (transport) => {
  let call: Call;
  let agent: string;
  let admin: string;
  beforeAll(async () => {
    call = h.transports[transport];
    agent = await h.token('agent1@example.com');
    admin = await h.token('admin@example.com');
  });

  it('builds a subject tree (admins only) and lists parents before children', async () => {
    const root = await call(admin, 'POST', '/subjects', { body: { name: `Network ${transport}` } });
    expect(root.status).toBe(201);
    const child = await call(admin, 'POST', '/subjects', { body: { name: `Wi-Fi ${transport}`, parentId: root.body.id } });
    expect(child.status).toBe(201);
    expect(child.body.path).toEqual([root.body.id, child.body.id]);
    expect((await call(agent, 'POST', '/subjects', { body: { name: 'Nope' } })).status).toBe(403);
    const orphan = await call(admin, 'POST', '/subjects', { body: { name: 'Orphan', parentId: '00000000-0000-4000-8000-000000000000' } });
    expect(orphan.status).toBe(400);
    const list = await call(agent, 'GET', '/subjects');
    const ids = list.body.items.map((s: { id: string }) => s.id);
    expect(ids.indexOf(root.body.id)).toBeLessThan(ids.indexOf(child.body.id));
  });

  it('keeps product codes unique and pages the catalogue', async () => {
    const p = await call(admin, 'POST', '/products', { body: { name: 'Router X1', code: `RX1-${transport}`, family: 'Network' } });
    expect(p.status).toBe(201);
    const dup = await call(admin, 'POST', '/products', { body: { name: 'Router X1 again', code: `rx1-${transport}` } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].path).toBe('code');
    const first = await call(agent, 'GET', '/products?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBeTruthy();
    const customer = await h.token('customer1@example.com');
    expect((await call(customer, 'GET', '/products')).status).toBe(200);
    expect((await call(customer, 'POST', '/products', { body: { name: 'x', code: 'x' } })).status).toBe(403);
  });
});

describe.each(['in-process', 'http'] as const)('directory (%s)', (transport) => {
  it('lists staff and queues by name, for staff only', async () => {
    const call = h.transports[transport];
    const agent = await h.token('agent1@example.com');
    const agents = await call(agent, 'GET', '/agents');
    expect(agents.status).toBe(200);
    const me = (await call(agent, 'GET', '/me')).body;
    expect(agents.body.items).toContainEqual(expect.objectContaining({ id: me.sub, email: 'agent1@example.com', name: 'Sara Ahmadi' }));
    expect(agents.body.items.every((a: Record<string, unknown>) => !('passwordHash' in a))).toBe(true);
    const queues = await call(agent, 'GET', '/queues');
    expect(queues.body.items.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['General', 'IT support', 'VIP']));
    const customer = await h.token('customer1@example.com');
    expect((await call(customer, 'GET', '/agents')).status).toBe(403);
    expect((await call(customer, 'GET', '/queues')).status).toBe(403);
  });
});
