import { z } from 'zod';
import { ClientResponse, EnrollmentListResponse } from './clients.dto.js';
import { CoverageResponse } from './coverages.dto.js';
import {
  ADDRESS_TYPES,
  ALIAS_TYPES,
  CONTACT_RELATIONSHIPS,
  EMAIL_TYPES,
  LEGAL_AUTHORITIES,
  PHONE_TYPES,
} from './details.schema.js';
import { toE164 } from './phone-number.js';

export const IsoDate = z.iso.date('Use a date such as 2026-02-03.');
const Text = (max: number) => z.string().trim().min(1).max(max);
const OptionalText = (max: number) => Text(max).nullable();
const State = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Use the two-letter postal abbreviation, e.g. WI.');
const PostalCode = z
  .string()
  .trim()
  .regex(/^\d{5}(-\d{4})?$/, 'A ZIP code is 5 digits, or ZIP+4 such as 53703-1234.');
/** Any usual way of writing a number, stored as E.164 (+16085550100). */
export const PhoneNumber = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const e164 = toE164(value);
    if (e164 === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'A phone number is 10 digits (e.g. 608-555-0100), or + and a country code.',
      });
      return z.NEVER;
    }
    return e164;
  });
export const EmailAddress = z
  .email('Use an email address such as name@example.org.')
  .max(254)
  .transform((v) => v.toLowerCase());

const Audited = {
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const AliasIdParams = z.strictObject({ id: z.uuid(), aliasId: z.uuid() });
export const AddressIdParams = z.strictObject({ id: z.uuid(), addressId: z.uuid() });
export const PhoneIdParams = z.strictObject({ id: z.uuid(), phoneId: z.uuid() });
export const EmailIdParams = z.strictObject({ id: z.uuid(), emailId: z.uuid() });
export const ContactIdParams = z.strictObject({ id: z.uuid(), contactId: z.uuid() });

// Aliases ---------------------------------------------------------------------------------------

export const AliasResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    name: z.string(),
    type: z.enum(ALIAS_TYPES),
    ...Audited,
  })
  .meta({ id: 'ClientAlias' });
export type AliasView = z.output<typeof AliasResponse>;
export const AliasListResponse = z.object({ items: z.array(AliasResponse) });

export const CreateAliasBody = z.strictObject({
  /** The whole name as the client was or is known, e.g. 'Maria Lopez'. */
  name: Text(200),
  type: z.enum(ALIAS_TYPES),
});
export type CreateAliasBody = z.output<typeof CreateAliasBody>;
export const PatchAliasBody = CreateAliasBody.partial().refine(
  (b) => Object.keys(b).length > 0,
  'Send at least one field to change.',
);
export type PatchAliasBody = z.output<typeof PatchAliasBody>;

// Addresses -------------------------------------------------------------------------------------

export const AddressResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    type: z.enum(ADDRESS_TYPES),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    state: z.string(),
    postalCode: z.string(),
    county: z.string().nullable(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    /** Valid today. */
    current: z.boolean(),
    ...Audited,
  })
  .meta({ id: 'ClientAddress' });
export type AddressView = z.output<typeof AddressResponse>;
export const AddressListResponse = z.object({ items: z.array(AddressResponse) });
export const AddressListQuery = z.strictObject({
  /** Only addresses valid today (default: the whole history). */
  current: z.enum(['true', 'false']).default('false'),
});
export type AddressListQuery = z.output<typeof AddressListQuery>;

const AddressLines = {
  line1: Text(200),
  line2: OptionalText(200),
  city: Text(100),
  state: State,
  postalCode: PostalCode,
  /** The county the address is in (e.g. Dane): residency decides which county serves the client. */
  county: OptionalText(100),
};
export const CreateAddressBody = z.strictObject({
  type: z.enum(ADDRESS_TYPES),
  ...AddressLines,
  line2: AddressLines.line2.default(null),
  county: AddressLines.county.default(null),
  /** Default: today. The client's current address of this type ends the day before. */
  validFrom: IsoDate.optional(),
});
export type CreateAddressBody = z.output<typeof CreateAddressBody>;
export const PatchAddressBody = z
  .strictObject(AddressLines)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchAddressBody = z.output<typeof PatchAddressBody>;
export const EndAddressBody = z.strictObject({ validTo: IsoDate });
export type EndAddressBody = z.output<typeof EndAddressBody>;

// Phones and emails -----------------------------------------------------------------------------

export const PhoneResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    type: z.enum(PHONE_TYPES),
    /** E.164, e.g. +16085550100. */
    number: z.string(),
    smsOk: z.boolean(),
    primary: z.boolean(),
    ...Audited,
  })
  .meta({ id: 'ClientPhone' });
