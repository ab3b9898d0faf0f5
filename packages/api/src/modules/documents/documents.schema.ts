import type { ColumnType } from 'kysely';

/** Tables of the `documents` schema, as Kysely sees them. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** `date` columns are written as 'YYYY-MM-DD' and read back as text (`::text` in the repository). */
type DateColumn = ColumnType<string, string, string>;

export const DOCUMENT_CATEGORIES = [
  'assessment',
  'consent_form',
  'id_card',
  'insurance_card',
  'court_order',
  'correspondence',
  'clinical_report',
  'other',
] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];

/**
 * How long a document must be kept (see retention.ts): clinical records 7 years, a minor's until
 * the age of 25 (and at least 7 years), billing records 10 years, or for good.
 */
export const RETENTION_CLASSES = ['clinical_7y', 'minor_until_25', 'billing_10y', 'permanent'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

export const DOCUMENT_STATUSES = ['active', 'deleted'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export type DocumentTable = {
  id: string;
  agency_id: string;
  title: string;
  category: DocumentCategory;
  /** The records the document belongs to; at least one. Access is decided through them. */
  client_id: Optional<string>;
  case_id: Optional<string>;
  provider_id: Optional<string>;
  /** A 42 CFR Part 2 record, held by `owning_program_id`. */
  part2: boolean;
  owning_program_id: Optional<string>;
  /** The date the document bears (signed, issued, written); retention counts from it. */
  document_date: DateColumn;
  retention_class: RetentionClass;
  /** Null for permanent records. */
  destroy_after: ColumnType<string | null, string | null, string | null>;
  legal_hold: Defaulted<boolean>;
  legal_hold_reason: Optional<string>;
  legal_hold_set_by: Optional<string>;
  legal_hold_set_at: Optional<Date>;
  status: Defaulted<DocumentStatus>;
  deleted_at: Optional<Date>;
  deleted_by: Optional<string>;
  deletion_reason: Optional<string>;
  current_version: number;
  created_by: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

/** One uploaded file of a document; append-only (the trigger refuses changes). */
export type DocumentVersionTable = {
  document_id: string;
  version_number: number;
  /** Where the bytes are in the blob store; never contains the file name. */
  blob_key: string;
  size_bytes: number;
  sha256: string;
  content_type: string;
  original_filename: string;
  uploaded_by: string;
  uploaded_at: CreatedAt;
};

/** Which documents a client merge moved, so an unmerge moves exactly those back. */
export type DocumentMergeMoveTable = {
  merge_id: string;
  document_id: string;
  from_client_id: string;
  to_client_id: string;
  moved_at: CreatedAt;
  restored_at: Optional<Date>;
};

export type DocumentsTables = {
  'documents.documents': DocumentTable;
  'documents.document_versions': DocumentVersionTable;
  'documents.merge_moves': DocumentMergeMoveTable;
};
