/**
 * Time-zone arithmetic for business-hours calendars, on Node's own tz data (`Intl`): no library,
 * so the offsets are whatever the runtime's ICU says (and change only when Node updates it).
 *
 * The one hard question is turning a local wall-clock reading into an instant when the reading
 * does not exist (the hour skipped when clocks go forward) or exists twice (the hour repeated
 * when they go back). Rather than pick "earlier" or "later" per call, a zone's history is turned
 * into a `Timeline` (runs of instants with one offset each) and two questions are asked of it:
 * the first instant whose reading is at or after a given one, and the last instant whose reading
 * is still before one. ./calendar.ts builds its working intervals from exactly those two.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Instants the calendar arithmetic accepts (UTC years 1900 to 2999): beyond, it is a caller's bug. */
export const EARLIEST_INSTANT = Date.UTC(1900, 0, 1);
export const LATEST_INSTANT = Date.UTC(3000, 0, 1);

// one formatter per zone: building one costs far more than using it
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23: midnight is 00, never 24 (some ICU versions print 24 with hour12: false)
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the zone by that name (IANA names and the aliases ICU accepts). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `t`, in ms (Berlin in summer: +7,200,000). */
export function offsetAt(timeZone: string, t: number): number {
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of formatter(timeZone).formatToParts(t)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
    }
  }
  // the formatter drops milliseconds, so compare with the instant truncated to its second
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * Runs of one offset each: run k holds the instants [at[k], at[k + 1]) (at[0] is -Infinity, the
 * last run is open-ended) and reads them at `offset[k]`.
 */
export interface Timeline {
  readonly at: readonly number[];
  readonly offset: readonly number[];
}

/**
 * The zone's offsets over [from, to], sampled once a day and narrowed to the second where two
 * samples differ. Two changes within one day would be missed; no zone has done that in the tz
 * data's modern history, and offsets outside [from, to] are taken as the nearest sample's.
 */
export function timeline(timeZone: string, from: number, to: number): Timeline {
  const at: number[] = [Number.NEGATIVE_INFINITY];
  const offset: number[] = [offsetAt(timeZone, from)];
  let prevT = from;
  let prevO = offset[0]!;
  while (prevT < to) {
    const t = Math.min(prevT + DAY_MS, to);
    const o = offsetAt(timeZone, t);
    if (o !== prevO) {
      at.push(firstChange(timeZone, prevT, t, prevO));
      offset.push(o);
    }
    prevT = t;
    prevO = o;
  }
  return { at, offset };
}

/** The first whole second in (lo, hi] whose offset differs from `before` (bisection: ~17 steps a day). */
function firstChange(timeZone: string, lo: number, hi: number, before: number): number {
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = a + Math.floor((b - a) / 2);
    if (offsetAt(timeZone, mid * 1000) === before) a = mid;
    else b = mid;
  }
  return b * 1000;
}

/**
 * The first instant whose wall-clock reading is at or after `wall` (a local reading expressed as
 * ms since 1970-01-01T00:00 local). When the reading was skipped, that is the instant the clocks
 * went forward; when it happened twice, the first time.
 */
export function firstInstantAtOrAfter(tl: Timeline, wall: number): number {
  const n = tl.at.length;
  for (let k = 0; k < n; k++) {
    const o = tl.offset[k]!;
    const end = k + 1 < n ? tl.at[k + 1]! : Number.POSITIVE_INFINITY;
    // readings are increasing within a run, so the first run that reaches past `wall` holds the answer
    if (end + o > wall) {
      const start = tl.at[k]!;
      return start + o >= wall ? start : wall - o;
    }
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The end of the last stretch of instants whose reading is before `wall`: the instant the clock
 * shows `wall` for the last time, or the instant the clocks went forward over it.
 */
export function lastInstantBefore(tl: Timeline, wall: number): number {
  for (let k = tl.at.length - 1; k >= 0; k--) {
    const o = tl.offset[k]!;
    const start = tl.at[k]!;
    if (start + o < wall) {
      const end = k + 1 < tl.at.length ? tl.at[k + 1]! : Number.POSITIVE_INFINITY;
      return Math.min(end, wall - o);
    }
  }
  return Number.NEGATIVE_INFINITY;
}
