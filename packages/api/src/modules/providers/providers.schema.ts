import type { ColumnType } from 'kysely';

/** Tables of the `providers` schema, as Kysely sees them. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are written as 'YYYY-MM-DD' and read back as text (see the repository). */
type DateColumn = ColumnType<string, string, string>;

export const PROVIDER_KINDS = ['individual', 'organization'] as const;
export const PROVIDER_STATUSES = ['active', 'inactive'] as const;
export const CREDENTIAL_TYPES = ['license', 'certification', 'dea', 'board'] as const;
export const VERIFICATION_STATUSES = ['unverified', 'verified', 'rejected'] as const;
/** Expiry thresholds flagged by the daily job, in the order a credential crosses them. */
export const EXPIRY_THRESHOLDS = ['90', '60', '30', 'expired'] as const;
export type ExpiryThreshold = (typeof EXPIRY_THRESHOLDS)[number];
/** How a service is counted on a claim and priced on a contract line. */
export const UNIT_TYPES = ['15min', 'hour', 'day', 'session', 'unit'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export const CONTRACT_STATUSES = ['draft', 'active', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
type Version = ColumnType<number, number | undefined, number>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type Flag = ColumnType<boolean, boolean | undefined, boolean>;

export type ProviderTable = {
  id: string;
  agency_id: string;
  kind: (typeof PROVIDER_KINDS)[number];
  name: string;
  npi: string;
  taxonomy_code: string | null;
  status: ColumnType<(typeof PROVIDER_STATUSES)[number], (typeof PROVIDER_STATUSES)[number] | undefined>;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type CredentialTable = {
  id: string;
  provider_id: string;
  type: (typeof CREDENTIAL_TYPES)[number];
  number: string;
  issuer: string;
  issued_on: ColumnType<string | null, string | null | undefined, string | null>;
  expires_on: DateColumn;
  verification_status: ColumnType<
    (typeof VERIFICATION_STATUSES)[number],
    (typeof VERIFICATION_STATUSES)[number] | undefined
  >;
  last_flagged_threshold: ColumnType<ExpiryThreshold | null, ExpiryThreshold | null | undefined>;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type LocationTable = {
  id: string;
  provider_id: string;
  name: string;
  address_line1: string;
  address_line2: string | null;
  city: string;
  state: string;
  postal_code: string;
  phone: string | null;
  county: string | null;
  active: Flag;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type ServiceOfferingTable = {
  id: string;
  provider_id: string;
  service_code: string;
  modifiers: ColumnType<string[], string[] | undefined, string[]>;
  description: string;
  program_id: string | null;
  unit_type: UnitType;
  active: Flag;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type ContractTable = {
  id: string;
  provider_id: string;
  agency_id: string;
  number: string;
  starts_on: DateColumn;
  ends_on: NullableDate;
  status: ColumnType<ContractStatus, ContractStatus | undefined, ContractStatus>;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type ContractLineTable = {
  id: string;
  contract_id: string;
  service_code: string;
  rate_cents: number;
  unit_type: UnitType;
  cap_units: number | null;
  cap_amount_cents: number | null;
  /** Null: from the contract's start. */
  starts_on: NullableDate;
  /** Null: until the contract's end. */
  ends_on: NullableDate;
  created_at: CreatedAt;
};

export type ProvidersTables = {
  'providers.providers': ProviderTable;
  'providers.credentials': CredentialTable;
  'providers.locations': LocationTable;
  'providers.service_offerings': ServiceOfferingTable;
  'providers.contracts': ContractTable;
  'providers.contract_lines': ContractLineTable;
};
