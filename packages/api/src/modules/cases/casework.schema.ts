import type { ColumnType } from 'kysely';
import type { CaseStatus, RiskLevel } from './cases.schema.js';

/**
 * Tables of the `cases` schema added for the work hung off a case: service plans (goals,
 * objectives, interventions, progress reviews), closure requests and the status history,
 * referrals between programs, tasks and the contact policy (migration 0002).
 */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;
/** `date` columns are written as 'YYYY-MM-DD' and read back as text (`::text` in the repositories). */
type DateColumn = ColumnType<string, string, string>;
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export const PLAN_STATUSES = ['draft', 'active', 'completed', 'superseded'] as const;
/** How the client (or their representative) signed: on paper, electronically, or aloud before a witness. */
export const SIGNATURE_METHODS = ['wet', 'electronic', 'verbal_witnessed'] as const;
export const GOAL_STATUSES = ['not_started', 'in_progress', 'achieved', 'discontinued'] as const;
export const INTERVENTION_STATUSES = ['planned', 'in_progress', 'completed', 'discontinued'] as const;
export const PROGRESS_RATINGS = [
  'regressed',
  'no_progress',
  'some_progress',
  'significant_progress',
  'achieved',
] as const;
export const CLOSURE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export const STATUS_CHANGE_KINDS = [
  'closure_requested',
  'closure_approved',
  'closure_rejected',
  'closure_withdrawn',
  'reopened',
] as const;
export const REFERRAL_URGENCIES = ['routine', 'urgent', 'emergent'] as const;
export const REFERRAL_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export const TASK_TYPES = ['contact', 'review', 'document', 'other'] as const;
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
/** `policy`: the case's contact task, kept by the contact policy; `manual`: made by a person. */
export const TASK_SOURCES = ['policy', 'manual'] as const;

