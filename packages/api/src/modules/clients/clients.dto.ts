import { z } from 'zod';
import { agencyToday } from '../../platform/time/agency-today.js';
import { CLIENT_STATUSES, ETHNICITIES, RACES, SEXES_AT_BIRTH } from './clients.schema.js';
import { Part2DisclosureFields } from './part2.js';

const IsoDate = z.iso.date('Use a date such as 1980-02-03.');
const PersonName = z.string().trim().min(1).max(100);
const OptionalText = (max: number) => z.string().trim().min(1).max(max).nullable();

/** A US SSN, with or without dashes; never one the SSA does not issue (000, 666, 9xx area; 00 group; 0000 serial). */
export const Ssn = z
  .string()
  .trim()
  .regex(/^\d{3}-?\d{2}-?\d{4}$/, 'An SSN is 9 digits, e.g. 123-45-6789.')
  .transform((v) => v.replaceAll('-', ''))
  .refine(
    (v) => !/^(000|666|9)/.test(v) && v.slice(3, 5) !== '00' && v.slice(5) !== '0000',
    'This is not an SSN the Social Security Administration issues.',
  );
/** Wisconsin ForwardHealth member id: 10 digits. */
export const MedicaidId = z
  .string()
  .trim()
  .regex(/^\d{10}$/, 'A Wisconsin Medicaid member id is 10 digits.');

const Demographics = {
  givenName: PersonName,
  middleName: OptionalText(100),
  familyName: PersonName,
  preferredName: OptionalText(100),
  birthDate: IsoDate.refine((d) => d <= agencyToday(), 'A birth date cannot be in the future.'),
  sexAtBirth: z.enum(SEXES_AT_BIRTH),
  genderIdentity: OptionalText(100),
  pronouns: OptionalText(50),
  race: z.array(z.enum(RACES)).max(RACES.length),
  ethnicity: z.enum(ETHNICITIES).nullable(),
  primaryLanguage: OptionalText(50),
  interpreterNeeded: z.boolean(),
};

export const ClientResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    givenName: z.string(),
    middleName: z.string().nullable(),
    familyName: z.string(),
    preferredName: z.string().nullable(),
    birthDate: z.string(),
    sexAtBirth: z.enum(SEXES_AT_BIRTH),
    genderIdentity: z.string().nullable(),
    pronouns: z.string().nullable(),
    race: z.array(z.string()),
    ethnicity: z.enum(ETHNICITIES).nullable(),
    primaryLanguage: z.string().nullable(),
    interpreterNeeded: z.boolean(),
    /** Masked: only the last four digits are ever in a client view. */
    ssnLast4: z.string().nullable(),
    hasMedicaidId: z.boolean(),
    status: z.enum(CLIENT_STATUSES),
    mergedIntoId: z.uuid().nullable(),
    deceasedOn: z.string().nullable(),
    /** How the caller reached this record: `break_glass` while an emergency grant is used. */
    access: z.enum(['scope', 'break_glass']),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Client' });
export type ClientView = z.output<typeof ClientResponse>;

export const ClientIdParams = z.strictObject({ id: z.uuid() });
export const EnrollmentIdParams = z.strictObject({ id: z.uuid(), enrollmentId: z.uuid() });

export const ClientListQuery = z.strictObject({
  familyName: z.string().trim().min(1).max(100).optional(),
  birthDate: IsoDate.optional(),
  /** Comma-separated client ids (at most 200): those of them the caller may see, e.g. to name a page of cases. */
  ids: z
    .string()
    .transform((v) => [...new Set(v.split(',').map((id) => id.trim()))])
    .pipe(z.array(z.uuid('Give client ids separated by commas.')).min(1).max(200))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ClientListQuery = z.output<typeof ClientListQuery>;

export const ClientListResponse = z.object({
  items: z.array(ClientResponse),
  nextCursor: z.string().nullable(),
});

export const CreateClientBody = z.strictObject({
  ...Demographics,
  middleName: Demographics.middleName.default(null),
  preferredName: Demographics.preferredName.default(null),
  genderIdentity: Demographics.genderIdentity.default(null),
  pronouns: Demographics.pronouns.default(null),
  race: Demographics.race.default([]),
  ethnicity: Demographics.ethnicity.default(null),
  primaryLanguage: Demographics.primaryLanguage.default(null),
  interpreterNeeded: Demographics.interpreterNeeded.default(false),
  ssn: Ssn.nullable().default(null),
  medicaidId: MedicaidId.nullable().default(null),
  /** The team that registers (and serves) the client; defaults to the caller's first team. */
  teamId: z.uuid().nullable().default(null),
  /** Register even though likely duplicates were reported (409 `possible-duplicate`). */
  acknowledgeDuplicates: z.boolean().default(false),
});
export type CreateClientBody = z.output<typeof CreateClientBody>;

export const PatchClientBody = z
  .strictObject({
    ...Demographics,
    ssn: Ssn.nullable(),
    medicaidId: MedicaidId.nullable(),
    status: z.enum(['active', 'inactive', 'deceased']),
    deceasedOn: IsoDate.nullable(),
    /** A change of name, birth date, sex or identifier that matches other records answers 409 unless true. */
    acknowledgeDuplicates: z.boolean(),
  })
  .partial()
  .refine(
    (b) => Object.keys(b).some((k) => k !== 'acknowledgeDuplicates'),
    'Send at least one field to change.',
  );
export type PatchClientBody = z.output<typeof PatchClientBody>;

export const IdentifiersResponse = z
  .object({ clientId: z.uuid(), ssn: z.string().nullable(), medicaidId: z.string().nullable() })
  .meta({ id: 'ClientIdentifiers' });

export const EnrollmentResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    programId: z.uuid(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    reason: z.string(),
    endReason: z.string().nullable(),
    part2: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Enrollment' });
export type EnrollmentView = z.output<typeof EnrollmentResponse>;
/** Part 2 enrolments the caller may not see are counted in `withheld`, never shown. */
export const EnrollmentListResponse = z.object({
  items: z.array(EnrollmentResponse),
  ...Part2DisclosureFields,
});
export type EnrollmentListView = z.output<typeof EnrollmentListResponse>;

export const CreateEnrollmentBody = z.strictObject({
  programId: z.uuid(),
  startDate: IsoDate,
  reason: z.string().trim().min(1).max(500),
  part2: z.boolean().default(false),
});
export type CreateEnrollmentBody = z.output<typeof CreateEnrollmentBody>;

export const EndEnrollmentBody = z.strictObject({
  endDate: IsoDate,
  endReason: z.string().trim().min(1).max(500),
});
export type EndEnrollmentBody = z.output<typeof EndEnrollmentBody>;

export const CareTeamResponse = z.object({
  items: z.array(
    z.object({
      teamId: z.uuid().nullable(),
      userId: z.uuid().nullable(),
      source: z.string(),
      sourceId: z.uuid().nullable(),
      startedAt: z.string(),
    }),
  ),
});
