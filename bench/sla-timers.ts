/**
 * Section 9: SLA timer state transitions per case, and what they cost at list price.
 *
 * N VIP cases go through the whole local runtime (gateway -> stream -> events -> sla queue ->
 * sla-worker -> timers on aws-local-stepfunctions running the deployed definition -> sla-timer
 * handler), on the runtime's movable clock, along two paths:
 *   common:  created (and routed: the VIP rule raises the priority, which re-arms) -> 10 minutes
 *            -> first response -> 10 minutes -> resolved; no threshold is crossed
 *   warning: created (and routed) -> the clock past the first response's warning (the timer acts
 *            and waits for the failure time) -> first response -> 10 minutes -> resolved
 * State transitions are counted from the library's event log of every execution of the case: the
 * states entered plus retries (what Step Functions bills), the Wait a clock move makes the local
 * runtime re-enter counted once (on AWS there is no such move). Lambda requests: each check (the
 * sla-timer function) and each message the sla-worker handled (an upper bound of its
 * invocations: SQS hands it up to 10 at a time).
 *
 * List prices (us-east-1, without free tiers): Step Functions Standard $0.025 per 1,000 state
 * transitions; Lambda $0.20 per million requests and $0.0000133334 per GB-second on arm64, the
 * duration taken as ASSUMED_MS per invocation at the functions' 512 MB.
 */
import type { Runtime } from '../local/runtime';
import { CATALOGUE } from '../infra/catalogue';
import { progress, round, say, section, table } from './lib/report';
import { token } from './throughput';

export const TRANSITIONS_TARGET = 6;
const SFN_PER_TRANSITION = 0.025 / 1000;
const LAMBDA_PER_REQUEST = 0.2 / 1_000_000;
const LAMBDA_PER_GB_SECOND_ARM = 0.0000133334;
const ASSUMED_MS = 100;
const MEMORY_GB = 0.5;
const MIN = 60_000;

export interface SlaTimerPath {
  name: 'common' | 'warning';
  cases: number;
  /** executions a lost race left running, ended as superseded at their instant (per case) */
  leftoverExecutionsPerCase: number;
  /** state transitions per case: mean, min, max */
  transitionsPerCase: { mean: number; min: number; max: number };
  executionsPerCase: number;
  /** sla-timer invocations (checks) per case */
  checksPerCase: number;
  /** messages the sla-worker handled per case (upper bound of its invocations) */
  workerMessagesPerCase: number;
  /** USD per 1,000 cases */
  costPer1000: { stepFunctions: number; lambdaRequests: number; lambdaDuration: number; total: number };
  /** the transitions of one case, by state, for reading */
  example: Record<string, number>;
}

export interface SlaTimersResult {
  cases: number;
  paths: SlaTimerPath[];
  target: number;
  met: boolean;
  assumptions: string[];
  /** cases that did not reach a step in time (left out of the figures) */
  stuck: { caseId: string; step: string; status: string; marks: string[]; timer: unknown; executions: string[] }[];
}

const loopback = (url: string) => {
  if (!/^http:\/\/127\.0\.0\.1:/.test(url)) throw new Error(`refusing to send load anywhere but 127.0.0.1: ${url}`);
  return url;
};

