import { describe, expect, it } from 'vitest';
import { AgencyClock, type Span } from '../../src/platform/time/agency-clock.js';
import {
  freeSlots,
  LocalTimes,
  workingSpans,
  type HoursLine,
  type SlotSearch,
} from '../../src/modules/scheduling/appointments/slots.js';

const clock = new AgencyClock('America/Chicago');
const MINUTE = 60_000;

// ---- The implementation before the sweep (every candidate against every taken span, the clock
// asked afresh each time), kept verbatim as the reference the sweep must agree with.
function referenceSpans(hours: readonly HoursLine[], day: string): Span[] {
  const weekday = clock.weekdayOf(day);
  return hours
    .filter(
      (h) =>
        h.weekday === weekday &&
        (h.effective_from === null || h.effective_from <= day) &&
        (h.effective_to === null || day <= h.effective_to),
    )
    .map((h) => ({ start: clock.at(day, h.starts_at), end: clock.at(day, h.ends_at) }))
    .filter((s) => s.start < s.end)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
function referenceSlots(search: SlotSearch): Span[] {
  const slots: Span[] = [];
  const before = search.bufferBeforeMinutes * MINUTE;
  const length = search.durationMinutes * MINUTE;
  const after = search.bufferAfterMinutes * MINUTE;
  for (const day of search.days) {
    if (search.lastDay !== null && day > search.lastDay) break;
    for (const span of referenceSpans(search.hours, day)) {
      for (
        let t = span.start.getTime() + before;
        t + length + after <= span.end.getTime();
        t += search.stepMinutes * MINUTE
      ) {
        if (t < search.notBefore.getTime()) continue;
        const blocked = { start: new Date(t - before), end: new Date(t + length + after) };
        if (search.taken.some((taken) => overlaps(taken, blocked))) continue;
        slots.push({ start: new Date(t), end: new Date(t + length) });
      }
    }
  }
  return slots;
}

const iso = (spans: Span[]) => spans.map((s) => `${s.start.toISOString()}/${s.end.toISOString()}`);
const weekdays = (starts_at: string, ends_at: string): HoursLine[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday,
    starts_at,
    ends_at,
    effective_from: null,
    effective_to: null,
  }));
const span = (start: string, end: string): Span => ({ start: new Date(start), end: new Date(end) });
const search = (over: Partial<SlotSearch>): SlotSearch => ({
  clock,
  days: ['2027-01-05'],
  hours: weekdays('08:00', '17:00'),
  taken: [],
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  stepMinutes: 15,
  notBefore: new Date('2020-01-01T00:00:00Z'),
  lastDay: null,
  ...over,
});

