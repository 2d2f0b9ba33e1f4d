/**
 * SLA KPI instances: given a KPI's target, its calendar and the case's history (status and
 * priority over time), where the clock stands — elapsed and paused working time, the warning and
 * failure instants, the status — and a ledger of clock segments that explains it. Pure: the
 * history and `now` are passed in; recomputing after any change (priority, pause, resume,
 * reactivation) is just calling this again.
 *
 * Rules:
 * - The clock runs in the calendar's working time from `startedAt`, except while the case is
 *   paused: in one of the KPI's pause statuses, or not active at all (resolved or cancelled,
 *   until reactivated). Paused working time does not count, so the deadline moves by it.
 * - The target is the one for the case's priority *now*: a priority change re-targets the whole
 *   KPI from its start (the usual reading of "recomputed when priority changes").
 * - `achievedAt` ends the clock: succeeded when the elapsed working time then was within target,
 *   else noncompliant (failed at the failure instant). A case cancelled before achieving cancels
 *   the KPI, and so does resolving it for the response clocks (they were not met). Otherwise: paused, noncompliant (past the failure instant), nearing noncompliance
 *   (past the warning instant) or in progress.
 */
import { ACTIVE_STATUSES, type CaseStatus, type Priority, stateOfStatus } from '../case';
import { type ClockSegment, type CompiledCalendar, addWorkingTime, segments } from './calendar';

export const KPI_NAMES = ['first_response', 'resolve', 'next_response'] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export const KPI_STATUSES = ['in_progress', 'nearing_noncompliance', 'succeeded', 'noncompliant', 'paused', 'cancelled'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];

export const DEFAULT_PAUSE_STATUSES: readonly CaseStatus[] = ['on_hold', 'waiting_for_details'];

export interface KpiSpec {
  /** minutes of working time per priority */
  targetMinutes: Record<Priority, number>;
  /** the warning comes when this share of the target has elapsed (1..99) */
  warnAtPercent: number;
  /** null: 24x7 */
  calendarId: string | null;
  pauseStatuses: CaseStatus[];
}

/** The case as the clock sees it: status and priority from an instant on, oldest first. */
export interface HistoryPoint {
  at: string;
  status: CaseStatus;
  priority: Priority;
}

export interface KpiClockInput {
  kpi: KpiName;
  spec: KpiSpec;
  calendar: CompiledCalendar;
  startedAt: string;
  /** when the KPI was met (first response sent, case resolved), or null */
  achievedAt: string | null;
  history: readonly HistoryPoint[];
  now: Date;
}

export interface LedgerSegment {
  from: string;
  to: string;
  kind: ClockSegment['kind'] | 'paused';
  /** working time in this segment that counted (0 unless kind is working) */
  countedMs: number;
}

export interface KpiClock {
  status: KpiStatus;
  priority: Priority;
  targetMs: number;
  elapsedMs: number;
  pausedMs: number;
  remainingMs: number;
  warningAt: string | null;
  failureAt: string | null;
  achievedAt: string | null;
  /** from startedAt to the end of the clock (achievement, or now), then the projection to the failure instant */
  ledger: LedgerSegment[];
}

const MINUTE = 60_000;

/** Whether the clock is stopped at a history point. */
function pausedAt(spec: KpiSpec, status: CaseStatus): boolean {
  if (spec.pauseStatuses.includes(status)) return true;
  // every clock stops while the case is resolved or cancelled (until reactivated)
  return stateOfStatus(status) !== 'active';
}

