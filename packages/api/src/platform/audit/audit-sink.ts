import type { FastifyRequest } from 'fastify';
import { clientIp, purposeOfUse, userAgent } from '../http/request-context.js';

export type AuditOutcome = 'allowed' | 'denied' | 'error';

/** One audit row as every writer sees it; the audit module adds sequence and hash chain. */
export interface AuditEntry {
  occurredAt: Date;
  actorId: string | null;
  actorKind: 'user' | 'service' | 'anonymous';
  actorRoles: readonly string[];
  /** The actor's agency: what lets an agency's auditor see its own trail and no one else's. */
  actorAgencyId: string | null;
  onBehalfOf: string | null;
  sessionId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  fields: readonly string[];
  purposeOfUse: string;
  outcome: AuditOutcome;
  /** Why: the break-the-glass reason, the denial cause, the login failure kind. Never PHI. */
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Where audit rows go. `record` resolves only once the row is durable: callers await it before
 * answering, so an access that happened is never missing from the trail.
 */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

export const AUDIT_SINK = Symbol('AUDIT_SINK');

/** Fills who/where from the request, so every writer describes requests the same way. */
export function auditEntryFor(
  req: FastifyRequest,
  what: Pick<AuditEntry, 'action' | 'resourceType' | 'outcome'> & Partial<AuditEntry>,
): AuditEntry {
  const p = req.principal;
  return {
    occurredAt: new Date(),
    actorId: p?.id ?? null,
    actorKind: p?.kind ?? 'anonymous',
    actorRoles: p?.roles ?? [],
    actorAgencyId: p?.agencyId ?? null,
    onBehalfOf: p?.onBehalfOf ?? null,
    sessionId: p?.sessionId ?? null,
    resourceId: null,
    fields: [],
    purposeOfUse: req.auditNote?.purposeOfUse ?? purposeOfUse(req),
    reason: req.auditNote?.reason ?? null,
    requestId: String(req.id),
    ip: clientIp(req),
    userAgent: userAgent(req),
    ...what,
  };
}
