import type { ColumnType } from 'kysely';
import type { DetailsTables } from './details.schema.js';
import type { MergesTables } from './merges.schema.js';
import type { PrivacyTables } from './privacy.schema.js';

/** Tables of the `clients` schema, as Kysely sees them. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
/** `date` columns are written as 'YYYY-MM-DD' and read back as text (`::text` in the repository). */
type DateColumn = ColumnType<string, string, string>;
type OptionalDate = ColumnType<string | null, string | null | undefined, string | null>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const SEXES_AT_BIRTH = ['female', 'male', 'intersex', 'unknown'] as const;
export const ETHNICITIES = ['hispanic_or_latino', 'not_hispanic_or_latino', 'unknown', 'declined'] as const;
/** OMB race categories (a client may report several). */
export const RACES = [
  'american_indian_or_alaska_native',
  'asian',
  'black_or_african_american',
  'native_hawaiian_or_pacific_islander',
  'white',
  'other',
  'unknown',
  'declined',
] as const;
export const CLIENT_STATUSES = ['active', 'inactive', 'deceased', 'merged'] as const;
export const CARE_TEAM_SOURCES = ['registration', 'case', 'manual'] as const;

export type ClientTable = {
  id: string;
  agency_id: string;
  given_name: string;
  middle_name: Optional<string>;
  family_name: string;
  preferred_name: Optional<string>;
  birth_date: DateColumn;
  sex_at_birth: (typeof SEXES_AT_BIRTH)[number];
  gender_identity: Optional<string>;
  pronouns: Optional<string>;
  race: ColumnType<string[], string[] | undefined, string[]>;
  ethnicity: Optional<(typeof ETHNICITIES)[number]>;
  primary_language: Optional<string>;
  interpreter_needed: ColumnType<boolean, boolean | undefined, boolean>;
  /** FieldCipher ciphertext; `ssn_index` is its blind index, `ssn_last4` the part shown masked. */
  ssn_ciphertext: Optional<string>;
  ssn_index: Optional<string>;
  ssn_last4: Optional<string>;
  medicaid_id_ciphertext: Optional<string>;
  medicaid_id_index: Optional<string>;
  status: ColumnType<(typeof CLIENT_STATUSES)[number], (typeof CLIENT_STATUSES)[number] | undefined>;
  merged_into_id: Optional<string>;
  deceased_on: OptionalDate;
  created_by: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type CareTeamTable = {
  id: string;
  client_id: string;
  team_id: Optional<string>;
  user_id: Optional<string>;
  source: (typeof CARE_TEAM_SOURCES)[number];
  source_id: Optional<string>;
  started_at: CreatedAt;
  ended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
};

export type EnrollmentTable = {
  id: string;
  client_id: string;
  program_id: string;
  start_date: DateColumn;
  end_date: OptionalDate;
  reason: string;
  end_reason: Optional<string>;
  /** Enrolment in a 42 CFR Part 2 (substance use disorder) program: disclosed only with consent. */
  part2: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type ClientsTables = {
  'clients.clients': ClientTable;
  'clients.care_team': CareTeamTable;
  'clients.enrollments': EnrollmentTable;
} & PrivacyTables &
  DetailsTables &
  MergesTables;
