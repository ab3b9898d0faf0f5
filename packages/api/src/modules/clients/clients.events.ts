import { z } from 'zod';

/** Events the clients module publishes through the outbox. Payloads carry ids, never PHI. */
export const ClientsTopics = {
  clientCreated: 'clients.client.created',
  clientUpdated: 'clients.client.updated',
  enrollmentStarted: 'clients.enrollment.started',
  enrollmentEnded: 'clients.enrollment.ended',
  /** Cases, documents and others move the merged record's rows to the survivor on this… */
  clientMerged: 'clients.client.merged',
  /** …and back on this (the merge's own moves, recorded by the clients module, are already undone). */
  clientUnmerged: 'clients.client.unmerged',
} as const;

export interface ClientCreatedEvent {
  clientId: string;
  agencyId: string;
}

export interface ClientUpdatedEvent {
  clientId: string;
  agencyId: string;
  /** Which fields changed (names only). */
  changed: string[];
}

/** Payload of `clients.client.merged` and `clients.client.unmerged`. */
export interface ClientMergeEvent {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  agencyId: string;
}

const MergePayload = z.object({
  mergeId: z.uuid(),
  survivorId: z.uuid(),
  mergedId: z.uuid(),
  agencyId: z.uuid(),
});
/** Undoing a merge names the merge; which rows go back is what each consumer recorded for it. */
const UnmergePayload = z.object({ mergeId: z.uuid() });

/**
 * A merge event as consumers (cases, documents) read it, checked on arrival so a malformed one
 * fails (and is retried, then dead-lettered) instead of moving the wrong rows; null for any other
 * `clients.client.*` event.
 */
export function readClientMergeEvent(event: {
  topic: string;
  payload: unknown;
}):
  | { kind: 'merged'; merge: ClientMergeEvent }
  | { kind: 'unmerged'; merge: Pick<ClientMergeEvent, 'mergeId'> }
  | null {
  if (event.topic === ClientsTopics.clientMerged)
    return { kind: 'merged', merge: MergePayload.parse(event.payload) };
  if (event.topic === ClientsTopics.clientUnmerged) {
    return { kind: 'unmerged', merge: UnmergePayload.parse(event.payload) };
  }
  return null;
}

export interface EnrollmentEvent {
  enrollmentId: string;
  clientId: string;
  programId: string;
}

/**
 * Events of the cases module the clients module consumes to keep a client's care team in step
 * with who works the client's cases (published by cases; declared here as the contract).
 */
export const CaseCareTeamTopics = {
  /** A case was opened, reassigned or transferred: its worker and team now serve the client. */
  caseAssigned: 'cases.case.assigned',
  /** A case was closed: its worker and team no longer serve the client through it. */
  caseClosed: 'cases.case.closed',
} as const;

export interface CaseAssignedEvent {
  caseId: string;
  clientId: string;
  agencyId: string;
  teamId: string | null;
  workerId: string | null;
}

export interface CaseClosedEvent {
  caseId: string;
  clientId: string;
  agencyId: string;
}
