/**
 * Section 6: created -> assigned latency through the whole local runtime: POST /cases on the
 * gateway, the table stream (poller) -> events handler -> SQS routing queue (fauxqs) -> routing
 * worker -> queue by the rules, agent by the queue's round-robin strategy, in one write.
 *
 * Cases are sent open-loop at a fixed rate to the demo Education queue (two available members
 * with room). Each case's latency is read from server stamps on one clock: the routing entry's
 * time minus the case's createdAt (both are taken just before their writes).
 */
import type { Runtime } from '../local/runtime';
import { percentile, progress, round, say, section, table } from './lib/report';
import { token } from './throughput';

export interface AssignmentResult {
  cases: number;
  ratePerSecond: number;
  assigned: number;
  notAssigned: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  streamPollIntervalMs: number;
}

const loopback = (url: string) => {
  if (!/^http:\/\/127\.0\.0\.1:/.test(url)) throw new Error(`refusing to send load anywhere but 127.0.0.1: ${url}`);
  return url;
};

export async function runAssignment(rt: Runtime, opts: { cases: number; rate: number; timeoutMs?: number }): Promise<AssignmentResult> {
  section(`6. Created -> assigned latency (${opts.cases} cases at ${opts.rate}/s through stream, SQS and the routing worker)`);
  const base = loopback(rt.url);
  const api = async (tok: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tok}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const admin = await token(base, 'admin@example.com');
  const tom = await token(base, 'agent2@example.com');
  const sara = await token(base, 'agent1@example.com');
  // the Education queue: round robin over Tom and Sara; give them room and make them available
  const agents = (await api(admin, 'GET', '/agents')).items as { id: string; email: string; version: number }[];
  for (const email of ['agent1@example.com', 'agent2@example.com']) {
    const a = agents.find((x) => x.email === email)!;
    await api(admin, 'PATCH', `/agents/${a.id}`, { capacity: 1000 }, { 'if-match': `"${a.version}"` });
  }
  await api(tom, 'PUT', '/me/presence', { presence: 'available' });
  await api(sara, 'PUT', '/me/presence', { presence: 'available' });
  const queues = (await api(sara, 'GET', '/queues')).items as { id: string; name: string }[];
  const education = queues.find((q) => q.name === 'Education')!.id;
  const courses = ((await api(sara, 'GET', '/subjects')).items as { id: string; name: string }[]).find((s) => s.name === 'Courses')!.id;
  const customerId = (await api(sara, 'GET', '/customers?email=customer2@example.com')).items[0].id as string;

  progress(`sending ${opts.cases} cases at ${opts.rate}/s...`);
  const t0 = Date.now();
  const created: { id: string; createdAt: string }[] = [];
  await Promise.all(
    Array.from({ length: opts.cases }, async (_, i) => {
      const wait = t0 + (i * 1000) / opts.rate - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const c = await api(sara, 'POST', '/cases', { title: `Enrol colleague ${i} in the course`, description: 'bench', customerId, subjectId: courses, caseType: 'request' });
      created.push({ id: c.id, createdAt: c.createdAt });
    }),
  );

  progress('waiting for the routing worker to assign them all...');
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let waiting = 0;
  for (;;) {
    const counts = (await api(sara, 'GET', `/queues/${education}`)).counts as { waiting: number };
    waiting = counts.waiting;
    const pending = (await Promise.all(created.slice(-20).map((c) => api(sara, 'GET', `/cases/${c.id}`)))).filter((c) => !c.ownerId).length;
    if ((!pending && !waiting) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }

  const latencies: number[] = [];
  let notAssigned = 0;
  for (const c of created) {
    const tl = (await api(sara, 'GET', `/cases/${c.id}/timeline?limit=100`)).items as { kind: string; at: string; changes?: { field: string; to: unknown }[] }[];
    const assignment = tl.find((e) => e.kind === 'routing' && e.changes?.some((x) => x.field === 'ownerId' && x.to));
    if (!assignment) notAssigned++;
    else latencies.push(Date.parse(assignment.at) - Date.parse(c.createdAt));
  }
  await api(tom, 'PUT', '/me/presence', { presence: 'offline' });
  await api(sara, 'PUT', '/me/presence', { presence: 'offline' });

  const result: AssignmentResult = {
    cases: opts.cases,
    ratePerSecond: opts.rate,
    assigned: latencies.length,
    notAssigned,
    p50Ms: round(percentile(latencies, 50), 0),
    p90Ms: round(percentile(latencies, 90), 0),
    p99Ms: round(percentile(latencies, 99), 0),
    maxMs: round(Math.max(...latencies), 0),
    minMs: round(Math.min(...latencies), 0),
    streamPollIntervalMs: 250,
  };
  say(
    table(
      ['cases', 'rate/s', 'assigned', 'min ms', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      [[result.cases, result.ratePerSecond, result.assigned, result.minMs, result.p50Ms, result.p90Ms, result.p99Ms, result.maxMs]],
    ),
  );
  say(`  note: locally the stream is polled every ${result.streamPollIntervalMs} ms and the routing queue long-polled; on AWS the stream event source and SQS polling set the floor instead.`);
  if (notAssigned) say(`  ${notAssigned} case(s) were not assigned within the time limit.`);
  return result;
}