export async function runSlaTimers(rt: Runtime, opts: { cases: number; timeoutMs?: number }): Promise<SlaTimersResult> {
  section(`9. SLA timers: state transitions per case and their cost (${opts.cases} VIP cases per path, local Step Functions)`);
  const base = loopback(rt.url);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const api = async (tok: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tok}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const agent = await token(base, 'agent1@example.com');
  const customerId = (await api(agent, 'GET', '/customers?email=customer1@example.com')).items[0].id as string;
  const worker = rt.consumers[CATALOGUE.filter((f) => f.consumes).findIndex((f) => f.name === 'sla-worker')];
  if (!worker) throw new Error('no sla-worker consumer in the runtime');

  /** `fn` over every id, ten at a time. */
  const each = async (ids: string[], fn: (id: string) => Promise<unknown>) => {
    for (let i = 0; i < ids.length; i += 10) await Promise.all(ids.slice(i, i + 10).map(fn));
  };
  /**
   * Polls until `done` holds for every case; the cases that never get there (bounded wait) are
   * dropped from the figures, reported, and described in the results, instead of failing the section.
   */
  const stuck: SlaTimersResult['stuck'] = [];
  const waitAll = async (what: string, ids: string[], done: (id: string) => Promise<boolean>): Promise<string[]> => {
    const end = Date.now() + timeoutMs;
    let pending = ids;
    for (;;) {
      const still: string[] = [];
      await each(pending, async (id) => {
        if (!(await done(id))) still.push(id);
      });
      pending = still;
      if (!pending.length) return ids;
      if (Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const id of pending) {
      const { c, st } = await stateOf(id);
      stuck.push({ caseId: id, step: what, status: c.status, marks: c.slaMarks, timer: st.timer, executions: rt.timers.of(id).map((r) => `${r.ref.replace(id, 'case')} ${r.status} ${r.wakeAt}`) });
    }
    say(`  warning: ${pending.length} of ${ids.length} case(s) never reached "${what}" within ${timeoutMs / 1000} s; left out of the figures (see stuck in the results)`);
    return ids.filter((id) => !pending.includes(id));
  };
  const stateOf = async (id: string) => {
    const [c, st] = await Promise.all([rt.deps.cases.get(id), rt.deps.slaState.getCaseState(id)]);
    return { c: c!, st };
  };
  const running = (ref: string, wakeAt: string) => rt.timers.active.some((r) => r.ref === ref && r.wakeAt === wakeAt);
  /** routed, recomputed at the routed priority, and its timer running for the stored instant */
  const armed = async (id: string) => {
    const { c, st } = await stateOf(id);
    return !!c.queueId && st.kpis.length > 0 && st.kpis.every((k) => k.priority === c.priority) && !!st.timer && running(st.timer.ref, st.timer.wakeAt);
  };

  const paths: SlaTimerPath[] = [];
  for (const name of ['common', 'warning'] as const) {
    progress(`${name} path: opening ${opts.cases} VIP cases...`);
    const deliveredBefore = worker.delivered;
    const opened: string[] = [];
    await each(
      Array.from({ length: opts.cases }, (_, i) => String(i)),
      async (i) => opened.push((await api(agent, 'POST', '/cases', { customerId, title: `SLA bench ${name} ${i}`, description: 'bench' })).id),
    );
    let ids = await waitAll('routed with a timer', opened, armed);

    if (name === 'warning') {
      // to a minute past the latest first-response warning, before the earliest failure time
      const states = await Promise.all(ids.map(async (id) => (await stateOf(id)).st));
      const warnings = states.map((s) => Date.parse(s.kpis.find((k) => k.kpi === 'first_response')!.warningAt!));
      const failures = states.map((s) => Date.parse(s.kpis.find((k) => k.kpi === 'first_response')!.failureAt!));
      const to = Math.max(...warnings) + MIN;
      if (to >= Math.min(...failures)) throw new Error('the warnings and failure times are too close to move between them');
      await rt.clock.advance(to - rt.clock.now().getTime());
      await rt.timers.settled(timeoutMs);
      ids = await waitAll('warned, waiting for the failure time', ids, async (id) => {
        const { c, st } = await stateOf(id);
        const fr = st.kpis.find((k) => k.kpi === 'first_response');
        return c.slaMarks.includes('first_response:warning') && !!st.timer && st.timer.wakeAt === fr?.failureAt && running(st.timer.ref, st.timer.wakeAt);
      });
    } else await rt.clock.advance(10 * MIN);

    progress(`${name} path: first responses...`);
    await each(ids, (id) => api(agent, 'POST', `/cases/${id}/messages`, { body: 'We are looking into it.' }));
    ids = await waitAll('first response met or recorded, the timer on the next instant', ids, async (id) => {
      const { st } = await stateOf(id);
      const fr = st.kpis.find((k) => k.kpi === 'first_response');
      return !!fr?.achievedAt && !!st.timer && running(st.timer.ref, st.timer.wakeAt);
    });
    await rt.clock.advance(10 * MIN);

    progress(`${name} path: resolving...`);
    await each(ids, (id) => api(agent, 'POST', `/cases/${id}/resolve`, { resolutionType: 'problem_solved', text: 'Fixed.', minutesSpent: 5 }));
    ids = await waitAll('resolved, the timer stopped', ids, async (id) => (await stateOf(id)).st.timer === null);
    // an execution a lost race left running (armed by an attempt whose save lost) ends itself at its
    // instant, finding itself superseded: let those instants come, and count what they cost
    const leftover = rt.timers.active.filter((r) => ids.includes(r.caseId));
    if (leftover.length) {
      const last = Math.max(...leftover.map((r) => Date.parse(r.wakeAt)));
      await rt.clock.advance(Math.max(0, last - rt.clock.now().getTime()) + MIN);
    }
    await rt.timers.settled(timeoutMs);
    // the event logs are read asynchronously: give the last events a moment
    await new Promise((r) => setTimeout(r, 200));

    if (!ids.length) throw new Error(`no case of the ${name} path got through; stuck: ${JSON.stringify(stuck.slice(0, 3))}`);
    const per = ids.map((id) => ({ transitions: rt.timers.transitionsOf(id), executions: rt.timers.of(id).length, checks: rt.timers.of(id).reduce((n, r) => n + r.checks, 0) }));
    const transitions = per.map((p) => p.transitions);
    const mean = transitions.reduce((a, b) => a + b, 0) / ids.length;
    const checks = per.reduce((n, p) => n + p.checks, 0) / ids.length;
    const workerMessages = (worker.delivered - deliveredBefore) / ids.length;
    const invocations = checks + workerMessages;
    const stepFunctions = mean * 1000 * SFN_PER_TRANSITION;
    const lambdaRequests = invocations * 1000 * LAMBDA_PER_REQUEST;
    const lambdaDuration = invocations * 1000 * (ASSUMED_MS / 1000) * MEMORY_GB * LAMBDA_PER_GB_SECOND_ARM;
    const example: Record<string, number> = {};
    for (const r of rt.timers.of(ids[0]!)) example[`${r.ref.replace(ids[0]!, 'case')} (${r.status})`] = r.transitions;
    paths.push({
      name,
      cases: ids.length,
      leftoverExecutionsPerCase: round(leftover.length / ids.length, 3),
      transitionsPerCase: { mean: round(mean, 2), min: Math.min(...transitions), max: Math.max(...transitions) },
      executionsPerCase: round(per.reduce((n, p) => n + p.executions, 0) / ids.length, 2),
      checksPerCase: round(checks, 2),
      workerMessagesPerCase: round(workerMessages, 2),
      costPer1000: { stepFunctions: round(stepFunctions, 4), lambdaRequests: round(lambdaRequests, 5), lambdaDuration: round(lambdaDuration, 5), total: round(stepFunctions + lambdaRequests + lambdaDuration, 4) },
      example,
    });
  }

  const usd = (x: number) => `$${x.toFixed(4)}`;
  say(
    table(
      ['path', 'cases', 'transitions/case', 'min-max', 'executions/case', 'leftover/case', 'checks/case', 'worker msgs/case', 'Step Functions /1k', 'Lambda /1k', 'total /1k cases'],
      paths.map((p) => [
        p.name,
        p.cases,
        p.transitionsPerCase.mean,
        `${p.transitionsPerCase.min}-${p.transitionsPerCase.max}`,
        p.executionsPerCase,
        p.leftoverExecutionsPerCase,
        p.checksPerCase,
        p.workerMessagesPerCase,
        usd(p.costPer1000.stepFunctions),
        usd(p.costPer1000.lambdaRequests + p.costPer1000.lambdaDuration),
        usd(p.costPer1000.total),
      ]),
    ),
  );
  for (const p of paths) say(`  one ${p.name} case: ${Object.entries(p.example).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const assumptions = [
    'a state transition = a state entered or a Task retry (Wait, CheckAndAct, MoreToWatch, Done); a stopped execution pays only for the states it entered',
    'Step Functions Standard $0.025 per 1,000 transitions; Lambda $0.20 per 1M requests, $0.0000133334 per GB-s (arm64); list prices, no free tier',
    `Lambda duration assumed ${ASSUMED_MS} ms per invocation at ${MEMORY_GB * 1024} MB (sla-timer and sla-worker)`,
    'sla-worker requests counted per message (SQS batches of up to 10 make it fewer); StartExecution/StopExecution calls and the sla queue\'s SQS requests (~$0.40 per 1M) are not in the totals',
    'should Step Functions also bill the start of each execution as a transition, add executions/case to transitions/case',
  ];
  for (const a of assumptions) say(`  assumption: ${a}`);
  const common = paths.find((p) => p.name === 'common')!;
  return { cases: opts.cases, paths, target: TRANSITIONS_TARGET, met: common.transitionsPerCase.max <= TRANSITIONS_TARGET, assumptions, stuck };
}
