/**
 * Documented examples with hand-checked answers. Each says how the answer was worked out, in
 * local time first and then in UTC (Berlin is UTC+1 in winter, UTC+2 in summer; Tehran UTC+3:30
 * since 2023; Sydney UTC+11 in its summer, UTC+10 in its winter; New York UTC-4 / UTC-5).
 */
import { describe, expect, it } from 'vitest';
import { type Calendar, TWENTY_FOUR_SEVEN, addWorkingTime, compileCalendar, isWorkingTime, nextWorkingMoment, segments, workingTimeBetween } from '../../../shared/domain/sla';
import { HOUR, MIN, at, calendar, iso, weekdays } from './support';

const add = (c: Calendar, start: string, ms: number) => iso(addWorkingTime(compileCalendar(c), at(start), ms));
const between = (c: Calendar, from: string, to: string) => workingTimeBetween(compileCalendar(c), at(from), at(to));
const ledger = (c: Calendar, from: string, to: string) => segments(compileCalendar(c), at(from), at(to)).map((s) => `${iso(s.from)} ${iso(s.to)} ${s.kind}`);

const BERLIN = calendar('Europe/Berlin', weekdays(['09:00', '17:00']));
const BERLIN_LUNCH = calendar('Europe/Berlin', weekdays(['09:00', '12:00'], ['13:00', '17:00']));

describe('Monday to Friday 09:00-17:00 in Berlin', () => {
  it('8 working hours from Friday 15:00 end on Monday 15:00', () => {
    // Fri 2025-06-13 15:00-17:00 is 2 h; the weekend does not count; Mon 16 09:00-15:00 is 6 h.
    // 15:00 CEST = 13:00Z both days.
    expect(add(BERLIN, '2025-06-13T13:00:00Z', 8 * HOUR)).toBe('2025-06-16T13:00:00.000Z');
  });

  it('with the Monday a holiday (Whit Monday 2025-06-09) they end on Tuesday 15:00', () => {
    // Fri 06-06 15:00-17:00 is 2 h; Sat, Sun, and Mon 09 (holiday) do not count; Tue 10 09:00-15:00 is 6 h.
    const c = calendar('Europe/Berlin', weekdays(['09:00', '17:00']), ['2025-06-09']);
    expect(add(c, '2025-06-06T13:00:00Z', 8 * HOUR)).toBe('2025-06-10T13:00:00.000Z');
    // the ledger: 2 h working, Friday evening and the weekend outside hours, the whole local Monday
    // (Sun 22:00Z to Mon 22:00Z) a holiday, Monday night outside hours, Tuesday morning working
    expect(ledger(c, '2025-06-06T13:00:00Z', '2025-06-10T13:00:00Z')).toEqual([
      '2025-06-06T13:00:00.000Z 2025-06-06T15:00:00.000Z working',
      '2025-06-06T15:00:00.000Z 2025-06-08T22:00:00.000Z outside_hours',
      '2025-06-08T22:00:00.000Z 2025-06-09T22:00:00.000Z holiday',
      '2025-06-09T22:00:00.000Z 2025-06-10T07:00:00.000Z outside_hours',
      '2025-06-10T07:00:00.000Z 2025-06-10T13:00:00.000Z working',
    ]);
  });

  it('a start on Saturday 10:00 counts from Monday 09:00', () => {
    // Sat 2025-06-14 10:00 is outside hours; the clock starts Mon 16 09:00, + 3 h = 12:00 CEST = 10:00Z
    expect(add(BERLIN, '2025-06-14T08:00:00Z', 3 * HOUR)).toBe('2025-06-16T10:00:00.000Z');
    expect(iso(nextWorkingMoment(compileCalendar(BERLIN), at('2025-06-14T08:00:00Z')))).toBe('2025-06-16T07:00:00.000Z');
  });

  it('a deadline that uses up the day exactly is the closing time, not the next opening', () => {
    // Fri 2025-06-13 09:00 + 8 h = Fri 17:00 CEST = 15:00Z
    expect(add(BERLIN, '2025-06-13T07:00:00Z', 8 * HOUR)).toBe('2025-06-13T15:00:00.000Z');
    // at 17:00 it is no longer working time (intervals are half-open), so 1 more hour is Mon 10:00
    expect(isWorkingTime(compileCalendar(BERLIN), at('2025-06-13T15:00:00Z'))).toBe(false);
    expect(add(BERLIN, '2025-06-13T15:00:00Z', HOUR)).toBe('2025-06-16T08:00:00.000Z');
    // nothing to add: the start itself, even outside hours (Sat 10:00)
    expect(add(BERLIN, '2025-06-14T08:00:00Z', 0)).toBe('2025-06-14T08:00:00.000Z');
  });

  it('a deadline across the last Sunday of March (clocks go forward 02:00 -> 03:00)', () => {
    // Fri 2025-03-28 13:00 CET (12:00Z): 13:00-17:00 is 4 h; Mon 31 09:00-13:00 CEST is 4 h -> 11:00Z.
    // 71 real hours later, though the wall clock moved 72.
    expect(add(BERLIN, '2025-03-28T12:00:00Z', 8 * HOUR)).toBe('2025-03-31T11:00:00.000Z');
  });

  it('a deadline across the last Sunday of October (clocks go back 03:00 -> 02:00)', () => {
    // Fri 2025-10-24 13:00 CEST (11:00Z): 4 h on Friday; Mon 27 09:00-13:00 CET is 4 h -> 12:00Z (73 real hours)
    expect(add(BERLIN, '2025-10-24T11:00:00Z', 8 * HOUR)).toBe('2025-10-27T12:00:00.000Z');
  });

  it('the 31 December 16:00 start of a 4-hour target, with 1 January a holiday', () => {
    // Wed 2025-12-31 16:00-17:00 CET is 1 h; Thu 2026-01-01 is a holiday; Fri 02 09:00-12:00 is 3 h
    // -> Fri 12:00 CET = 11:00Z, across the year boundary
    const c = calendar('Europe/Berlin', weekdays(['09:00', '17:00']), ['2026-01-01']);
    expect(add(c, '2025-12-31T15:00:00Z', 4 * HOUR)).toBe('2026-01-02T11:00:00.000Z');
    expect(between(c, '2025-12-31T15:00:00Z', '2026-01-02T11:00:00Z')).toBe(4 * HOUR);
  });
});

