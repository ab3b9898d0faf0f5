import { z } from 'zod';
import { EXCEPTION_KINDS, RESOURCE_KINDS } from './appointments.schema.js';

export const IsoDate = z.iso.date('Use a date such as 2027-01-31.');
export const Instant = z.iso.datetime({
  offset: true,
  error: 'Use an ISO 8601 instant such as 2027-01-31T15:00:00Z.',
});
const LocalTime = z
  .string()
  .regex(
    /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/,
    'Use a local time such as 08:00 (24:00 for midnight at the end).',
  );
const Name = z.string().trim().min(1).max(200);

export const ResourceResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    kind: z.enum(RESOURCE_KINDS),
    providerId: z.uuid().nullable(),
    name: z.string(),
    programId: z.uuid().nullable(),
    location: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SchedulingResource' });
export type ResourceView = z.output<typeof ResourceResponse>;

export const ResourceListQuery = z.strictObject({
  kind: z.enum(RESOURCE_KINDS).optional(),
  providerId: z.uuid().optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ResourceListQuery = z.output<typeof ResourceListQuery>;

export const ResourceListResponse = z.object({
  items: z.array(ResourceResponse),
  nextCursor: z.string().nullable(),
});

export const CreateResourceBody = z
  .strictObject({
    kind: z.enum(RESOURCE_KINDS),
    /** The provider (providers module) this resource books, for kind `provider`. */
    providerId: z.uuid().nullable().default(null),
    name: Name,
    programId: z.uuid().nullable().default(null),
    location: z.string().trim().min(1).max(200).nullable().default(null),
  })
  .refine((b) => (b.kind === 'provider') === (b.providerId !== null), {
    message: 'A provider resource names its provider; other kinds do not.',
    path: ['providerId'],
  });
export type CreateResourceBody = z.output<typeof CreateResourceBody>;

export const PatchResourceBody = z
  .strictObject({
    name: Name.optional(),
    programId: z.uuid().nullable().optional(),
    location: z.string().trim().min(1).max(200).nullable().optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchResourceBody = z.output<typeof PatchResourceBody>;

export const IdParams = z.strictObject({ id: z.uuid() });

const HoursLine = z
  .strictObject({
    /** ISO weekday: 1 Monday … 7 Sunday. */
    weekday: z.number().int().min(1).max(7),
    startsAt: LocalTime,
    endsAt: LocalTime,
    effectiveFrom: IsoDate.nullable().default(null),
    effectiveTo: IsoDate.nullable().default(null),
  })
  .refine((h) => h.startsAt < h.endsAt, { message: 'Hours end after they start.', path: ['endsAt'] })
  .refine((h) => h.effectiveFrom === null || h.effectiveTo === null || h.effectiveFrom <= h.effectiveTo, {
    message: 'effectiveTo is on or after effectiveFrom.',
    path: ['effectiveTo'],
  });

export const PutHoursBody = z.strictObject({ hours: z.array(HoursLine).max(70) });
export type PutHoursBody = z.output<typeof PutHoursBody>;

export const HoursResponse = z
  .object({
    resourceId: z.uuid(),
    /** The zone the local times are in (AGENCY_TIME_ZONE). */
    timeZone: z.string(),
    hours: z.array(
      z.object({
        weekday: z.number().int(),
        startsAt: z.string(),
        endsAt: z.string(),
        effectiveFrom: z.string().nullable(),
        effectiveTo: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'SchedulingWorkingHours' });
export type HoursView = z.output<typeof HoursResponse>;

export const ExceptionResponse = z
  .object({
    id: z.uuid(),
    /** Null: agency-wide (every resource). */
    resourceId: z.uuid().nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    kind: z.enum(EXCEPTION_KINDS),
    reason: z.string(),
    /** For If-Match when widening or moving it. */
    version: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'SchedulingException' });
export type ExceptionView = z.output<typeof ExceptionResponse>;

export const ExceptionListQuery = z
  .strictObject({ resourceId: z.uuid().optional(), from: Instant, to: Instant })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'to is after from.', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, {
    message: 'Ask for at most 400 days.',
    path: ['to'],
  });
export type ExceptionListQuery = z.output<typeof ExceptionListQuery>;

export const ExceptionListResponse = z.object({ items: z.array(ExceptionResponse) });

export const CreateExceptionBody = z
  .strictObject({
    /** Null or left out: agency-wide (a holiday or closure for every resource). */
    resourceId: z.uuid().nullable().default(null),
    startsAt: Instant,
    endsAt: Instant,
    kind: z.enum(EXCEPTION_KINDS),
    reason: z.string().trim().min(1).max(300),
    /**
     * Add it even though booked appointments fall inside it (409 `appointments-affected` lists
     * them otherwise). They stay booked; each is announced as displaced for someone to move.
     */
    acknowledgeConflicts: z.boolean().default(false),
  })
  .refine((b) => Date.parse(b.startsAt) < Date.parse(b.endsAt), {
    message: 'endsAt is after startsAt.',
    path: ['endsAt'],
  })
  .refine((b) => b.resourceId !== null || b.kind !== 'leave', {
    message: 'Leave is taken by one resource; name it.',
    path: ['resourceId'],
  });
export type CreateExceptionBody = z.output<typeof CreateExceptionBody>;

/** Widen, narrow or move an exception (If-Match: its version); its resource and kind stay. */
export const PatchExceptionBody = z
  .strictObject({
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    reason: z.string().trim().min(1).max(300).optional(),
    /** As for adding one: bookings the new range takes in that the old one did not. */
    acknowledgeConflicts: z.boolean().default(false),
  })
  .refine((b) => b.startsAt !== undefined || b.endsAt !== undefined || b.reason !== undefined, {
    message: 'Change startsAt, endsAt or reason.',
  })
  .refine((b) => !b.startsAt || !b.endsAt || Date.parse(b.startsAt) < Date.parse(b.endsAt), {
    message: 'endsAt is after startsAt.',
    path: ['endsAt'],
  });
export type PatchExceptionBody = z.output<typeof PatchExceptionBody>;

export const AppointmentTypeResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    code: z.string(),
    name: z.string(),
    durationMinutes: z.number().int(),
    bufferBeforeMinutes: z.number().int(),
    bufferAfterMinutes: z.number().int(),
    allowedResourceKinds: z.array(z.enum(RESOURCE_KINDS)),
    telehealthAllowed: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AppointmentType' });
export type AppointmentTypeView = z.output<typeof AppointmentTypeResponse>;

export const AppointmentTypeListQuery = z.strictObject({
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type AppointmentTypeListQuery = z.output<typeof AppointmentTypeListQuery>;
export const AppointmentTypeListResponse = z.object({ items: z.array(AppointmentTypeResponse) });

const Kinds = z
  .array(z.enum(RESOURCE_KINDS))
  .min(1)
  .max(RESOURCE_KINDS.length)
  .refine((k) => new Set(k).size === k.length, 'List each kind once.');

export const CreateAppointmentTypeBody = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'A code is 1-40 lowercase letters, digits, _ or -.'),
  name: Name,
  durationMinutes: z.number().int().min(5).max(720),
  bufferBeforeMinutes: z.number().int().min(0).max(240).default(0),
  bufferAfterMinutes: z.number().int().min(0).max(240).default(0),
  allowedResourceKinds: Kinds,
  telehealthAllowed: z.boolean().default(false),
});
export type CreateAppointmentTypeBody = z.output<typeof CreateAppointmentTypeBody>;

export const PatchAppointmentTypeBody = z
  .strictObject({
    name: Name.optional(),
    durationMinutes: z.number().int().min(5).max(720).optional(),
    bufferBeforeMinutes: z.number().int().min(0).max(240).optional(),
    bufferAfterMinutes: z.number().int().min(0).max(240).optional(),
    allowedResourceKinds: Kinds.optional(),
    telehealthAllowed: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchAppointmentTypeBody = z.output<typeof PatchAppointmentTypeBody>;
