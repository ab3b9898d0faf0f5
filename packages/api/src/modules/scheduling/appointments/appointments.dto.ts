import { z } from 'zod';
import { Part2DisclosureFields } from '../../clients/part2.js';
import { APPOINTMENT_STATUSES } from './appointments.schema.js';
import { Instant, IsoDate } from './resources.dto.js';

/**
 * Most providers one availability search covers, and most days: at most 50 × 31 provider-days
 * (the issue's 50 providers × 30 days in one request, ~25 ms of server CPU on the benchmark).
 */
export const AVAILABILITY_MAX_PROVIDERS = 50;
export const AVAILABILITY_MAX_DAYS = 31;
/** Longest range a calendar list covers. */
export const CALENDAR_MAX_DAYS = 31;

const JoinUrl = z.url({ protocol: /^https$/, error: 'A join link is an https:// URL.' }).max(2000);
const Notes = z.string().trim().max(2000);
const ResourceIds = z
  .array(z.uuid())
  .min(1)
  .max(5)
  .refine((ids) => new Set(ids).size === ids.length, 'List each resource once.');
const Statuses = z
  .string()
  .max(200)
  .transform((text, ctx) => {
    const out = text.split(',').map((s) => s.trim());
    for (const s of out) {
      if (!(APPOINTMENT_STATUSES as readonly string[]).includes(s)) {
        ctx.addIssue({ code: 'custom', message: `Statuses are ${APPOINTMENT_STATUSES.join(', ')}.` });
        return z.NEVER;
      }
    }
    return out as (typeof APPOINTMENT_STATUSES)[number][];
  });

export const AppointmentResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    /** Null when `clientWithheld`: the caller sees that the time is taken, not by whom. */
    clientId: z.uuid().nullable(),
    /** The client's name, for calendars and the front desk; null when withheld. */
    clientName: z.string().nullable(),
    clientWithheld: z.boolean(),
    /**
     * At a 42 CFR Part 2 program of the client's, shown because the caller may see it (a list
     * then carries the redisclosure notice). A Part 2 appointment the caller may not see is shown
     * withheld like any other (`clientWithheld`, `part2` false): the reason is not told.
     */
    part2: z.boolean(),
    appointmentTypeId: z.uuid(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(APPOINTMENT_STATUSES),
    /** Why it was cancelled (or marked a no-show); null when withheld. */
    statusReason: z.string().nullable(),
    checkedInAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    rescheduledFromId: z.uuid().nullable(),
    rescheduledToId: z.uuid().nullable(),
    seriesId: z.uuid().nullable(),
    /** Which occurrence of the series this is (the rule's instant); null for a one-off. */
    occurrenceStart: z.string().nullable(),
    /** Moved on its own within its series: series-wide edits leave it where it is. */
    seriesException: z.boolean(),
    telehealth: z.boolean(),
    joinUrl: z.string().nullable(),
    notes: z.string().nullable(),
    resources: z.array(
      z.object({
        resourceId: z.uuid(),
        /** The time held on the resource: the appointment plus the type's buffers. */
        blockedFrom: z.string(),
        blockedTo: z.string(),
        blocking: z.boolean(),
      }),
    ),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Appointment' });
export type AppointmentView = z.output<typeof AppointmentResponse>;

/** One appointment: with the 42 CFR 2.32 redisclosure notice when it is Part 2 information. */
export const AppointmentDetailResponse = AppointmentResponse.extend({
  redisclosureNotice: z.string().nullable(),
}).meta({ id: 'AppointmentDetail' });
export type AppointmentDetailView = z.output<typeof AppointmentDetailResponse>;

export const AppointmentListResponse = z.object({
  /** The agency's zone, for showing the UTC instants. */
  timeZone: z.string(),
  items: z.array(AppointmentResponse),
  /**
   * `withheld`: how many items are shown withheld (`clientWithheld`), whether for scope or 42 CFR
   * Part 2 (not told apart); `redisclosureNotice` when a shown item is Part 2 information.
   */
  ...Part2DisclosureFields,
});

export const AppointmentListQuery = z
  .strictObject({
    clientId: z.uuid().optional(),
    resourceId: z.uuid().optional(),
    /** A local day in the agency's zone (the check-in list), instead of from/to. */
    date: IsoDate.optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    /** Comma-separated statuses, e.g. `booked,checked_in`. */
    status: Statuses.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.date && (q.from || q.to)) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: 'Give a date or from/to, not both.' });
    }
    if ((q.from === undefined) !== (q.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'Give both from and to.' });
    }
    if (!q.clientId && !q.date && !q.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'Give a clientId, a date, or a from/to range (with or without a resourceId).',
      });
    }
    if (q.from && q.to) {
      const span = Date.parse(q.to) - Date.parse(q.from);
      if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is after from.' });
      else if (span > CALENDAR_MAX_DAYS * 86_400_000 && !q.clientId) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: `Ask for at most ${CALENDAR_MAX_DAYS} days.` });
      }
    }
  });
