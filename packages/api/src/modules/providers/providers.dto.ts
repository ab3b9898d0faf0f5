import { z } from 'zod';
import { isValidNpi } from './npi.js';
import {
  CREDENTIAL_TYPES,
  PROVIDER_KINDS,
  PROVIDER_STATUSES,
  VERIFICATION_STATUSES,
} from './providers.schema.js';

const Npi = z
  .string()
  .regex(/^\d{10}$/, 'An NPI is 10 digits.')
  .refine(isValidNpi, 'This is not a valid NPI (the check digit does not match).');
const TaxonomyCode = z
  .string()
  .regex(/^[0-9A-Z]{9}X$/, 'A taxonomy code is 10 characters ending in X, e.g. 207Q00000X.');
export const IsoDate = z.iso.date('Use a date such as 2027-01-31.');
const Name = z.string().trim().min(1).max(300);

export const ProviderResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    kind: z.enum(PROVIDER_KINDS),
    name: z.string(),
    npi: z.string(),
    taxonomyCode: z.string().nullable(),
    status: z.enum(PROVIDER_STATUSES),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Provider' });
export type ProviderView = z.output<typeof ProviderResponse>;

export const ProviderListQuery = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  npi: z
    .string()
    .regex(/^\d{10}$/, 'An NPI is 10 digits.')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ProviderListQuery = z.output<typeof ProviderListQuery>;

export const ProviderListResponse = z.object({
  items: z.array(ProviderResponse),
  nextCursor: z.string().nullable(),
});

export const CreateProviderBody = z.strictObject({
  kind: z.enum(PROVIDER_KINDS),
  name: Name,
  npi: Npi,
  taxonomyCode: TaxonomyCode.nullable().default(null),
});
export type CreateProviderBody = z.output<typeof CreateProviderBody>;

export const PatchProviderBody = z
  .strictObject({
    kind: z.enum(PROVIDER_KINDS).optional(),
    name: Name.optional(),
    npi: Npi.optional(),
    taxonomyCode: TaxonomyCode.nullable().optional(),
    status: z.enum(PROVIDER_STATUSES).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchProviderBody = z.output<typeof PatchProviderBody>;

export const ProviderIdParams = z.strictObject({ id: z.uuid() });
export const CredentialIdParams = z.strictObject({ id: z.uuid(), credentialId: z.uuid() });

export const CredentialResponse = z
  .object({
    id: z.uuid(),
    providerId: z.uuid(),
    type: z.enum(CREDENTIAL_TYPES),
    number: z.string(),
    issuer: z.string(),
    issuedOn: z.string().nullable(),
    expiresOn: z.string(),
    verificationStatus: z.enum(VERIFICATION_STATUSES),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProviderCredential' });
export type CredentialView = z.output<typeof CredentialResponse>;

export const CredentialListResponse = z.object({ items: z.array(CredentialResponse) });

export const AddCredentialBody = z
  .strictObject({
    type: z.enum(CREDENTIAL_TYPES),
    number: z.string().trim().min(1).max(100),
    issuer: z.string().trim().min(1).max(200),
    issuedOn: IsoDate.nullable().default(null),
    expiresOn: IsoDate,
    verificationStatus: z.enum(VERIFICATION_STATUSES).default('unverified'),
  })
  .refine((b) => b.issuedOn === null || b.issuedOn <= b.expiresOn, {
    message: 'A credential cannot expire before it is issued.',
    path: ['expiresOn'],
  });
export type AddCredentialBody = z.output<typeof AddCredentialBody>;

export const PatchCredentialBody = z
  .strictObject({
    number: z.string().trim().min(1).max(100).optional(),
    issuer: z.string().trim().min(1).max(200).optional(),
    issuedOn: IsoDate.nullable().optional(),
    expiresOn: IsoDate.optional(),
    verificationStatus: z.enum(VERIFICATION_STATUSES).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchCredentialBody = z.output<typeof PatchCredentialBody>;

export const StandingQuery = z.strictObject({
  /** The day asked about; the agency's today (AGENCY_TIME_ZONE) when left out. */
  on: IsoDate.optional(),
});
export type StandingQuery = z.output<typeof StandingQuery>;

export const StandingResponse = z
  .object({
    providerId: z.uuid(),
    on: z.string(),
    bookable: z.boolean(),
    reasons: z.array(
      z.object({
        code: z.enum(['provider-inactive', 'credential-expired']),
        credentialId: z.uuid().nullable(),
        detail: z.string(),
      }),
    ),
    expired: z.array(CredentialResponse),
    expiringWithin: z.object({
      30: z.array(CredentialResponse),
      60: z.array(CredentialResponse),
      90: z.array(CredentialResponse),
    }),
  })
  .meta({ id: 'ProviderStanding' });
export type StandingView = z.output<typeof StandingResponse>;
