/** KPI clocks with hand-checked answers: business hours, pauses, priority changes, met and missed, reactivation. */
import { describe, expect, it } from 'vitest';
import type { CaseStatus, Priority } from '../../../shared/domain/case';
import { type Calendar, TWENTY_FOUR_SEVEN, compileCalendar } from '../../../shared/domain/sla/calendar';
import { type HistoryPoint, type KpiName, type KpiSpec, clockFacts, explainClock, factText, kpiClock } from '../../../shared/domain/sla/kpi';

const HOURS = { start: '09:00', end: '17:00' };
/** Mon-Fri 09:00-17:00 in UTC, so the expected instants read directly. */
const office: Calendar = { id: 'office', name: 'Office hours', timeZone: 'UTC', week: { mon: [HOURS], tue: [HOURS], wed: [HOURS], thu: [HOURS], fri: [HOURS], sat: [], sun: [] }, holidays: [] };
const OFFICE = compileCalendar(office);
const ALWAYS = compileCalendar(TWENTY_FOUR_SEVEN);

const spec = (hours: Partial<Record<Priority, number>>, warnAtPercent = 75): KpiSpec => ({
  targetMinutes: { low: 60 * (hours.low ?? 16), normal: 60 * (hours.normal ?? 8), high: 60 * (hours.high ?? 4), urgent: 60 * (hours.urgent ?? 2) },
  warnAtPercent,
  calendarId: 'office',
  pauseStatuses: ['on_hold', 'waiting_for_details'],
});
const at = (iso: string) => `${iso}:00.000Z`;
const point = (when: string, status: CaseStatus = 'in_progress', priority: Priority = 'normal'): HistoryPoint => ({ at: at(when), status, priority });
const clock = (o: { kpi?: KpiName; start: string; now: string; history?: HistoryPoint[]; achieved?: string; cal?: typeof OFFICE; s?: KpiSpec }) =>
  kpiClock({
    kpi: o.kpi ?? 'resolve',
    spec: o.s ?? spec({}),
    calendar: o.cal ?? OFFICE,
    startedAt: at(o.start),
    achievedAt: o.achieved ? at(o.achieved) : null,
    history: o.history ?? [point(o.start, 'new')],
    now: new Date(at(o.now)),
  });
const H = 3_600_000;

