import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/domain/errors';
import { LIMITS, TWENTY_FOUR_SEVEN, assertValidCalendar, compileCalendar, validateCalendar } from '../../../shared/domain/sla';
import { calendar, weekdays } from './support';

const valid = () => calendar('Europe/Berlin', weekdays(['09:00', '12:00'], ['13:00', '17:00']), ['2025-12-25', '2025-12-26']) as unknown as Record<string, any>;
const issues = (c: unknown) => validateCalendar(c).map((i) => [i.path, i.code]);
const withWeek = (over: Record<string, unknown>) => ({ ...valid(), week: { ...valid().week, ...over } });

describe('validateCalendar accepts', () => {
  it('a realistic calendar, the 24x7 calendar, and days ending at 24:00', () => {
    expect(validateCalendar(valid())).toEqual([]);
    expect(validateCalendar(TWENTY_FOUR_SEVEN)).toEqual([]);
    expect(validateCalendar(calendar('Asia/Tehran', { sat: [['22:00', '24:00']], sun: [['00:00', '06:00']] }))).toEqual([]);
  });
  it('touching intervals (one ends when the next starts)', () => {
    expect(issues(withWeek({ mon: [{ start: '13:00', end: '17:00' }, { start: '09:00', end: '13:00' }] }))).toEqual([]);
  });
});

describe('validateCalendar refuses, with the exact path', () => {
  it.each([
    ['an unknown zone', { ...valid(), timeZone: 'Europe/Atlantis' }, 'timeZone', 'unknown_time_zone'],
    ['an offset instead of a zone', { ...valid(), timeZone: '+03:30' }, 'timeZone', 'unknown_time_zone'],
    ['a missing zone', { ...valid(), timeZone: undefined }, 'timeZone', 'required'],
    ['a blank name', { ...valid(), name: ' ' }, 'name', 'too_small'],
    ['a long id', { ...valid(), id: 'x'.repeat(LIMITS.idLength + 1) }, 'id', 'too_big'],
    ['an unknown property', { ...valid(), colour: 'red' }, 'colour', 'unknown_key'],
    ['a bad start time', withWeek({ tue: [{ start: '9:00', end: '17:00' }] }), 'week.tue[0].start', 'invalid_time'],
    ['24:00 as a start', withWeek({ tue: [{ start: '24:00', end: '24:00' }] }), 'week.tue[0].start', 'invalid_time'],
    ['minutes past 59', withWeek({ wed: [{ start: '09:00', end: '17:60' }] }), 'week.wed[0].end', 'invalid_time'],
    ['an end before the start', withWeek({ thu: [{ start: '17:00', end: '09:00' }] }), 'week.thu[0].end', 'empty_interval'],
    ['an end equal to the start', withWeek({ fri: [{ start: '09:00', end: '09:00' }] }), 'week.fri[0].end', 'empty_interval'],
    ['a time that is not text', withWeek({ sat: [{ start: 900, end: '17:00' }] }), 'week.sat[0].start', 'invalid_type'],
    ['a missing end', withWeek({ sun: [{ start: '09:00' }] }), 'week.sun[0].end', 'required'],
    ['an unknown interval property', withWeek({ mon: [{ start: '09:00', end: '17:00', kind: 'x' }] }), 'week.mon[0].kind', 'unknown_key'],
    ['an interval that is not an object', withWeek({ mon: ['09:00-17:00'] }), 'week.mon[0]', 'invalid_type'],
    ['a day that is not a list', withWeek({ mon: { start: '09:00', end: '17:00' } }), 'week.mon', 'invalid_type'],
    ['an unknown day', withWeek({ monday: [] }), 'week.monday', 'unknown_key'],
    ['a missing holiday list', { ...valid(), holidays: undefined }, 'holidays', 'required'],
    ['a holiday date that does not exist', { ...valid(), holidays: [{ date: '2025-02-29', name: 'Leap' }] }, 'holidays[0].date', 'invalid_date'],
    ['a holiday date in another format', { ...valid(), holidays: [{ date: '25.12.2025', name: 'Christmas' }] }, 'holidays[0].date', 'invalid_date'],
    ['a holiday without a name', { ...valid(), holidays: [{ date: '2025-12-25' }] }, 'holidays[0].name', 'required'],
  ])('%s', (_what, c, path, code) => {
    expect(issues(c)).toEqual([[path, code]]);
  });

  it('a missing day, naming it', () => {
    const c = valid();
    delete c.week.wed;
    expect(issues(c)).toEqual([['week.wed', 'required']]);
  });

  it('overlapping intervals on a day, at the later one in the list, naming the other', () => {
    const c = withWeek({ mon: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }, { start: '11:00', end: '14:00' }] });
    const found = validateCalendar(c);
    expect(found.map((i) => [i.path, i.code])).toEqual([
      ['week.mon[2]', 'overlap'],
      ['week.mon[2]', 'overlap'],
    ]);
    expect(found[0]!.message).toBe('11:00-14:00 overlaps week.mon[0] (09:00-12:00)');
    expect(found[1]!.message).toBe('11:00-14:00 overlaps week.mon[1] (13:00-17:00)');
  });

  it('duplicate holiday dates, at the second, naming the first', () => {
    const c = { ...valid(), holidays: [{ date: '2025-12-25', name: 'Christmas' }, { date: '2026-01-01', name: 'New Year' }, { date: '2025-12-25', name: 'Again' }] };
    const found = validateCalendar(c);
    expect(found.map((i) => [i.path, i.code])).toEqual([['holidays[2].date', 'duplicate']]);
    expect(found[0]!.message).toBe('2025-12-25 is already a holiday at holidays[0]');
  });

  it('a week without any working time', () => {
    expect(issues(calendar('UTC', {}))).toEqual([['week', 'no_working_time']]);
  });

  it('something that is not a calendar, and prefixes paths when asked', () => {
    expect(issues(null)).toEqual([['', 'invalid_type']]);
    expect(validateCalendar({ ...valid(), timeZone: 'Nowhere' }, { path: 'calendars[3]' }).map((i) => i.path)).toEqual(['calendars[3].timeZone']);
  });

  it('lists every issue at once', () => {
    const c = { ...valid(), timeZone: 'Nowhere', week: { ...valid().week, tue: [{ start: '18:00', end: '08:00' }] }, holidays: [{ date: 'soon', name: '' }] };
    expect(issues(c)).toEqual([
      ['timeZone', 'unknown_time_zone'],
      ['week.tue[0].end', 'empty_interval'],
      ['holidays[0].name', 'too_small'],
      ['holidays[0].date', 'invalid_date'],
    ]);
  });

  it('compileCalendar and assertValidCalendar throw a validation DomainError with the issues', () => {
    const c = { ...valid(), timeZone: 'Nowhere' };
    expect(() => assertValidCalendar(c)).toThrow(DomainError);
    try {
      compileCalendar(c as never);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).kind).toBe('validation');
      expect((e as DomainError).errors.map((i) => i.path)).toEqual(['timeZone']);
    }
  });
});