/** The history cut into [from, to) stretches with their paused flag, from the start to `end`. */
function stretches(input: KpiClockInput, end: Date): { from: Date; to: Date; paused: boolean }[] {
  const start = Date.parse(input.startedAt);
  const stop = end.getTime();
  const points = [...input.history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // the state at the start: the last point at or before it (else the first one)
  let state = points.filter((p) => Date.parse(p.at) <= start).at(-1) ?? points[0];
  let at = start;
  const out: { from: Date; to: Date; paused: boolean }[] = [];
  const flag = () => (state ? pausedAt(input.spec, state.status) : false);
  for (const p of points) {
    const t = Date.parse(p.at);
    if (t <= start) continue;
    if (t >= stop) break;
    if (t > at) out.push({ from: new Date(at), to: new Date(t), paused: flag() });
    state = p;
    at = Math.max(at, t);
  }
  if (stop > at) out.push({ from: new Date(at), to: new Date(stop), paused: flag() });
  const merged: typeof out = [];
  for (const s of out) {
    const last = merged.at(-1);
    if (last && last.paused === s.paused && last.to.getTime() === s.from.getTime()) last.to = s.to;
    else merged.push({ ...s });
  }
  return merged;
}

export function kpiClock(input: KpiClockInput): KpiClock {
  const { calendar, now } = input;
  const latest = [...input.history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).filter((p) => Date.parse(p.at) <= now.getTime()).at(-1) ?? input.history[0];
  const priority = latest?.priority ?? 'normal';
  const targetMs = Math.round(input.spec.targetMinutes[priority] * MINUTE);
  const warnMs = Math.round((targetMs * input.spec.warnAtPercent) / 100);
  const achieved = input.achievedAt && Date.parse(input.achievedAt) <= now.getTime() ? new Date(input.achievedAt) : null;
  const end = achieved ?? now;
  const start = new Date(input.startedAt);

  let elapsed = 0;
  let paused = 0;
  let warningAt: Date | null = null;
  let failureAt: Date | null = null;
  const ledger: LedgerSegment[] = [];
  for (const s of end > start ? stretches(input, end) : []) {
    for (const seg of segments(calendar, s.from, s.to)) {
      if (seg.to.getTime() <= seg.from.getTime()) continue; // nothing to explain in an empty stretch
      const w = seg.kind === 'working' ? seg.to.getTime() - seg.from.getTime() : 0;
      if (s.paused) {
        // only working time is paused time: a night or a holiday inside a pause stays what it is
        paused += w;
        ledger.push({ from: seg.from.toISOString(), to: seg.to.toISOString(), kind: w > 0 ? 'paused' : seg.kind, countedMs: 0 });
        continue;
      }
      // the instants inside this working piece where the thresholds are crossed
      if (w > 0) {
        if (!warningAt && elapsed + w >= warnMs && warnMs > 0) warningAt = addWorkingTime(calendar, seg.from, warnMs - elapsed);
        if (!failureAt && elapsed + w >= targetMs) failureAt = addWorkingTime(calendar, seg.from, targetMs - elapsed);
      }
      elapsed += w;
      ledger.push({ from: seg.from.toISOString(), to: seg.to.toISOString(), kind: seg.kind, countedMs: w });
    }
  }
  const stoppedNow = !achieved && latest ? pausedAt(input.spec, latest.status) : false;
  // a cancelled case cancels its open clocks; a resolved one those it was resolved without
  // (the resolve clock is achieved by the resolution itself)
  const closedAs = latest ? stateOfStatus(latest.status) : 'active';
  const cancelled = !achieved && (closedAs === 'cancelled' || (closedAs === 'resolved' && input.kpi !== 'resolve'));
  const remainingMs = Math.max(0, targetMs - elapsed);

  // projections, as if the clock ran on from now without further pauses
  if (!achieved && !stoppedNow && !cancelled) {
    if (!warningAt && warnMs > 0) warningAt = addWorkingTime(calendar, now, warnMs - elapsed);
    if (!failureAt) failureAt = addWorkingTime(calendar, now, targetMs - elapsed);
  }

  let status: KpiStatus;
  if (achieved) status = elapsed <= targetMs ? 'succeeded' : 'noncompliant';
  else if (cancelled) status = 'cancelled';
  else if (elapsed >= targetMs) status = 'noncompliant';
  else if (stoppedNow) status = 'paused';
  else if (elapsed >= warnMs) status = 'nearing_noncompliance';
  else status = 'in_progress';

  if (status === 'succeeded' || status === 'cancelled' || status === 'paused') {
    // a met, cancelled or stopped KPI has no pending instants beyond those already passed
    if (warningAt && warningAt > end) warningAt = null;
    if (failureAt && failureAt > end) failureAt = null;
  }
  return {
    status,
    priority,
    targetMs,
    elapsedMs: elapsed,
    pausedMs: paused,
    remainingMs,
    warningAt: warningAt?.toISOString() ?? null,
    failureAt: failureAt?.toISOString() ?? null,
    achievedAt: achieved?.toISOString() ?? null,
    ledger,
  };
}

/** Whether a status belongs to the clock's active part (for callers building a history). */
export const isActiveStatus = (s: CaseStatus) => (ACTIVE_STATUSES as readonly string[]).includes(s);

/** A readable duration: "2 h 30 min", "45 min", "3 d 4 h". */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m || (!d && !h) ? `${m} min` : ''].filter(Boolean).join(' ');
}

