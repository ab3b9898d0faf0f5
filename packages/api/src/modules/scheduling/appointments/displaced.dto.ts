import { z } from 'zod';
import { Part2DisclosureFields } from '../../clients/part2.js';
import { AppointmentResponse } from './appointments.dto.js';
import { EXCEPTION_KINDS } from './appointments.schema.js';
import { ExceptionResponse, Instant } from './resources.dto.js';

/** Most displaced appointments an exception's answer (or its 409) lists; the worklist pages through all. */
export const DISPLACED_LISTED = 200;

/**
 * A booked appointment still to come that leave, a holiday or a closure now covers, as the
 * caller may see it (withheld when its client is outside the caller's scope), with what blocks it.
 */
export const DisplacedAppointmentResponse = z
  .object({
    appointment: AppointmentResponse,
    exceptions: z.array(
      z.object({
        exceptionId: z.uuid(),
        kind: z.enum(EXCEPTION_KINDS),
        /** The exception's resource; null: agency-wide. */
        resourceId: z.uuid().nullable(),
        startsAt: z.string(),
        endsAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'DisplacedAppointment' });
export type DisplacedAppointmentView = z.output<typeof DisplacedAppointmentResponse>;

/** An exception just added or changed, with the bookings it newly covers. */
export const ExceptionChangeResponse = z
  .object({
    ...ExceptionResponse.shape,
    /** How many booked appointments still to come it newly covers (each announced as displaced). */
    affectedCount: z.number().int(),
    /** The first DISPLACED_LISTED of them, by start. */
    affectedAppointments: z.array(DisplacedAppointmentResponse),
    /** How many listed are withheld from the caller; the notice when a listed one is Part 2 information. */
    ...Part2DisclosureFields,
  })
  .meta({ id: 'SchedulingExceptionChange' });
export type ExceptionChangeView = z.output<typeof ExceptionChangeResponse>;

export const DisplacedListQuery = z
  .strictObject({
    /** Only those booking this resource (blocked on it). */
    resourceId: z.uuid().optional(),
    /** Only those this exception covers. */
    exceptionId: z.uuid().optional(),
    /** Appointments starting from / before these instants (always only those still to come). */
    from: Instant.optional(),
    to: Instant.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(500).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'to is after from.',
    path: ['to'],
  });
export type DisplacedListQuery = z.output<typeof DisplacedListQuery>;

export const DisplacedListResponse = z.object({
  /** The agency's zone, for showing the UTC instants. */
  timeZone: z.string(),
  items: z.array(DisplacedAppointmentResponse),
  nextCursor: z.string().nullable(),
  ...Part2DisclosureFields,
});
