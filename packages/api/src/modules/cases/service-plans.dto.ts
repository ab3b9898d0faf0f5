import { z } from 'zod';
import { agencyToday } from '../../platform/time/agency-today.js';
import {
  GOAL_STATUSES,
  INTERVENTION_STATUSES,
  PLAN_STATUSES,
  PROGRESS_RATINGS,
  SIGNATURE_METHODS,
} from './casework.schema.js';

const IsoDate = z.iso.date('Use a date such as 2026-01-05.');
const PastDate = IsoDate.refine((d) => d <= agencyToday(), 'This date is in the future.');
const Description = z.string().trim().min(1).max(4000);
const Short = z.string().trim().min(1).max(200);

export const PlanParams = z.strictObject({ id: z.uuid() });
export const PlanIdParams = z.strictObject({ id: z.uuid(), planId: z.uuid() });

const InterventionInput = z.strictObject({
  description: Description,
  /** Who delivers it: the case worker, a provider, the client, a family member… */
  responsibleParty: Short,
  /** How often, in the plan's words: "weekly", "2x per month". */
  frequency: Short,
  startDate: IsoDate.nullable().default(null),
  targetDate: IsoDate.nullable().default(null),
  status: z.enum(INTERVENTION_STATUSES).default('planned'),
});

const ObjectiveInput = z.strictObject({
  description: Description,
  targetDate: IsoDate.nullable().default(null),
  status: z.enum(GOAL_STATUSES).default('not_started'),
  interventions: z.array(InterventionInput).max(50).default([]),
});

const GoalInput = z.strictObject({
  description: Description,
  targetDate: IsoDate.nullable().default(null),
  status: z.enum(GOAL_STATUSES).default('not_started'),
  objectives: z.array(ObjectiveInput).max(50).default([]),
});

/** A plan's content, written whole: a draft is edited as one document. */
export const PlanBody = z
  .strictObject({
    effectiveFrom: IsoDate,
    effectiveTo: IsoDate.nullable().default(null),
    goals: z.array(GoalInput).max(50).default([]),
  })
  .refine((b) => b.effectiveTo === null || b.effectiveTo >= b.effectiveFrom, {
    message: 'A plan cannot end before it starts.',
    path: ['effectiveTo'],
  });
export type PlanBody = z.output<typeof PlanBody>;

export const ReviseBody = z.strictObject({
  /** When the new version takes effect; defaults to today. */
  effectiveFrom: IsoDate.optional(),
});
export type ReviseBody = z.output<typeof ReviseBody>;

export const ClientSignatureBody = z
  .strictObject({
    /** Who signed: the client, or their guardian or legal representative. */
    signerName: Short,
    signedOn: PastDate,
    method: z.enum(SIGNATURE_METHODS),
    /** Required for a verbal signature: the staff member or other adult who witnessed it. */
    witnessName: Short.optional(),
  })
  .refine((b) => (b.method === 'verbal_witnessed') === (b.witnessName !== undefined), {
    message: 'A verbal signature needs a witness, and only a verbal one names a witness.',
    path: ['witnessName'],
  });
export type ClientSignatureBody = z.output<typeof ClientSignatureBody>;

export const CompletePlanBody = z.strictObject({ endedOn: PastDate });
export type CompletePlanBody = z.output<typeof CompletePlanBody>;

export const ReviewBody = z.strictObject({
  reviewedOn: PastDate,
  summary: z.string().trim().min(1).max(20_000).optional(),
  /** A progress rating (and note) per goal reviewed; a goal's status may move with it. */
  goals: z
    .array(
      z.strictObject({
        goalId: z.uuid(),
        rating: z.enum(PROGRESS_RATINGS),
        note: z.string().trim().min(1).max(4000).optional(),
        status: z.enum(GOAL_STATUSES).optional(),
      }),
    )
    .min(1)
    .max(50),
  objectives: z
    .array(z.strictObject({ objectiveId: z.uuid(), status: z.enum(GOAL_STATUSES) }))
    .max(500)
    .default([]),
  interventions: z
    .array(z.strictObject({ interventionId: z.uuid(), status: z.enum(INTERVENTION_STATUSES) }))
    .max(1000)
    .default([]),
});
export type ReviewBody = z.output<typeof ReviewBody>;

const InterventionResponse = z.object({
  id: z.uuid(),
  description: z.string(),
  responsibleParty: z.string(),
  frequency: z.string(),
  startDate: z.string().nullable(),
  targetDate: z.string().nullable(),
  status: z.enum(INTERVENTION_STATUSES),
});
const ObjectiveResponse = z.object({
  id: z.uuid(),
  description: z.string(),
  targetDate: z.string().nullable(),
  status: z.enum(GOAL_STATUSES),
  interventions: z.array(InterventionResponse),
});
const GoalResponse = z.object({
  id: z.uuid(),
  description: z.string(),
  targetDate: z.string().nullable(),
  status: z.enum(GOAL_STATUSES),
  objectives: z.array(ObjectiveResponse),
});
export type GoalView = z.output<typeof GoalResponse>;

export const PlanSummaryResponse = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    /** 1, 2, 3… within the case. */
    planNumber: z.number().int(),
    status: z.enum(PLAN_STATUSES),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    supersedesPlanId: z.uuid().nullable(),
    clientSignature: z
      .object({
        signerName: z.string(),
        signedOn: z.string(),
        method: z.enum(SIGNATURE_METHODS),
        witnessName: z.string().nullable(),
        recordedBy: z.uuid(),
      })
      .nullable(),
    workerSignature: z.object({ userId: z.uuid(), signedAt: z.string() }).nullable(),
    /** Signed by anyone: the content no longer changes (revise it as a new version). */
    locked: z.boolean(),
    activatedAt: z.string().nullable(),
    endedOn: z.string().nullable(),
    createdBy: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ServicePlanSummary' });
export type PlanSummaryView = z.output<typeof PlanSummaryResponse>;

export const PlanResponse = PlanSummaryResponse.extend({ goals: z.array(GoalResponse) }).meta({
  id: 'ServicePlan',
});
export type PlanView = z.output<typeof PlanResponse>;

export const PlanListResponse = z.object({ items: z.array(PlanSummaryResponse) });

export const ReviewResponse = z
  .object({
    id: z.uuid(),
    planId: z.uuid(),
    reviewedOn: z.string(),
    summary: z.string().nullable(),
    reviewerId: z.uuid(),
    createdAt: z.string(),
    goals: z.array(
      z.object({ goalId: z.uuid(), rating: z.enum(PROGRESS_RATINGS), note: z.string().nullable() }),
    ),
  })
  .meta({ id: 'ServicePlanReview' });
export type ReviewView = z.output<typeof ReviewResponse>;
export const ReviewListResponse = z.object({ items: z.array(ReviewResponse) });
