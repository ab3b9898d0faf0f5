import { z } from 'zod';

const Text = (max: number) => z.string().trim().min(1).max(max);
const State = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Use the two-letter postal abbreviation, e.g. WI.');
const PostalCode = z
  .string()
  .trim()
  .regex(/^\d{5}(-\d{4})?$/, 'A ZIP code is 5 digits, or ZIP+4 such as 53703-1234.');
/** US numbers in any usual punctuation, kept as 608-555-0100. */
const Phone = z
  .string()
  .trim()
  .regex(
    /^(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}$/,
    'A phone number is 10 digits, e.g. 608-555-0100.',
  )
  .transform((phone) => {
    const digits = phone.replace(/\D/g, '').slice(-10);
    return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
  });

export const LocationResponse = z
  .object({
    id: z.uuid(),
    providerId: z.uuid(),
    name: z.string(),
    addressLine1: z.string(),
    addressLine2: z.string().nullable(),
    city: z.string(),
    state: z.string(),
    postalCode: z.string(),
    phone: z.string().nullable(),
    county: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProviderLocation' });
export type LocationView = z.output<typeof LocationResponse>;

export const LocationListResponse = z.object({ items: z.array(LocationResponse) });

export const CreateLocationBody = z.strictObject({
  name: Text(200),
  addressLine1: Text(200),
  addressLine2: Text(200).nullable().default(null),
  city: Text(100),
  state: State,
  postalCode: PostalCode,
  phone: Phone.nullable().default(null),
  /** The county the site is in (e.g. Dane), which may differ from the agency's. */
  county: Text(100).nullable().default(null),
  active: z.boolean().default(true),
});
export type CreateLocationBody = z.output<typeof CreateLocationBody>;

export const PatchLocationBody = z
  .strictObject({
    name: Text(200).optional(),
    addressLine1: Text(200).optional(),
    addressLine2: Text(200).nullable().optional(),
    city: Text(100).optional(),
    state: State.optional(),
    postalCode: PostalCode.optional(),
    phone: Phone.nullable().optional(),
    county: Text(100).nullable().optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchLocationBody = z.output<typeof PatchLocationBody>;

export const LocationIdParams = z.strictObject({ id: z.uuid(), locationId: z.uuid() });
