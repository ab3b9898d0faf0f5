import { describe, expect, it } from 'vitest';
import {
  expandSeries,
  formatRecurrence,
  parseRecurrence,
  splitSeries,
  type RecurrenceRule,
} from '../../src/modules/scheduling/appointments/recurrence.js';

const CHICAGO = 'America/Chicago';

function starts(
  rule: string,
  firstStart: string,
  extra: { exdates?: string[]; from?: string; to?: string } = {},
) {
  return expandSeries({ rule, firstStart, durationMinutes: 60, zone: CHICAGO, ...extra }).map(
    (o) => o.startsAt,
  );
}

function messages(rule: string, series?: { firstStart: string; zone: string }) {
  const result = parseRecurrence(rule, series ? { series } : {});
  if (result.ok) throw new Error(`expected ${rule} to be refused`);
  return result.errors;
}

describe('a weekly series keeps its local time across DST', () => {
  it('09:00 Tuesdays in Chicago move from 14:00Z to 15:00Z after the November fall-back', () => {
    expect(starts('FREQ=WEEKLY;BYDAY=TU;COUNT=3', '2026-10-27T14:00:00Z')).toEqual([
      '2026-10-27T14:00:00.000Z',
      '2026-11-03T15:00:00.000Z',
      '2026-11-10T15:00:00.000Z',
    ]);
  });

  it('09:00 Tuesdays move from 15:00Z to 14:00Z after the March spring-forward', () => {
    expect(starts('RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=2', '2027-03-09T15:00:00Z')).toEqual([
      '2027-03-09T15:00:00.000Z',
      '2027-03-16T14:00:00.000Z',
    ]);
  });

  it('each occurrence ends durationMinutes after it starts, in elapsed time', () => {
    const [first] = expandSeries({
      rule: 'FREQ=WEEKLY;COUNT=1',
      firstStart: '2026-10-27T14:00:00Z',
      durationMinutes: 50,
      zone: CHICAGO,
    });
    expect(first).toEqual({ startsAt: '2026-10-27T14:00:00.000Z', endsAt: '2026-10-27T14:50:00.000Z' });
  });
});

describe('local times that DST skips or repeats', () => {
  it('02:30 on the spring-forward day does not exist, so that occurrence moves forward to 03:30 CDT', () => {
    expect(starts('FREQ=DAILY;COUNT=3', '2027-03-13T08:30:00Z')).toEqual([
      '2027-03-13T08:30:00.000Z', // 02:30 CST
      '2027-03-14T08:30:00.000Z', // 03:30 CDT (02:30 skipped)
      '2027-03-15T07:30:00.000Z', // 02:30 CDT
    ]);
  });

  it('01:30 on the fall-back day happens twice; the occurrence takes the earlier (CDT) one', () => {
    expect(starts('FREQ=DAILY;COUNT=3', '2026-10-31T06:30:00Z')).toEqual([
      '2026-10-31T06:30:00.000Z', // 01:30 CDT
      '2026-11-01T06:30:00.000Z', // first 01:30, CDT
      '2026-11-02T07:30:00.000Z', // 01:30 CST
    ]);
  });

  it('a series whose first start is the second 01:30 keeps that exact instant for its first occurrence', () => {
    expect(starts('FREQ=DAILY;COUNT=2', '2026-11-01T07:30:00Z')).toEqual([
      '2026-11-01T07:30:00.000Z',
      '2026-11-02T07:30:00.000Z',
    ]);
  });
});

