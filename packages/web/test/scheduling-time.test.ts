import { describe, expect, it } from 'vitest';
import {
  addDays,
  clockLabel,
  isoWeekday,
  localParts,
  mondayOf,
  parseClock,
  todayIn,
  zonedInstant,
} from '../src/pages/scheduling/time.js';

const CHICAGO = 'America/Chicago';

describe('agency-zone time helpers', () => {
  it('reads an instant as the wall clock of the agency zone, not the machine’s', () => {
    expect(localParts('2026-12-03T17:00:00Z', CHICAGO)).toEqual({ date: '2026-12-03', minutes: 11 * 60 });
    // 03:30 UTC is still the evening before in Chicago.
    expect(localParts('2026-12-04T03:30:00Z', CHICAGO)).toEqual({
      date: '2026-12-03',
      minutes: 21 * 60 + 30,
    });
    expect(localParts('2026-07-01T17:00:00Z', CHICAGO).minutes).toBe(12 * 60);
    expect(todayIn(CHICAGO, new Date('2026-12-04T03:30:00Z'))).toBe('2026-12-03');
  });

  it('turns a local day and time into the UTC instant, across daylight saving', () => {
    expect(zonedInstant('2026-12-03', 11 * 60, CHICAGO).toISOString()).toBe('2026-12-03T17:00:00.000Z');
    expect(zonedInstant('2026-07-01', 11 * 60, CHICAGO).toISOString()).toBe('2026-07-01T16:00:00.000Z');
    expect(zonedInstant('2026-12-03', 0, CHICAGO).toISOString()).toBe('2026-12-03T06:00:00.000Z');
    // Midnight after the spring-forward night: the day is 23 hours long.
    const start = zonedInstant('2026-03-08', 0, CHICAGO).getTime();
    const end = zonedInstant('2026-03-09', 0, CHICAGO).getTime();
    expect((end - start) / 3_600_000).toBe(23);
    // Fall back: 25 hours.
    expect(
      (zonedInstant('2026-11-02', 0, CHICAGO).getTime() - zonedInstant('2026-11-01', 0, CHICAGO).getTime()) /
        3_600_000,
    ).toBe(25);
    // A round trip holds for every quarter hour of an ordinary day.
    for (let m = 0; m < 24 * 60; m += 15) {
      expect(localParts(zonedInstant('2026-12-03', m, CHICAGO), CHICAGO)).toEqual({
        date: '2026-12-03',
        minutes: m,
      });
    }
  });

  it('does calendar arithmetic on dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2026-12-07')).toBe('2026-12-07');
    expect(clockLabel(13 * 60 + 5)).toBe('13:05');
    expect(parseClock('09:45')).toBe(585);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('nine')).toBeNull();
  });
});
