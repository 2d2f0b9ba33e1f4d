/**
 * SLA configuration and the SLA view of a case. Calendars and policies are validated in full when
 * saved (every problem with its path; nothing stored on error). `evaluateCase` computes the clocks
 * of a case from its timeline: they are pure functions of the history, so the API view is exact at
 * the moment of reading; the stored KPI instances (./sla-state.ts) are the same computation kept
 * for the at-risk view, the measures and the timers.
 */
import type { Case, CaseStatus, Priority, TimelineEntry } from '../domain/case';
import { conflict, forbidden, notFound, preconditionFailed, validationError } from '../domain/errors';
import { routingFacts } from '../domain/routing';
import {
  type Calendar,
  type CompiledCalendar,
  type HistoryPoint,
  KPI_NAMES,
  type KpiClock,
  type KpiName,
  type KpiSpec,
  type SlaPolicy,
  TWENTY_FOUR_SEVEN,
  clockFacts,
  compileCalendar,
  exchangesOf,
  factText,
  kpiClock,
  policyWarnings,
  selectPolicy,
  validateCalendar,
  validatePolicies,
} from '../domain/sla';
import type { StoredCalendar } from '../ports/sla';
import { type Caller, requireAdmin, requireStaff } from './caller';
import type { Deps } from './deps';
import { referenceData } from './routing';
import { wholeTimeline } from './timeline';

export interface CalendarInput {
  name: string;
  timeZone: string;
  week: unknown;
  holidays: unknown;
}

const requireManager = (caller: Caller) => {
  if (!caller.principal.roles.some((r) => r === 'manager' || r === 'admin')) throw forbidden('Only managers and admins may read the SLA policies.');
};

function checkedCalendar(id: string, input: CalendarInput): Calendar {
  const candidate = { id, name: input.name, timeZone: input.timeZone, week: input.week, holidays: input.holidays };
  const issues = validateCalendar(candidate);
  if (issues.length) throw validationError('The calendar is invalid; nothing was saved.', issues);
  return candidate as Calendar;
}

export async function listCalendars(deps: Deps, caller: Caller) {
  requireStaff(caller);
  return deps.sla.listCalendars();
}

export async function getCalendar(deps: Deps, caller: Caller, id: string) {
  requireStaff(caller);
  const c = await deps.sla.getCalendar(id);
  if (!c) throw notFound('Calendar');
  return c;
}

export async function addCalendar(deps: Deps, caller: Caller, input: CalendarInput): Promise<StoredCalendar> {
  requireAdmin(caller);
  const c: StoredCalendar = { ...checkedCalendar(deps.ids.id(), input), version: 1, updatedAt: deps.clock.now().toISOString() };
  await deps.sla.createCalendar(c);
  return c;
}

export async function replaceCalendar(deps: Deps, caller: Caller, id: string, input: CalendarInput, ifMatch: number): Promise<StoredCalendar> {
  requireAdmin(caller);
  const current = await deps.sla.getCalendar(id);
  if (!current) throw notFound('Calendar');
  const c: StoredCalendar = { ...checkedCalendar(id, input), version: current.version + 1, updatedAt: deps.clock.now().toISOString() };
  if (current.version !== ifMatch) throw preconditionFailed(current.version, 'calendar');
  await deps.sla.saveCalendar(c, ifMatch);
  return c;
}

/** Policies (by index) whose KPIs count on a calendar. */
const usersOf = (policies: readonly SlaPolicy[], calendarId: string) =>
  policies.flatMap((p, i) =>
    Object.entries(p.kpis)
      .filter(([, spec]) => spec?.calendarId === calendarId)
      .map(([kpi]) => ({ path: `policies[${i}].kpis.${kpi}.calendarId`, code: 'in_use', message: `used by the policy '${p.name}'` })),
  );

export async function deleteCalendar(deps: Deps, caller: Caller, id: string, ifMatch: number) {
  requireAdmin(caller);
  const [c, set] = await Promise.all([deps.sla.getCalendar(id), deps.sla.getPolicies()]);
  if (!c) throw notFound('Calendar');
  if (c.version !== ifMatch) throw preconditionFailed(c.version, 'calendar');
  const uses = usersOf(set.policies, id);
  if (uses.length) throw conflict('The calendar is used by SLA policies; change them first.', uses);
  await deps.sla.deleteCalendar(id, ifMatch);
}

