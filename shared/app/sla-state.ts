/**
 * The stored SLA state of cases and the timers that watch them.
 *
 * `refreshCaseSla` runs after every change of a case (stream -> `sla` queue -> sla-worker) and in
 * every timer check (Step Functions -> sla-timer): it recomputes the case's clocks, applies the
 * actions of every stage that is due and has not acted (the stage's mark goes in the same
 * conditional case write, so each acts once), stores the KPI instances (only those that changed),
 * and keeps exactly one timer execution armed for the case's next instant:
 * - from the worker, a next instant that moved re-arms: a new execution with the next generation
 *   is started first, then the state is saved (conditional), then the old execution is stopped;
 * - from a timer check, the running execution itself waits again (its output says until when),
 *   unless its generation is no longer the case's: then it ends without acting.
 * A lost race (someone saved the case or its state in between) is answered by deciding again.
 */
import { type Case, stateOfStatus } from '../domain/case';
import { DomainError, forbidden, validationError } from '../domain/errors';
import { isManager } from '../domain/principal';
import { type KpiInstance, type StageHit, applyStages, stageMark } from '../domain/sla';
import { type MeasureDimension, type MeasureRow, measureRows, riskOf } from '../domain/sla/measures';
import { logger } from '../http/logger';
import type { CaseSlaState } from '../ports/sla';
import { MAX_WAIT_MS, type TimerInput, type TimerOutput } from '../sla-timer';
import { type Caller, requireStaff } from './caller';
import { type Deps, stamp } from './deps';
import { type CaseEvaluation, evaluateCase } from './sla';

export interface RefreshResult {
  outcome: 'unchanged' | 'saved' | 'superseded' | 'case-gone';
  acted: string[];
  wakeAt: string | null;
  generation: number;
}

const ATTEMPTS = 5;
const day = (iso: string) => iso.slice(0, 10);

/** The stages of the evaluated clocks that are due at `now` and not yet marked on the case. */
export function dueStages(c: Case, ev: CaseEvaluation, now: Date): StageHit[] {
  if (!ev.policy || c.state !== 'active') return [];
  const hits: StageHit[] = [];
  for (const { kpi, cycle, clock } of ev.clocks) {
    if (clock.achievedAt || clock.status === 'cancelled') continue;
    const deadline = clock.failureAt;
    if (clock.status === 'noncompliant' || clock.status === 'nearing_noncompliance' || (clock.status === 'paused' && clock.warningAt && Date.parse(clock.warningAt) <= now.getTime())) {
      if (clock.warningAt && Date.parse(clock.warningAt) <= now.getTime()) hits.push({ kpi, cycle, stage: 'warning', deadline, actions: ev.policy.onWarning });
    }
    if (clock.status === 'noncompliant' || (clock.status === 'paused' && clock.elapsedMs >= clock.targetMs))
      hits.push({ kpi, cycle, stage: 'breach', deadline, actions: ev.policy.onBreach });
  }
  return hits.filter((h) => !c.slaMarks.includes(stageMark(h)));
}

/** The next instant a timer must wake for: the earliest warning or failure still to come and not yet acted on. */
export function nextInstant(c: Case, ev: CaseEvaluation, now: Date): string | null {
  if (!ev.policy || c.state !== 'active') return null;
  let next: number | null = null;
  for (const { kpi, cycle, clock } of ev.clocks) {
    if (clock.achievedAt || clock.status === 'cancelled' || clock.status === 'paused') continue;
    for (const [stage, at] of [['warning', clock.warningAt], ['breach', clock.failureAt]] as const) {
      if (!at || c.slaMarks.includes(stageMark({ kpi, cycle, stage }))) continue;
      const t = Math.max(Date.parse(at), now.getTime());
      if (next === null || t < next) next = t;
    }
  }
  if (next === null) return null;
  return new Date(Math.min(next, now.getTime() + MAX_WAIT_MS)).toISOString();
}