describe('a lunch break 12:00-13:00 in Berlin', () => {
  it('is skipped', () => {
    // Mon 2025-06-16 10:00: 10:00-12:00 is 2 h, 13:00-15:00 is 2 h -> 15:00 CEST = 13:00Z
    expect(add(BERLIN_LUNCH, '2025-06-16T08:00:00Z', 4 * HOUR)).toBe('2025-06-16T13:00:00.000Z');
    // 11:30 + 1 h: 30 min before lunch, 30 min after -> 13:30 CEST = 11:30Z
    expect(add(BERLIN_LUNCH, '2025-06-16T09:30:00Z', HOUR)).toBe('2025-06-16T11:30:00.000Z');
    // a start during lunch (12:15) counts from 13:00 -> 14:00 CEST = 12:00Z
    expect(add(BERLIN_LUNCH, '2025-06-16T10:15:00Z', HOUR)).toBe('2025-06-16T12:00:00.000Z');
    // 8 h from Mon 10:00: Monday holds 2 + 4 = 6 h; Tue 09:00-11:00 the other 2 -> 09:00Z
    expect(add(BERLIN_LUNCH, '2025-06-16T08:00:00Z', 8 * HOUR)).toBe('2025-06-17T09:00:00.000Z');
  });

  it('shows in the ledger', () => {
    expect(ledger(BERLIN_LUNCH, '2025-06-16T08:00:00Z', '2025-06-16T13:00:00Z')).toEqual([
      '2025-06-16T08:00:00.000Z 2025-06-16T10:00:00.000Z working',
      '2025-06-16T10:00:00.000Z 2025-06-16T11:00:00.000Z outside_hours',
      '2025-06-16T11:00:00.000Z 2025-06-16T13:00:00.000Z working',
    ]);
  });
});

