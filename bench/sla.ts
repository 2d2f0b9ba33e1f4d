/**
 * SLA calendars: deadline computations per second in-process. One-week targets (40 working
 * hours) over Monday-Friday 09:00-17:00 calendars with 15 holidays a year, in five zones (three
 * with DST, one southern), from seeded random starts spread over two years: compile once, compute
 * many. Reports deadlines/s (p50 of the runs that fit in the time budget), the same for the
 * working time between start and deadline and for the ledger (`segments`), and what a cold
 * worker pays first (compiling, and the first deadline in a year, which builds that year's table).
 *
 * Alone: `npx tsx bench/sla.ts` (knob: BENCH_SLA_SECONDS, default 5).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type Calendar, type CompiledCalendar, WEEKDAYS, addWorkingTime, compileCalendar, segments, workingTimeBetween } from '../shared/domain/sla';
import { mulberry32 } from '../shared/prng';
import { median, progress, round, say, section, table } from './lib/report';

export const SLA_TARGET_PER_SECOND = 100_000;

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Tehran', 'UTC'] as const;
const TARGET_HOURS = 40;
const HOLIDAYS_PER_YEAR = 15;
const FIRST_YEAR = 2026;
/** starts spread over two years; the calendars get holidays for a third, where late deadlines land */
const YEARS = 2;
const STARTS = 100_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface SlaScenario {
  name: string;
  runs: number;
  perSecondRuns: number[];
  p50PerSecond: number;
  p50MicrosPerCall: number;
}

export interface SlaBenchResult {
  /** p50 deadline computations per second (addWorkingTime, 40 working hours) */
  perSecond: number;
  met: boolean;
  target: number;
  zones: string[];
  targetHours: number;
  holidaysPerYear: number;
  starts: number;
  deadline: SlaScenario;
  between: SlaScenario;
  ledger: SlaScenario;
  /** a cold worker: compiling a calendar, then the first deadline in a new year (builds its table) */
  cold: { compileP50Ms: number; firstDeadlineInYearP50Ms: number };
}

/** 15 distinct random weekdays a year as holidays; all calendars share Monday-Friday 09:00-17:00. */
function benchCalendar(timeZone: string, rand: () => number): Calendar {
  const day = [{ start: '09:00', end: '17:00' }];
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, d === 'sat' || d === 'sun' ? [] : day])) as Calendar['week'];
  const holidays: Calendar['holidays'] = [];
  for (let year = FIRST_YEAR; year <= FIRST_YEAR + YEARS; year++) {
    const dates = new Set<string>();
    while (dates.size < HOLIDAYS_PER_YEAR) {
      const d = new Date(Date.UTC(year, 0, 1) + Math.floor(rand() * 365) * DAY_MS);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.add(d.toISOString().slice(0, 10));
    }
    for (const date of dates) holidays.push({ date, name: `Holiday ${date}` });
  }
  return { id: `bench-${timeZone}`, name: `Office hours ${timeZone}`, timeZone, week, holidays };
}

function measure(name: string, budgetMs: number, pass: () => number, calls: number): SlaScenario {
  const rates: number[] = [];
  const micros: number[] = [];
  const start = performance.now();
  // at least three runs so the p50 means something, then as many as the budget allows (max 50)
  while (rates.length < 3 || (performance.now() - start < budgetMs && rates.length < 50)) {
    const t0 = performance.now();
    const sink = pass();
    const ms = performance.now() - t0;
    if (!Number.isFinite(sink)) throw new Error('the benchmark pass produced no result');
    rates.push(Math.round(calls / (ms / 1000)));
    micros.push((ms * 1000) / calls);
  }
  progress(`${name}: ${rates.length} runs, p50 ${median(rates)}/s`);
  return { name, runs: rates.length, perSecondRuns: rates, p50PerSecond: median(rates), p50MicrosPerCall: round(median(micros), 3) };
}

