import type { ColumnType } from 'kysely';
import { PURPOSES_OF_USE } from '../../platform/http/request-context.js';

/** Tables of consents and break-the-glass in the `clients` schema, as Kysely sees them. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
type DateColumn = ColumnType<string, string, string>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const CONSENT_KINDS = ['general', 'part2'] as const;
/** Who a consent lets receive the information: a person, team, program or agency here, or an organisation outside. */
export const RECIPIENT_TYPES = ['user', 'team', 'program', 'agency', 'organization'] as const;
/** HL7 PurposeOfUse codes a consent can name (the ones a request can state in X-Purpose-Of-Use). */
export const CONSENT_PURPOSES = PURPOSES_OF_USE;
export const INFORMATION_CATEGORIES = [
  'all',
  'demographics',
  'enrollments',
  'substance_use',
  'mental_health',
  'hiv',
  'case_notes',
  'documents',
] as const;
/** A consent's standing today: in force, not yet effective, past its expiry, or revoked. */
export const CONSENT_STATUSES = ['active', 'scheduled', 'expired', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export const SIGNER_RELATIONSHIPS = ['self', 'parent', 'guardian', 'legal_representative', 'other'] as const;
export const REVIEW_STATUSES = ['open', 'reviewed'] as const;
export const REVIEW_OUTCOMES = ['appropriate', 'inappropriate'] as const;

export type ConsentTable = {
  id: string;
  client_id: string;
  kind: (typeof CONSENT_KINDS)[number];
  recipient_type: (typeof RECIPIENT_TYPES)[number];
  /** The user, team, program or agency; for an outside organisation, optionally its provider id. */
  recipient_id: Optional<string>;
  recipient_name: Optional<string>;
  purposes: ColumnType<string[], string[], string[]>;
  categories: ColumnType<string[], string[], string[]>;
  /** The Part 2 program permitted to disclose (42 CFR 2.31(a)(2)); null for a general consent. */
  disclosing_program_id: Optional<string>;
  effective_from: DateColumn;
  expires_on: ColumnType<string | null, string | null | undefined, string | null>;
  signed_on: DateColumn;
  signed_by_name: string;
  signed_by_relationship: (typeof SIGNER_RELATIONSHIPS)[number];
  /** The signed form, when it has been scanned into documents. */
  document_id: Optional<string>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_by: Optional<string>;
  revocation_reason: Optional<string>;
  created_by: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type BreakGlassTable = {
  id: string;
  /** The client's (and the user's) agency: whose privacy officer reviews it. */
  agency_id: string;
  client_id: string;
  user_id: string;
  reason: string;
  purpose_of_use: string;
  granted_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, Date | string>;
};

export type PrivacyReviewTable = {
  id: string;
  agency_id: string;
  break_glass_id: string;
  status: ColumnType<(typeof REVIEW_STATUSES)[number], (typeof REVIEW_STATUSES)[number] | undefined>;
  reviewer_id: Optional<string>;
  outcome: Optional<(typeof REVIEW_OUTCOMES)[number]>;
  notes: Optional<string>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type PrivacyTables = {
  'clients.consents': ConsentTable;
  'clients.break_glass': BreakGlassTable;
  'clients.privacy_reviews': PrivacyReviewTable;
};
