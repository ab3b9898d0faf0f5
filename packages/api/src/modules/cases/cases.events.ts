import type { CaseAssignedEvent, CaseClosedEvent } from '../clients/clients.events.js';

/**
 * Events the cases module publishes through the outbox. Payloads carry ids and codes, never
 * PHI. `cases.case.assigned` / `cases.case.closed` follow the contract the clients module
 * declares (it keeps each client's care team in step with them).
 */
export const CasesTopics = {
  caseOpened: 'cases.case.opened',
  /** Opened, reassigned or transferred: its worker and team now serve the client. */
  caseAssigned: 'cases.case.assigned',
  /** Closed (published by case closure): its worker and team no longer serve the client through it. */
  caseClosed: 'cases.case.closed',
  /** A client merge (or its undoing) moved the case to another client record. */
  caseMoved: 'cases.case.moved',
  noteSigned: 'cases.note.signed',
  noteCosigned: 'cases.note.cosigned',
  /** Its risk level changed (the contact schedule follows it). */
  caseRiskChanged: 'cases.case.risk_changed',
  /** A worker asked to close the case; it awaits a supervisor's decision. */
  closureRequested: 'cases.case.closure_requested',
  /** A closed case was opened again (`cases.case.assigned` follows for its worker and team). */
  caseReopened: 'cases.case.reopened',
  /** Both the client and the worker signed a plan version; it is in force (and locked). */
  planActivated: 'cases.plan.activated',
  referralMade: 'cases.referral.made',
  referralAccepted: 'cases.referral.accepted',
  referralDeclined: 'cases.referral.declined',
  /** An agency changed how often clients at a risk level must be contacted. */
  contactPolicyChanged: 'cases.contact_policy.changed',
} as const;

export type { CaseAssignedEvent, CaseClosedEvent };

export interface CaseOpenedEvent {
  caseId: string;
  clientId: string;
  agencyId: string;
  programId: string;
  type: string;
}

export interface CaseMovedEvent {
  caseId: string;
  agencyId: string;
  fromClientId: string;
  toClientId: string;
  mergeId: string;
}

export interface NoteSignedEvent {
  noteId: string;
  caseId: string;
  agencyId: string;
  authorId: string;
  /** The note this one is an addendum to, if it is one. */
  parentNoteId: string | null;
  lateEntry: boolean;
  cosignRequired: boolean;
}

export interface NoteCosignedEvent {
  noteId: string;
  caseId: string;
  agencyId: string;
  cosignedBy: string;
}

export interface CaseRiskChangedEvent {
  caseId: string;
  agencyId: string;
  from: string;
  to: string;
}

export interface ClosureRequestedEvent {
  caseId: string;
  agencyId: string;
  programId: string;
  requestId: string;
  requestedBy: string;
}

export interface CaseReopenedEvent {
  caseId: string;
  clientId: string;
  agencyId: string;
  reopenedBy: string;
}

export interface PlanActivatedEvent {
  planId: string;
  caseId: string;
  agencyId: string;
  planNumber: number;
  /** The version this one replaced, if any. */
  supersededPlanId: string | null;
}

export interface ReferralEvent {
  referralId: string;
  agencyId: string;
  clientId: string;
  fromCaseId: string;
  fromProgramId: string;
  toProgramId: string;
  urgency: string;
  /** Set when accepted: the case the receiving program opened. */
  acceptedCaseId?: string;
}

export interface ContactPolicyChangedEvent {
  agencyId: string;
  riskLevel: string;
  fromDays: number;
  toDays: number;
  changedBy: string;
}
