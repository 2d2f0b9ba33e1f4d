/**
 * Business-hours calendars: weekly working intervals in an IANA time zone, minus holidays, and
 * the arithmetic SLA deadlines need ("when have 40 working hours elapsed after this instant?").
 * Pure: no I/O, no clock; every instant is passed in.
 *
 * Life of a calendar:
 * 1. `validateCalendar(value)` when an admin saves (every issue with its exact path);
 * 2. `compileCalendar(calendar)` once per loaded calendar (cache it while it is unchanged);
 * 3. `addWorkingTime`, `workingTimeBetween`, `isWorkingTime`, `nextWorkingMoment`, `segments`.
 *
 * Rules (the tests hold the engine to them):
 * - Working time is the union of the local wall-clock intervals of each non-holiday local date,
 *   as real elapsed time. A day's interval [start, end) runs from the first instant the clock
 *   reads `start` on that date to the last instant it reads `end` (or, when a reading was skipped
 *   because clocks went forward, the instant they did). So 01:00-03:00 on the night clocks go
 *   forward at 02:00 holds 1 hour of working time, and on the night they go back at 03:00 it
 *   holds 3: people at work for that interval are at work for that long, and an SLA clock that
 *   counted wall-clock minutes instead would disagree with every stopwatch. (A reading inside
 *   the repeated hour, e.g. a 02:30 start on the night clocks go back, means its first
 *   occurrence; an end there means its last.)
 * - Intervals are half-open: at 17:00 on a 09:00-17:00 day it is no longer working time, and
 *   touching intervals (Monday until 24:00, Tuesday from 00:00) are one stretch.
 * - A holiday takes out the whole local date; a working interval of the day before that runs
 *   until 24:00 still counts up to midnight.
 * - `addWorkingTime(start, ms)` is the earliest instant by which `ms` of working time have
 *   elapsed since `start`: a start outside working time counts from the next working moment, and
 *   a deadline that uses up an interval exactly is that interval's end (Friday 17:00, not Monday
 *   09:00). So `ms = 0` gives `start` itself, and adding is additive and never ends outside
 *   working time for `ms > 0`.
 *
 * Speed: a compiled calendar builds, on first use of each UTC year, that year's working intervals
 * as instants with running totals (a millisecond or two of `Intl` calls); after that a deadline
 * is two binary searches. 24x7 without holidays is plain addition.
 */
import { type FieldIssue, validationError } from '../errors';
import { Issues, checkString, isRecord, quote, typeName } from '../validation';
import { DAY_MS, EARLIEST_INSTANT, LATEST_INSTANT, MINUTE_MS, type Timeline, firstInstantAtOrAfter, isKnownTimeZone, lastInstantBefore, timeline } from './zone';

// ---------------------------------------------------------------------------------------------
// Model

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WorkingInterval {
  /** 'HH:MM', local wall clock */
  start: string;
  /** 'HH:MM' after `start`, or '24:00' for the end of the day */
  end: string;
}

export interface Holiday {
  /** 'YYYY-MM-DD', a local date in the calendar's zone */
  date: string;
  name: string;
}

export interface Calendar {
  id: string;
  name: string;
  /** IANA zone, e.g. 'Europe/Berlin' */
  timeZone: string;
  week: Record<Weekday, WorkingInterval[]>;
  holidays: Holiday[];
}

const ALL_DAY: WorkingInterval[] = [{ start: '00:00', end: '24:00' }];

/** The calendar used when no calendar applies: every instant is working time. */
export const TWENTY_FOUR_SEVEN: Calendar = {
  id: '24x7',
  name: '24 hours a day, 7 days a week',
  timeZone: 'UTC',
  week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
  holidays: [],
};

export const LIMITS = {
  idLength: 128,
  nameLength: 120,
  intervalsPerDay: 24,
  holidays: 2000,
  /** the longest working time added or measured in one call: longer is a caller's bug */
  spanMs: 10 * 366 * DAY_MS,
  /** searching for the next working moment gives up after this long without any */
  searchMs: 3 * 366 * DAY_MS,
} as const;

