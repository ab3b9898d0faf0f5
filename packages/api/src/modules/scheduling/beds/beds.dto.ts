import { z } from 'zod';
import { BED_ACTIONS, BED_STATES, GENDER_RESTRICTIONS, LEVELS_OF_CARE } from './beds.schema.js';

const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoDate = z.iso.date('Use a date such as 2026-01-05.');

// ---- structure: facilities, units, rooms, beds ----

export const FacilityResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    programId: z.uuid(),
    name: z.string(),
    address: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Facility' });
export type FacilityView = z.output<typeof FacilityResponse>;
export const FacilityListResponse = z.object({ items: z.array(FacilityResponse) });

export const CreateFacilityBody = z.strictObject({
  programId: z.uuid(),
  name: Text(200),
  address: Text(300).nullable().default(null),
});
export type CreateFacilityBody = z.output<typeof CreateFacilityBody>;

export const UnitResponse = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    name: z.string(),
    levelOfCare: z.enum(LEVELS_OF_CARE),
  })
  .meta({ id: 'BedUnit' });
export const CreateUnitBody = z.strictObject({ name: Text(100), levelOfCare: z.enum(LEVELS_OF_CARE) });
export type CreateUnitBody = z.output<typeof CreateUnitBody>;

export const RoomResponse = z
  .object({
    id: z.uuid(),
    unitId: z.uuid(),
    name: z.string(),
    genderRestriction: z.enum(GENDER_RESTRICTIONS),
    accessible: z.boolean(),
  })
  .meta({ id: 'BedRoom' });
export const CreateRoomBody = z.strictObject({
  unitId: z.uuid(),
  name: Text(100),
  genderRestriction: z.enum(GENDER_RESTRICTIONS).default('none'),
  accessible: z.boolean().default(false),
});
export type CreateRoomBody = z.output<typeof CreateRoomBody>;

export const CreateBedBody = z.strictObject({
  roomId: z.uuid(),
  label: Text(40),
  /** Free-form features staff match on, e.g. `bariatric`, `oxygen`, `near-station`. */
  attributes: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[a-z0-9-]{1,40}$/, 'Use lowercase words joined by -.'),
    )
    .max(20)
    .default([]),
});
export type CreateBedBody = z.output<typeof CreateBedBody>;

export const FacilityIdParams = z.strictObject({ id: z.uuid() });
export const BedIdParams = z.strictObject({ id: z.uuid() });

// ---- the board ----

export const OccupantView = z.object({
  admissionId: z.uuid(),
  /** Null when the caller may see the board but not this client: the bed shows occupied, no name. */
  clientId: z.uuid().nullable(),
  name: z.string().nullable(),
  nameWithheld: z.boolean(),
  since: z.string(),
});

export const HoldView = z.object({
  id: z.uuid(),
  clientId: z.uuid().nullable(),
  name: z.string().nullable(),
  nameWithheld: z.boolean(),
  referralId: z.uuid().nullable(),
  note: z.string().nullable(),
  heldBy: z.string(),
  expiresAt: z.string(),
});

export const BedResponse = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    unitId: z.uuid(),
    unitName: z.string(),
    levelOfCare: z.enum(LEVELS_OF_CARE),
    roomId: z.uuid(),
    roomName: z.string(),
    genderRestriction: z.enum(GENDER_RESTRICTIONS),
    accessible: z.boolean(),
    label: z.string(),
    attributes: z.array(z.string()),
    /** An expired hold reads as `available` even before the expiry job has run. */
    state: z.enum(BED_STATES),
    stateReason: z.string().nullable(),
    stateChangedAt: z.string(),
    occupant: OccupantView.nullable(),
    hold: HoldView.nullable(),
    /**
     * The bed names a client whose stay here is 42 CFR Part 2 information (a Part 2 enrolment in
     * the facility's program), shown because the caller may see it; the response carries the
     * redisclosure notice. To anyone else such a bed shows occupied or held, name withheld.
     */
    part2: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Bed' });
export type BedView = z.output<typeof BedResponse>;

/** A `bed` event of the live board: the bed, with the redisclosure notice when it names a Part 2 client. */
export const BedStreamEvent = BedResponse.extend({ redisclosureNotice: z.string().nullable() }).meta({
  id: 'BedStreamEvent',
});
export type BedStreamEventView = z.output<typeof BedStreamEvent>;

