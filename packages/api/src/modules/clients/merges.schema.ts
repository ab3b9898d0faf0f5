import type { ColumnType } from 'kysely';
import type { CLIENT_STATUSES } from './clients.schema.js';

/** Tables of record merges (migration 0003): what was merged, and exactly which rows moved. */

/** Tables whose rows follow a client into a merge (and back on un-merge). */
export const MOVABLE_TABLES = [
  'aliases',
  'addresses',
  'phones',
  'emails',
  'contacts',
  'coverages',
  'enrollments',
  'care_team',
  // Consents are the person's, whichever record they were signed on.
  'consents',
] as const;
export type MovableTable = (typeof MOVABLE_TABLES)[number];

export type MergeTable = {
  id: string;
  agency_id: string;
  survivor_id: string;
  merged_id: string;
  reason: string;
  /** The duplicate's status before the merge, restored by un-merge. */
  merged_prior_status: Exclude<(typeof CLIENT_STATUSES)[number], 'merged'>;
  merged_by: string;
  merged_at: ColumnType<Date, Date | string | undefined, Date | string>;
  unmerged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  unmerged_by: ColumnType<string | null, string | null | undefined, string | null>;
  unmerge_reason: ColumnType<string | null, string | null | undefined, string | null>;
};

export type MergeMoveTable = {
  merge_id: string;
  table_name: MovableTable;
  row_id: string;
  /** A primary phone or email of the duplicate that lost its primary flag to the survivor's. */
  was_primary: ColumnType<boolean, boolean | undefined, boolean>;
};

export type MergesTables = {
  'clients.merges': MergeTable;
  'clients.merge_moves': MergeMoveTable;
};
