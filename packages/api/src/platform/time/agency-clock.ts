import { Temporal } from '@js-temporal/polyfill';

/** A span of time as UTC instants, start inclusive, end exclusive. */
export interface Span {
  start: Date;
  end: Date;
}

/**
 * Wall-clock arithmetic in the agency's zone (AGENCY_TIME_ZONE), DST-correct: a working day of
 * 08:00–17:00 is nine hours in winter and in summer, and a day with a DST change is 23 or 25
 * hours long. Instants are stored and exchanged in UTC; only hours and days are local. Every
 * "today" and "the day of an instant" in the API is this clock's (the platform module provides
 * one, built from AGENCY_TIME_ZONE): at 19:00 in Chicago on 30 November it is still 30 November,
 * though UTC has moved on.
 */
export class AgencyClock {
  constructor(readonly timeZone: string) {}

  /** The agency's calendar day at `now`, 'YYYY-MM-DD'. */
  today(now: Date = new Date()): string {
    return this.dayOf(now);
  }

  /** The local calendar day an instant falls on, 'YYYY-MM-DD'. */
  dayOf(instant: Date): string {
    return this.zoned(instant).toPlainDate().toString();
  }

  /** ISO weekday (1 Monday … 7 Sunday) of a local day. */
  weekdayOf(day: string): number {
    return Temporal.PlainDate.from(day).dayOfWeek;
  }

  /** Local days from `from` to `to`, both included. */
  days(from: string, to: string): string[] {
    const out: string[] = [];
    const last = Temporal.PlainDate.from(to);
    for (
      let d = Temporal.PlainDate.from(from);
      Temporal.PlainDate.compare(d, last) <= 0;
      d = d.add({ days: 1 })
    ) {
      out.push(d.toString());
    }
    return out;
  }

  /** Whole days from `from` to `to` (to − from). */
  daysBetween(from: string, to: string): number {
    return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
  }

  /**
   * The instant of a local wall-clock time ('HH:MM', '24:00' for the end of the day) on a day. A
   * time that does not exist (the skipped hour when clocks go forward) moves later, as people
   * read it; an ambiguous one (the repeated hour) takes the first.
   */
  at(day: string, time: string): Date {
    const date = Temporal.PlainDate.from(day);
    if (time === '24:00') return this.startOfDay(date.add({ days: 1 }).toString());
    const zdt = date.toZonedDateTime({ timeZone: this.timeZone, plainTime: Temporal.PlainTime.from(time) });
    return new Date(zdt.epochMilliseconds);
  }

  /** The local day as instants: midnight to the next midnight (23, 24 or 25 hours). */
  dayspan(day: string): Span {
    const next = Temporal.PlainDate.from(day).add({ days: 1 }).toString();
    return { start: this.startOfDay(day), end: this.startOfDay(next) };
  }

  private startOfDay(day: string): Date {
    const zdt = Temporal.PlainDate.from(day).toZonedDateTime({ timeZone: this.timeZone });
    return new Date(zdt.epochMilliseconds);
  }

  private zoned(instant: Date): Temporal.ZonedDateTime {
    return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(this.timeZone);
  }
}