// 2026-11-23 is a Monday
describe('KPI clocks', () => {
  it('24x7: 8 h from Monday 10:00 warns at 16:00 (75%) and fails at 18:00', () => {
    const c = clock({ start: '2026-11-23T10:00', now: '2026-11-23T14:00', cal: ALWAYS });
    expect(c).toMatchObject({ status: 'in_progress', elapsedMs: 4 * H, remainingMs: 4 * H, warningAt: at('2026-11-23T16:00'), failureAt: at('2026-11-23T18:00') });
  });

  it('office hours: 4 h from Friday 15:00 end Monday 11:00 (2 h Friday, 2 h Monday); the warning at 3 h is Monday 10:00', () => {
    const c = clock({ kpi: 'first_response', start: '2026-11-27T15:00', now: '2026-11-27T16:00', s: spec({ normal: 4 }) });
    expect(c).toMatchObject({ status: 'in_progress', elapsedMs: H, warningAt: at('2026-11-30T10:00'), failureAt: at('2026-11-30T11:00') });
    // over the weekend nothing counts
    const sunday = clock({ kpi: 'first_response', start: '2026-11-27T15:00', now: '2026-11-29T12:00', s: spec({ normal: 4 }) });
    expect(sunday).toMatchObject({ elapsedMs: 2 * H, status: 'in_progress' });
    expect(sunday.ledger.map((s) => s.kind)).toEqual(['working', 'outside_hours']);
  });

  it('a pause moves the deadline by the paused working time: 2 h on hold on Monday moves 17:00 to Tuesday 11:00', () => {
    const history = [point('2026-11-23T09:00', 'new'), point('2026-11-23T11:00', 'on_hold'), point('2026-11-23T13:00', 'in_progress')];
    const c = clock({ start: '2026-11-23T09:00', now: '2026-11-23T14:00', history });
    expect(c).toMatchObject({ status: 'in_progress', elapsedMs: 3 * H, pausedMs: 2 * H, failureAt: at('2026-11-24T11:00') });
    expect(c.ledger.map((s) => [s.kind, s.from.slice(11, 16), s.to.slice(11, 16)])).toEqual([
      ['working', '09:00', '11:00'],
      ['paused', '11:00', '13:00'],
      ['working', '13:00', '14:00'],
    ]);
    expect(explainClock('resolve', c, 'Office hours').join(' ')).toMatch(/2 h of working time paused/);
  });

  it('while paused there is no deadline, only what remains', () => {
    const history = [point('2026-11-23T09:00', 'new'), point('2026-11-23T13:00', 'waiting_for_details')];
    const c = clock({ start: '2026-11-23T09:00', now: '2026-11-23T15:00', history });
    expect(c).toMatchObject({ status: 'paused', elapsedMs: 4 * H, remainingMs: 4 * H, failureAt: null });
  });

  it('a priority change re-targets from the start: raised to urgent (2 h) at 12:00 after 3 h, it breached at 11:00', () => {
    const history = [point('2026-11-23T09:00', 'new'), point('2026-11-23T12:00', 'in_progress', 'urgent')];
    const c = clock({ start: '2026-11-23T09:00', now: '2026-11-23T12:30', history });
    expect(c).toMatchObject({ status: 'noncompliant', priority: 'urgent', targetMs: 2 * H, failureAt: at('2026-11-23T11:00'), warningAt: at('2026-11-23T10:30') });
  });

  it('met in time succeeds, met late is noncompliant, a cancelled case cancels', () => {
    expect(clock({ kpi: 'first_response', start: '2026-11-23T09:00', now: '2026-11-23T16:00', achieved: '2026-11-23T10:30', s: spec({ normal: 4 }) })).toMatchObject({
      status: 'succeeded',
      elapsedMs: 1.5 * H,
      achievedAt: at('2026-11-23T10:30'),
      failureAt: null,
    });
    expect(clock({ kpi: 'first_response', start: '2026-11-23T09:00', now: '2026-11-24T16:00', achieved: '2026-11-24T10:00', s: spec({ normal: 4 }) })).toMatchObject({
      status: 'noncompliant',
      failureAt: at('2026-11-23T13:00'),
    });
    const cancelled = clock({ start: '2026-11-23T09:00', now: '2026-11-23T12:00', history: [point('2026-11-23T09:00', 'new'), point('2026-11-23T10:00', 'cancelled')] });
    expect(cancelled).toMatchObject({ status: 'cancelled', failureAt: null });
  });

  it('a pause that straddles a night: on hold Monday 16:00 to Tuesday 10:00 pauses 2 working hours (16-17, 09-10), moving Tuesday 11:00 to 13:00', () => {
    const history = [point('2026-11-23T09:00', 'new'), point('2026-11-23T16:00', 'on_hold'), point('2026-11-24T10:00', 'in_progress')];
    const c = clock({ start: '2026-11-23T09:00', now: '2026-11-24T10:30', history, s: spec({ normal: 10 }) });
    // counted: Monday 09-16 (7 h) and Tuesday 10:00-10:30; 2.5 h remain -> Tuesday 13:00
    expect(c).toMatchObject({ status: 'nearing_noncompliance', elapsedMs: 7.5 * H, pausedMs: 2 * H, failureAt: at('2026-11-24T13:00') });
    // the night itself is outside hours, not paused time
    expect(c.ledger.map((x) => x.kind)).toEqual(['working', 'paused', 'outside_hours', 'paused', 'working']);
    expect(c.ledger.every((x) => x.from < x.to)).toBe(true);
  });

  it('resolving without a response cancels the response clocks; the resolve clock is met by the resolution', () => {
    const history = [point('2026-11-23T09:00', 'new'), point('2026-11-23T10:00', 'problem_solved')];
    expect(clock({ kpi: 'first_response', start: '2026-11-23T09:00', now: '2026-11-23T12:00', history })).toMatchObject({ status: 'cancelled', failureAt: null, warningAt: null });
    expect(clock({ kpi: 'resolve', start: '2026-11-23T09:00', now: '2026-11-23T12:00', history, achieved: '2026-11-23T10:00' })).toMatchObject({ status: 'succeeded' });
  });

  it('explains itself as facts the screens can phrase, and as English sentences', () => {
    const history = [point('2026-11-23T09:00', 'new'), point('2026-11-23T11:00', 'on_hold'), point('2026-11-23T13:00', 'in_progress')];
    const c = clock({ start: '2026-11-23T09:00', now: '2026-11-23T18:00', history });
    const facts = clockFacts('resolve', c, 'Office hours');
    expect(facts).toEqual([
      { code: 'target', values: { kpi: 'resolve', minutes: 480, priority: 'normal', calendar: 'Office hours' } },
      { code: 'counted', values: { elapsedMs: 6 * H, pausedMs: 2 * H } },
      { code: 'outside_hours', values: { stretches: 1 } },
      // 6 h (75 %) are used up exactly at Monday's closing time: the warning is then, not Tuesday's opening
      { code: 'deadline', values: { failureAt: at('2026-11-24T11:00'), warningAt: at('2026-11-23T17:00') } },
    ]);
    expect(explainClock('resolve', c, 'Office hours')).toEqual(facts.map(factText));
    expect(factText(facts[0]!)).toBe('resolve: target 8 h of working time for priority normal on the calendar "Office hours".');
  });

  it('nearing noncompliance after the warning point', () => {
    expect(clock({ start: '2026-11-23T09:00', now: '2026-11-23T15:30' }).status).toBe('nearing_noncompliance');
  });

  it('resolve after reactivation: the resolved stretch does not count', () => {
    const history = [point('2026-11-23T09:00', 'new'), point('2026-11-23T11:00', 'problem_solved'), point('2026-11-24T09:00', 'in_progress')];
    const c = clock({ start: '2026-11-23T09:00', now: '2026-11-24T10:00', history });
    // Monday 09-11 counts (2 h), Monday 11-17 is paused (resolved: 6 h), Tuesday 09-10 counts (1 h)
    // 5 h remain at Tuesday 10:00: the deadline is Tuesday 15:00
    expect(c).toMatchObject({ status: 'in_progress', elapsedMs: 3 * H, pausedMs: 6 * H, failureAt: at('2026-11-24T15:00') });
  });

  it('the ledger covers the clock without gaps', () => {
    const history = [point('2026-11-27T15:00', 'new'), point('2026-11-30T10:00', 'on_hold'), point('2026-11-30T12:00', 'in_progress')];
    const c = clock({ start: '2026-11-27T15:00', now: '2026-12-01T12:00', history });
    expect(c.ledger[0]!.from).toBe(at('2026-11-27T15:00'));
    expect(c.ledger.at(-1)!.to).toBe(at('2026-12-01T12:00'));
    for (let i = 1; i < c.ledger.length; i++) expect(c.ledger[i]!.from).toBe(c.ledger[i - 1]!.to);
    expect(c.ledger.reduce((s, x) => s + x.countedMs, 0)).toBe(c.elapsedMs);
  });
});