describe('working time is real elapsed time within the wall-clock intervals (DST nights in Berlin)', () => {
  const sundayNight = (start: string, end: string) => calendar('Europe/Berlin', { sun: [[start, end]] });

  it('01:00-03:00 holds 1 hour on the night clocks go forward and 3 on the night they go back', () => {
    // 2025-03-30: 01:00 CET = 00:00Z; the clock reads 03:00 (CEST) at 01:00Z -> 1 h
    expect(between(sundayNight('01:00', '03:00'), '2025-03-29T00:00:00Z', '2025-03-31T00:00:00Z')).toBe(HOUR);
    // 2025-10-26: 01:00 CEST = 23:00Z (25th); the clock reads 03:00 (CET, after 02:00-03:00 twice) at 02:00Z -> 3 h
    expect(between(sundayNight('01:00', '03:00'), '2025-10-25T00:00:00Z', '2025-10-27T00:00:00Z')).toBe(3 * HOUR);
  });

  it('00:00-06:00 holds 5 hours in March and 7 in October; deadlines land on real instants', () => {
    const c = sundayNight('00:00', '06:00');
    // March: 00:00 CET = 23:00Z (29th) to 06:00 CEST = 04:00Z
    expect(between(c, '2025-03-29T00:00:00Z', '2025-03-31T00:00:00Z')).toBe(5 * HOUR);
    // 2 h from 00:00 CET: 23:00Z + 2 h = 01:00Z, which the clock shows as 03:00 CEST
    expect(add(c, '2025-03-29T23:00:00Z', 2 * HOUR)).toBe('2025-03-30T01:00:00.000Z');
    // October: 00:00 CEST = 22:00Z (25th) to 06:00 CET = 05:00Z
    expect(between(c, '2025-10-25T00:00:00Z', '2025-10-27T00:00:00Z')).toBe(7 * HOUR);
    // 3 h from 00:00 CEST: 01:00Z, the second time the clock shows 02:00
    expect(add(c, '2025-10-25T22:00:00Z', 3 * HOUR)).toBe('2025-10-26T01:00:00.000Z');
  });

  it('an interval inside the skipped hour does not happen that night', () => {
    // Sun 02:00-03:00 does not exist on 2025-03-30, so 30 min from Saturday end on Sun 04-06 02:30 CEST = 00:30Z
    expect(between(sundayNight('02:00', '03:00'), '2025-03-29T00:00:00Z', '2025-03-31T00:00:00Z')).toBe(0);
    expect(add(sundayNight('02:00', '03:00'), '2025-03-29T11:00:00Z', 30 * MIN)).toBe('2025-04-06T00:30:00.000Z');
  });

  it('a reading inside the repeated hour: a start means its first occurrence, an end its last', () => {
    // 2025-10-26, 02:30-06:00: from 02:30 CEST (00:30Z) to 06:00 CET (05:00Z) = 4.5 h
    expect(between(sundayNight('02:30', '06:00'), '2025-10-25T00:00:00Z', '2025-10-27T00:00:00Z')).toBe(4.5 * HOUR);
    // 00:00-02:30: from 00:00 CEST (22:00Z) to 02:30 CET (01:30Z) = 3.5 h
    expect(between(sundayNight('00:00', '02:30'), '2025-10-25T00:00:00Z', '2025-10-27T00:00:00Z')).toBe(3.5 * HOUR);
  });
});