/** The KPI instances to store for a case. */
export function instancesOf(c: Case, ev: CaseEvaluation, now: Date): KpiInstance[] {
  if (!ev.policy) return [];
  const policyId = ev.policy.id;
  return ev.clocks.map(({ kpi, cycle, startedAt, clock }) => {
    const outcomeDay = clock.status === 'succeeded' && clock.achievedAt ? day(clock.achievedAt) : clock.status === 'noncompliant' && clock.failureAt ? day(clock.failureAt) : null;
    return {
      caseId: c.id,
      kpi,
      cycle,
      status: clock.status,
      priority: clock.priority,
      targetMinutes: clock.targetMs / 60_000,
      startedAt,
      warningAt: clock.warningAt,
      failureAt: clock.failureAt,
      achievedAt: clock.achievedAt,
      elapsedMs: clock.elapsedMs,
      pausedMs: clock.pausedMs,
      policyId,
      ticketNumber: c.ticketNumber,
      title: c.title,
      queueId: c.queueId,
      ownerId: c.ownerId,
      caseState: stateOfStatus(c.status),
      outcomeDay,
      computedAt: now.toISOString(),
    };
  });
}

/** The escalation queue and the managers to tell, for the stages' actions. */
async function stageContext(deps: Deps, c: Case, hits: StageHit[]) {
  const needs = new Set(hits.flatMap((h) => h.actions.map((a) => a.type)));
  const [agents, queues] = await Promise.all([
    needs.has('notify_queue_managers') || needs.has('reassign') ? deps.directory.listAgents() : Promise.resolve([]),
    needs.has('move_to_escalation_queue') || needs.has('notify_queue_managers') ? deps.directory.listQueues() : Promise.resolve([]),
  ]);
  const managers = agents.filter((a) => a.roles.includes('manager'));
  const queue = queues.find((q) => q.id === c.queueId);
  const ofQueue = queue ? managers.filter((m) => queue.members.includes(m.id)) : [];
  return {
    escalationQueueId: queues.find((q) => q.role === 'escalation')?.id ?? null,
    queueManagers: (ofQueue.length ? ofQueue : managers).map((m) => m.id),
    agentExists: (id: string) => agents.some((a) => a.id === id),
  };
}

/** Someone saved the case or its SLA state in between, or took the generation we meant to arm. */
const isRace = (e: unknown) =>
  (e instanceof DomainError && e.kind === 'precondition-failed') ||
  (e as { code?: string }).code === 'timer-exists';