export type AppointmentListQuery = z.output<typeof AppointmentListQuery>;

export const CreateAppointmentBody = z
  .strictObject({
    clientId: z.uuid(),
    appointmentTypeId: z.uuid(),
    startsAt: Instant,
    resourceIds: ResourceIds,
    telehealth: z.boolean().default(false),
    joinUrl: JoinUrl.nullable().default(null),
    /** Scheduling notes (what to bring, access needs); clinical content belongs in case notes. */
    notes: Notes.nullable().default(null),
    /** Booking a waitlist offer (or a waiting entry) of this client: the entry becomes booked. */
    waitlistEntryId: z.uuid().optional(),
  })
  .refine((b) => b.telehealth || b.joinUrl === null, {
    message: 'Only a telehealth appointment has a join link.',
    path: ['joinUrl'],
  });
export type CreateAppointmentBody = z.output<typeof CreateAppointmentBody>;

export const PatchAppointmentBody = z
  .strictObject({
    telehealth: z.boolean().optional(),
    joinUrl: JoinUrl.nullable().optional(),
    notes: Notes.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchAppointmentBody = z.output<typeof PatchAppointmentBody>;

export const ReasonBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export type ReasonBody = z.output<typeof ReasonBody>;

export const OptionalReasonBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional() })
  .optional()
  .transform((b) => b ?? {});
export type OptionalReasonBody = z.output<typeof OptionalReasonBody>;

export const RescheduleBody = z.strictObject({
  startsAt: Instant,
  /** The resources of the new appointment; the old one's when left out. */
  resourceIds: ResourceIds.optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});
export type RescheduleBody = z.output<typeof RescheduleBody>;

export const AvailabilityQuery = z
  .strictObject({
    /** Comma-separated provider ids. */
    providerIds: z
      .string()
      .max(40 * AVAILABILITY_MAX_PROVIDERS)
      .transform((s) => [...new Set(s.split(',').map((x) => x.trim()))])
      .pipe(
        z
          .array(z.uuid('Provider ids are uuids, comma-separated.'))
          .min(1)
          .max(AVAILABILITY_MAX_PROVIDERS, `Ask for at most ${AVAILABILITY_MAX_PROVIDERS} providers.`),
      ),
    /** First and last local day (agency zone), both included. */
    from: IsoDate,
    to: IsoDate,
    appointmentTypeId: z.uuid(),
    /** Minutes between candidate start times; 15 by default. */
    stepMinutes: z.coerce.number().int().min(5).max(240).default(15),
  })
  .refine((q) => q.from <= q.to, { message: 'to is on or after from.', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) < AVAILABILITY_MAX_DAYS * 86_400_000, {
    message: `Ask for at most ${AVAILABILITY_MAX_DAYS} days.`,
    path: ['to'],
  });
export type AvailabilityQuery = z.output<typeof AvailabilityQuery>;

export const AvailabilityResponse = z
  .object({
    timeZone: z.string(),
    appointmentTypeId: z.uuid(),
    from: z.string(),
    to: z.string(),
    providers: z.array(
      z.object({
        providerId: z.uuid(),
        /** The provider's resource, when they have one in this agency. */
        resourceId: z.uuid().nullable(),
        bookable: z.boolean(),
        reasons: z.array(z.object({ code: z.string(), detail: z.string() })),
        slots: z.array(z.object({ startsAt: z.string(), endsAt: z.string() })),
      }),
    ),
  })
  .meta({ id: 'SchedulingAvailability' });
export type AvailabilityView = z.output<typeof AvailabilityResponse>;