export type PhoneView = z.output<typeof PhoneResponse>;
export const PhoneListResponse = z.object({ items: z.array(PhoneResponse) });
export const CreatePhoneBody = z.strictObject({
  type: z.enum(PHONE_TYPES),
  number: PhoneNumber,
  /** The client agreed to text messages on this number. */
  smsOk: z.boolean().default(false),
  /** Becomes the number to call first (the previous primary stops being one). */
  primary: z.boolean().default(false),
});
export type CreatePhoneBody = z.output<typeof CreatePhoneBody>;
export const PatchPhoneBody = z
  .strictObject({
    type: z.enum(PHONE_TYPES),
    number: PhoneNumber,
    smsOk: z.boolean(),
    primary: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchPhoneBody = z.output<typeof PatchPhoneBody>;

export const EmailResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    type: z.enum(EMAIL_TYPES),
    address: z.string(),
    primary: z.boolean(),
    ...Audited,
  })
  .meta({ id: 'ClientEmail' });
export type EmailView = z.output<typeof EmailResponse>;
export const EmailListResponse = z.object({ items: z.array(EmailResponse) });
export const CreateEmailBody = z.strictObject({
  type: z.enum(EMAIL_TYPES).default('personal'),
  address: EmailAddress,
  primary: z.boolean().default(false),
});
export type CreateEmailBody = z.output<typeof CreateEmailBody>;
export const PatchEmailBody = z
  .strictObject({ type: z.enum(EMAIL_TYPES), address: EmailAddress, primary: z.boolean() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchEmailBody = z.output<typeof PatchEmailBody>;

// Contacts and guardians ------------------------------------------------------------------------

export const ContactResponse = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    name: z.string(),
    relationship: z.enum(CONTACT_RELATIONSHIPS),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    isGuardian: z.boolean(),
    legalAuthority: z.enum(LEGAL_AUTHORITIES),
    canReceiveInfo: z.boolean(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    current: z.boolean(),
    ...Audited,
  })
  .meta({ id: 'ClientContact' });
export type ContactView = z.output<typeof ContactResponse>;
export const ContactListResponse = z.object({ items: z.array(ContactResponse) });

const ContactFields = {
  name: Text(200),
  relationship: z.enum(CONTACT_RELATIONSHIPS),
  phone: PhoneNumber.nullable(),
  email: EmailAddress.nullable(),
  /** A guardian (or other legal representative) must name their legal authority. */
  isGuardian: z.boolean(),
  legalAuthority: z.enum(LEGAL_AUTHORITIES),
  /** Whether staff may share information about the client with this person. */
  canReceiveInfo: z.boolean(),
};
const guardianHasAuthority = (b: { isGuardian?: boolean; legalAuthority?: string }) =>
  !b.isGuardian || (b.legalAuthority !== undefined && b.legalAuthority !== 'none');
const GUARDIAN_NEEDS_AUTHORITY = {
  message: 'A guardian holds a legal authority: name it (e.g. guardian_of_person).',
  path: ['legalAuthority'],
};
export const CreateContactBody = z
  .strictObject({
    ...ContactFields,
    phone: ContactFields.phone.default(null),
    email: ContactFields.email.default(null),
    isGuardian: ContactFields.isGuardian.default(false),
    legalAuthority: ContactFields.legalAuthority.default('none'),
    canReceiveInfo: ContactFields.canReceiveInfo.default(false),
    /** Default: today. */
    validFrom: IsoDate.optional(),
    validTo: IsoDate.nullable().default(null),
  })
  .refine(guardianHasAuthority, GUARDIAN_NEEDS_AUTHORITY);
export type CreateContactBody = z.output<typeof CreateContactBody>;
export const PatchContactBody = z
  .strictObject(ContactFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchContactBody = z.output<typeof PatchContactBody>;
export const EndContactBody = z.strictObject({ validTo: IsoDate });
export type EndContactBody = z.output<typeof EndContactBody>;

// The chart -------------------------------------------------------------------------------------

export const ChartResponse = z
  .object({
    client: ClientResponse,
    aliases: z.array(AliasResponse),
    /** Addresses valid today, one of each type at most. */
    addresses: z.array(AddressResponse),
    phones: z.array(PhoneResponse),
    emails: z.array(EmailResponse),
    /** Contacts and guardians valid today. */
    contacts: z.array(ContactResponse),
    /** Coverages in force today or starting later. */
    coverages: z.array(CoverageResponse),
    /** As GET /:id/enrollments answers: Part 2 enrolments the caller may not see are only counted. */
    enrollments: EnrollmentListResponse,
  })
  .meta({ id: 'ClientChart' });
export type ChartView = z.output<typeof ChartResponse>;
