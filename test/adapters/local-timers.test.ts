/**
 * The local SLA timers (aws-local-stepfunctions running the deployed definition) with a fake
 * check in place of the sla-timer function, on a movable clock: they wake at the injected instant,
 * loop while the check says `wait`, end on `end`, stop on disarm, follow clock moves, re-arm from
 * stored state after a restart, and never hand Node a timer beyond its 24.8-day limit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MovableClock } from '../../local/clock';
import { LocalTimers, rearmFromStore } from '../../local/timers';
import type { Deps } from '../../shared/app/deps';
import type { CaseSlaState, KpiInstance } from '../../shared/ports/sla';
import { MAX_WAIT_MS, type TimerInput, type TimerOutput, executionName } from '../../shared/sla-timer';

const MIN = 60_000;
const at = (clock: MovableClock, ms: number) => new Date(clock.now().getTime() + ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let open: LocalTimers[] = [];
afterEach(() => {
  for (const t of open) t.stop();
  open = [];
  vi.restoreAllMocks();
});

/** Timers whose check answers from a script: each call takes the next answer (the last one repeats). */
function setup(answers: ((input: TimerInput, clock: MovableClock) => Partial<TimerOutput>)[], opts: { clock?: MovableClock; retryIntervalMs?: number } = {}) {
  const clock = opts.clock ?? new MovableClock();
  const calls: { input: TimerInput; now: string }[] = [];
  const lines: string[] = [];
  const check = vi.fn(async (input: TimerInput): Promise<TimerOutput> => {
    calls.push({ input, now: clock.now().toISOString() });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!(input, clock);
    return { caseId: input.caseId, generation: input.generation, next: 'end', wakeAt: null, ...answer };
  });
  const timers = new LocalTimers({ clock, check, log: (l) => lines.push(l), retryIntervalMs: opts.retryIntervalMs ?? 1 });
  open.push(timers);
  return { clock, timers, check, calls, lines };
}
const end = () => ({ next: 'end' as const, reason: 'nothing-to-watch' });

