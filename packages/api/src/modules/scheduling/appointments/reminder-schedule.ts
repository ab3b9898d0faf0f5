import { Temporal } from '@js-temporal/polyfill';
import { z } from 'zod';
import { formatInstant } from './recurrence.js';

/**
 * When to send an appointment's reminders, from the agency's reminder policy. Pure: the clock
 * is an argument. Two kinds of lead:
 *
 * - `{ hoursBefore: 24 }` — elapsed time before the start (so across a DST change "24 h before"
 *   is 24 real hours, and its local clock time differs by an hour from the appointment's).
 * - `{ businessDaysBefore: 1, atLocalTime: '10:00' }` — at that local time on the nth business
 *   day (Mon–Fri, not a listed holiday) before the appointment's local date. A local time in a
 *   DST gap moves forward by the gap; in the overlap it takes the earlier offset.
 */

export const reminderLeadSchema = z.union([
  z.strictObject({
    hoursBefore: z
      .number()
      .positive()
      .max(24 * 31),
  }),
  z.strictObject({
    businessDaysBefore: z.number().int().min(1).max(10),
    atLocalTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)'),
  }),
]);
export type ReminderLead = z.infer<typeof reminderLeadSchema>;

export interface ReminderInput {
  /** Appointment start, ISO instant. */
  startsAt: string;
  /** IANA zone the appointment is kept in (business days and local times are read there). */
  zone: string;
  leads: readonly ReminderLead[];
  /** The current instant; reminders due strictly before it are dropped. */
  now: string;
  /** Local dates (`YYYY-MM-DD`) that are not business days. */
  holidays?: readonly string[];
}

/**
 * The reminder instants (UTC, `Date#toISOString` form), ascending and without duplicates.
 * Dropped: those before `now` (one due exactly at `now` is kept) and those not before the
 * appointment start. Throws RangeError for an invalid instant, zone or lead.
 */
export function reminderTimes(input: ReminderInput): string[] {
  const start = Temporal.Instant.from(input.startsAt);
  const now = Temporal.Instant.from(input.now);
  const holidays = new Set((input.holidays ?? []).map((d) => Temporal.PlainDate.from(d).toString()));
  const localStart = start.toZonedDateTimeISO(input.zone);

  const times = new Map<bigint, Temporal.Instant>();
  for (const raw of input.leads) {
    const lead = reminderLeadSchema.parse(raw);
    const at =
      'hoursBefore' in lead
        ? start.subtract({ minutes: Math.round(lead.hoursBefore * 60) })
        : businessDayReminder(localStart, lead.businessDaysBefore, lead.atLocalTime, holidays);
    if (Temporal.Instant.compare(at, now) >= 0 && Temporal.Instant.compare(at, start) < 0) {
      times.set(at.epochNanoseconds, at);
    }
  }
  return [...times.values()].sort(Temporal.Instant.compare).map(formatInstant);
}

function businessDayReminder(
  localStart: Temporal.ZonedDateTime,
  businessDaysBefore: number,
  atLocalTime: string,
  holidays: ReadonlySet<string>,
): Temporal.Instant {
  let date = localStart.toPlainDate();
  for (let found = 0; found < businessDaysBefore;) {
    date = date.subtract({ days: 1 });
    if (date.dayOfWeek <= 5 && !holidays.has(date.toString())) found++;
  }
  return date
    .toPlainDateTime(Temporal.PlainTime.from(atLocalTime))
    .toZonedDateTime(localStart.timeZoneId, { disambiguation: 'compatible' })
    .toInstant();
}