/** A piece of the explanation of a deadline: what kind of time [from, to) was. */
export interface ClockSegment {
  from: Date;
  to: Date;
  kind: 'working' | 'outside_hours' | 'holiday';
}

// ---------------------------------------------------------------------------------------------
// Validation

const CALENDAR_KEYS = new Set(['id', 'name', 'timeZone', 'week', 'holidays']);
const INTERVAL_KEYS = new Set(['start', 'end']);
const HOLIDAY_KEYS = new Set(['date', 'name']);
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// IANA names are letters, digits and _ + - in slash-separated parts; Intl also takes odd aliases
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);


/** Minutes since local midnight of an 'HH:MM' reading ('24:00' only when `end`), else null. */
export function parseTime(s: string, end: boolean): number | null {
  if (end && s === '24:00') return 24 * 60;
  const m = TIME.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Days since 1970-01-01 of a real 'YYYY-MM-DD' date, else null. */
export function parseDate(s: string): number | null {
  const m = DATE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 02-30 over to 03-02; a real date survives the round trip
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || y < 1900 || y > 2999) return null;
  return ms / DAY_MS;
}

export interface ValidateCalendarOptions {
  /** path prefix of the calendar in the request (default none: `timeZone`, `week.mon[0].end`) */
  path?: string;
}

/** Validates a calendar (an untrusted value, e.g. a parsed request body). [] means valid. */
export function validateCalendar(c: unknown, options: ValidateCalendarOptions = {}): FieldIssue[] {
  const p = options.path ?? '';
  const issues = new Issues();
  if (!isRecord(c)) {
    issues.add(p, 'invalid_type', `must be a calendar object, got ${typeName(c)}`);
    return issues.list;
  }
  for (const k of Object.keys(c)) if (!CALENDAR_KEYS.has(k)) issues.add(join(p, k), 'unknown_key', `unknown property ${quote(k)}`);
  checkString(c.id, join(p, 'id'), LIMITS.idLength, issues);
  checkString(c.name, join(p, 'name'), LIMITS.nameLength, issues);
  checkZone(c.timeZone, join(p, 'timeZone'), issues);
  checkWeek(c.week, join(p, 'week'), issues);
  checkHolidays(c.holidays, join(p, 'holidays'), issues);
  return issues.list;
}

/** Throws a `validation` DomainError listing every issue unless the calendar is valid. */
export function assertValidCalendar(c: unknown, options: ValidateCalendarOptions = {}): asserts c is Calendar {
  const issues = validateCalendar(c, options);
  if (issues.length) throw validationError('The calendar is invalid.', issues);
}


function checkZone(v: unknown, path: string, issues: Issues) {
  if (!checkString(v, path, 64, issues)) return;
  if (!ZONE_NAME.test(v) || !isKnownTimeZone(v))
    issues.add(path, 'unknown_time_zone', `unknown time zone ${quote(v)}; use an IANA name such as 'Europe/Berlin' or 'UTC'`);
}

function checkWeek(week: unknown, p: string, issues: Issues) {
  if (!isRecord(week)) {
    issues.add(p, week === undefined ? 'required' : 'invalid_type', `must be an object with the days ${WEEKDAYS.join(', ')}, got ${typeName(week)}`);
    return;
  }
  for (const k of Object.keys(week))
    if (!(WEEKDAYS as readonly string[]).includes(k)) issues.add(`${p}.${k}`, 'unknown_key', `unknown day ${quote(k)}; days are ${WEEKDAYS.join(', ')}`);
  let working = 0;
  let checked = 0;
  for (const day of WEEKDAYS) {
    const intervals = week[day];
    const dp = `${p}.${day}`;
    if (intervals === undefined) issues.add(dp, 'required', 'is required: a list of intervals, [] for a day off');
    else if (!Array.isArray(intervals)) issues.add(dp, 'invalid_type', `must be a list of intervals, got ${typeName(intervals)}`);
    else {
      checked++;
      working += checkDay(intervals, dp, issues);
    }
  }
  // only meaningful when every day could be read; otherwise the day's own issue says enough
  if (checked === WEEKDAYS.length && working === 0) issues.add(p, 'no_working_time', 'the week has no working time at all; use intervals such as 09:00-17:00');
}