describe('LocalTimers', () => {
  it('wakes at the injected instant: not before, and as soon as the clock is moved past it', async () => {
    const { clock, timers, calls } = setup([end]);
    const wakeAt = at(clock, 60 * MIN);
    const ref = await timers.arm({ caseId: 'c1', generation: 1, wakeAt });
    expect(ref).toBe(executionName('c1', 1));
    await sleep(100);
    expect(calls).toHaveLength(0);
    await clock.advance(59 * MIN); // not there yet
    await sleep(100);
    expect(calls).toHaveLength(0);
    await clock.advance(2 * MIN);
    await timers.settled();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.input).toEqual({ caseId: 'c1', generation: 1, wakeAt }); // the injected instant, not the real one
    expect(Date.parse(calls[0]!.now)).toBeGreaterThanOrEqual(Date.parse(wakeAt));
    // Wait, CheckAndAct, MoreToWatch, Done
    expect(timers.executions.get(ref)).toMatchObject({ status: 'succeeded', checks: 1, transitions: 4, output: { next: 'end' } });
  });

  it('also wakes on real time when the instant comes without moving the clock', async () => {
    const { clock, timers, calls } = setup([end]);
    await timers.arm({ caseId: 'c1', generation: 1, wakeAt: at(clock, 150) });
    await sleep(50);
    expect(calls).toHaveLength(0);
    await sleep(400);
    expect(calls).toHaveLength(1);
  });

  it("loops while the check says 'wait' (waiting for the instant it returns) and ends on 'end'", async () => {
    const { clock, timers, calls } = setup([(_i, c) => ({ next: 'wait', wakeAt: at(c, 30 * MIN) }), end]);
    const ref = await timers.arm({ caseId: 'c2', generation: 4, wakeAt: at(clock, 10 * MIN) });
    await clock.advance(10 * MIN);
    await timers.settled();
    expect(calls).toHaveLength(1);
    expect(timers.executions.get(ref)?.status).toBe('running');
    await clock.advance(29 * MIN);
    await sleep(100);
    expect(calls).toHaveLength(1);
    await clock.advance(MIN);
    await timers.settled();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.input.generation).toBe(4);
    // Wait, Task, Choice, Wait, Task, Choice, Done; the clock moves re-entered the second Wait, counted once
    expect(timers.executions.get(ref)).toMatchObject({ status: 'succeeded', checks: 2, transitions: 7 });
    expect(timers.transitionsOf('c2')).toBe(7);
  });

  it('disarm aborts the execution: it never checks, and stopping it again (or an unknown ref) is fine', async () => {
    const { clock, timers, calls } = setup([end]);
    const ref = await timers.arm({ caseId: 'c3', generation: 1, wakeAt: at(clock, 5 * MIN) });
    await timers.disarm(ref);
    await timers.disarm(ref);
    await timers.disarm('nobody-g9');
    await clock.advance(10 * MIN);
    await sleep(100);
    expect(calls).toHaveLength(0);
    expect(timers.executions.get(ref)).toMatchObject({ status: 'stopped', transitions: 1 }); // it only entered the Wait
    expect(timers.active).toEqual([]);
  });

  it('is idempotent for the same input; the same generation with another instant, or after it ended, exists already', async () => {
    const { clock, timers, calls } = setup([end]);
    const input = { caseId: 'c4', generation: 2, wakeAt: at(clock, 5 * MIN) };
    expect(await timers.arm(input)).toBe(await timers.arm({ ...input }));
    expect(timers.of('c4')).toHaveLength(1);
    await expect(timers.arm({ ...input, wakeAt: at(clock, 6 * MIN) })).rejects.toMatchObject({ code: 'timer-exists' });
    await clock.advance(5 * MIN);
    await timers.settled();
    expect(calls).toHaveLength(1);
    await expect(timers.arm(input)).rejects.toMatchObject({ code: 'timer-exists' }); // as Step Functions: names are not reused
    expect(await timers.arm({ ...input, generation: 3 })).toBe('c4-g3');
  });

  it('reports a check that keeps failing: retried as the definition says, then the execution fails and is logged', async () => {
    const { clock, timers, check, lines } = setup([end]);
    check.mockRejectedValue(new Error('table unreachable'));
    const ref = await timers.arm({ caseId: 'c5', generation: 1, wakeAt: at(clock, MIN) });
    await clock.advance(MIN);
    for (let i = 0; i < 50 && timers.executions.get(ref)?.status === 'running'; i++) await sleep(20);
    const rec = timers.executions.get(ref)!;
    expect(rec.status).toBe('failed');
    expect(rec.checks).toBe(7); // the first try and MaxAttempts 6 retries
    expect(rec.transitions).toBe(1 + 1 + 6); // Wait, CheckAndAct, 6 retries
    expect(lines.some((l) => l.includes(`execution ${ref} failed`))).toBe(true);
  });

  it("never gives Node a timer beyond its 24.8-day limit (a far instant waits MAX_WAIT_MS at most, then checks again)", async () => {
    const delays: number[] = [];
    const real = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number, ...rest: unknown[]) => {
      delays.push(ms ?? 0);
      return real(fn, ms, ...rest);
    }) as typeof setTimeout);
    const { clock, timers, calls } = setup([end]);
    // 60 days ahead: a plain setTimeout of that length would fire after 1 ms (TimeoutOverflowWarning)
    await timers.arm({ caseId: 'c6', generation: 1, wakeAt: at(clock, 60 * 24 * 60 * MIN) });
    await sleep(150);
    expect(calls).toHaveLength(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_WAIT_MS + 1_000);
    expect(MAX_WAIT_MS).toBeLessThan(2 ** 31 - 1);
  });

  it('follows the clock while executions of several cases wait, each at its own instant', async () => {
    const { clock, timers, calls } = setup([end]);
    await timers.arm({ caseId: 'a', generation: 1, wakeAt: at(clock, 10 * MIN) });
    await timers.arm({ caseId: 'b', generation: 1, wakeAt: at(clock, 20 * MIN) });
    await timers.arm({ caseId: 'c', generation: 1, wakeAt: at(clock, 30 * MIN) });
    await clock.advance(25 * MIN);
    await timers.settled();
    expect(calls.map((c) => c.input.caseId).sort()).toEqual(['a', 'b']);
    expect(timers.active.map((r) => r.caseId)).toEqual(['c']);
    expect(timers.transitionsOf('c')).toBe(1); // its Wait, once, though the clock move ran it again
  });
});