const withWarnings = <T extends { policies: SlaPolicy[] }>(set: T) => ({ ...set, warnings: policyWarnings(set.policies) });

/** Managers and admins read the policies (with the warnings an admin should see). */
export async function readPolicies(deps: Deps, caller: Caller) {
  requireManager(caller);
  return withWarnings(await deps.sla.getPolicies());
}

export async function replacePolicies(deps: Deps, caller: Caller, policies: unknown, ifMatch: number) {
  requireAdmin(caller);
  const [{ refs }, calendars] = await Promise.all([referenceData(deps), deps.sla.listCalendars()]);
  const issues = validatePolicies(policies, { ...refs, calendarIds: new Set(calendars.map((c) => c.id)) });
  if (issues.length) throw validationError('The SLA policies are invalid; nothing was saved.', issues);
  const current = await deps.sla.getPolicies();
  if (current.version !== ifMatch) throw preconditionFailed(current.version, 'SLA policies');
  const saved = await deps.sla.savePolicies(policies as SlaPolicy[], ifMatch, caller.principal.sub, deps.clock.now().toISOString());
  // open cases take the new policies now (their clocks, timers and at-risk entries), not at their next change
  await deps.slaQueue.send({ recompute: 'open-cases', policyVersion: saved.version });
  return withWarnings(saved);
}

// ---------------------------------------------------------------------------------------------
// The SLA of a case

const compiled = new Map<string, { version: number; compiled: CompiledCalendar }>();
const compiledTwentyFourSeven = compileCalendar(TWENTY_FOUR_SEVEN);

/** Compiled calendars are cached per id and version (compiling builds year tables lazily). */
function compiledOf(c: StoredCalendar): CompiledCalendar {
  const hit = compiled.get(c.id);
  if (hit && hit.version === c.version) return hit.compiled;
  const fresh = compileCalendar({ id: c.id, name: c.name, timeZone: c.timeZone, week: c.week, holidays: c.holidays });
  if (compiled.size > 500) compiled.clear();
  compiled.set(c.id, { version: c.version, compiled: fresh });
  return fresh;
}

const STATUS_KINDS = new Set(['status_change', 'resolution', 'reactivation', 'cancellation']);
const PRIORITY_KINDS = new Set(['field_change', 'routing', 'sla']);

/**
 * The case's status and priority over time, from its timeline: the created entry (status `new`,
 * the priority it was created with — the `from` of the first priority change, else the current
 * one), then every status and priority change, oldest first.
 */
export function historyOf(created: { createdAt: string; priority: Priority }, entries: readonly TimelineEntry[]): HistoryPoint[] {
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const firstPriorityChange = sorted.flatMap((e) => (PRIORITY_KINDS.has(e.kind) ? (e.changes ?? []) : [])).find((ch) => ch.field === 'priority');
  let status: CaseStatus = 'new';
  let priority: Priority = (firstPriorityChange?.from as Priority | undefined) ?? created.priority;
  const points: HistoryPoint[] = [{ at: created.createdAt, status, priority }];
  for (const e of sorted) {
    let changed = false;
    for (const ch of e.changes ?? []) {
      if (ch.field === 'status' && STATUS_KINDS.has(e.kind)) {
        status = ch.to as CaseStatus;
        changed = true;
      } else if (ch.field === 'priority' && PRIORITY_KINDS.has(e.kind)) {
        priority = ch.to as Priority;
        changed = true;
      }
    }
    if (changed) points.push({ at: e.at, status, priority });
  }
  return points;
}

/** One clock of a case: which KPI (and exchange), its spec and calendar, where it stands. */
export interface EvaluatedClock {
  kpi: KpiName;
  cycle: number;
  startedAt: string;
  spec: KpiSpec;
  clock: KpiClock;
  calendar: { id: string; name: string; timeZone: string };
  calendarMissing: boolean;
}

export interface CaseEvaluation {
  policy: SlaPolicy | null;
  clocks: EvaluatedClock[];
}

