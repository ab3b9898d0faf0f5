import { describe, expect, it } from 'vitest';
import { expandSeries, parseRecurrence } from '../../api/src/modules/scheduling/appointments/recurrence.js';
import {
  buildRecurrence,
  defaultRepeat,
  describeRecurrence,
  type RepeatForm,
} from '../src/pages/scheduling/recurrence.js';
import { conflictReason, seriesConflictsOf } from '../src/pages/scheduling/seriesConflicts.js';

const CHICAGO = 'America/Chicago';
// Tuesday 8 December 2026, 09:00 in Chicago.
const FIRST_DATE = '2026-12-08';
const FIRST_START = '2026-12-08T15:00:00.000Z';

const weekly = (changes: Partial<RepeatForm> = {}): RepeatForm => ({
  ...defaultRepeat(FIRST_DATE),
  ...changes,
});
const rruleOf = (form: RepeatForm, date = FIRST_DATE): string => {
  const result = buildRecurrence(form, date);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.rrule;
};
/** The local dates the API books for a rule starting at FIRST_START. */
const datesOf = (rrule: string, firstStart = FIRST_START): string[] =>
  expandSeries({ rule: rrule, firstStart, durationMinutes: 60, zone: CHICAGO }).map((o) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: CHICAGO }).format(new Date(o.startsAt)),
  );