describe('rule parts', () => {
  it('MONTHLY BYDAY=2TU is the second Tuesday of each month', () => {
    expect(starts('FREQ=MONTHLY;BYDAY=2TU;COUNT=5', '2026-12-08T16:00:00Z')).toEqual([
      '2026-12-08T16:00:00.000Z',
      '2027-01-12T16:00:00.000Z',
      '2027-02-09T16:00:00.000Z',
      '2027-03-09T16:00:00.000Z',
      '2027-04-13T15:00:00.000Z', // 10:00 CDT
    ]);
  });

  it('MONTHLY BYDAY=-1FR is the last Friday of each month', () => {
    expect(starts('FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', '2027-01-29T16:00:00Z')).toEqual([
      '2027-01-29T16:00:00.000Z',
      '2027-02-26T16:00:00.000Z',
      '2027-03-26T15:00:00.000Z',
    ]);
  });

  it('BYMONTHDAY=31 skips months without a 31st, as RFC 5545 says', () => {
    expect(starts('FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4', '2027-01-31T15:00:00Z')).toEqual([
      '2027-01-31T15:00:00.000Z',
      '2027-03-31T14:00:00.000Z',
      '2027-05-31T14:00:00.000Z',
      '2027-07-31T14:00:00.000Z',
    ]);
  });

  it('plain MONTHLY from the 31st skips short months too', () => {
    expect(starts('FREQ=MONTHLY;COUNT=2', '2027-01-31T15:00:00Z')).toEqual([
      '2027-01-31T15:00:00.000Z',
      '2027-03-31T14:00:00.000Z',
    ]);
  });

  it('INTERVAL=2 weekly on MO,WE runs every other week, aligned to the first start’s week', () => {
    expect(starts('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=5', '2027-01-04T15:00:00Z')).toEqual([
      '2027-01-04T15:00:00.000Z',
      '2027-01-06T15:00:00.000Z',
      '2027-01-18T15:00:00.000Z',
      '2027-01-20T15:00:00.000Z',
      '2027-02-01T15:00:00.000Z',
    ]);
    expect(starts('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=3', '2027-01-06T15:00:00Z')).toEqual([
      '2027-01-06T15:00:00.000Z',
      '2027-01-18T15:00:00.000Z',
      '2027-01-20T15:00:00.000Z',
    ]);
  });

  it('DAILY with BYDAY keeps only those weekdays', () => {
    expect(starts('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=3', '2027-01-08T15:00:00Z')).toEqual([
      '2027-01-08T15:00:00.000Z',
      '2027-01-11T15:00:00.000Z',
      '2027-01-12T15:00:00.000Z',
    ]);
  });

  it('UNTIL as a UTC date-time is inclusive; UNTIL as a date covers that local day', () => {
    expect(starts('FREQ=DAILY;UNTIL=20270107T150000Z', '2027-01-04T15:00:00Z')).toHaveLength(4);
    expect(starts('FREQ=DAILY;UNTIL=20270107T145959Z', '2027-01-04T15:00:00Z')).toHaveLength(3);
    expect(starts('FREQ=DAILY;UNTIL=20270106', '2027-01-04T15:00:00Z')).toEqual([
      '2027-01-04T15:00:00.000Z',
      '2027-01-05T15:00:00.000Z',
      '2027-01-06T15:00:00.000Z',
    ]);
  });

  it('exdates are removed, and COUNT still counts them', () => {
    expect(
      starts('FREQ=DAILY;COUNT=4', '2027-01-04T15:00:00Z', { exdates: ['2027-01-05T09:00:00-06:00'] }),
    ).toEqual(['2027-01-04T15:00:00.000Z', '2027-01-06T15:00:00.000Z', '2027-01-07T15:00:00.000Z']);
  });

  it('from (inclusive) and to (exclusive) filter the occurrences by start', () => {
    expect(
      starts('FREQ=DAILY;COUNT=5', '2027-01-04T15:00:00Z', {
        from: '2027-01-05T15:00:00Z',
        to: '2027-01-07T15:00:00Z',
      }),
    ).toEqual(['2027-01-05T15:00:00.000Z', '2027-01-06T15:00:00.000Z']);
  });

  it('a trailing semicolon is tolerated', () => {
    expect(parseRecurrence('FREQ=DAILY;COUNT=2;').ok).toBe(true);
  });

  it('a parsed rule formats back to canonical text', () => {
    const result = parseRecurrence('rrule:freq=monthly;bymonthday=1,-1;interval=3;until=20271231T000000Z');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(formatRecurrence(result.rule)).toBe(
        'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1,-1;UNTIL=20271231T000000Z',
      );
    }
  });
});

