import { z } from 'zod';
import { AppointmentResponse } from './appointments.dto.js';
import { SERIES_STATUSES } from './appointments.schema.js';
import { Instant } from './resources.dto.js';

export const SERIES_SCOPES = ['this', 'following', 'all'] as const;
export type SeriesScope = (typeof SERIES_SCOPES)[number];

const ResourceIds = z
  .array(z.uuid())
  .min(1)
  .max(5)
  .refine((ids) => new Set(ids).size === ids.length, 'List each resource once.');
/** An RRULE (RFC 5545 subset: FREQ DAILY/WEEKLY/MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, COUNT or UNTIL, WKST). */
const Recurrence = z.string().trim().min(1).max(500);
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a local time such as 09:30.');

export const CreateSeriesBody = z
  .strictObject({
    clientId: z.uuid(),
    appointmentTypeId: z.uuid(),
    resourceIds: ResourceIds,
    /** The first occurrence; its local time (agency zone) is every occurrence's time. */
    startsAt: Instant,
    /** e.g. `FREQ=WEEKLY;BYDAY=TU;COUNT=10`; must end (COUNT ≤ 200 or UNTIL within a year). */
    recurrence: Recurrence,
    telehealth: z.boolean().default(false),
    joinUrl: z
      .url({ protocol: /^https$/, error: 'A join link is an https:// URL.' })
      .max(2000)
      .nullable()
      .default(null),
  })
  .refine((b) => b.telehealth || b.joinUrl === null, {
    message: 'Only a telehealth appointment has a join link.',
    path: ['joinUrl'],
  });
export type CreateSeriesBody = z.output<typeof CreateSeriesBody>;

export const PatchSeriesBody = z
  .strictObject({
    /** this: one occurrence; following: that occurrence and later (splits the series); all: every future one. */
    scope: z.enum(SERIES_SCOPES),
    occurrenceId: z.uuid().optional(),
    /** scope this: the occurrence's new start. */
    startsAt: Instant.optional(),
    /** scope following/all: the new local time of day (agency zone). */
    timeOfDay: TimeOfDay.optional(),
    resourceIds: ResourceIds.optional(),
    /** scope following/all: a new RRULE (from the split occurrence, or from the first start). */
    recurrence: Recurrence.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.scope !== 'all' && !b.occurrenceId) {
      ctx.addIssue({
        code: 'custom',
        path: ['occurrenceId'],
        message: `Scope ${b.scope} names an occurrence.`,
      });
    }
    if (b.scope === 'this') {
      for (const key of ['timeOfDay', 'recurrence'] as const) {
        if (b[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'Give startsAt to move one occurrence.' });
        }
      }
      if (!b.startsAt && !b.resourceIds) {
        ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'Give startsAt or resourceIds.' });
      }
    } else {
      if (b.startsAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['startsAt'],
          message: 'Use timeOfDay to move several occurrences.',
        });
      }
      if (!b.timeOfDay && !b.resourceIds && !b.recurrence) {
        ctx.addIssue({
          code: 'custom',
          path: ['timeOfDay'],
          message: 'Give timeOfDay, resourceIds or recurrence.',
        });
      }
    }
  });
export type PatchSeriesBody = z.output<typeof PatchSeriesBody>;

export const CancelSeriesBody = z
  .strictObject({
    scope: z.enum(SERIES_SCOPES),
    occurrenceId: z.uuid().optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((b) => b.scope === 'all' || b.occurrenceId !== undefined, {
    message: 'Name the occurrence for scope this or following.',
    path: ['occurrenceId'],
  });
export type CancelSeriesBody = z.output<typeof CancelSeriesBody>;

export const SeriesResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    clientId: z.uuid(),
    appointmentTypeId: z.uuid(),
    resourceIds: z.array(z.uuid()),
    /** Canonical RRULE. */
    recurrence: z.string(),
    firstStart: z.string(),
    /** Local time of day of the occurrences, in `timeZone`. */
    wallTime: z.string(),
    timeZone: z.string(),
    durationMinutes: z.number().int(),
    telehealth: z.boolean(),
    joinUrl: z.string().nullable(),
    status: z.enum(SERIES_STATUSES),
    /** The series this one was split from ("this and following"). */
    splitFromId: z.uuid().nullable(),
    /** The series created by the last "this and following" edit, when the request made one. */
    newSeriesId: z.uuid().nullable(),
    /** Current occurrences (moved ones appear at their new time; the replaced rows are left out). */
    occurrences: z.array(AppointmentResponse),
    /** The 42 CFR 2.32 notice, when occurrences are Part 2 information (at a Part 2 program of the client's). */
    redisclosureNotice: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SchedulingSeries' });
export type SeriesView = z.output<typeof SeriesResponse>;
