/**
 * Shared builders for the SLA calendar tests, and an oracle that answers "is this instant working
 * time?" straight from the documented rules: it reads the instant's local date and time with its
 * own `Intl` formatter and looks them up in the calendar as written, without the engine's
 * timelines, year tables or interval hulls.
 *
 * The oracle and the engine's rule ("an interval runs from the first time the clock reads its
 * start to the last time it reads its end") agree as long as no interval boundary falls strictly
 * inside an hour that clocks repeat; the random calendars below use whole hours only, and every
 * zone tested repeats whole hours, so they must agree everywhere.
 */
import type { Calendar, Weekday, WorkingInterval } from '../../../shared/domain/sla';
import { WEEKDAYS } from '../../../shared/domain/sla';
import { mulberry32 } from '../../../shared/prng';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const at = (iso: string) => new Date(iso);
export const iso = (d: Date) => d.toISOString();

type Week = Partial<Record<Weekday, [string, string][]>>;

/** A calendar from a compact week: `{ mon: [['09:00', '17:00']] }`; days left out are days off. */
export function calendar(timeZone: string, week: Week, holidays: string[] = [], id = 'cal'): Calendar {
  const full = Object.fromEntries(WEEKDAYS.map((d) => [d, (week[d] ?? []).map(([start, end]): WorkingInterval => ({ start, end }))])) as Record<Weekday, WorkingInterval[]>;
  return { id, name: `Calendar ${id}`, timeZone, week: full, holidays: holidays.map((date, i) => ({ date, name: `Holiday ${i + 1}` })) };
}

/** Monday to Friday with the same intervals each day. */
export const weekdays = (...intervals: [string, string][]): Week => ({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals });

// ---------------------------------------------------------------------------------------------
// oracle

const formatters = new Map<string, Intl.DateTimeFormat>();
const JS_DAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Local date ('YYYY-MM-DD'), weekday and minute of the day of instant t in the zone. */
export function local(timeZone: string, t: number): { date: string; weekday: Weekday; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  return { date, weekday: JS_DAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!, minute: Number(p.hour) * 60 + Number(p.minute) };
}

const minutes = (s: string) => (s === '24:00' ? 1440 : Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

/** What the rules say instant t is: working time, a holiday, or outside working hours. */
export function oracleKind(cal: Calendar, t: number): 'working' | 'holiday' | 'outside_hours' {
  const l = local(cal.timeZone, t);
  if (cal.holidays.some((h) => h.date === l.date)) return 'holiday';
  return cal.week[l.weekday].some((iv) => minutes(iv.start) <= l.minute && l.minute < minutes(iv.end)) ? 'working' : 'outside_hours';
}

/**
 * The reference deadline by walking half-hour slots (every zone here moves its clocks and every
 * random boundary sits on a half hour in UTC, so a slot is all working or all not): the end of the
 * slot that completes `ms` (a multiple of 30 minutes) of working time. Null when it takes more
 * than `maxSlots`.
 */
export function slowDeadline(cal: Calendar, start: number, ms: number, maxSlots = 4000): number | null {
  const SLOT = 30 * MIN;
  let need = ms / SLOT;
  for (let t = start, k = 0; k < maxSlots; t += SLOT, k++) {
    if (oracleKind(cal, t) === 'working' && --need === 0) return t + SLOT;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// seeded randomness

export function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof prng>;

const hh = (h: number) => (h === 24 ? '24:00' : `${String(h).padStart(2, '0')}:00`);

/**
 * A random calendar: each day off or 1 to 3 whole-hour intervals (sometimes touching, sometimes
 * through the night hours clocks jump over, sometimes until 24:00), and `holidays` random dates
 * between `fromYear` and `toYear`.
 */
export function randomCalendar(r: Rng, timeZone: string, id: string, fromYear: number, toYear: number, holidays = 40): Calendar {
  const week: Week = {};
  for (const d of WEEKDAYS) {
    if (r.chance(0.25)) continue;
    const count = 1 + r.int(3);
    const hours = new Set<number>();
    while (hours.size < count * 2) hours.add(r.int(25));
    const sorted = [...hours].sort((a, b) => a - b);
    const list: [string, string][] = [];
    for (let k = 0; k < sorted.length; k += 2) list.push([hh(sorted[k]!), hh(sorted[k + 1]!)]);
    // now and then make two intervals touch (they must behave as one)
    if (list.length > 1 && r.chance(0.2)) list[1]![0] = list[0]![1];
    week[d] = list;
  }
  if (!Object.keys(week).length) week.wed = [['10:00', '14:00']];
  const dates = new Set<string>();
  while (dates.size < holidays) {
    const day = Date.UTC(fromYear, 0, 1) + r.int(Math.round((Date.UTC(toYear + 1, 0, 1) - Date.UTC(fromYear, 0, 1)) / DAY)) * DAY;
    dates.add(new Date(day).toISOString().slice(0, 10));
  }
  return calendar(timeZone, week, [...dates], id);
}

/**
 * A random instant between the two years, in one case of three within a few days of the weeks
 * in which clocks change in one hemisphere or the other (late March/early April, October,
 * early November), so DST nights are exercised often rather than by luck.
 */
export function randomInstant(r: Rng, fromYear: number, toYear: number, alignMs = 1): number {
  let t: number;
  if (r.chance(1 / 3)) {
    const year = fromYear + r.int(toYear - fromYear + 1);
    const [month, day] = r.pick([
      [2, 24],
      [3, 1],
      [9, 1],
      [9, 22],
      [10, 1],
      [2, 8],
      [2, 16],
      [8, 17],
    ] as const);
    t = Date.UTC(year, month, day) + r.int(10 * DAY);
  } else t = Date.UTC(fromYear, 0, 1) + Math.floor(r.next() * (Date.UTC(toYear + 1, 0, 1) - Date.UTC(fromYear, 0, 1)));
  return t - (t % alignMs);
}
