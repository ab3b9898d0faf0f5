import { describe, expect, it } from 'vitest';
import { reminderTimes } from '../../src/modules/scheduling/appointments/reminder-schedule.js';

const CHICAGO = 'America/Chicago';

describe('reminder times from the reminder policy', () => {
  it('72 h and 24 h before a Tuesday 09:00 CST appointment', () => {
    expect(
      reminderTimes({
        startsAt: '2026-11-10T15:00:00Z',
        zone: CHICAGO,
        leads: [{ hoursBefore: 24 }, { hoursBefore: 72 }],
        now: '2026-11-01T00:00:00Z',
      }),
    ).toEqual(['2026-11-07T15:00:00.000Z', '2026-11-09T15:00:00.000Z']);
  });

  it('"the business day before at 10:00" for a Monday appointment is Friday 10:00 local', () => {
    expect(
      reminderTimes({
        startsAt: '2026-11-16T15:00:00Z', // Monday 09:00 CST
        zone: CHICAGO,
        leads: [{ businessDaysBefore: 1, atLocalTime: '10:00' }],
        now: '2026-11-01T00:00:00Z',
      }),
    ).toEqual(['2026-11-13T16:00:00.000Z']);
  });

  it('across spring-forward: hours are elapsed time, the business-day reminder stays at 10:00 local', () => {
    expect(
      reminderTimes({
        startsAt: '2027-03-15T14:00:00Z', // Monday 09:00 CDT; DST began Sunday 14 March
        zone: CHICAGO,
        leads: [{ hoursBefore: 72 }, { hoursBefore: 24 }, { businessDaysBefore: 1, atLocalTime: '10:00' }],
        now: '2027-03-01T00:00:00Z',
      }),
    ).toEqual([
      '2027-03-12T14:00:00.000Z', // 72 h: Friday 08:00 CST
      '2027-03-12T16:00:00.000Z', // Friday 10:00 CST
      '2027-03-14T14:00:00.000Z', // 24 h: Sunday 09:00 CDT
    ]);
  });

  it('reminders landing on the same instant are sent once', () => {
    expect(
      reminderTimes({
        startsAt: '2026-11-02T15:00:00Z', // Monday 09:00 CST, the day after fall-back
        zone: CHICAGO,
        leads: [{ hoursBefore: 72 }, { businessDaysBefore: 1, atLocalTime: '10:00' }, { hoursBefore: 72 }],
        now: '2026-10-01T00:00:00Z',
      }),
    ).toEqual(['2026-10-30T15:00:00.000Z']); // Friday 10:00 CDT = 72 h before
  });

  it('holidays are not business days', () => {
    expect(
      reminderTimes({
        startsAt: '2026-11-30T15:00:00Z', // Monday after Thanksgiving
        zone: CHICAGO,
        leads: [
          { businessDaysBefore: 1, atLocalTime: '10:00' },
          { businessDaysBefore: 2, atLocalTime: '15:30' },
        ],
        now: '2026-11-01T00:00:00Z',
        holidays: ['2026-11-26', '2026-11-27'],
      }),
    ).toEqual(['2026-11-24T21:30:00.000Z', '2026-11-25T16:00:00.000Z']);
  });

  it('reminders already in the past are dropped; one due exactly now is kept', () => {
    const input = {
      startsAt: '2026-11-10T15:00:00Z',
      zone: CHICAGO,
      leads: [{ hoursBefore: 72 }, { hoursBefore: 24 }],
    };
    expect(reminderTimes({ ...input, now: '2026-11-08T00:00:00Z' })).toEqual(['2026-11-09T15:00:00.000Z']);
    expect(reminderTimes({ ...input, now: '2026-11-09T15:00:00Z' })).toEqual(['2026-11-09T15:00:00.000Z']);
    expect(reminderTimes({ ...input, now: '2026-11-10T16:00:00Z' })).toEqual([]);
  });

  it('refuses a malformed lead rather than guessing', () => {
    expect(() =>
      reminderTimes({
        startsAt: '2026-11-10T15:00:00Z',
        zone: CHICAGO,
        leads: [{ businessDaysBefore: 1, atLocalTime: '10am' }],
        now: '2026-11-01T00:00:00Z',
      }),
    ).toThrow();
    expect(() =>
      reminderTimes({
        startsAt: '2026-11-10T15:00:00Z',
        zone: CHICAGO,
        leads: [{ hoursBefore: 0 }],
        now: '2026-11-01T00:00:00Z',
      }),
    ).toThrow();
  });
});