/** Deterministic generator (mulberry32), so a failure names its seed and replays. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('free slots by sweep agree with the plain scan', () => {
  it('a booking that ends exactly where a candidate (with its buffer) starts does not block it; one ms more does', () => {
    // 08:00 Chicago on 2027-01-05 is 14:00Z; 30-minute type with 10-minute buffers either side.
    const base = { durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 10, stepMinutes: 15 };
    const touching = search({ ...base, taken: [span('2027-01-05T14:00:00Z', '2027-01-05T15:00:00Z')] });
    const starts = freeSlots(touching).map((s) => s.start.toISOString());
    // The 15:10 start's before-buffer begins at 15:00, where the booking ends: free.
    expect(starts).toContain('2027-01-05T15:10:00.000Z');
    expect(starts).not.toContain('2027-01-05T14:55:00.000Z');
    expect(iso(freeSlots(touching))).toEqual(iso(referenceSlots(touching)));
    const overlapping = search({
      ...base,
      taken: [span('2027-01-05T14:00:00Z', '2027-01-05T15:00:00.001Z')],
    });
    expect(freeSlots(overlapping).map((s) => s.start.toISOString())).not.toContain(
      '2027-01-05T15:10:00.000Z',
    );
    expect(iso(freeSlots(overlapping))).toEqual(iso(referenceSlots(overlapping)));
    // A booking starting exactly where the candidate's after-buffer ends does not block it either.
    const after = search({ ...base, taken: [span('2027-01-05T15:50:00Z', '2027-01-05T16:00:00Z')] });
    expect(freeSlots(after).map((s) => s.start.toISOString())).toContain('2027-01-05T15:10:00.000Z');
    expect(iso(freeSlots(after))).toEqual(iso(referenceSlots(after)));
  });

  it('a long hold that starts early blocks later candidates (the latest end, not the last start, decides)', () => {
    const s = search({
      taken: [
        span('2027-01-05T14:00:00Z', '2027-01-05T20:00:00Z'),
        span('2027-01-05T15:00:00Z', '2027-01-05T15:15:00Z'),
        span('2027-01-05T16:00:00Z', '2027-01-05T16:15:00Z'),
      ],
    });
    expect(freeSlots(s).map((x) => x.start.toISOString())).toEqual([
      '2027-01-05T20:00:00.000Z',
      '2027-01-05T20:15:00.000Z',
      '2027-01-05T20:30:00.000Z',
      '2027-01-05T20:45:00.000Z',
      '2027-01-05T21:00:00.000Z',
      '2027-01-05T21:15:00.000Z',
      '2027-01-05T21:30:00.000Z',
      '2027-01-05T21:45:00.000Z',
      '2027-01-05T22:00:00.000Z',
    ]);
    expect(iso(freeSlots(s))).toEqual(iso(referenceSlots(s)));
  });

  it('overlapping hours lines (candidates going back in time) and taken spans out of order', () => {
    const hours: HoursLine[] = [
      { weekday: 2, starts_at: '08:00', ends_at: '12:00', effective_from: null, effective_to: null },
      { weekday: 2, starts_at: '09:00', ends_at: '10:30', effective_from: null, effective_to: null },
      { weekday: 2, starts_at: '08:30', ends_at: '17:00', effective_from: null, effective_to: null },
    ];
    const s = search({
      hours,
      taken: [
        span('2027-01-05T19:00:00Z', '2027-01-05T19:30:00Z'),
        span('2027-01-05T16:00:00Z', '2027-01-05T16:15:00Z'),
        span('2027-01-05T14:00:00Z', '2027-01-05T14:00:00Z'),
      ],
    });
    // 09:00 local (15:00Z) is a start of each line; the 09:00–10:30 line's candidates come after
    // the 08:30 line's later ones: the hold at 10:00 local must not block its 09:00.
    expect(freeSlots(s).filter((x) => x.start.toISOString() === '2027-01-05T15:00:00.000Z')).toHaveLength(3);
    expect(iso(freeSlots(s))).toEqual(iso(referenceSlots(s)));
  });

  it('the working day keeps its wall-clock hours across both DST changes', () => {
    // Sunday 2027-03-14 (23 h) and Sunday 2027-11-07 (25 h): 00:00–24:00 and 01:00–03:00 hours.
    for (const hours of [
      weekdays('00:00', '24:00'),
      weekdays('01:00', '03:00'),
      weekdays('02:30', '04:00'),
    ]) {
      const s = search({ days: ['2027-03-13', '2027-03-14', '2027-11-07', '2027-11-08'], hours });
      expect(iso(freeSlots(s))).toEqual(iso(referenceSlots(s)));
    }
    const day = search({ days: ['2027-03-14'], hours: weekdays('00:00', '24:00'), durationMinutes: 60 });
    // 23 hours: 23 × 4 − 3 starts of an hour-long slot.
    expect(freeSlots(day)).toHaveLength(89);
  });

  it('the remembered clock gives the same working spans as asking the clock', () => {
    const times = new LocalTimes(clock);
    const hours = [
      ...weekdays('08:00', '17:00'),
      ...weekdays('02:30', '03:15'),
      ...weekdays('00:00', '24:00'),
    ];
    for (const day of clock.days('2027-03-10', '2027-03-16').concat(clock.days('2027-11-05', '2027-11-09'))) {
      const expected = iso(referenceSpans(hours, day));
      expect(iso(workingSpans(clock, hours, day))).toEqual(expected);
      expect(iso(workingSpans(times, hours, day))).toEqual(expected);
      expect(iso(workingSpans(times, hours, day))).toEqual(expected);
    }
  });

  it('the remembered ISO text of an instant is what toISOString gives, whole minute or not', () => {
    const times = new LocalTimes(clock);
    const instants = [
      Date.parse('2027-03-14T08:00:00Z'),
      Date.parse('2027-03-14T08:00:00.001Z'),
      Date.parse('2027-03-14T08:00:30Z'),
      Date.parse('1969-12-31T23:59:00Z'),
      0,
    ];
    for (const instant of [...instants, ...instants]) {
      expect(times.iso(instant)).toBe(new Date(instant).toISOString());
    }
  });

  it('randomized: 400 generated searches (DST weeks, buffers, touching and nested holds, cut-offs)', () => {
    const windows = [
      ['2027-03-10', '2027-03-18'],
      ['2027-11-03', '2027-11-10'],
      ['2027-01-04', '2027-01-12'],
    ] as const;
    const times = ['00:00', '01:00', '01:30', '02:00', '02:30', '03:00', '07:45', '08:00', '09:10', '12:00'];
    const ends = ['03:00', '10:00', '12:30', '13:00', '17:00', '17:05', '23:59', '24:00'];
    let nonEmpty = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rand = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const [from, to] = pick(windows);
      const days = clock.days(from, to);
      const hours: HoursLine[] = Array.from({ length: 1 + Math.floor(rand() * 10) }, () => ({
        weekday: 1 + Math.floor(rand() * 7),
        starts_at: pick(times),
        ends_at: pick(ends),
        effective_from: rand() < 0.2 ? pick(days) : null,
        effective_to: rand() < 0.2 ? pick(days) : null,
      }));
      const windowStart = clock.dayspan(from).start.getTime();
      const windowEnd = clock.dayspan(to).end.getTime();
      // Holds on 5-minute marks (so many touch candidates exactly), a few on odd milliseconds,
      // lengths from zero up; some nested, some inverted (start after end) as the plain scan allows.
      const taken: Span[] = Array.from({ length: Math.floor(rand() * 120) }, () => {
        const start =
          windowStart -
          3_600_000 +
          Math.floor(rand() * ((windowEnd - windowStart) / (5 * MINUTE))) * 5 * MINUTE;
        const jitter = rand() < 0.1 ? Math.floor(rand() * 3) - 1 : 0;
        const length = rand() < 0.05 ? -5 * MINUTE : Math.floor(rand() * 36) * 5 * MINUTE;
        return { start: new Date(start + jitter), end: new Date(start + length) };
      });
      const s: SlotSearch = {
        clock,
        days,
        hours,
        taken,
        durationMinutes: pick([15, 30, 45, 50, 60, 90]),
        bufferBeforeMinutes: pick([0, 0, 5, 10, 15]),
        bufferAfterMinutes: pick([0, 0, 5, 10, 30]),
        stepMinutes: pick([5, 10, 15, 15, 30, 60]),
        notBefore: new Date(windowStart + Math.floor(rand() * 3 * 86_400_000)),
        lastDay: rand() < 0.3 ? pick(days) : null,
      };
      const expected = iso(referenceSlots(s));
      if (expected.length > 0) nonEmpty++;
      expect(iso(freeSlots(s)), `seed ${seed}`).toEqual(expected);
      // The same with the clock answers shared across searches of one request.
      expect(iso(freeSlots({ ...s, times: new LocalTimes(clock) })), `seed ${seed}`).toEqual(expected);
    }
    // The generator makes searches that find slots, not only empty ones.
    expect(nonEmpty).toBeGreaterThan(200);
  });
});
