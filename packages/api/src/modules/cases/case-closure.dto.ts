import { z } from 'zod';
import { agencyToday } from '../../platform/time/agency-today.js';
import { CASE_STATUSES } from './cases.schema.js';
import { CLOSURE_REQUEST_STATUSES, STATUS_CHANGE_KINDS } from './casework.schema.js';

const Reason = z.string().trim().min(1).max(2000);

export const ClosureParams = z.strictObject({ id: z.uuid() });
export const ClosureRequestParams = z.strictObject({ id: z.uuid(), requestId: z.uuid() });

export const RequestClosureBody = z.strictObject({
  reason: Reason,
  /** The day the case ends (not in the future, not before it opened). */
  closedOn: z.iso
    .date('Use a date such as 2026-01-05.')
    .refine((d) => d <= agencyToday(), 'A case cannot close in the future.'),
});
export type RequestClosureBody = z.output<typeof RequestClosureBody>;

export const ApproveClosureBody = z.strictObject({ note: Reason.optional() });
export type ApproveClosureBody = z.output<typeof ApproveClosureBody>;

export const RejectClosureBody = z.strictObject({ reason: Reason });
export type RejectClosureBody = z.output<typeof RejectClosureBody>;

export const ReopenBody = z.strictObject({ reason: Reason });
export type ReopenBody = z.output<typeof ReopenBody>;

export const ClosureRequestResponse = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    reason: z.string(),
    closedOn: z.string(),
    status: z.enum(CLOSURE_REQUEST_STATUSES),
    requestedBy: z.uuid(),
    requestedAt: z.string(),
    decidedBy: z.uuid().nullable(),
    decidedAt: z.string().nullable(),
    /** The approver's note, or why it was rejected. */
    decisionNote: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'CaseClosureRequest' });
export type ClosureRequestView = z.output<typeof ClosureRequestResponse>;
export const ClosureRequestListResponse = z.object({ items: z.array(ClosureRequestResponse) });

export const StatusChangeResponse = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    kind: z.enum(STATUS_CHANGE_KINDS),
    fromStatus: z.enum(CASE_STATUSES),
    toStatus: z.enum(CASE_STATUSES),
    reason: z.string(),
    closureRequestId: z.uuid().nullable(),
    changedBy: z.uuid(),
    changedAt: z.string(),
  })
  .meta({ id: 'CaseStatusChange' });
export type StatusChangeView = z.output<typeof StatusChangeResponse>;
export const StatusChangeListResponse = z.object({ items: z.array(StatusChangeResponse) });