describe('rearmFromStore', () => {
  /** Stored SLA state as the DynamoDB store keeps it: a head per case with its timer, instances in the at-risk index. */
  function store(states: CaseSlaState[]) {
    const instance = (s: CaseSlaState, queueId: string | null) => ({ caseId: s.caseId, queueId, failureAt: '2030-01-01T00:00:00.000Z' }) as KpiInstance;
    const queueOf = (id: string) => (id.startsWith('q1') ? 'q1' : id.startsWith('q2') ? 'q2' : null);
    const atRisk = vi.fn(async (queueId: string | null, _until: string, page: { limit: number; cursor?: string }) => {
      const all = states.flatMap((s) => [instance(s, queueOf(s.caseId)), instance(s, queueOf(s.caseId))]).filter((k) => k.queueId === queueId);
      const from = page.cursor ? Number(page.cursor) : 0;
      const next = from + page.limit < all.length ? String(from + page.limit) : null;
      return { items: all.slice(from, from + page.limit), nextCursor: next };
    });
    return {
      directory: { listQueues: async () => [{ id: 'q1' }, { id: 'q2' }] } as unknown as Deps['directory'],
      slaState: { atRisk, getCaseState: async (id: string) => states.find((s) => s.caseId === id)! } as unknown as Deps['slaState'],
      atRisk,
    };
  }
  const state = (caseId: string, timer: CaseSlaState['timer']): CaseSlaState => ({ caseId, policyId: 'vip', generation: timer?.generation ?? 2, timer, kpis: [], version: 3, updatedAt: null });

  it('after a restart, arms every stored timer again with its generation and instant (no Scan: the at-risk index of every queue and of no queue)', async () => {
    const before = setup([end]);
    const wakeAt = at(before.clock, 45 * MIN);
    await before.timers.arm({ caseId: 'q1-case', generation: 3, wakeAt });
    before.timers.stop(); // the runtime stops: executions lived in memory only

    const stored = [
      state('q1-case', { generation: 3, wakeAt, ref: 'q1-case-g3' }),
      state('q2-case', { generation: 7, wakeAt: at(before.clock, -5 * MIN), ref: 'q2-case-g7' }), // due while the runtime was down
      state('loose-case', null), // nothing to watch
    ];
    const s = store(stored);
    const after = setup([end], { clock: before.clock });
    const result = await rearmFromStore({ ...s, timers: after.timers });
    expect(result).toEqual({ cases: 3, armed: 2, failed: 0 });
    expect(s.atRisk.mock.calls.map((c) => c[0])).toEqual(['q1', 'q2', null]);
    await after.timers.settled();
    expect(after.calls.map((c) => c.input)).toEqual([{ caseId: 'q2-case', generation: 7, wakeAt: stored[1]!.timer!.wakeAt }]); // the overdue one at once
    await after.clock.advance(45 * MIN);
    await after.timers.settled();
    expect(after.calls.map((c) => c.input.caseId)).toEqual(['q2-case', 'q1-case']);
    expect(after.calls[1]!.input).toEqual({ caseId: 'q1-case', generation: 3, wakeAt });
    // twice is harmless: what runs is the same execution
    await rearmFromStore({ ...s, timers: after.timers });
  });

  it('pages through the index', async () => {
    const states = Array.from({ length: 150 }, (_, i) => state(`q1-${i}`, { generation: 1, wakeAt: '2099-01-01T00:00:00.000Z', ref: `q1-${i}-g1` }));
    const s = store(states);
    const { timers } = setup([end]);
    expect(await rearmFromStore({ ...s, timers })).toEqual({ cases: 150, armed: 150, failed: 0 });
    expect(s.atRisk.mock.calls.filter((c) => c[0] === 'q1')).toHaveLength(2); // 300 instances, 200 a page
  });
});
