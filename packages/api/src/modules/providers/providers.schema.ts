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

export type ProvidersTables = {
  'providers.providers': ProviderTable;
  'providers.credentials': CredentialTable;
};