describe('the "Repeats" choices as an RRULE the API accepts', () => {
  it('starts as every week on the first appointment’s day, six times', () => {
    expect(defaultRepeat(FIRST_DATE)).toMatchObject({ frequency: 'weekly', days: ['TU'], count: '6' });
    expect(rruleOf(weekly())).toBe('FREQ=WEEKLY;BYDAY=TU;COUNT=6');
    expect(datesOf(rruleOf(weekly()))).toEqual([
      '2026-12-08',
      '2026-12-15',
      '2026-12-22',
      '2026-12-29',
      '2027-01-05',
      '2027-01-12',
    ]);
  });

  it('books weekly on chosen days, every N weeks, in weekday order whatever the order chosen', () => {
    const rrule = rruleOf(weekly({ days: ['TH', 'TU'], interval: '2', count: '4' }));
    expect(rrule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=4');
    expect(datesOf(rrule)).toEqual(['2026-12-08', '2026-12-10', '2026-12-22', '2026-12-24']);
  });

  it('books monthly on the day of the month or on its weekday of the month (a fifth one is the last)', () => {
    const byDay = rruleOf(weekly({ frequency: 'monthly', monthlyBy: 'day', count: '3' }));
    expect(byDay).toBe('FREQ=MONTHLY;BYMONTHDAY=8;COUNT=3');
    expect(datesOf(byDay)).toEqual(['2026-12-08', '2027-01-08', '2027-02-08']);
    const byWeekday = rruleOf(weekly({ frequency: 'monthly', monthlyBy: 'weekday', count: '3' }));
    expect(byWeekday).toBe('FREQ=MONTHLY;BYDAY=2TU;COUNT=3');
    expect(datesOf(byWeekday)).toEqual(['2026-12-08', '2027-01-12', '2027-02-09']);
    // Tuesday 29 December 2026 is the fifth Tuesday of its month: "the last Tuesday".
    const last = rruleOf(weekly({ frequency: 'monthly', monthlyBy: 'weekday', count: '2' }), '2026-12-29');
    expect(last).toBe('FREQ=MONTHLY;BYDAY=-1TU;COUNT=2');
    expect(datesOf(last, '2026-12-29T15:00:00.000Z')).toEqual(['2026-12-29', '2027-01-26']);
  });

  it('ends on a date (that local day included)', () => {
    const rrule = rruleOf(weekly({ ends: 'until', until: '2026-12-29' }));
    expect(rrule).toBe('FREQ=WEEKLY;BYDAY=TU;UNTIL=20261229');
    expect(datesOf(rrule)).toEqual(['2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29']);
  });

  it('every rule the form builds is one the API accepts with the first appointment as first start', () => {
    const forms: RepeatForm[] = [
      weekly(),
      weekly({ days: ['MO', 'TU', 'FR'], interval: '3', count: '50' }),
      weekly({ frequency: 'monthly', monthlyBy: 'day', interval: '2', count: '6' }),
      weekly({ frequency: 'monthly', monthlyBy: 'weekday', ends: 'until', until: '2027-12-07' }),
      weekly({ ends: 'until', until: '2027-12-07' }),
    ];
    for (const form of forms) {
      const result = parseRecurrence(rruleOf(form), { series: { firstStart: FIRST_START, zone: CHICAGO } });
      expect(result, JSON.stringify(form)).toMatchObject({ ok: true });
    }
  });

  it('says what to correct, by field, instead of building a rule the API would refuse', () => {
    const errors = (form: RepeatForm) => {
      const result = buildRecurrence(form, FIRST_DATE);
      return result.ok ? [] : result.errors.map((e) => e.field);
    };
    expect(errors(weekly({ days: [] }))).toEqual(['days']);
    // The first appointment's day must be one of the chosen days.
    const withoutFirst = buildRecurrence(weekly({ days: ['WE'] }), FIRST_DATE);
    expect(withoutFirst).toEqual({
      ok: false,
      errors: [{ field: 'days', message: 'Include Tuesday: the first appointment is on a Tuesday.' }],
    });
    expect(errors(weekly({ interval: '0' }))).toEqual(['interval']);
    expect(errors(weekly({ interval: '100' }))).toEqual(['interval']);
    expect(errors(weekly({ interval: 'two' }))).toEqual(['interval']);
    expect(errors(weekly({ count: '1' }))).toEqual(['count']);
    expect(errors(weekly({ count: '201' }))).toEqual(['count']);
    expect(errors(weekly({ ends: 'until', until: '' }))).toEqual(['until']);
    expect(errors(weekly({ ends: 'until', until: FIRST_DATE }))).toEqual(['until']);
    // A year on would end after the year the API allows (a date UNTIL covers its whole day).
    expect(errors(weekly({ ends: 'until', until: '2027-12-08' }))).toEqual(['until']);
    const tooLong = parseRecurrence('FREQ=WEEKLY;BYDAY=TU;UNTIL=20271208', {
      series: { firstStart: FIRST_START, zone: CHICAGO },
    });
    expect(tooLong.ok).toBe(false);
  });

  it('reads a rule back in words', () => {
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=TU;COUNT=6')).toBe('Every week on Tuesday, 6 times');
    expect(describeRecurrence('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;COUNT=10')).toBe(
      'Every 2 weeks on Monday, Wednesday and Friday, 10 times',
    );
    expect(describeRecurrence('FREQ=MONTHLY;BYDAY=-1TU;COUNT=3')).toBe(
      'Every month on the last Tuesday, 3 times',
    );
    expect(describeRecurrence('FREQ=MONTHLY;BYMONTHDAY=8;COUNT=3')).toBe('Every month on day 8, 3 times');
    expect(describeRecurrence('FREQ=WEEKLY;BYDAY=TU;UNTIL=20261229')).toMatch(
      /^Every week on Tuesday, until Dec 29, 2026$/,
    );
    // A date-time UNTIL (as a split writes it) is read as its local date: 04:00Z is the evening before.
    expect(describeRecurrence('FREQ=WEEKLY;UNTIL=20261230T040000Z', CHICAGO)).toMatch(/until Dec 29, 2026$/);
    expect(describeRecurrence('FREQ=YEARLY;COUNT=2')).toBe('FREQ=YEARLY;COUNT=2');
  });
});

describe('a 409 series-conflicts, read for the screen', () => {
  it('lists every conflicting occurrence, earliest first; other problems are not conflicts', () => {
    const problem = {
      type: 'https://ehrms.dev/problems/series-conflicts',
      title: 'Occurrences cannot be booked',
      status: 409,
      detail: '2 occurrences cannot be booked; nothing was booked.',
      conflicts: [
        {
          occurrenceStart: '2026-12-22T15:00:00.000Z',
          startsAt: '2026-12-22T15:00:00.000Z',
          endsAt: '2026-12-22T16:00:00.000Z',
          type: 'slot-unavailable',
          resourceId: 'r1',
          detail: 'Dana Rivera is already booked at that time.',
        },
        {
          occurrenceStart: '2026-12-15T15:00:00.000Z',
          startsAt: '2026-12-15T15:00:00.000Z',
          endsAt: '2026-12-15T16:00:00.000Z',
          type: 'resource-unavailable',
          resourceId: null,
          detail: 'The agency is closed.',
        },
        { detail: 'no start: left out' },
      ],
    };
    expect(seriesConflictsOf(problem)?.map((c) => [c.startsAt, c.type, c.resourceId])).toEqual([
      ['2026-12-15T15:00:00.000Z', 'resource-unavailable', null],
      ['2026-12-22T15:00:00.000Z', 'slot-unavailable', 'r1'],
    ]);
    const withoutList = { ...problem, conflicts: undefined };
    expect(seriesConflictsOf(withoutList)).toEqual([]);
    expect(
      seriesConflictsOf({ type: 'https://ehrms.dev/problems/slot-unavailable', title: 'Slot' }),
    ).toBeNull();
    expect(seriesConflictsOf(null)).toBeNull();
    expect(conflictReason('slot-unavailable')).toBe('Already booked');
    expect(conflictReason('provider-not-bookable')).toBe('Provider cannot be booked');
    expect(conflictReason('something-new')).toBe('Cannot be booked');
  });
});
