import type { AgencyClock, Span } from '../../../platform/time/agency-clock.js';

/** One line of a resource's working hours, local to the agency's zone. */
export interface HoursLine {
  weekday: number;
  starts_at: string;
  ends_at: string;
  effective_from: string | null;
  effective_to: string | null;
}

const MINUTE = 60_000;

/**
 * Wall-clock instants and weekdays already asked of a zone, shared by all requests: they are pure
 * functions of (zone, day, time) — the zone rules are fixed for the life of the process — and the
 * Temporal polyfill takes ~50 µs for each. By zone, then day, then 'HH:MM' (nested maps: the day
 * and time strings of a search are reused, so no key is built per lookup). Bounded: emptied when
 * it holds more than MAX_REMEMBERED days.
 */
interface RememberedDay {
  weekday: number;
  instants: Map<string, number>;
}
const REMEMBERED = new Map<string, Map<string, RememberedDay>>();
const MAX_REMEMBERED = 20_000;
let rememberedDays = 0;

/**
 * The agency clock's answers for one request, remembered: the weekday of a local day, the instant
 * of a wall-clock time on it (epoch ms) and instants as ISO text. A search asks the same
 * (day, 'HH:MM') for every provider with the same hours, and its slots repeat the same instants.
 */
export class LocalTimes {
  /** ISO texts by whole minute (small integers: fast keys), and of any other instant. */
  private readonly isoByMinute = new Map<number, string>();
  private readonly isoOther = new Map<number, string>();

  constructor(readonly clock: AgencyClock) {}

  weekdayOf(day: string): number {
    return this.day(day).weekday;
  }

  /** `clock.at(day, time)` as epoch ms. */
  at(day: string, time: string): number {
    const remembered = this.day(day);
    let instant = remembered.instants.get(time);
    if (instant === undefined) {
      instant = this.clock.at(day, time).getTime();
      remembered.instants.set(time, instant);
    }
    return instant;
  }

  /** An instant as `Date.toISOString()` gives it (the same instants recur for every provider). */
  iso(instant: number): string {
    const minute = instant / 60_000;
    const cache = Number.isInteger(minute) ? this.isoByMinute : this.isoOther;
    const key = cache === this.isoByMinute ? minute : instant;
    let text = cache.get(key);
    if (text === undefined) {
      text = new Date(instant).toISOString();
      cache.set(key, text);
    }
    return text;
  }

  private day(day: string): RememberedDay {
    let zone = REMEMBERED.get(this.clock.timeZone);
    if (!zone) {
      zone = new Map();
      REMEMBERED.set(this.clock.timeZone, zone);
    }
    let remembered = zone.get(day);
    if (!remembered) {
      const weekday = this.clock.weekdayOf(day);
      if (rememberedDays >= MAX_REMEMBERED) {
        REMEMBERED.clear();
        rememberedDays = 0;
        zone = new Map();
        REMEMBERED.set(this.clock.timeZone, zone);
      }
      remembered = { weekday, instants: new Map() };
      zone.set(day, remembered);
      rememberedDays++;
    }
    return remembered;
  }
}

/** A span as epoch ms, start inclusive, end exclusive. */
interface MsSpan {
  start: number;
  end: number;
}

function workingSpansMs(times: LocalTimes, hours: readonly HoursLine[], day: string): MsSpan[] {
  const weekday = times.weekdayOf(day);
  const spans: MsSpan[] = [];
  for (const h of hours) {
    if (h.weekday !== weekday) continue;
    if (h.effective_from !== null && h.effective_from > day) continue;
    if (h.effective_to !== null && day > h.effective_to) continue;
    const start = times.at(day, h.starts_at);
    const end = times.at(day, h.ends_at);
    if (start < end) spans.push({ start, end });
  }
  // Stable, like the Date sort it replaces: equal starts keep the hours' order.
  return spans.sort((a, b) => a.start - b.start);
}