describe('Tehran: a Saturday-Wednesday week with a Thursday half day', () => {
  const full: [string, string][] = [['08:00', '16:00']];
  const week = { sat: full, sun: full, mon: full, tue: full, wed: full, thu: [['08:00', '12:00']] as [string, string][] };
  const TEHRAN = calendar('Asia/Tehran', week);

  it('skips Friday', () => {
    // Wed 2025-06-18 14:00 (+03:30 = 10:30Z): Wed 14:00-16:00 is 2 h, Thu 08:00-12:00 is 4 h, Fri off,
    // Sat 21 08:00-12:00 the last 4 h -> 12:00 +03:30 = 08:30Z
    expect(add(TEHRAN, '2025-06-18T10:30:00Z', 10 * HOUR)).toBe('2025-06-21T08:30:00.000Z');
  });

  it('skips the Nowruz holidays', () => {
    // Thu 2025-03-20 10:00 (06:30Z): 10:00-12:00 is 2 h; Fri 21 to Mon 24 are Nowruz holidays;
    // Tue 25 08:00-12:00 the last 4 h -> 12:00 = 08:30Z
    const c = calendar('Asia/Tehran', week, ['2025-03-21', '2025-03-22', '2025-03-23', '2025-03-24']);
    expect(add(c, '2025-03-20T06:30:00Z', 6 * HOUR)).toBe('2025-03-25T08:30:00.000Z');
  });

  it('follows Node\'s tz data: daylight saving in 2022, none since 2023', () => {
    // Node's tz data: on 2022-03-22 (a Tuesday) the clock went from 00:00 to 01:00, and on 2022-09-21
    // (a Wednesday) from 24:00 back to 23:00. A whole-day Tuesday then holds 23 h and a whole-day
    // Wednesday 25 h; in 2023 (no more DST) 24 h each.
    const tuesday = calendar('Asia/Tehran', { tue: [['00:00', '24:00']] });
    const wednesday = calendar('Asia/Tehran', { wed: [['00:00', '24:00']] });
    expect(between(tuesday, '2022-03-19T00:00:00Z', '2022-03-25T00:00:00Z')).toBe(23 * HOUR);
    expect(between(wednesday, '2022-09-18T00:00:00Z', '2022-09-24T00:00:00Z')).toBe(25 * HOUR);
    expect(between(tuesday, '2023-03-18T00:00:00Z', '2023-03-24T00:00:00Z')).toBe(24 * HOUR);
    expect(between(wednesday, '2023-09-16T00:00:00Z', '2023-09-23T00:00:00Z')).toBe(24 * HOUR);
  });
});

describe('Sydney (southern hemisphere: clocks go back in April, forward in October)', () => {
  const SYDNEY = calendar('Australia/Sydney', weekdays(['09:00', '17:00']));
  it('across the first Sunday of April', () => {
    // Fri 2025-04-04 13:00 AEDT (02:00Z): 4 h Friday; Mon 07 09:00-13:00 AEST (+10) -> 03:00Z
    expect(add(SYDNEY, '2025-04-04T02:00:00Z', 8 * HOUR)).toBe('2025-04-07T03:00:00.000Z');
  });
  it('across the first Sunday of October', () => {
    // Fri 2025-10-03 13:00 AEST (03:00Z): 4 h Friday; Mon 06 09:00-13:00 AEDT (+11) -> 02:00Z
    expect(add(SYDNEY, '2025-10-03T03:00:00Z', 8 * HOUR)).toBe('2025-10-06T02:00:00.000Z');
  });
});

describe('New York: a night shift across the night clocks go back', () => {
  it('Saturday 22:00 to Sunday 06:00 holds 9 hours on 2025-11-01/02', () => {
    // Sat 22:00 EDT = 02:00Z, Sun 06:00 EST = 11:00Z (01:00-02:00 happened twice) -> 9 h
    const c = calendar('America/New_York', { sat: [['22:00', '24:00']], sun: [['00:00', '06:00']] });
    expect(between(c, '2025-11-01T12:00:00Z', '2025-11-03T00:00:00Z')).toBe(9 * HOUR);
    // 8 h from Sat 22:00 EDT (02:00Z) -> 10:00Z = 05:00 EST; the two days are one stretch in the ledger
    expect(add(c, '2025-11-02T02:00:00Z', 8 * HOUR)).toBe('2025-11-02T10:00:00.000Z');
    expect(ledger(c, '2025-11-02T02:00:00Z', '2025-11-02T10:00:00Z')).toEqual(['2025-11-02T02:00:00.000Z 2025-11-02T10:00:00.000Z working']);
  });
});

describe('a date that never happened', () => {
  it('Friday 2011-12-30 in Samoa (clocks went from Thursday 24:00 to Saturday 00:00) holds no working time', () => {
    // Thu 2011-12-29 13:00 (UTC-10 = 23:00Z): 13:00-17:00 is 4 h; Friday 30 does not exist; weekend;
    // Mon 2012-01-02 09:00-13:00 (UTC+14, DST) the other 4 h -> 13:00 = 2012-01-01T23:00Z
    const c = calendar('Pacific/Apia', weekdays(['09:00', '17:00']), ['2011-12-30']);
    expect(add(c, '2011-12-29T23:00:00Z', 8 * HOUR)).toBe('2012-01-01T23:00:00.000Z');
    // the missing holiday takes no time: Thursday evening runs straight into the weekend
    // (Thursday 17:00 is 03:00Z; Saturday 00:00 is 10:00Z)
    expect(ledger(c, '2011-12-30T03:00:00Z', '2011-12-30T12:00:00Z')).toEqual(['2011-12-30T03:00:00.000Z 2011-12-30T12:00:00.000Z outside_hours']);
  });
});

