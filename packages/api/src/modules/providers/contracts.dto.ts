import { z } from 'zod';
import { ServiceCode } from './offerings.dto.js';
import { IsoDate } from './providers.dto.js';
import { CONTRACT_STATUSES, UNIT_TYPES } from './providers.schema.js';

const MAX_INT = 2_147_483_647;

/** One rate of a contract. Its dates are optional: left out, it runs for the whole contract. */
export const ContractLineBody = z.strictObject({
  serviceCode: ServiceCode,
  rateCents: z
    .int('A rate is a whole number of cents, e.g. 2550 for $25.50.')
    .min(0, 'A rate cannot be negative.')
    .max(MAX_INT),
  unitType: z.enum(UNIT_TYPES),
  capUnits: z.int().min(1, 'A cap is at least 1 unit.').max(MAX_INT).nullable().default(null),
  capAmountCents: z.int().min(1, 'A cap is at least 1 cent.').nullable().default(null),
  startsOn: IsoDate.nullable().default(null),
  endsOn: IsoDate.nullable().default(null),
});
export type ContractLineBody = z.output<typeof ContractLineBody>;

const Lines = z.array(ContractLineBody).max(500);

export const CreateContractBody = z.strictObject({
  number: z.string().trim().min(1).max(50),
  startsOn: IsoDate,
  /** Null: open-ended. */
  endsOn: IsoDate.nullable().default(null),
  status: z.enum(['draft', 'active']).default('draft'),
  lines: Lines.default([]),
});
export type CreateContractBody = z.output<typeof CreateContractBody>;

/** `lines`, when given, replaces every line of the contract. */
export const PatchContractBody = z
  .strictObject({
    status: z.enum(CONTRACT_STATUSES).optional(),
    endsOn: IsoDate.nullable().optional(),
    lines: Lines.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchContractBody = z.output<typeof PatchContractBody>;

export const ContractLineResponse = z
  .object({
    id: z.uuid(),
    serviceCode: z.string(),
    rateCents: z.number().int(),
    unitType: z.enum(UNIT_TYPES),
    capUnits: z.number().int().nullable(),
    capAmountCents: z.number().int().nullable(),
    /** Null: from the contract's start. */
    startsOn: z.string().nullable(),
    /** Null: until the contract's end. */
    endsOn: z.string().nullable(),
  })
  .meta({ id: 'ProviderContractLine' });
export type ContractLineView = z.output<typeof ContractLineResponse>;

export const ContractResponse = z
  .object({
    id: z.uuid(),
    providerId: z.uuid(),
    number: z.string(),
    startsOn: z.string(),
    endsOn: z.string().nullable(),
    status: z.enum(CONTRACT_STATUSES),
    lines: z.array(ContractLineResponse),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProviderContract' });
export type ContractView = z.output<typeof ContractResponse>;

export const ContractListResponse = z.object({ items: z.array(ContractResponse) });

export const ContractIdParams = z.strictObject({ id: z.uuid(), contractId: z.uuid() });
