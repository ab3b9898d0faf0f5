import { z } from 'zod';
import { agencyToday } from '../../platform/time/agency-today.js';
import { ASSIGNMENT_KINDS, CASE_STATUSES, CASE_TYPES, RISK_LEVELS } from './cases.schema.js';

const IsoDate = z.iso.date('Use a date such as 2026-01-05.');
const Reason = z.string().trim().min(1).max(500);

export const CaseResponse = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    clientId: z.uuid(),
    programId: z.uuid(),
    type: z.enum(CASE_TYPES),
    status: z.enum(CASE_STATUSES),
    riskLevel: z.enum(RISK_LEVELS),
    openedOn: z.string(),
    closedOn: z.string().nullable(),
    assignedWorkerId: z.uuid().nullable(),
    teamId: z.uuid(),
    /** The case is in a 42 CFR Part 2 program: its notes are Part 2 records. */
    part2: z.boolean(),
    /** How the caller reached this case: `break_glass` while an emergency grant is used. */
    access: z.enum(['scope', 'break_glass']),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Case' });
export type CaseView = z.output<typeof CaseResponse>;

export const CaseIdParams = z.strictObject({ id: z.uuid() });

export const CASELOAD_VIEWS = ['mine', 'team', 'program'] as const;

export const CaseListQuery = z.strictObject({
  /** `mine`: assigned to me; `team`: my teams' cases; `program`: my programs' cases. Default: all within my scope. */
  view: z.enum(CASELOAD_VIEWS).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  clientId: z.uuid().optional(),
  riskLevel: z.enum(RISK_LEVELS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type CaseListQuery = z.output<typeof CaseListQuery>;

export const CaseListResponse = z.object({ items: z.array(CaseResponse), nextCursor: z.string().nullable() });

export const OpenCaseBody = z.strictObject({
  clientId: z.uuid(),
  programId: z.uuid(),
  type: z.enum(CASE_TYPES),
  riskLevel: z.enum(RISK_LEVELS),
  openedOn: IsoDate.refine((d) => d <= agencyToday(), 'A case cannot open in the future.').optional(),
  /** The team that works the case; defaults to the caller's first team. */
  teamId: z.uuid().optional(),
  /** The assigned worker; defaults to the caller, `null` leaves the case in the team's queue. */
  workerId: z.uuid().nullable().optional(),
  /** Opened in a 42 CFR Part 2 program. */
  part2: z.boolean().default(false),
});
export type OpenCaseBody = z.output<typeof OpenCaseBody>;

export const PatchCaseBody = z
  .strictObject({
    type: z.enum(CASE_TYPES),
    riskLevel: z.enum(RISK_LEVELS),
    part2: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchCaseBody = z.output<typeof PatchCaseBody>;

export const ReassignCaseBody = z.strictObject({
  workerId: z.uuid(),
  /** Another team of the same program; defaults to the case's team. */
  teamId: z.uuid().optional(),
  reason: Reason,
});
export type ReassignCaseBody = z.output<typeof ReassignCaseBody>;

export const TransferCaseBody = z.strictObject({
  teamId: z.uuid(),
  /** The receiving program; defaults to the case's program. */
  programId: z.uuid().optional(),
  /** The receiving worker; `null` (default) puts the case in the receiving team's queue. */
  workerId: z.uuid().nullable().default(null),
  reason: Reason,
});
export type TransferCaseBody = z.output<typeof TransferCaseBody>;

export const AssignmentResponse = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    kind: z.enum(ASSIGNMENT_KINDS),
    fromWorkerId: z.uuid().nullable(),
    toWorkerId: z.uuid().nullable(),
    fromTeamId: z.uuid().nullable(),
    toTeamId: z.uuid(),
    fromProgramId: z.uuid().nullable(),
    toProgramId: z.uuid(),
    reason: z.string(),
    assignedBy: z.uuid(),
    assignedAt: z.string(),
  })
  .meta({ id: 'CaseAssignment' });
export type AssignmentView = z.output<typeof AssignmentResponse>;
export const AssignmentListResponse = z.object({ items: z.array(AssignmentResponse) });