/** The policy that applies to a case and every clock of it at `now`, from the case and its timeline. */
export async function evaluateCase(deps: Deps, c: Case, now: Date): Promise<CaseEvaluation> {
  const [customer, subject, set] = await Promise.all([
    deps.customers.get(c.customerId),
    c.subjectId ? deps.catalog.getSubject(c.subjectId) : Promise.resolve(undefined),
    deps.sla.getPolicies(),
  ]);
  const facts = routingFacts(c, { subject: subject ?? null, customer: { tier: customer?.tier ?? 'standard', language: customer?.language ?? 'en' }, tags: c.tags });
  const policy = selectPolicy(set.policies, facts);
  if (!policy) return { policy: null, clocks: [] };
  const timeline = await wholeTimeline(deps, c.id);
  const history = historyOf(c, timeline);
  const calendars = new Map<string, StoredCalendar | undefined>();
  const clocks: EvaluatedClock[] = [];
  for (const kpi of KPI_NAMES) {
    const spec = policy.kpis[kpi];
    if (!spec) continue;
    if (spec.calendarId && !calendars.has(spec.calendarId)) calendars.set(spec.calendarId, await deps.sla.getCalendar(spec.calendarId));
    const stored = spec.calendarId ? calendars.get(spec.calendarId) : undefined;
    const calendar = stored ? compiledOf(stored) : compiledTwentyFourSeven;
    const meta = stored ?? TWENTY_FOUR_SEVEN;
    const runs =
      kpi === 'next_response'
        ? exchangesOf(timeline, c.firstResponseAt).map((x) => ({ cycle: x.cycle, startedAt: x.startedAt, achievedAt: x.achievedAt }))
        : [{ cycle: 0, startedAt: c.createdAt, achievedAt: kpi === 'first_response' ? c.firstResponseAt : c.state === 'resolved' ? c.resolvedAt : null }];
    for (const run of runs)
      clocks.push({
        kpi,
        cycle: run.cycle,
        startedAt: run.startedAt,
        spec,
        clock: kpiClock({ kpi, spec, calendar, startedAt: run.startedAt, achievedAt: run.achievedAt, history, now }),
        calendar: { id: meta.id, name: meta.name, timeZone: meta.timeZone },
        calendarMissing: Boolean(spec.calendarId && !stored),
      });
  }
  return { policy, clocks };
}

/** Where each SLA clock of a case stands, and why. Staff only; recomputed from the timeline on each read. */
export async function caseSla(deps: Deps, caller: Caller, caseId: string) {
  requireStaff(caller);
  const c = await deps.cases.get(caseId);
  if (!c) throw notFound('Case');
  const now = deps.clock.now();
  const [evaluation, state] = await Promise.all([evaluateCase(deps, c, now), deps.slaState.getCaseState(c.id)]);
  const base = {
    caseId: c.id,
    computedAt: now.toISOString(),
    timer: state.timer ? { generation: state.timer.generation, wakeAt: state.timer.wakeAt } : null,
    marks: c.slaMarks,
  };
  const { policy } = evaluation;
  if (!policy) return { ...base, policyId: null, policyName: null, kpis: [] };
  const kpis = evaluation.clocks.map(({ kpi, cycle, startedAt, clock, calendar, calendarMissing }) => {
    const facts = clockFacts(kpi, clock, calendar.name);
    if (calendarMissing) facts.push({ code: 'calendar_missing', values: { calendarId: policy.kpis[kpi]?.calendarId ?? null } });
    return {
      kpi,
      cycle,
      startedAt,
      status: clock.status,
      priority: clock.priority,
      targetMinutes: clock.targetMs / 60_000,
      elapsedMs: clock.elapsedMs,
      pausedMs: clock.pausedMs,
      remainingMs: clock.remainingMs,
      warningAt: clock.warningAt,
      failureAt: clock.failureAt,
      achievedAt: clock.achievedAt,
      calendar,
      explanation: facts.map(factText),
      facts,
      ledger: clock.ledger,
    };
  });
  return { ...base, policyId: policy.id, policyName: policy.name, kpis };
}