export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];
export type GoalStatus = (typeof GOAL_STATUSES)[number];
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];
export type ProgressRating = (typeof PROGRESS_RATINGS)[number];
export type ClosureRequestStatus = (typeof CLOSURE_REQUEST_STATUSES)[number];
export type StatusChangeKind = (typeof STATUS_CHANGE_KINDS)[number];
export type ReferralUrgency = (typeof REFERRAL_URGENCIES)[number];
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export type TaskType = (typeof TASK_TYPES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskSource = (typeof TASK_SOURCES)[number];

/**
 * A version of a case's service plan. Its content is frozen from the first signature on (the
 * trigger refuses changes), it becomes active when both the client and the worker have signed,
 * and a change after that is a new version that supersedes it.
 */
export type ServicePlanTable = {
  id: string;
  case_id: string;
  /** 1, 2, 3… within the case. */
  plan_number: number;
  status: Defaulted<PlanStatus>;
  effective_from: DateColumn;
  effective_to: Optional<string>;
  /** The plan this version revises. */
  supersedes_plan_id: Optional<string>;
  client_signer_name: Optional<string>;
  client_signed_on: Optional<string>;
  client_sign_method: Optional<SignatureMethod>;
  client_witness_name: Optional<string>;
  /** The staff member who recorded the client's signature. */
  client_signature_recorded_by: Optional<string>;
  worker_signed_by: Optional<string>;
  worker_signed_at: Optional<Date>;
  activated_at: Optional<Date>;
  /** The day it stopped being in force (completed, or superseded by a newer version). */
  ended_on: Optional<string>;
  created_by: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type PlanGoalTable = {
  id: string;
  plan_id: string;
  position: number;
  description: string;
  target_date: Optional<string>;
  status: GoalStatus;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type PlanObjectiveTable = {
  id: string;
  plan_id: string;
  goal_id: string;
  position: number;
  description: string;
  target_date: Optional<string>;
  status: GoalStatus;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type PlanInterventionTable = {
  id: string;
  plan_id: string;
  objective_id: string;
  position: number;
  description: string;
  /** Who delivers it: the case worker, a provider, the client, a family member… */
  responsible_party: string;
  /** How often, in the plan's words ("weekly", "2x per month"). */
  frequency: string;
  start_date: Optional<string>;
  target_date: Optional<string>;
  status: InterventionStatus;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

/** A progress review of an active plan (append-only). */
export type PlanReviewTable = {
  id: string;
  plan_id: string;
  reviewed_on: DateColumn;
  summary: Optional<string>;
  reviewer_id: string;
  created_at: CreatedAt;
};

export type PlanReviewGoalTable = {
  review_id: string;
  goal_id: string;
  rating: ProgressRating;
  note: Optional<string>;
};

export type ClosureRequestTable = {
  id: string;
  case_id: string;
  reason: string;
  closed_on: DateColumn;
  status: Defaulted<ClosureRequestStatus>;
  requested_by: string;
  requested_at: CreatedAt;
  decided_by: Optional<string>;
  decided_at: Optional<Date>;
  decision_note: Optional<string>;
  version: Version;
};

/** Append-only history of a case's status: closure requested, approved, rejected, withdrawn; reopened. */
export type CaseStatusChangeTable = {
  id: string;
  case_id: string;
  kind: StatusChangeKind;
  from_status: CaseStatus;
  to_status: CaseStatus;
  reason: string;
  closure_request_id: Optional<string>;
  changed_by: string;
  changed_at: CreatedAt;
};

export type ReferralTable = {
  id: string;
  agency_id: string;
  client_id: string;
  from_case_id: string;
  from_program_id: string;
  to_program_id: string;
  reason: string;
  urgency: ReferralUrgency;
  /** Made from a 42 CFR Part 2 case: its reason is withheld from those who may not see Part 2 information. */
  part2: boolean;
  status: Defaulted<ReferralStatus>;
  referred_by: string;
  referred_at: CreatedAt;
  decided_by: Optional<string>;
  decided_at: Optional<Date>;
  decline_reason: Optional<string>;
  /** The case the receiving program opened on accepting. */
  accepted_case_id: Optional<string>;
  version: Version;
  updated_at: Timestamp;
};

export type TaskTable = {
  id: string;
  case_id: string;
  title: string;
  type: TaskType;
  source: Defaulted<TaskSource>;
  due_on: DateColumn;
  /** For the policy's contact task: the day its due date is counted from (last contact, opening or reopening). */
  basis_on: Optional<string>;
  assigned_to: Optional<string>;
  status: Defaulted<TaskStatus>;
  completed_at: Optional<Date>;
  /** Who marked it done; null when the system did (a contact was documented). */
  completed_by: Optional<string>;
  /** Null for the policy's tasks. */
  created_by: Optional<string>;
  version: Version;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

/** Contact interval per risk level: an agency's own values, else the defaults (agency_id null). */
export type ContactPolicyTable = {
  agency_id: string | null;
  risk_level: RiskLevel;
  interval_days: number;
  version: Version;
  updated_by: Optional<string>;
  updated_at: Timestamp;
};

/** Append-only record of contact policy changes. */
export type ContactPolicyChangeTable = {
  id: string;
  agency_id: string;
  risk_level: RiskLevel;
  from_days: number;
  to_days: number;
  reason: string;
  changed_by: string;
  changed_at: CreatedAt;
};

export type CaseworkTables = {
  'cases.service_plans': ServicePlanTable;
  'cases.plan_goals': PlanGoalTable;
  'cases.plan_objectives': PlanObjectiveTable;
  'cases.plan_interventions': PlanInterventionTable;
  'cases.plan_reviews': PlanReviewTable;
  'cases.plan_review_goals': PlanReviewGoalTable;
  'cases.closure_requests': ClosureRequestTable;
  'cases.case_status_changes': CaseStatusChangeTable;
  'cases.referrals': ReferralTable;
  'cases.tasks': TaskTable;
  'cases.contact_policy': ContactPolicyTable;
  'cases.contact_policy_changes': ContactPolicyChangeTable;
};
