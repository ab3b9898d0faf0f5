import type { ColumnType } from 'kysely';

/** Tables of a client's details (migration 0002): names, addresses, contact points, people, coverage. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
/** `date` columns are written as 'YYYY-MM-DD' and read back as text (`::text` in the repository). */
type DateColumn = ColumnType<string, string, string>;
type OptionalDate = ColumnType<string | null, string | null | undefined, string | null>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Flag = ColumnType<boolean, boolean | undefined, boolean>;
/** When a row was removed (soft: kept for the record and for un-merge). */
type EndedAt = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const ALIAS_TYPES = ['maiden', 'nickname', 'legal_prior', 'other'] as const;
export const ADDRESS_TYPES = ['home', 'mailing', 'shelter'] as const;
export const PHONE_TYPES = ['mobile', 'home', 'work'] as const;
export const EMAIL_TYPES = ['personal', 'work', 'other'] as const;
export const CONTACT_RELATIONSHIPS = [
  'parent',
  'spouse',
  'partner',
  'child',
  'sibling',
  'grandparent',
  'other_relative',
  'foster_parent',
  'friend',
  'other',
] as const;
/**
 * What a contact may decide for the client under Wisconsin law: a parent of a minor, a guardian
 * of the person or estate (Wis. Stat. ch. 54), an activated health care agent (ch. 155), a
 * financial agent (ch. 244), a representative payee, or nothing.
 */
export const LEGAL_AUTHORITIES = [
  'none',
  'parent_of_minor',
  'guardian_of_person',
  'guardian_of_estate',
  'health_care_agent',
  'financial_agent',
  'representative_payee',
  'other',
] as const;
export const PAYERS = ['medicaid', 'medicare', 'private', 'other'] as const;
export const COVERAGE_PRIORITIES = ['primary', 'secondary'] as const;

interface Audited {
  created_by: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AliasTable extends Audited {
  id: string;
  client_id: string;
  /** The whole name as the client was or is known, e.g. 'Maria Lopez'. */
  name: string;
  type: (typeof ALIAS_TYPES)[number];
  ended_at: EndedAt;
}

export interface AddressTable extends Audited {
  id: string;
  client_id: string;
  type: (typeof ADDRESS_TYPES)[number];
  line1: string;
  line2: Optional<string>;
  city: string;
  state: string;
  postal_code: string;
  county: Optional<string>;
  valid_from: DateColumn;
  valid_to: OptionalDate;
}

export interface PhoneTable extends Audited {
  id: string;
  client_id: string;
  type: (typeof PHONE_TYPES)[number];
  /** E.164, e.g. +16085550100. */
  number: string;
  sms_ok: Flag;
  is_primary: Flag;
  ended_at: EndedAt;
}

export interface EmailTable extends Audited {
  id: string;
  client_id: string;
  type: (typeof EMAIL_TYPES)[number];
  /** Lower-cased. */
  address: string;
  is_primary: Flag;
  ended_at: EndedAt;
}

export interface ContactTable extends Audited {
  id: string;
  client_id: string;
  name: string;
  relationship: (typeof CONTACT_RELATIONSHIPS)[number];
  phone: Optional<string>;
  email: Optional<string>;
  is_guardian: Flag;
  legal_authority: (typeof LEGAL_AUTHORITIES)[number];
  /** Whether staff may share information about the client with this person. */
  can_receive_info: Flag;
  valid_from: DateColumn;
  valid_to: OptionalDate;
}

export interface CoverageTable extends Audited {
  id: string;
  client_id: string;
  payer: (typeof PAYERS)[number];
  payer_name: Optional<string>;
  /** The member id is a health-plan identifier: FieldCipher ciphertext, blind index, last four. */
  member_id_ciphertext: string;
  member_id_index: string;
  member_id_last4: string;
  group_number: Optional<string>;
  plan_name: Optional<string>;
  priority: (typeof COVERAGE_PRIORITIES)[number];
  start_date: DateColumn;
  end_date: OptionalDate;
}

export type DetailsTables = {
  'clients.aliases': AliasTable;
  'clients.addresses': AddressTable;
  'clients.phones': PhoneTable;
  'clients.emails': EmailTable;
  'clients.contacts': ContactTable;
  'clients.coverages': CoverageTable;
};