describe('24x7', () => {
  const c = compileCalendar(TWENTY_FOUR_SEVEN);
  it('adds 90 minutes across midnight and the year boundary', () => {
    expect(iso(addWorkingTime(c, at('2025-12-31T23:00:00Z'), 90 * MIN))).toBe('2026-01-01T00:30:00.000Z');
    expect(segments(c, at('2025-12-31T23:00:00Z'), at('2026-01-01T00:30:00Z')).map((s) => s.kind)).toEqual(['working']);
  });
  it('whole days written out in a DST zone count real time: 8 h across the spring-forward night', () => {
    // Sat 2025-03-29 22:00Z + 8 h = 06:00Z whatever the clocks in Berlin show
    const berlin = calendar('Europe/Berlin', { mon: [['00:00', '24:00']], sat: [['00:00', '24:00']], sun: [['00:00', '12:00'], ['12:00', '24:00']] }, ['2025-12-25']);
    expect(add(berlin, '2025-03-29T22:00:00Z', 8 * HOUR)).toBe('2025-03-30T06:00:00.000Z');
  });
});

describe('edges', () => {
  it('an interval until 24:00 counts up to midnight before a holiday', () => {
    // UTC, every day 00:00-04:00 and 20:00-24:00; Thu 2025-12-25 a holiday. From Wed 24 20:00:
    // 4 h until midnight, nothing on the 25th, Fri 26 00:00-02:00 the other 2 h
    const c = calendar('UTC', Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '04:00'], ['20:00', '24:00']]])), ['2025-12-25']);
    expect(add(c, '2025-12-24T20:00:00Z', 6 * HOUR)).toBe('2025-12-26T02:00:00.000Z');
  });

  it('refuses when there is no working time in the next 3 years', () => {
    // Mondays only, and every Monday from 2026 to 2029 a holiday: the first working moment after
    // 2026-01-01 would be Monday 2030-01-07, more than 3 years away
    const mondays: string[] = [];
    for (let t = Date.UTC(2026, 0, 5); t < Date.UTC(2030, 0, 1); t += 7 * 24 * HOUR) mondays.push(new Date(t).toISOString().slice(0, 10));
    const c = compileCalendar(calendar('UTC', { mon: [['09:00', '17:00']] }, mondays));
    expect(() => addWorkingTime(c, at('2026-01-01T00:00:00Z'), HOUR)).toThrow(/no working time in the 1098 days after/);
    expect(() => nextWorkingMoment(c, at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(workingTimeBetween(c, at('2026-01-01T00:00:00Z'), at('2028-01-01T00:00:00Z'))).toBe(0);
    // from mid-2027 the first working Monday (2030-01-07) is within 3 years
    expect(iso(addWorkingTime(c, at('2027-06-01T00:00:00Z'), HOUR))).toBe('2030-01-07T10:00:00.000Z');
  });

  it('refuses nonsense input with a clear error', () => {
    const c = compileCalendar(BERLIN);
    expect(() => addWorkingTime(c, new Date('nope'), HOUR)).toThrow(/start is not a valid date/);
    expect(() => addWorkingTime(c, at('2025-01-01T00:00:00Z'), -1)).toThrow(/>= 0/);
    expect(() => addWorkingTime(c, at('2025-01-01T00:00:00Z'), Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingTime(c, at('3001-01-01T00:00:00Z'), HOUR)).toThrow(/1900 to 2999/);
    expect(() => compileCalendar(calendar('Mars/Olympus', weekdays(['09:00', '17:00'])))).toThrow(/calendar is invalid/);
  });

  it('gives empty or zero answers for empty spans', () => {
    const c = compileCalendar(BERLIN);
    expect(workingTimeBetween(c, at('2025-06-16T10:00:00Z'), at('2025-06-16T09:00:00Z'))).toBe(0);
    expect(segments(c, at('2025-06-16T10:00:00Z'), at('2025-06-16T10:00:00Z'))).toEqual([]);
  });
});
