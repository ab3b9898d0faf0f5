import { z } from 'zod';
import { UNIT_TYPES } from './providers.schema.js';

/**
 * A procedure code as claims carry it: HCPCS Level II (a letter and four digits, e.g. H0004,
 * T1017) or CPT (five digits, e.g. 90837, or four and F/T/U for categories II and III).
 */
export const ServiceCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    /^(?:[A-Z]\d{4}|\d{4}[0-9FTU])$/,
    'Use a HCPCS code such as H0004 or T1017, or a CPT code such as 90837.',
  );
const Modifier = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2}$/, 'A modifier is two letters or digits, e.g. HO.');
/** Up to four modifiers, in claim order. */
const Modifiers = z
  .array(Modifier)
  .max(4, 'A claim line carries at most four modifiers.')
  .refine((m) => new Set(m).size === m.length, 'Each modifier once.');
const Description = z.string().trim().min(1).max(500);

export const ServiceOfferingResponse = z
  .object({
    id: z.uuid(),
    providerId: z.uuid(),
    serviceCode: z.string(),
    modifiers: z.array(z.string()),
    description: z.string(),
    programId: z.uuid().nullable(),
    unitType: z.enum(UNIT_TYPES),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProviderServiceOffering' });
export type ServiceOfferingView = z.output<typeof ServiceOfferingResponse>;

export const ServiceOfferingListResponse = z.object({ items: z.array(ServiceOfferingResponse) });

export const CreateServiceOfferingBody = z.strictObject({
  serviceCode: ServiceCode,
  modifiers: Modifiers.default([]),
  description: Description,
  /** The agency program it is offered under, when only one. */
  programId: z.uuid().nullable().default(null),
  unitType: z.enum(UNIT_TYPES),
  active: z.boolean().default(true),
});
export type CreateServiceOfferingBody = z.output<typeof CreateServiceOfferingBody>;

export const PatchServiceOfferingBody = z
  .strictObject({
    serviceCode: ServiceCode.optional(),
    modifiers: Modifiers.optional(),
    description: Description.optional(),
    programId: z.uuid().nullable().optional(),
    unitType: z.enum(UNIT_TYPES).optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchServiceOfferingBody = z.output<typeof PatchServiceOfferingBody>;

export const ServiceOfferingIdParams = z.strictObject({ id: z.uuid(), serviceId: z.uuid() });