/** Checks one day's intervals; returns how many are valid (for the "no working time" check). */
function checkDay(intervals: unknown[], p: string, issues: Issues): number {
  if (intervals.length > LIMITS.intervalsPerDay) issues.add(p, 'too_big', `at most ${LIMITS.intervalsPerDay} intervals a day, got ${intervals.length}`);
  const valid: { i: number; start: number; end: number; text: string }[] = [];
  for (const [i, iv] of intervals.entries()) {
    const ip = `${p}[${i}]`;
    if (!isRecord(iv)) {
      issues.add(ip, 'invalid_type', `must be an interval { start: 'HH:MM', end: 'HH:MM' }, got ${typeName(iv)}`);
      continue;
    }
    for (const k of Object.keys(iv)) if (!INTERVAL_KEYS.has(k)) issues.add(`${ip}.${k}`, 'unknown_key', `unknown property ${quote(k)}; an interval has start and end`);
    const start = checkTime(iv.start, `${ip}.start`, false, issues);
    const end = checkTime(iv.end, `${ip}.end`, true, issues);
    if (start === null || end === null) continue;
    if (end <= start) {
      issues.add(`${ip}.end`, 'empty_interval', `must be after start (${iv.start}); for a night shift use two intervals, one until 24:00 and one from 00:00 the next day`);
      continue;
    }
    valid.push({ i, start, end, text: `${iv.start}-${iv.end}` });
  }
  // touching intervals (12:00 end, 12:00 start) are fine; a real overlap is almost always a typo
  const sorted = [...valid].sort((a, b) => a.start - b.start || a.i - b.i);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (cur.start < prev.end) {
      const [first, second] = prev.i < cur.i ? [prev, cur] : [cur, prev];
      issues.add(`${p}[${second.i}]`, 'overlap', `${second.text} overlaps ${p}[${first.i}] (${first.text})`);
    }
  }
  return valid.length;
}

function checkTime(v: unknown, path: string, end: boolean, issues: Issues): number | null {
  const format = end ? "'HH:MM' from 00:01 to 24:00" : "'HH:MM' from 00:00 to 23:59";
  if (v === undefined) issues.add(path, 'required', `is required: ${format}`);
  else if (typeof v !== 'string') issues.add(path, 'invalid_type', `must be ${format}, got ${typeName(v)}`);
  else {
    const m = parseTime(v, end);
    if (m === null) issues.add(path, 'invalid_time', `must be ${format}, got ${quote(v)}`);
    return m;
  }
  return null;
}

