import type { ClosureRequestView, StatusChangeView } from './case-closure.dto.js';
import type { ClosureRequestRow, StatusChangeRow } from './case-closure.repository.js';
import type { ContactPolicyChangeRow, ContactPolicyRow } from './contact-policy.repository.js';
import type { ReferralView } from './referrals.dto.js';
import type { ReferralRow } from './referrals.repository.js';
import type { GoalView, PlanSummaryView, PlanView, ReviewView } from './service-plans.dto.js';
import type { PlanItems, PlanRow, ReviewGoalRow, ReviewRow } from './service-plans.repository.js';
import type {
  ContactPolicyChangeView,
  ContactPolicyEntryView,
  QueuedTaskView,
  TaskView,
} from './tasks.dto.js';
import type { QueuedTaskRow, TaskRow } from './tasks.repository.js';

export function toPlanSummaryView(row: PlanRow): PlanSummaryView {
  const {
    client_signer_name: signerName,
    client_signed_on: signedOn,
    client_sign_method: method,
    client_signature_recorded_by: recordedBy,
  } = row;
  return {
    id: row.id,
    caseId: row.case_id,
    planNumber: row.plan_number,
    status: row.status,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    supersedesPlanId: row.supersedes_plan_id,
    clientSignature:
      signerName !== null && signedOn !== null && method !== null && recordedBy !== null
        ? { signerName, signedOn, method, witnessName: row.client_witness_name, recordedBy }
        : null,
    workerSignature:
      row.worker_signed_by !== null && row.worker_signed_at !== null
        ? { userId: row.worker_signed_by, signedAt: row.worker_signed_at.toISOString() }
        : null,
    locked: row.status !== 'draft' || row.client_signed_on !== null || row.worker_signed_at !== null,
    activatedAt: row.activated_at?.toISOString() ?? null,
    endedOn: row.ended_on,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The plan with its content as a tree, in plan order. */
export function toPlanView(row: PlanRow, items: PlanItems): PlanView {
  const goals: GoalView[] = items.goals.map((goal) => ({
    id: goal.id,
    description: goal.description,
    targetDate: goal.target_date,
    status: goal.status,
    objectives: items.objectives
      .filter((o) => o.goal_id === goal.id)
      .sort((a, b) => a.position - b.position)
      .map((objective) => ({
        id: objective.id,
        description: objective.description,
        targetDate: objective.target_date,
        status: objective.status,
        interventions: items.interventions
          .filter((i) => i.objective_id === objective.id)
          .sort((a, b) => a.position - b.position)
          .map((i) => ({
            id: i.id,
            description: i.description,
            responsibleParty: i.responsible_party,
            frequency: i.frequency,
            startDate: i.start_date,
            targetDate: i.target_date,
            status: i.status,
          })),
      })),
  }));
  return { ...toPlanSummaryView(row), goals };
}

export function toReviewView(row: ReviewRow, goals: ReviewGoalRow[]): ReviewView {
  return {
    id: row.id,
    planId: row.plan_id,
    reviewedOn: row.reviewed_on,
    summary: row.summary,
    reviewerId: row.reviewer_id,
    createdAt: row.created_at.toISOString(),
    goals: goals.map((g) => ({ goalId: g.goal_id, rating: g.rating, note: g.note })),
  };
}

export function toClosureRequestView(row: ClosureRequestRow): ClosureRequestView {
  return {
    id: row.id,
    caseId: row.case_id,
    reason: row.reason,
    closedOn: row.closed_on,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    version: row.version,
  };
}

export function toStatusChangeView(row: StatusChangeRow): StatusChangeView {
  return {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    reason: row.reason,
    closureRequestId: row.closure_request_id,
    changedBy: row.changed_by,
    changedAt: row.changed_at.toISOString(),
  };
}

/** `withheld`: a Part 2 referral shown to someone who may not see where it comes from and why. */
export function toReferralView(row: ReferralRow, withheld = false): ReferralView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    clientId: row.client_id,
    fromCaseId: withheld ? null : row.from_case_id,
    fromProgramId: withheld ? null : row.from_program_id,
    toProgramId: row.to_program_id,
    reason: withheld ? null : row.reason,
    urgency: row.urgency,
    part2: row.part2,
    part2Withheld: withheld,
    status: row.status,
    referredBy: row.referred_by,
    referredAt: row.referred_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    declineReason: row.decline_reason,
    acceptedCaseId: row.accepted_case_id,
    version: row.version,
  };
}

/** `today` (YYYY-MM-DD) decides whether an open task is overdue. */
export function toTaskView(row: TaskRow, today: string): TaskView {
  return {
    id: row.id,
    caseId: row.case_id,
    title: row.title,
    type: row.type,
    source: row.source,
    dueOn: row.due_on,
    basisOn: row.basis_on,
    assignedTo: row.assigned_to,
    status: row.status,
    overdue: row.status === 'open' && row.due_on < today,
    completedAt: row.completed_at?.toISOString() ?? null,
    completedBy: row.completed_by,
    createdBy: row.created_by,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toQueuedTaskView(row: QueuedTaskRow, today: string): QueuedTaskView {
  return {
    ...toTaskView(row, today),
    clientId: row.client_id,
    programId: row.program_id,
    teamId: row.team_id,
    riskLevel: row.risk_level,
  };
}

export function toContactPolicyEntryView(row: ContactPolicyRow): ContactPolicyEntryView {
  const own = row.agency_id !== null;
  return {
    riskLevel: row.risk_level,
    intervalDays: row.interval_days,
    source: own ? 'agency' : 'default',
    version: own ? row.version : 0,
    updatedBy: own ? row.updated_by : null,
    updatedAt: own ? row.updated_at.toISOString() : null,
  };
}

export function toContactPolicyChangeView(row: ContactPolicyChangeRow): ContactPolicyChangeView {
  return {
    id: row.id,
    riskLevel: row.risk_level,
    fromDays: row.from_days,
    toDays: row.to_days,
    reason: row.reason,
    changedBy: row.changed_by,
    changedAt: row.changed_at.toISOString(),
  };
}