async function refreshOnce(deps: Deps, caseId: string, timer: TimerInput | undefined): Promise<RefreshResult> {
  const now = deps.clock.now();
  const [found, stored] = await Promise.all([deps.cases.get(caseId), deps.slaState.getCaseState(caseId)]);
  const superseded = timer && (!stored.timer || stored.timer.generation !== timer.generation);
  if (superseded) return { outcome: 'superseded', acted: [], wakeAt: null, generation: stored.generation };
  if (!found) {
    if (stored.version) {
      await deps.slaState.saveCaseState({ ...stored, kpis: [], timer: null, version: stored.version + 1, updatedAt: now.toISOString() }, stored);
      if (stored.timer && !timer) await disarmQuietly(deps, stored.timer.ref);
    }
    return { outcome: 'case-gone', acted: [], wakeAt: null, generation: stored.generation };
  }
  let c = found;
  let ev = await evaluateCase(deps, c, now);
  const acted: string[] = [];
  // act on what is due: one conditional case write per round (an action can make another stage due, e.g. a raised priority)
  for (let round = 0; round < 3; round++) {
    const hits = dueStages(c, ev, now);
    if (!hits.length) break;
    const change = applyStages(c, hits, await stageContext(deps, c, hits), stamp(deps, now));
    if (!change.changed) break;
    const refs = change.case.ownerId && change.case.ownerId !== c.ownerId ? [{ field: 'ownerId', kind: 'agent' as const, id: change.case.ownerId }] : [];
    await deps.cases.save(change.case, change.entries, c, refs);
    acted.push(...hits.map(stageMark));
    c = change.case;
    ev = await evaluateCase(deps, c, now);
  }

  const kpis = instancesOf(c, ev, now);
  const wakeAt = nextInstant(c, ev, now);
  let generation = stored.generation;
  let nextTimer = stored.timer;
  let replaced: string | null = null;
  if (timer) nextTimer = wakeAt ? { generation: timer.generation, wakeAt, ref: stored.timer!.ref } : null;
  else if (wakeAt !== (stored.timer?.wakeAt ?? null)) {
    if (wakeAt) {
      // a generation a lost attempt already started (its execution ends itself as superseded) is skipped
      generation = stored.generation + 1;
      let ref: string | undefined;
      for (let skip = 0; ref === undefined; skip++) {
        try {
          ref = await deps.timers.arm({ caseId: c.id, generation, wakeAt });
        } catch (e) {
          if ((e as { code?: string }).code !== 'timer-exists' || skip >= 8) throw e;
          generation++;
        }
      }
      nextTimer = { generation, wakeAt, ref };
    } else nextTimer = null;
    replaced = stored.timer?.ref ?? null;
  }
  const next: CaseSlaState = { caseId: c.id, policyId: ev.policy?.id ?? null, generation, timer: nextTimer, kpis, version: stored.version + 1, updatedAt: now.toISOString() };
  const changed =
    next.policyId !== stored.policyId ||
    JSON.stringify(next.timer) !== JSON.stringify(stored.timer) ||
    JSON.stringify(kpis.map(({ computedAt: _c, ...k }) => k)) !== JSON.stringify(stored.kpis.map(({ computedAt: _c, ...k }) => k));
  if (changed) await deps.slaState.saveCaseState(next, stored);
  if (replaced) await disarmQuietly(deps, replaced);
  return { outcome: changed ? 'saved' : 'unchanged', acted, wakeAt, generation: nextTimer?.generation ?? generation };
}

/** A superseded execution ends itself at its next check; stopping it only saves that wake-up. */
async function disarmQuietly(deps: Deps, ref: string) {
  try {
    await deps.timers.disarm(ref);
  } catch (e) {
    logger.warn('could not stop a superseded SLA timer; it will end itself', { ref, error: e as Error });
  }
}