function checkHolidays(holidays: unknown, p: string, issues: Issues) {
  if (!Array.isArray(holidays)) {
    issues.add(p, holidays === undefined ? 'required' : 'invalid_type', `must be a list of holidays ({ date: 'YYYY-MM-DD', name }), [] for none; got ${typeName(holidays)}`);
    return;
  }
  if (holidays.length > LIMITS.holidays) issues.add(p, 'too_big', `at most ${LIMITS.holidays} holidays, got ${holidays.length}`);
  const seen = new Map<string, number>();
  for (const [i, h] of holidays.entries()) {
    const hp = `${p}[${i}]`;
    if (!isRecord(h)) {
      issues.add(hp, 'invalid_type', `must be a holiday { date: 'YYYY-MM-DD', name }, got ${typeName(h)}`);
      continue;
    }
    for (const k of Object.keys(h)) if (!HOLIDAY_KEYS.has(k)) issues.add(`${hp}.${k}`, 'unknown_key', `unknown property ${quote(k)}; a holiday has date and name`);
    checkString(h.name, `${hp}.name`, LIMITS.nameLength, issues);
    if (h.date === undefined) issues.add(`${hp}.date`, 'required', "is required: 'YYYY-MM-DD'");
    else if (typeof h.date !== 'string' || parseDate(h.date) === null)
      issues.add(`${hp}.date`, 'invalid_date', `must be a date 'YYYY-MM-DD' (years 1900 to 2999), got ${typeof h.date === 'string' ? quote(h.date) : typeName(h.date)}`);
    else {
      const first = seen.get(h.date);
      if (first !== undefined) issues.add(`${hp}.date`, 'duplicate', `${h.date} is already a holiday at ${p}[${first}]`);
      else seen.set(h.date, i);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Compilation

/** One UTC year of working time as instants: the hot path's only data. */
interface YearTable {
  /** the UTC year's bounds, [from, to) */
  readonly from: number;
  readonly to: number;
  /** working stretches [starts[i], ends[i]), sorted, disjoint, clipped to the year */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** working time in the year before stretch i */
  readonly cum: Float64Array;
  readonly total: number;
  /** holiday dates as instants, clipped to the year (for `segments` only) */
  readonly holidayStarts: Float64Array;
  readonly holidayEnds: Float64Array;
}

export interface CompiledCalendar {
  readonly id: string;
  readonly timeZone: string;
  /** every instant is working time (24x7 without holidays): the arithmetic is plain addition */
  readonly always: boolean;
  /** per JS weekday (0 = Sunday): merged [start, end) minute pairs, flattened */
  readonly days: readonly (readonly number[])[];
  /** holiday dates as days since 1970-01-01 */
  readonly holidayDays: ReadonlySet<number>;
  /** UTC year -> table, built on first use; a cache: no result depends on what it holds */
  readonly years: Map<number, YearTable>;
}

// enough for a long-lived worker's few live years, small enough not to matter
const MAX_CACHED_YEARS = 64;

/** Prepares a calendar for the arithmetic; throws a `validation` DomainError when it is invalid. */
export function compileCalendar(c: Calendar): CompiledCalendar {
  assertValidCalendar(c);
  const days = WEEKDAYS.map((d) => mergeMinutes(c.week[d]));
  // WEEKDAYS starts on Monday, Date#getUTCDay on Sunday
  const byJsDay = [days[6]!, ...days.slice(0, 6)];
  const holidayDays = new Set(c.holidays.map((h) => parseDate(h.date)!));
  const always = holidayDays.size === 0 && byJsDay.every((d) => d.length === 2 && d[0] === 0 && d[1] === 24 * 60);
  return { id: c.id, timeZone: c.timeZone, always, days: byJsDay, holidayDays, years: new Map() };
}

/** A day's intervals as sorted minute pairs with touching ones joined (09-12 + 12-17 = 09-17). */
function mergeMinutes(intervals: WorkingInterval[]): number[] {
  const pairs = intervals.map((iv) => [parseTime(iv.start, false)!, parseTime(iv.end, true)!] as const).sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) {
    if (out.length && s <= out[out.length - 1]!) out[out.length - 1] = Math.max(out[out.length - 1]!, e);
    else out.push(s, e);
  }
  return out;
}

function yearTable(cal: CompiledCalendar, year: number): YearTable {
  let table = cal.years.get(year);
  if (!table) {
    table = buildYear(cal, year);
    if (cal.years.size >= MAX_CACHED_YEARS) cal.years.delete(cal.years.keys().next().value!);
    cal.years.set(year, table);
  }
  return table;
}

function buildYear(cal: CompiledCalendar, year: number): YearTable {
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  // local dates two days either side cover every instant of the UTC year (offsets are < 1 day)
  const tl = timeline(cal.timeZone, from - 3 * DAY_MS, to + 3 * DAY_MS);
  const work: [number, number][] = [];
  const holidays: [number, number][] = [];
  for (let midnight = from - 2 * DAY_MS; midnight < to + 2 * DAY_MS; midnight += DAY_MS) {
    const dayNo = midnight / DAY_MS;
    if (cal.holidayDays.has(dayNo)) {
      pushSpan(holidays, tl, midnight, midnight + DAY_MS, from, to);
      continue;
    }
    // 1970-01-01 was a Thursday (JS weekday 4)
    const pairs = cal.days[(((dayNo + 4) % 7) + 7) % 7]!;
    for (let k = 0; k < pairs.length; k += 2) pushSpan(work, tl, midnight + pairs[k]! * MINUTE_MS, midnight + pairs[k + 1]! * MINUTE_MS, from, to);
  }
  const w = mergeSpans(work);
  const h = mergeSpans(holidays);
  const cum = new Float64Array(w.length);
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    cum[i] = total;
    total += w[i]![1] - w[i]![0];
  }
  return {
    from,
    to,
    starts: Float64Array.from(w, (s) => s[0]),
    ends: Float64Array.from(w, (s) => s[1]),
    cum,
    total,
    holidayStarts: Float64Array.from(h, (s) => s[0]),
    holidayEnds: Float64Array.from(h, (s) => s[1]),
  };
}

/** The wall-clock interval [wallStart, wallEnd) as real instants (the DST rule above), clipped. */
function pushSpan(out: [number, number][], tl: Timeline, wallStart: number, wallEnd: number, from: number, to: number) {
  const a = Math.max(firstInstantAtOrAfter(tl, wallStart), from);
  const b = Math.min(lastInstantBefore(tl, wallEnd), to);
  if (b > a) out.push([a, b]);
}

/** Sorted, with overlapping and touching spans joined (clocks going back can make neighbours overlap). */
function mergeSpans(spans: [number, number][]): [number, number][] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

function instant(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${what} is not a valid date`);
  if (t < EARLIEST_INSTANT || t >= LATEST_INSTANT) throw new RangeError(`${what} (${d.toISOString()}) is outside the years 1900 to 2999 the calendar arithmetic supports`);
  return t;
}

function duration(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`working time must be a finite number of ms >= 0, got ${ms}`);
  if (ms > LIMITS.spanMs) throw new RangeError(`working time of ${ms} ms is more than the ${LIMITS.spanMs / DAY_MS} days the calendar arithmetic accepts`);
  return ms;
}

const yearOf = (t: number) => new Date(t).getUTCFullYear();

/** Index of the first stretch ending after t (the one t is in or before); n when none. */
function firstEndingAfter(ends: Float64Array, t: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Working time in the year before instant t (t within the year). */
function workedBefore(y: YearTable, t: number): number {
  const i = firstEndingAfter(y.ends, t);
  if (i === y.ends.length) return y.total;
  return y.cum[i]! + Math.max(0, t - y.starts[i]!);
}

/** The earliest instant in the year by which `target` (> 0, <= total) of its working time has elapsed. */
function instantOfWork(y: YearTable, target: number): number {
  // last stretch that starts with less than `target` worked before it
  let lo = 0;
  let hi = y.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (y.cum[mid]! < target) lo = mid;
    else hi = mid - 1;
  }
  return y.starts[lo]! + (target - y.cum[lo]!);
}

function noWorkingTime(cal: CompiledCalendar, since: number): Error {
  return new RangeError(`calendar ${quote(cal.id)} has no working time in the ${LIMITS.searchMs / DAY_MS} days after ${new Date(since).toISOString()}; check its week and holidays`);
}

/**
 * The instant by which `ms` of working time have elapsed after `start` (see the rules at the top).
 * Throws a RangeError when the calendar has no working time for 3 years on the way.
 */
export function addWorkingTime(cal: CompiledCalendar, start: Date, ms: number): Date {
  const t0 = instant(start, 'start');
  let remaining = duration(ms);
  if (remaining === 0) return new Date(t0);
  if (cal.always) return new Date(t0 + remaining);
  let year = yearOf(t0);
  let y = yearTable(cal, year);
  let before = workedBefore(y, t0);
  // the last instant known to be working time (or the start): the 3-year search bound counts from it
  let lastWork = t0;
  for (;;) {
    if (before + remaining <= y.total) return new Date(instantOfWork(y, before + remaining));
    if (y.total > before) {
      remaining -= y.total - before;
      lastWork = y.ends[y.ends.length - 1]!;
    }
    if (y.to - lastWork > LIMITS.searchMs) throw noWorkingTime(cal, lastWork);
    y = yearTable(cal, ++year);
    before = 0;
  }
}

/** Working time in [from, to), in ms (0 when `to` is not after `from`). */
export function workingTimeBetween(cal: CompiledCalendar, from: Date, to: Date): number {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  if (b <= a) return 0;
  if (b - a > LIMITS.spanMs) throw new RangeError(`the span from ${from.toISOString()} to ${to.toISOString()} is longer than the ${LIMITS.spanMs / DAY_MS} days the calendar arithmetic accepts`);
  if (cal.always) return b - a;
  let sum = 0;
  for (let year = yearOf(a); ; year++) {
    const y = yearTable(cal, year);
    const lo = Math.max(a, y.from);
    const hi = Math.min(b, y.to);
    sum += (hi >= y.to ? y.total : workedBefore(y, hi)) - (lo <= y.from ? 0 : workedBefore(y, lo));
    if (b <= y.to) return sum;
  }
}

/** True when `at` is working time (intervals are half-open: 17:00 is not, on a 09:00-17:00 day). */
export function isWorkingTime(cal: CompiledCalendar, at: Date): boolean {
  const t = instant(at, 'at');
  if (cal.always) return true;
  const y = yearTable(cal, yearOf(t));
  const i = firstEndingAfter(y.ends, t);
  return i < y.ends.length && y.starts[i]! <= t;
}

/** `at` when it is working time, else the start of the next working stretch. */
export function nextWorkingMoment(cal: CompiledCalendar, at: Date): Date {
  const t = instant(at, 'at');
  if (cal.always) return new Date(t);
  for (let year = yearOf(t); ; year++) {
    const y = yearTable(cal, year);
    const i = firstEndingAfter(y.ends, t);
    if (i < y.ends.length) return new Date(Math.max(t, y.starts[i]!));
    if (y.to - t > LIMITS.searchMs) throw noWorkingTime(cal, t);
  }
}

/**
 * [from, to) cut into contiguous pieces of working time, holiday and time outside working hours,
 * each as long as possible: what explains a deadline. Empty when `to` is not after `from`.
 */
export function segments(cal: CompiledCalendar, from: Date, to: Date): ClockSegment[] {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  if (b <= a) return [];
  if (b - a > LIMITS.spanMs) throw new RangeError(`the span from ${from.toISOString()} to ${to.toISOString()} is longer than the ${LIMITS.spanMs / DAY_MS} days the calendar arithmetic accepts`);
  if (cal.always) return [{ from: new Date(a), to: new Date(b), kind: 'working' }];
  const out: { from: number; to: number; kind: ClockSegment['kind'] }[] = [];
  const push = (s: number, e: number, kind: ClockSegment['kind']) => {
    const last = out[out.length - 1];
    // pieces meet at year boundaries; one stretch should read as one
    if (last && last.kind === kind && last.to === s) last.to = e;
    else out.push({ from: s, to: e, kind });
  };
  for (let year = yearOf(a); ; year++) {
    const y = yearTable(cal, year);
    segmentYear(y, Math.max(a, y.from), Math.min(b, y.to), push);
    if (b <= y.to) break;
  }
  return out.map((s) => ({ from: new Date(s.from), to: new Date(s.to), kind: s.kind }));
}

type Push = (from: number, to: number, kind: ClockSegment['kind']) => void;

function segmentYear(y: YearTable, a: number, b: number, push: Push) {
  let t = a;
  let i = firstEndingAfter(y.ends, t);
  while (t < b) {
    if (i < y.ends.length && y.starts[i]! <= t) {
      const e = Math.min(y.ends[i]!, b);
      push(t, e, 'working');
      t = e;
      i++;
      continue;
    }
    const gapEnd = i < y.ends.length ? Math.min(y.starts[i]!, b) : b;
    segmentGap(y, t, gapEnd, push);
    t = gapEnd;
  }
}

/** A stretch without working time: holiday where a holiday date covers it, outside hours elsewhere. */
function segmentGap(y: YearTable, a: number, b: number, push: Push) {
  let t = a;
  let h = firstEndingAfter(y.holidayEnds, t);
  while (t < b) {
    if (h < y.holidayEnds.length && y.holidayStarts[h]! <= t) {
      const e = Math.min(y.holidayEnds[h]!, b);
      push(t, e, 'holiday');
      t = e;
      h++;
    } else {
      const e = h < y.holidayEnds.length ? Math.min(y.holidayStarts[h]!, b) : b;
      push(t, e, 'outside_hours');
      t = e;
    }
  }
}
