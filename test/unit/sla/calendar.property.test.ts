/**
 * Properties of the calendar arithmetic over seeded random calendars and instants, in zones with
 * northern DST (Berlin, New York), southern DST (Sydney), DST abolished (Tehran: Node's tz data
 * has it until September 2022 and none after, and the years 2021-2028 cover both), none (UTC),
 * clocks that change at midnight, so some dates start at 01:00 (Santiago), half-hour DST (Lord
 * Howe), and 24x7. Each property runs 2,000 cases per zone; the oracle in ./support.ts reads local time
 * with its own Intl formatter, independently of the engine.
 */
import { describe, expect, it } from 'vitest';
import {
  type Calendar,
  type CompiledCalendar,
  TWENTY_FOUR_SEVEN,
  addWorkingTime,
  compileCalendar,
  isWorkingTime,
  nextWorkingMoment,
  segments,
  workingTimeBetween,
} from '../../../shared/domain/sla';
import { DAY, HOUR, MIN, calendar, oracleKind, prng, randomCalendar, randomInstant, type Rng, slowDeadline, weekdays } from './support';

const CASES = 2000;
const FROM_YEAR = 2021;
const TO_YEAR = 2028;

interface Pool {
  name: string;
  calendars: { source: Calendar; compiled: CompiledCalendar }[];
}

function pool(name: string, timeZone: string, seed: number): Pool {
  const r = prng(seed);
  const sources = [
    // the common shape: Monday to Friday with a lunch break and public holidays
    calendar(timeZone, weekdays(['09:00', '12:00'], ['13:00', '17:00']), randomCalendar(r, timeZone, 'h', FROM_YEAR, TO_YEAR, 60).holidays.map((h) => h.date), 'office'),
    ...Array.from({ length: 5 }, (_, i) => randomCalendar(r, timeZone, `random-${i}`, FROM_YEAR, TO_YEAR)),
  ];
  return { name, calendars: sources.map((source) => ({ source, compiled: compileCalendar(source) })) };
}

const POOLS: Pool[] = [
  pool('Asia/Tehran', 'Asia/Tehran', 11),
  pool('Europe/Berlin', 'Europe/Berlin', 12),
  pool('America/New_York', 'America/New_York', 13),
  pool('Australia/Sydney', 'Australia/Sydney', 14),
  pool('UTC', 'UTC', 15),
  pool('America/Santiago', 'America/Santiago', 16),
  pool('Australia/Lord_Howe', 'Australia/Lord_Howe', 17),
  {
    name: '24x7',
    calendars: [
      TWENTY_FOUR_SEVEN,
      // 24x7 written out in a DST zone, and 24x7 with holidays (not the plain-addition path)
      calendar('Europe/Berlin', weekdays(['00:00', '24:00']), [], 'berlin-24x5'),
      calendar('Australia/Sydney', { ...weekdays(['00:00', '24:00']), sat: [['00:00', '24:00']], sun: [['00:00', '12:00'], ['12:00', '24:00']] }, ['2024-12-25', '2025-04-06', '2026-10-04'], 'sydney-24x7-holidays'),
    ].map((source) => ({ source, compiled: compileCalendar(source) })),
  },
];

/** A working time to add: mostly hours with odd milliseconds, sometimes minutes, sometimes weeks. */
function randomMs(r: Rng): number {
  const roll = r.int(10);
  if (roll === 0) return r.int(90 * MIN);
  if (roll === 1) return r.int(200 * HOUR);
  return r.int(60) * HOUR + r.int(HOUR);
}

type Case = Pool['calendars'][number] & { r: Rng; i: number; check: (ok: boolean, what: () => string) => void };

/**
 * Runs `cases` seeded cases; checks collect the first few failures with the case's details
 * instead of calling expect() per check, which would cost more than the arithmetic under test.
 */
function each(p: Pool, seed: number, body: (c: Case) => void, cases = CASES) {
  const r = prng(seed);
  const failures: string[] = [];
  for (let i = 0; i < cases && failures.length < 5; i++) {
    const c = r.pick(p.calendars);
    body({ ...c, r, i, check: (ok, what) => ok || failures.push(`case ${i}, calendar ${c.source.id}: ${what()}`) });
  }
  expect(failures).toEqual([]);
}

const show = (t: number | Date) => new Date(t).toISOString();

