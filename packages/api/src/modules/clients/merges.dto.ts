import { z } from 'zod';
import { MOVABLE_TABLES } from './merges.schema.js';

const Reason = z.string().trim().min(1).max(500);

export const MergeBody = z.strictObject({
  /** The record that goes away: its details, enrolments and care team move to this one. */
  duplicateId: z.uuid(),
  reason: Reason,
});
export type MergeBody = z.output<typeof MergeBody>;

export const UnmergeBody = z.strictObject({ reason: Reason });
export type UnmergeBody = z.output<typeof UnmergeBody>;

export const MergeIdParams = z.strictObject({ mergeId: z.uuid() });

export const MergeResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    survivorId: z.uuid(),
    mergedId: z.uuid(),
    reason: z.string(),
    mergedBy: z.uuid(),
    mergedAt: z.string(),
    /** Until when the merge may be undone (CLIENT_UNMERGE_WINDOW_DAYS after it). */
    unmergeableUntil: z.string(),
    unmergedAt: z.string().nullable(),
    unmergedBy: z.uuid().nullable(),
    unmergeReason: z.string().nullable(),
    /** How many rows of each kind moved to the survivor. */
    moved: z.record(z.enum(MOVABLE_TABLES), z.number().int()),
  })
  .meta({ id: 'ClientMerge' });
export type MergeView = z.output<typeof MergeResponse>;
export const MergeListResponse = z.object({ items: z.array(MergeResponse) });
