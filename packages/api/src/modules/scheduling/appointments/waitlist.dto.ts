import { z } from 'zod';
import { TIMES_OF_DAY, WAITLIST_STATUSES } from './appointments.schema.js';
import { IsoDate } from './resources.dto.js';

export const CreateWaitlistEntryBody = z
  .strictObject({
    clientId: z.uuid(),
    appointmentTypeId: z.uuid(),
    /** Preferred providers/rooms: a freed slot on one of them fits; empty or left out: any. */
    resourceIds: z
      .array(z.uuid())
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, 'List each resource once.')
      .default([]),
    /** Local days (agency zone) the client can come, both included; open when left out. */
    earliestDate: IsoDate.nullable().default(null),
    latestDate: IsoDate.nullable().default(null),
    /** morning (before 12:00), afternoon (12:00–17:00), evening (from 17:00), local; empty: any. */
    timesOfDay: z
      .array(z.enum(TIMES_OF_DAY))
      .max(3)
      .refine((t) => new Set(t).size === t.length, 'List each time of day once.')
      .default([]),
    /** 1 most urgent … 5 least; 3 by default. */
    priority: z.number().int().min(1).max(5).default(3),
  })
  .refine((b) => !b.earliestDate || !b.latestDate || b.earliestDate <= b.latestDate, {
    message: 'latestDate is on or after earliestDate.',
    path: ['latestDate'],
  });
export type CreateWaitlistEntryBody = z.output<typeof CreateWaitlistEntryBody>;

export const WaitlistListQuery = z.strictObject({
  clientId: z.uuid().optional(),
  appointmentTypeId: z.uuid().optional(),
  /** Comma-separated statuses; waiting,offered by default. */
  status: z
    .string()
    .max(100)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(WAITLIST_STATUSES)))
    .optional(),
});
export type WaitlistListQuery = z.output<typeof WaitlistListQuery>;

export const WithdrawBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional() })
  .optional()
  .transform((b) => b ?? {});
export type WithdrawBody = z.output<typeof WithdrawBody>;

const Offer = z.object({
  id: z.uuid(),
  freedAppointmentId: z.uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  resourceIds: z.array(z.uuid()),
  expiresAt: z.string(),
  /** The offer's time is up (the expiry job hands the slot on; booking it may still succeed). */
  expired: z.boolean(),
});

export const WaitlistEntryResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    clientId: z.uuid(),
    /** The client's name (only entries whose client the caller may see are answered). */
    clientName: z.string().nullable(),
    appointmentTypeId: z.uuid(),
    resourceIds: z.array(z.uuid()),
    earliestDate: z.string().nullable(),
    latestDate: z.string().nullable(),
    timesOfDay: z.array(z.enum(TIMES_OF_DAY)),
    priority: z.number().int(),
    status: z.enum(WAITLIST_STATUSES),
    statusReason: z.string().nullable(),
    /** The slot suggested to the client while `offered`. Nothing is held: book it to take it. */
    offer: Offer.nullable(),
    bookedAppointmentId: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SchedulingWaitlistEntry' });
export type WaitlistEntryView = z.output<typeof WaitlistEntryResponse>;

export const WaitlistListResponse = z.object({
  items: z.array(WaitlistEntryResponse),
  /** AGENCY_TIME_ZONE: the zone of the entries' dates and times of day, and the one to show offers in. */
  timeZone: z.string(),
});