/** The resource's working spans on a local day (hours effective that day), as instants. */
export function workingSpans(
  clock: AgencyClock | LocalTimes,
  hours: readonly HoursLine[],
  day: string,
): Span[] {
  const times = clock instanceof LocalTimes ? clock : new LocalTimes(clock);
  return workingSpansMs(times, hours, day).map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
}

export const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
export const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

export interface SlotSearch {
  clock: AgencyClock;
  /** The request's remembered clock answers, shared by every provider of one search. */
  times?: LocalTimes | undefined;
  days: readonly string[];
  hours: readonly HoursLine[];
  /** Leave, holidays, closures and bookings that hold the resource. */
  taken: readonly Span[];
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  stepMinutes: number;
  /** No slot starts before this instant (now). */
  notBefore: Date;
  /** The last local day the resource may be booked (a credential expires after it); null: no limit. */
  lastDay: string | null;
}

/**
 * Taken spans as an index answering "does anything taken overlap [from, to)?" exactly as
 * `taken.some((x) => overlaps(x, {start: from, end: to}))` would, for any spans (touching,
 * nested, empty or inverted ones included): some x has x.start < to and from < x.end exactly when
 * the latest end among the spans starting before `to` is after `from`. Starts are sorted once;
 * `maxEnd[i]` is the latest end among the first i + 1. Queries with non-decreasing `to` (the usual
 * order of candidates) move one pointer forward; a smaller `to` restarts it by binary search.
 */
class TakenIndex {
  private readonly starts: Float64Array;
  private readonly maxEnd: Float64Array;
  /** How many spans start before the last query's `to`. */
  private count = 0;
  private lastTo = -Infinity;

  constructor(taken: readonly Span[]) {
    const sorted = taken
      .map((x) => ({ start: x.start.getTime(), end: x.end.getTime() }))
      // An invalid date compares false with everything: such a span overlaps nothing.
      .filter((x) => !Number.isNaN(x.start) && !Number.isNaN(x.end))
      .sort((a, b) => a.start - b.start);
    this.starts = new Float64Array(sorted.length);
    this.maxEnd = new Float64Array(sorted.length);
    let max = -Infinity;
    sorted.forEach((x, i) => {
      max = Math.max(max, x.end);
      this.starts[i] = x.start;
      this.maxEnd[i] = max;
    });
  }

  overlaps(from: number, to: number): boolean {
    const n = this.starts.length;
    if (to < this.lastTo) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((this.starts[mid] as number) < to) lo = mid + 1;
        else hi = mid;
      }
      this.count = lo;
    } else {
      while (this.count < n && (this.starts[this.count] as number) < to) this.count++;
    }
    this.lastTo = to;
    return this.count > 0 && (this.maxEnd[this.count - 1] as number) > from;
  }
}

/**
 * Free slots: start times every `stepMinutes` from the start of each working span, where the
 * appointment with its buffers fits inside the span and overlaps nothing taken.
 */
export function freeSlots(search: SlotSearch): Span[] {
  const slots: Span[] = [];
  eachFreeSlot(search, (start, end) => slots.push({ start: new Date(start), end: new Date(end) }));
  return slots;
}

/** `freeSlots` as epoch ms, handed to `visit` in order, without building Dates. */
export function eachFreeSlot(search: SlotSearch, visit: (start: number, end: number) => void): void {
  const before = search.bufferBeforeMinutes * MINUTE;
  const length = search.durationMinutes * MINUTE;
  const after = search.bufferAfterMinutes * MINUTE;
  const step = search.stepMinutes * MINUTE;
  const notBefore = search.notBefore.getTime();
  const times = search.times ?? new LocalTimes(search.clock);
  const taken = new TakenIndex(search.taken);
  for (const day of search.days) {
    if (search.lastDay !== null && day > search.lastDay) break;
    for (const span of workingSpansMs(times, search.hours, day)) {
      for (let t = span.start + before; t + length + after <= span.end; t += step) {
        if (t < notBefore) continue;
        if (taken.overlaps(t - before, t + length + after)) continue;
        visit(t, t + length);
      }
    }
  }
}
