import type { ColumnType } from 'kysely';
import type { CaseworkTables } from './casework.schema.js';

/** Tables of the `cases` schema, as Kysely sees them. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
/** `date` columns are written as 'YYYY-MM-DD' and read back as text (`::text` in the repository). */
type DateColumn = ColumnType<string, string, string>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export const CASE_TYPES = ['intake', 'ongoing', 'crisis', 'protective', 'ltc'] as const;
export const CASE_STATUSES = ['open', 'pending_closure', 'closed'] as const;
export const RISK_LEVELS = ['low', 'moderate', 'high', 'critical'] as const;
/** How a case came to its worker and team: opened with them, reassigned, or transferred. */
export const ASSIGNMENT_KINDS = ['opened', 'reassigned', 'transferred'] as const;
export const NOTE_TYPES = ['contact', 'progress', 'phone', 'collateral', 'supervision'] as const;
export const NOTE_STATUSES = ['draft', 'signed'] as const;

export type CaseType = (typeof CASE_TYPES)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];
export type NoteType = (typeof NOTE_TYPES)[number];
export type NoteStatus = (typeof NOTE_STATUSES)[number];

export type CaseTable = {
  id: string;
  agency_id: string;
  client_id: string;
  program_id: string;
  type: CaseType;
  status: Defaulted<CaseStatus>;
  risk_level: RiskLevel;
  opened_on: DateColumn;
  closed_on: Optional<string>;
  assigned_worker_id: Optional<string>;
  team_id: string;
  /** The case belongs to a 42 CFR Part 2 program: its notes are Part 2 records by default. */
  part2: Defaulted<boolean>;
  created_by: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

/** Append-only history of who worked a case (the trigger refuses changes). */
export type CaseAssignmentTable = {
  id: string;
  case_id: string;
  kind: AssignmentKind;
  from_worker_id: Optional<string>;
  to_worker_id: Optional<string>;
  from_team_id: Optional<string>;
  to_team_id: string;
  from_program_id: Optional<string>;
  to_program_id: string;
  reason: string;
  assigned_by: string;
  assigned_at: CreatedAt;
};

export type CaseNoteTable = {
  id: string;
  case_id: string;
  author_id: string;
  note_type: NoteType;
  /** When the contact (the service) happened; late entries are measured from it. */
  contact_at: ColumnType<Date, Date | string, Date | string>;
  duration_minutes: Optional<number>;
  body: string;
  part2: boolean;
  status: Defaulted<NoteStatus>;
  signed_at: Optional<Date>;
  signed_by: Optional<string>;
  /** sha256 (hex) of the signed content, so later tampering is detectable. */
  content_hash: Optional<string>;
  cosign_required: Defaulted<boolean>;
  cosigned_at: Optional<Date>;
  cosigned_by: Optional<string>;
  late_entry: Defaulted<boolean>;
  /** The signed note this addendum corrects or adds to. */
  parent_note_id: Optional<string>;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

/** Which cases a client merge moved, so an unmerge moves exactly those back. */
export type MergeMoveTable = {
  merge_id: string;
  case_id: string;
  from_client_id: string;
  to_client_id: string;
  moved_at: CreatedAt;
  restored_at: Optional<Date>;
};

export type CasesTables = {
  'cases.cases': CaseTable;
  'cases.case_assignments': CaseAssignmentTable;
  'cases.case_notes': CaseNoteTable;
  'cases.merge_moves': MergeMoveTable;
} & CaseworkTables;