/** One fact of an explanation: a code and its values, for screens to phrase in their language. */
export interface ClockFact {
  code: 'target' | 'counted' | 'outside_hours' | 'met' | 'breached' | 'paused' | 'cancelled' | 'deadline' | 'calendar_missing';
  values: Record<string, string | number | null>;
}

/** Why the deadline is what it is, as facts (for `GET /cases/{id}/sla`; the screens translate them). */
export function clockFacts(kpi: KpiName, clock: KpiClock, calendarName: string): ClockFact[] {
  const facts: ClockFact[] = [
    { code: 'target', values: { kpi, minutes: clock.targetMs / MINUTE, priority: clock.priority, calendar: calendarName } },
    { code: 'counted', values: { elapsedMs: clock.elapsedMs, pausedMs: clock.pausedMs } },
  ];
  const outside = clock.ledger.filter((s) => s.kind === 'outside_hours' || s.kind === 'holiday').length;
  if (outside) facts.push({ code: 'outside_hours', values: { stretches: outside } });
  if (clock.status === 'succeeded') facts.push({ code: 'met', values: { at: clock.achievedAt } });
  else if (clock.status === 'noncompliant') facts.push({ code: 'breached', values: { at: clock.failureAt } });
  else if (clock.status === 'paused') facts.push({ code: 'paused', values: { remainingMs: clock.remainingMs } });
  else if (clock.status === 'cancelled') facts.push({ code: 'cancelled', values: {} });
  else facts.push({ code: 'deadline', values: { failureAt: clock.failureAt, warningAt: clock.warningAt } });
  return facts;
}

const num = (v: string | number | null | undefined) => Number(v ?? 0);

/** A fact in English (the API's `explanation` lines; the screens phrase `facts` themselves). */
export function factText(f: ClockFact): string {
  const v = f.values;
  switch (f.code) {
    case 'target':
      return `${String(v.kpi).replace('_', ' ')}: target ${describeDuration(num(v.minutes) * MINUTE)} of working time for priority ${v.priority} on the calendar "${v.calendar}".`;
    case 'counted':
      return `Counted so far: ${describeDuration(num(v.elapsedMs))}${num(v.pausedMs) ? `; ${describeDuration(num(v.pausedMs))} of working time paused, which moves the deadline by as much` : ''}.`;
    case 'outside_hours':
      return `Time outside working hours or on holidays does not count (${v.stretches} stretch${v.stretches === 1 ? '' : 'es'}).`;
    case 'met':
      return `Met at ${v.at}.`;
    case 'breached':
      return `Breached at ${v.at}.`;
    case 'paused':
      return `Paused now; ${describeDuration(num(v.remainingMs))} remain when the clock resumes.`;
    case 'cancelled':
      return 'Cancelled: the case was closed without it.';
    case 'deadline':
      return `Deadline ${v.failureAt}${v.warningAt ? `, warning at ${v.warningAt}` : ''}.`;
    case 'calendar_missing':
      return `The calendar ${v.calendarId} no longer exists; counted as 24x7.`;
  }
}

/** Why the deadline is what it is, in English sentences. */
export function explainClock(kpi: KpiName, clock: KpiClock, calendarName: string): string[] {
  return clockFacts(kpi, clock, calendarName).map(factText);
}
