import { z } from 'zod';
import { RISK_LEVELS } from './cases.schema.js';
import { TASK_SOURCES, TASK_STATUSES, TASK_TYPES } from './casework.schema.js';

const IsoDate = z.iso.date('Use a date such as 2026-01-05.');
const Title = z.string().trim().min(1).max(300);

export const CaseTasksParams = z.strictObject({ id: z.uuid() });
export const CaseTaskParams = z.strictObject({ id: z.uuid(), taskId: z.uuid() });
export const PolicyLevelParams = z.strictObject({ riskLevel: z.enum(RISK_LEVELS) });

export const TASK_QUEUES = ['mine', 'team', 'overdue'] as const;

export const TaskQueueQuery = z.strictObject({
  /** `mine`: open tasks assigned to me; `team`: my teams' cases'; `overdue`: past due within my scope. */
  queue: z.enum(TASK_QUEUES).default('mine'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type TaskQueueQuery = z.output<typeof TaskQueueQuery>;

export const CaseTasksQuery = z.strictObject({ status: z.enum(TASK_STATUSES).optional() });
export type CaseTasksQuery = z.output<typeof CaseTasksQuery>;

export const CreateTaskBody = z.strictObject({
  title: Title,
  type: z.enum(TASK_TYPES),
  dueOn: IsoDate,
  /** Defaults to the case's worker, else the caller. */
  assignedTo: z.uuid().nullable().optional(),
});
export type CreateTaskBody = z.output<typeof CreateTaskBody>;

export const PatchTaskBody = z
  .strictObject({
    title: Title,
    dueOn: IsoDate,
    assignedTo: z.uuid().nullable(),
    /** `done` or `cancelled` closes the task. */
    status: z.enum(['done', 'cancelled']),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change.');
export type PatchTaskBody = z.output<typeof PatchTaskBody>;

export const TaskResponse = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    title: z.string(),
    type: z.enum(TASK_TYPES),
    /** `policy`: the case's contact task, dated by the contact policy; `manual`: made by a person. */
    source: z.enum(TASK_SOURCES),
    dueOn: z.string(),
    /** For the policy's task: the day the due date is counted from. */
    basisOn: z.string().nullable(),
    assignedTo: z.uuid().nullable(),
    status: z.enum(TASK_STATUSES),
    overdue: z.boolean(),
    completedAt: z.string().nullable(),
    completedBy: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CaseTask' });
export type TaskView = z.output<typeof TaskResponse>;
export const TaskListResponse = z.object({ items: z.array(TaskResponse) });

export const QueuedTaskResponse = TaskResponse.extend({
  clientId: z.uuid(),
  programId: z.uuid(),
  teamId: z.uuid(),
  riskLevel: z.enum(RISK_LEVELS),
}).meta({ id: 'QueuedCaseTask' });
export type QueuedTaskView = z.output<typeof QueuedTaskResponse>;
export const TaskQueueResponse = z.object({
  items: z.array(QueuedTaskResponse),
  nextCursor: z.string().nullable(),
});

export const ContactPolicyEntryResponse = z
  .object({
    riskLevel: z.enum(RISK_LEVELS),
    /** Days between required contacts at this risk level. */
    intervalDays: z.number().int(),
    /** `default` until the agency sets its own value. */
    source: z.enum(['default', 'agency']),
    /** The If-Match for a change: 0 while the default applies. */
    version: z.number().int(),
    updatedBy: z.uuid().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'ContactPolicyEntry' });
export type ContactPolicyEntryView = z.output<typeof ContactPolicyEntryResponse>;
export const ContactPolicyResponse = z.object({ items: z.array(ContactPolicyEntryResponse) });

export const ChangeContactPolicyBody = z.strictObject({
  intervalDays: z.number().int().min(1).max(365),
  reason: z.string().trim().min(1).max(2000),
});
export type ChangeContactPolicyBody = z.output<typeof ChangeContactPolicyBody>;

export const ContactPolicyChangeResponse = z
  .object({
    id: z.uuid(),
    riskLevel: z.enum(RISK_LEVELS),
    fromDays: z.number().int(),
    toDays: z.number().int(),
    reason: z.string(),
    changedBy: z.uuid(),
    changedAt: z.string(),
  })
  .meta({ id: 'ContactPolicyChange' });
export type ContactPolicyChangeView = z.output<typeof ContactPolicyChangeResponse>;
export const ContactPolicyChangeListResponse = z.object({ items: z.array(ContactPolicyChangeResponse) });