describe.each(POOLS)('calendar arithmetic in $name', (p) => {
  it('is monotonic: more working time, or a later start, never gives an earlier deadline', () => {
    each(p, 1, ({ compiled, r, check }) => {
      const s = new Date(randomInstant(r, FROM_YEAR, TO_YEAR));
      const a = randomMs(r);
      const b = a + randomMs(r);
      const ea = addWorkingTime(compiled, s, a);
      const eb = addWorkingTime(compiled, s, b);
      check(ea <= eb, () => `from ${show(s)}: +${a} ms = ${show(ea)} but +${b} ms = ${show(eb)}`);
      const later = new Date(s.getTime() + r.int(3 * DAY));
      const el = addWorkingTime(compiled, later, a);
      check(ea <= el, () => `+${a} ms: from ${show(s)} = ${show(ea)} but from later ${show(later)} = ${show(el)}`);
    });
  });

  it('is additive: adding a then b equals adding a + b', () => {
    each(p, 2, ({ compiled, r, check }) => {
      const s = new Date(randomInstant(r, FROM_YEAR, TO_YEAR));
      const a = r.chance(0.05) ? 0 : randomMs(r);
      const b = r.chance(0.05) ? 0 : randomMs(r);
      const twoSteps = addWorkingTime(compiled, addWorkingTime(compiled, s, a), b).getTime();
      const oneStep = addWorkingTime(compiled, s, a + b).getTime();
      check(twoSteps === oneStep, () => `from ${show(s)}: +${a} +${b} = ${show(twoSteps)}, +${a + b} = ${show(oneStep)}`);
    });
  });

  it('never ends outside working time: the millisecond before the deadline is working time', () => {
    each(p, 3, ({ source, compiled, r, check }) => {
      const s = new Date(randomInstant(r, FROM_YEAR, TO_YEAR));
      const ms = 1 + randomMs(r);
      const end = addWorkingTime(compiled, s, ms).getTime();
      const why = () => `from ${show(s)} +${ms} ms = ${show(end)}`;
      check(end > s.getTime(), why);
      check(isWorkingTime(compiled, new Date(end - 1)), () => `${why()}: isWorkingTime(end - 1) is false`);
      check(oracleKind(source, end - 1) === 'working', () => `${why()}: the calendar says end - 1 is ${oracleKind(source, end - 1)}`);
      // and a start outside working time counts from the next working moment
      const fromNext = addWorkingTime(compiled, nextWorkingMoment(compiled, s), ms).getTime();
      check(fromNext === end, () => `${why()}, but from the next working moment ${show(fromNext)}`);
    });
  });

  it('workingTimeBetween(s, addWorkingTime(s, ms)) is ms, and the deadline is the earliest such instant', () => {
    each(p, 4, ({ compiled, r, check }) => {
      const s = new Date(randomInstant(r, FROM_YEAR, TO_YEAR));
      const ms = randomMs(r);
      const end = addWorkingTime(compiled, s, ms);
      const between = workingTimeBetween(compiled, s, end);
      check(between === ms, () => `from ${show(s)} +${ms} ms = ${show(end)}, but ${between} ms of working time between`);
      if (ms > 0) {
        const justBefore = workingTimeBetween(compiled, s, new Date(end.getTime() - 1));
        check(justBefore === ms - 1, () => `from ${show(s)} +${ms} ms = ${show(end)}, but ${justBefore} ms until 1 ms before`);
      }
    });
  });

  it('respects holidays: the ledger covers the span exactly, its working pieces add up and none falls on a holiday', () => {
    each(p, 5, ({ source, compiled, r, i, check }) => {
      const s = new Date(randomInstant(r, FROM_YEAR, TO_YEAR));
      const ms = randomMs(r);
      const end = addWorkingTime(compiled, s, ms);
      const ledger = segments(compiled, s, end);
      const why = () => `from ${show(s)} +${ms} ms = ${show(end)}`;
      let t = s.getTime();
      let working = 0;
      for (const [k, seg] of ledger.entries()) {
        check(seg.from.getTime() === t && seg.to > seg.from, () => `${why()}: piece ${k} is ${show(seg.from)}-${show(seg.to)} after ${show(t)}`);
        check(k === 0 || seg.kind !== ledger[k - 1]!.kind, () => `${why()}: pieces ${k - 1} and ${k} are both ${seg.kind}`);
        if (seg.kind === 'working') working += seg.to.getTime() - seg.from.getTime();
        // the oracle (slow) on every piece of every fourth case: first and last millisecond
        if (i % 4 === 0) {
          for (const x of [seg.from.getTime(), seg.to.getTime() - 1]) {
            const kind = oracleKind(source, x);
            check(kind === seg.kind, () => `${why()}: piece ${k} says ${seg.kind}, the calendar says ${kind} at ${show(x)}`);
          }
        }
        t = seg.to.getTime();
      }
      check(t === end.getTime(), () => `${why()}: the ledger ends at ${show(t)}`);
      check(working === ms, () => `${why()}: the ledger holds ${working} ms of working time`);
    });
  });

  it('agrees with a half-hour-by-half-hour walk through the calendar as written', () => {
    each(
      p,
      6,
      ({ source, compiled, r, check }) => {
        const s = randomInstant(r, FROM_YEAR, TO_YEAR, 30 * MIN);
        const ms = (1 + r.int(r.chance(0.8) ? 20 : 100)) * 30 * MIN;
        const expected = slowDeadline(source, s, ms);
        const got = addWorkingTime(compiled, new Date(s), ms).getTime();
        check(expected === null || got === expected, () => `from ${show(s)} +${ms / MIN} min: ${show(got)}, walking gives ${show(expected!)}`);
      },
      150,
    );
  });

  it('isWorkingTime and nextWorkingMoment agree with the calendar as written', () => {
    each(p, 7, ({ source, compiled, r, check }) => {
      const t = randomInstant(r, FROM_YEAR, TO_YEAR);
      const working = oracleKind(source, t) === 'working';
      check(isWorkingTime(compiled, new Date(t)) === working, () => `${show(t)}: isWorkingTime says ${!working}`);
      const next = nextWorkingMoment(compiled, new Date(t)).getTime();
      if (working) check(next === t, () => `${show(t)} is working time, next working moment ${show(next)}`);
      else {
        check(next > t && oracleKind(source, next) === 'working', () => `${show(t)}: next working moment ${show(next)} is ${oracleKind(source, next)}`);
        check(workingTimeBetween(compiled, new Date(t), new Date(next)) === 0, () => `${show(t)}: working time before the next working moment ${show(next)}`);
      }
    });
  });
});