export const BoardResponse = z
  .object({
    facility: FacilityResponse,
    units: z.array(
      UnitResponse.extend({
        rooms: z.array(RoomResponse),
        beds: z.array(BedResponse),
      }),
    ),
    /** The 42 CFR 2.32 notice, when a bed names a client whose stay here is Part 2 information. */
    redisclosureNotice: z.string().nullable(),
  })
  .meta({ id: 'BedBoard' });
export type BoardView = z.output<typeof BoardResponse>;

export const BedActionResponse = z
  .object({
    beds: z.array(BedResponse),
    /** Admission checks the caller acknowledged (gender restriction, level of care). */
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
    /** The 42 CFR 2.32 notice, when a bed names a client whose stay here is Part 2 information. */
    redisclosureNotice: z.string().nullable(),
  })
  .meta({ id: 'BedActionResult' });
export type BedActionView = z.output<typeof BedActionResponse>;

export const AdmitBody = z.strictObject({
  clientId: z.uuid(),
  reason: Text(500).nullable().default(null),
  /** The level of care the client needs; a unit of another level is a warning. */
  levelOfCare: z.enum(LEVELS_OF_CARE).nullable().default(null),
  /** Admit despite the warnings (a room's gender restriction, another level of care). */
  acknowledgeWarnings: z.boolean().default(false),
});
export type AdmitBody = z.output<typeof AdmitBody>;

export const TransferBody = z.strictObject({
  toBedId: z.uuid(),
  reason: Text(500).nullable().default(null),
  acknowledgeWarnings: z.boolean().default(false),
});
export type TransferBody = z.output<typeof TransferBody>;

export const DischargeBody = z.strictObject({
  /** Where the client went (home, hospital, residential…). */
  disposition: Text(200),
});
export type DischargeBody = z.output<typeof DischargeBody>;

export const OutOfServiceBody = z.strictObject({ reason: Text(300) });
export type OutOfServiceBody = z.output<typeof OutOfServiceBody>;

export const HoldBody = z
  .strictObject({
    clientId: z.uuid().nullable().default(null),
    referralId: z.uuid().nullable().default(null),
    /** Default BED_HOLD_DEFAULT_MINUTES; at most three days. */
    minutes: z
      .number()
      .int()
      .min(1)
      .max(3 * 24 * 60)
      .optional(),
    note: Text(300).nullable().default(null),
  })
  .refine((b) => b.clientId !== null || b.referralId !== null, {
    message: 'Hold a bed for a client or a referral.',
    path: ['clientId'],
  });
export type HoldBody = z.output<typeof HoldBody>;

export const BedEventResponse = z
  .object({
    id: z.uuid(),
    action: z.enum(BED_ACTIONS),
    fromState: z.enum(BED_STATES).nullable(),
    toState: z.enum(BED_STATES),
    admissionId: z.uuid().nullable(),
    clientId: z.uuid().nullable(),
    actorId: z.string(),
    reason: z.string().nullable(),
    occurredAt: z.string(),
  })
  .meta({ id: 'BedEvent' });
export const BedHistoryResponse = z.object({
  items: z.array(BedEventResponse),
  /** The 42 CFR 2.32 notice, when a row names a client whose stay here is Part 2 information. */
  redisclosureNotice: z.string().nullable(),
});

/** Both dates are the agency's days; without them, the seven days up to today. */
export const CensusQuery = z
  .strictObject({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to.', path: ['to'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 92, {
    message: 'Ask for at most 93 days at a time.',
    path: ['to'],
  });
export type CensusQuery = z.output<typeof CensusQuery>;

export const CensusResponse = z
  .object({
    facilityId: z.uuid(),
    timeZone: z.string(),
    days: z.array(
      z.object({
        date: z.string(),
        unitId: z.uuid(),
        unitName: z.string(),
        /** Beds that existed and were not out of service at the end of the day. */
        bedsInService: z.number().int(),
        /** Beds occupied at the end of the day (the midnight census). */
        occupied: z.number().int(),
        /** occupied / bedsInService × 100, one decimal; null without beds in service. */
        occupancyPercent: z.number().nullable(),
        admissions: z.number().int(),
        discharges: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'BedCensus' });
export type CensusView = z.output<typeof CensusResponse>;

export const CreatedBedResponse = z
  .object({
    id: z.uuid(),
    roomId: z.uuid(),
    unitId: z.uuid(),
    facilityId: z.uuid(),
    label: z.string(),
    attributes: z.array(z.string()),
  })
  .meta({ id: 'CreatedBed' });