export async function runSlaBench(opts: { seconds: number }): Promise<SlaBenchResult> {
  const budgetMs = Math.max(1, opts.seconds) * 1000;
  section(`SLA calendars: ${TARGET_HOURS}-working-hour deadlines in-process (${ZONES.length} zones, ${HOLIDAYS_PER_YEAR} holidays a year)`);
  const rand = mulberry32(6);
  const sources = ZONES.map((z) => benchCalendar(z, rand));

  // cold costs: compile, then one deadline in a year nothing has touched yet (builds its table)
  const compileMs: number[] = [];
  const firstMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    for (const [k, s] of sources.entries()) {
      const t0 = performance.now();
      const c = compileCalendar(s);
      const t1 = performance.now();
      addWorkingTime(c, new Date(Date.UTC(FIRST_YEAR, 2 + k, 10, 8)), TARGET_HOURS * HOUR_MS);
      const t2 = performance.now();
      compileMs.push(t1 - t0);
      firstMs.push(t2 - t1);
    }
  }

  const cals: CompiledCalendar[] = sources.map(compileCalendar);
  const span = Date.UTC(FIRST_YEAR + YEARS, 0, 1) - Date.UTC(FIRST_YEAR, 0, 1);
  const starts = Array.from({ length: STARTS }, () => new Date(Date.UTC(FIRST_YEAR, 0, 1) + Math.floor(rand() * span)));
  const which = Uint8Array.from({ length: STARTS }, () => Math.floor(rand() * cals.length));
  const target = TARGET_HOURS * HOUR_MS;
  const ends: Date[] = new Array(STARTS);

  const deadlinePass = () => {
    let sink = 0;
    for (let i = 0; i < STARTS; i++) {
      const end = addWorkingTime(cals[which[i]!]!, starts[i]!, target);
      ends[i] = end;
      sink += end.getTime() & 1;
    }
    return sink;
  };
  // warm-up (JIT, and every year table the runs will use), not counted
  deadlinePass();
  const deadline = measure('deadlines', budgetMs * 0.6, deadlinePass, STARTS);

  // the same figures checked the other way round: every deadline holds exactly the target
  let wrong = 0;
  const between = measure(
    'working time between',
    budgetMs * 0.2,
    () => {
      wrong = 0;
      for (let i = 0; i < STARTS; i++) if (workingTimeBetween(cals[which[i]!]!, starts[i]!, ends[i]!) !== target) wrong++;
      return wrong;
    },
    STARTS,
  );
  if (wrong) throw new Error(`${wrong} deadlines do not hold ${TARGET_HOURS} working hours`);

  const LEDGERS = 20_000;
  const ledger = measure(
    'ledger',
    budgetMs * 0.2,
    () => {
      let pieces = 0;
      for (let i = 0; i < LEDGERS; i++) pieces += segments(cals[which[i]!]!, starts[i]!, ends[i]!).length;
      return pieces;
    },
    LEDGERS,
  );

  const result: SlaBenchResult = {
    perSecond: deadline.p50PerSecond,
    met: deadline.p50PerSecond >= SLA_TARGET_PER_SECOND,
    target: SLA_TARGET_PER_SECOND,
    zones: [...ZONES],
    targetHours: TARGET_HOURS,
    holidaysPerYear: HOLIDAYS_PER_YEAR,
    starts: STARTS,
    deadline,
    between,
    ledger,
    cold: { compileP50Ms: round(median(compileMs), 3), firstDeadlineInYearP50Ms: round(median(firstMs), 3) },
  };

  say(`${STARTS.toLocaleString('en')} seeded starts over ${FIRST_YEAR}-${FIRST_YEAR + YEARS - 1} across ${ZONES.join(', ')}; Monday-Friday 09:00-17:00`);
  say(
    table(
      ['operation', 'runs', 'p50 per second', 'p50 us/call'],
      [
        [`addWorkingTime (${TARGET_HOURS} working hours)`, deadline.runs, deadline.p50PerSecond, deadline.p50MicrosPerCall],
        ['workingTimeBetween (start -> deadline)', between.runs, between.p50PerSecond, between.p50MicrosPerCall],
        ['segments (the ledger of a deadline)', ledger.runs, ledger.p50PerSecond, ledger.p50MicrosPerCall],
      ],
    ),
  );
  say(`cold worker: compile p50 ${result.cold.compileP50Ms} ms; first deadline in a new year (builds its table) p50 ${result.cold.firstDeadlineInYearP50Ms} ms`);
  say(`target >= ${SLA_TARGET_PER_SECOND.toLocaleString('en')} deadlines/s: ${result.met ? 'met' : 'NOT met'} (p50 ${result.perSecond.toLocaleString('en')}/s)`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.env.BENCH_SLA_SECONDS);
  runSlaBench({ seconds: Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) : 5 }).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