/** Recompute a case's SLA state, act on what is due, and keep its timer armed. Retries lost races. */
export async function refreshCaseSla(deps: Deps, caseId: string, timer?: TimerInput): Promise<RefreshResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await refreshOnce(deps, caseId, timer);
    } catch (e) {
      if (!isRace(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}

/** The timer's check: act on what is due and say when to wake next (or end). */
export async function checkTimer(deps: Deps, input: TimerInput): Promise<TimerOutput> {
  const r = await refreshCaseSla(deps, input.caseId, input);
  const base = { caseId: input.caseId, generation: input.generation };
  if (r.outcome === 'superseded') return { ...base, next: 'end', wakeAt: null, reason: 'superseded' };
  if (r.outcome === 'case-gone') return { ...base, next: 'end', wakeAt: null, reason: 'case-gone' };
  return r.wakeAt ? { ...base, next: 'wait', wakeAt: r.wakeAt } : { ...base, next: 'end', wakeAt: null, reason: 'nothing-to-watch' };
}

/** Open cases per recompute message: each asks for their refresh, then for the next page. */
const RECOMPUTE_PAGE = 100;

/**
 * After the policies change, every open case is recomputed: one page of active cases per message,
 * a refresh asked for each, and a message for the next page, so no single run grows with the
 * number of cases. Redelivery only repeats refreshes, which are idempotent.
 */
export async function recomputeOpenCases(deps: Deps, cursor: string | undefined): Promise<{ asked: number; more: boolean }> {
  const page = await deps.cases.list({ state: 'active', limit: RECOMPUTE_PAGE, cursor });
  for (const c of page.items) await deps.slaQueue.send({ caseId: c.id, version: c.version });
  if (page.nextCursor) await deps.slaQueue.send({ recompute: 'open-cases', cursor: page.nextCursor });
  return { asked: page.items.length, more: Boolean(page.nextCursor) };
}

// ---------------------------------------------------------------------------------------------
// Views: at risk per queue, and the measures

const MINUTE = 60_000;

export async function atRisk(deps: Deps, caller: Caller, q: { queueId: string; withinMinutes: number; limit: number; cursor?: string }) {
  requireStaff(caller);
  const now = deps.clock.now();
  const until = new Date(now.getTime() + q.withinMinutes * MINUTE).toISOString();
  const page = await deps.slaState.atRisk(q.queueId === 'none' ? null : q.queueId, until, { limit: q.limit, cursor: q.cursor });
  return {
    items: page.items.map((k) => ({
      caseId: k.caseId,
      ticketNumber: k.ticketNumber,
      title: k.title,
      kpi: k.kpi,
      cycle: k.cycle,
      priority: k.priority,
      queueId: k.queueId,
      ownerId: k.ownerId,
      warningAt: k.warningAt,
      failureAt: k.failureAt!,
      risk: riskOf(k, now),
      remainingMs: Date.parse(k.failureAt!) - now.getTime(),
    })),
    nextCursor: page.nextCursor,
    asOf: now.toISOString(),
    withinMinutes: q.withinMinutes,
  };
}

/** Per queue (and cases in no queue): open clocks breached, past their warning, or due within the window. At most 1,000 read per queue. */
export async function atRiskCounts(deps: Deps, caller: Caller, q: { withinMinutes: number }) {
  requireStaff(caller);
  const now = deps.clock.now();
  const until = new Date(now.getTime() + q.withinMinutes * MINUTE).toISOString();
  const queueIds: (string | null)[] = [...(await deps.directory.listQueues()).map((x) => x.id), null];
  const queues = await Promise.all(
    queueIds.map(async (queueId) => {
      const counts = { queueId, breached: 0, warning: 0, upcoming: 0 };
      let cursor: string | undefined;
      for (let i = 0; i < 5; i++) {
        const page = await deps.slaState.atRisk(queueId, until, { limit: 200, cursor });
        for (const k of page.items) counts[riskOf(k, now)]++;
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return counts;
    }),
  );
  return { asOf: now.toISOString(), withinMinutes: q.withinMinutes, queues };
}

const MAX_MEASURE_DAYS = 92;

/** Met and breached counts by outcome day (UTC) in [from, to], grouped by one dimension and KPI. Managers and admins. */
export async function slaMeasures(deps: Deps, caller: Caller, q: { from: string; to: string; by: MeasureDimension; kpi?: KpiInstance['kpi'] }): Promise<{ from: string; to: string; by: MeasureDimension; rows: MeasureRow[] }> {
  if (!isManager(caller.principal)) throw forbidden('Only managers and admins may read the SLA measures.');
  const from = Date.parse(`${q.from}T00:00:00Z`);
  const to = Date.parse(`${q.to}T00:00:00Z`);
  if (to < from) throw validationError('The range ends before it starts.', [{ path: 'to', code: 'invalid_range', message: 'must be on or after from' }]);
  const days = (to - from) / 86_400_000 + 1;
  if (days > MAX_MEASURE_DAYS) throw validationError(`The range is ${days} days; at most ${MAX_MEASURE_DAYS} at a time.`, [{ path: 'to', code: 'range_too_long', message: `at most ${MAX_MEASURE_DAYS} days after from` }]);
  const instances: KpiInstance[] = [];
  for (let t = from; t <= to; t += 86_400_000) instances.push(...(await deps.slaState.outcomesOn(new Date(t).toISOString().slice(0, 10))));
  return { from: q.from, to: q.to, by: q.by, rows: measureRows(instances, q.by, q.kpi) };
}
