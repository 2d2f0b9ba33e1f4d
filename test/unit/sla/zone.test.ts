/**
 * The two questions calendars ask of a zone, on a hand-made timeline first (no Intl), then on
 * real zones. Wall readings are written as ms since 1970-01-01T00:00 local, so `w('02:30')` is
 * 02:30 on 1970-01-01 local time.
 */
import { describe, expect, it } from 'vitest';
import { type Timeline, firstInstantAtOrAfter, isKnownTimeZone, lastInstantBefore, offsetAt, timeline } from '../../../shared/domain/sla';
import { HOUR, MIN } from './support';

const w = (hhmm: string) => Number(hhmm.slice(0, 2)) * HOUR + Number(hhmm.slice(3)) * MIN;

// UTC+1 until 01:00Z, then UTC+2 (the clock jumps from 02:00 to 03:00)
const FORWARD: Timeline = { at: [Number.NEGATIVE_INFINITY, HOUR], offset: [HOUR, 2 * HOUR] };
// UTC+2 until 01:00Z, then UTC+1 (the clock goes from 03:00 back to 02:00)
const BACK: Timeline = { at: [Number.NEGATIVE_INFINITY, HOUR], offset: [2 * HOUR, HOUR] };

describe('firstInstantAtOrAfter and lastInstantBefore on a hand-made timeline', () => {
  it('map ordinary readings both ways to the same instant', () => {
    // 01:30 at UTC+1 is 00:30Z; 04:00 at UTC+2 is 02:00Z
    expect(firstInstantAtOrAfter(FORWARD, w('01:30'))).toBe(30 * MIN);
    expect(lastInstantBefore(FORWARD, w('01:30'))).toBe(30 * MIN);
    expect(firstInstantAtOrAfter(FORWARD, w('04:00'))).toBe(2 * HOUR);
    expect(lastInstantBefore(FORWARD, w('04:00'))).toBe(2 * HOUR);
  });

  it('map a skipped reading to the instant the clocks went forward, both ways', () => {
    expect(firstInstantAtOrAfter(FORWARD, w('02:30'))).toBe(HOUR);
    expect(lastInstantBefore(FORWARD, w('02:30'))).toBe(HOUR);
    expect(firstInstantAtOrAfter(FORWARD, w('02:00'))).toBe(HOUR);
    expect(firstInstantAtOrAfter(FORWARD, w('03:00'))).toBe(HOUR);
  });

  it('map a repeated reading to its first occurrence as a start and its last as an end', () => {
    // 02:30 happens at 00:30Z (UTC+2) and again at 01:30Z (UTC+1)
    expect(firstInstantAtOrAfter(BACK, w('02:30'))).toBe(30 * MIN);
    expect(lastInstantBefore(BACK, w('02:30'))).toBe(HOUR + 30 * MIN);
    // 03:00 is read once, after the repeated hour (02:00Z); 02:00 first at 00:00Z
    expect(firstInstantAtOrAfter(BACK, w('03:00'))).toBe(2 * HOUR);
    expect(lastInstantBefore(BACK, w('03:00'))).toBe(2 * HOUR);
    expect(firstInstantAtOrAfter(BACK, w('02:00'))).toBe(0);
  });
});

describe('real zones', () => {
  it('offsets come from the runtime tz data', () => {
    expect(offsetAt('Europe/Berlin', Date.UTC(2025, 0, 15))).toBe(HOUR);
    expect(offsetAt('Europe/Berlin', Date.UTC(2025, 6, 15))).toBe(2 * HOUR);
    expect(offsetAt('Asia/Tehran', Date.UTC(2025, 6, 15))).toBe(3.5 * HOUR);
    expect(offsetAt('America/New_York', Date.UTC(2025, 6, 15, 12, 0, 0, 999))).toBe(-4 * HOUR);
    expect(offsetAt('UTC', Date.UTC(2025, 6, 15))).toBe(0);
  });

  it('timeline finds the changes to the second', () => {
    const tl = timeline('Europe/Berlin', Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1));
    expect(tl.at.slice(1).map((t) => new Date(t).toISOString())).toEqual(['2025-03-30T01:00:00.000Z', '2025-10-26T01:00:00.000Z']);
    expect(tl.offset).toEqual([HOUR, 2 * HOUR, HOUR]);
    expect(timeline('Asia/Tehran', Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1)).at).toHaveLength(1);
  });

  it('isKnownTimeZone', () => {
    expect(isKnownTimeZone('Australia/Sydney')).toBe(true);
    expect(isKnownTimeZone('Europe/Atlantis')).toBe(false);
  });
});