describe('rules outside the supported subset are refused with the part named', () => {
  it.each([
    ['FREQ=SECONDLY;COUNT=3', /FREQ=SECONDLY is not supported/],
    ['FREQ=YEARLY;COUNT=3', /FREQ=YEARLY is not supported/],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1;COUNT=3', /BYSETPOS is not supported/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z', /COUNT and UNTIL must not both be given/],
    ['FREQ=DAILY;COUNT=201', /COUNT=201 is over the limit of 200/],
    ['FREQ=DAILY', /the series must end: give COUNT \(at most 200\) or UNTIL/],
    ['FREQ=WEEKLY;BYDAY=2TU;COUNT=3', /BYDAY=2TU: a numbered weekday is only supported with FREQ=MONTHLY/],
    ['FREQ=MONTHLY;BYDAY=6TU;COUNT=3', /BYDAY=6TU: the number must be 1 to 5/],
    ['FREQ=WEEKLY;BYMONTHDAY=3;COUNT=3', /BYMONTHDAY is only supported with FREQ=MONTHLY/],
    ['FREQ=MONTHLY;BYMONTHDAY=32;COUNT=3', /BYMONTHDAY value "32"/],
    ['FREQ=DAILY;INTERVAL=0;COUNT=3', /INTERVAL=0 must be between 1 and 99/],
    ['FREQ=DAILY;UNTIL=2027-01-01;', /UNTIL=2027-01-01 must be a date/],
    ['FREQ=DAILY;COUNT=3;X-NAME=1', /X-NAME is not an RRULE part/],
    ['FREQ=DAILY;COUNT=3;COUNT=4', /COUNT is given more than once/],
    ['COUNT=3', /FREQ is required/],
    ['', /RRULE is empty/],
  ])('%s', (rule, message) => {
    const errors = messages(rule);
    expect(errors.every((e) => e.field === 'body.recurrence')).toBe(true);
    expect(errors.map((e) => e.message).join('\n')).toMatch(message);
  });

  it('every problem in a rule is reported, not just the first', () => {
    expect(messages('FREQ=HOURLY;BYSETPOS=1;COUNT=999')).toHaveLength(3);
  });

  it('the field name can be chosen by the caller', () => {
    const result = parseRecurrence('FREQ=SECONDLY', { field: 'body.series.rrule' });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toContain('body.series.rrule');
  });
});

describe('a rule checked against its series', () => {
  const series = { firstStart: '2026-10-27T14:00:00Z', zone: CHICAGO };

  it('accepts a rule whose first start is an occurrence', () => {
    expect(parseRecurrence('FREQ=WEEKLY;BYDAY=TU;UNTIL=20270427T140000Z', { series }).ok).toBe(true);
  });

  it('refuses UNTIL more than a year after the first start', () => {
    expect(messages('FREQ=WEEKLY;UNTIL=20271028T000000Z', series)[0]?.message).toMatch(/more than one year/);
  });

  it('refuses UNTIL before the first start', () => {
    expect(messages('FREQ=WEEKLY;UNTIL=20261026', series)[0]?.message).toMatch(/before the first start/);
  });

  it('refuses a rule that gives more than 200 occurrences within its year', () => {
    expect(messages('FREQ=DAILY;UNTIL=20271001T000000Z', series)[0]?.message).toMatch(
      /more than 200 occurrences/,
    );
  });

  it('refuses a COUNT that runs past one year', () => {
    expect(messages('FREQ=MONTHLY;COUNT=14', series)[0]?.message).toMatch(/spans more than one year/);
  });

  it('refuses a first start on a day the rule does not select', () => {
    expect(messages('FREQ=WEEKLY;BYDAY=MO;COUNT=3', series)[0]?.message).toMatch(
      /2026-10-27.*not a day the rule selects/,
    );
  });

  it('names the zone and first-start fields when those are wrong', () => {
    const badZone = parseRecurrence('FREQ=DAILY;COUNT=2', { series: { ...series, zone: 'Mars/Olympus' } });
    expect(badZone).toEqual({ ok: false, errors: [{ field: 'body.timeZone', message: expect.any(String) }] });
    const badStart = parseRecurrence('FREQ=DAILY;COUNT=2', {
      series: { firstStart: '2026-10-27 09:00', zone: CHICAGO, firstStartField: 'body.firstStart' },
    });
    expect(badStart.ok ? null : badStart.errors[0]?.field).toBe('body.firstStart');
  });

  it('expandSeries refuses a stored rule that would exceed the cap instead of truncating it', () => {
    expect(() => starts('FREQ=DAILY;UNTIL=20271001T000000Z', '2026-10-27T14:00:00Z')).toThrow(
      /more than 200/,
    );
    expect(() => starts('FREQ=SECONDLY', '2026-10-27T14:00:00Z')).toThrow(RangeError);
  });
});

describe('splitting a series ("this and following")', () => {
  const first = '2026-10-27T14:00:00Z';

  it('with COUNT: the original keeps the occurrences before the split, the new part the remaining count', () => {
    const rule = 'FREQ=WEEKLY;BYDAY=TU;COUNT=6';
    const split = splitSeries(rule, first, '2026-11-10T15:00:00Z', CHICAGO);
    expect(split.before?.rrule).toBe('FREQ=WEEKLY;BYDAY=TU;COUNT=2');
    expect(split.after).toMatchObject({
      rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
      firstStart: '2026-11-10T15:00:00.000Z',
      wallTime: '09:00:00',
    });
    const whole = starts(rule, first);
    const before = starts(split.before?.rrule ?? '', first);
    const after = starts(split.after.rrule, split.after.firstStart);
    expect([...before, ...after]).toEqual(whole);
  });

  it('with UNTIL: the original ends at its last kept occurrence, the new part keeps the original UNTIL', () => {
    const rule = 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20261201T150000Z';
    const split = splitSeries(rule, first, '2026-11-17T15:00:00.000Z', CHICAGO);
    expect(split.before?.rrule).toBe('FREQ=WEEKLY;BYDAY=TU;UNTIL=20261110T150000Z');
    expect(split.after.rrule).toBe(rule);
    expect(starts(split.before?.rrule ?? '', first)).toHaveLength(3);
    expect(starts(split.after.rrule, split.after.firstStart)).toEqual([
      '2026-11-17T15:00:00.000Z',
      '2026-11-24T15:00:00.000Z',
      '2026-12-01T15:00:00.000Z',
    ]);
  });

  it('keeps an every-other-week rhythm when split on a mid-week occurrence', () => {
    const rule = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6';
    const jan4 = '2027-01-04T15:00:00Z';
    const split = splitSeries(rule, jan4, '2027-01-20T15:00:00Z', CHICAGO);
    expect([
      ...starts(split.before?.rrule ?? '', jan4),
      ...starts(split.after.rrule, split.after.firstStart),
    ]).toEqual(starts(rule, jan4));
  });

  it('splitting at the first occurrence leaves no original part', () => {
    const split = splitSeries('FREQ=DAILY;COUNT=3', first, first, CHICAGO);
    expect(split.before).toBeNull();
    expect(split.after.rule).toEqual<RecurrenceRule>({ freq: 'DAILY', interval: 1, wkst: 'MO', count: 3 });
  });

  it('a split at an occurrence moved by the DST gap keeps the series at 02:30 local', () => {
    const rule = 'FREQ=DAILY;COUNT=4';
    const mar12 = '2027-03-12T08:30:00Z';
    const split = splitSeries(rule, mar12, '2027-03-14T08:30:00Z', CHICAGO);
    expect(split.after.wallTime).toBe('02:30:00');
    const after = expandSeries({
      rule: split.after.rule,
      firstStart: split.after.firstStart,
      wallTime: split.after.wallTime,
      durationMinutes: 30,
      zone: CHICAGO,
    }).map((o) => o.startsAt);
    expect(after).toEqual(['2027-03-14T08:30:00.000Z', '2027-03-15T07:30:00.000Z']);
  });

  it('refuses a split point that is not an occurrence', () => {
    expect(() => splitSeries('FREQ=DAILY;COUNT=3', first, '2026-10-28T15:00:00Z', CHICAGO)).toThrow(
      /not an occurrence/,
    );
  });
});
