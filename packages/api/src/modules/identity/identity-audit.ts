import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  AUDIT_SINK,
  auditEntryFor,
  type AuditOutcome,
  type AuditSink,
} from '../../platform/audit/audit-sink.js';
import { UsersRepository } from './repositories/users.repository.js';

export interface AccountEvent {
  /** `identity.login`, `identity.refresh.reuse`, … */
  action: string;
  outcome: AuditOutcome;
  /** The failure kind or the path taken; never a submitted value. */
  reason?: string | null;
  /** The account concerned, once known. */
  userId?: string | null;
  actorKind?: 'user' | 'service';
  sessionId?: string | null;
  resourceType?: string;
}

/**
 * Audits what happens to accounts outside the route interceptor: sign-ins, lockouts, token
 * refreshes, logouts, resets. Resolves once the row is durable.
 */
@Injectable()
export class IdentityAudit {
  constructor(
    @Inject(AUDIT_SINK) private readonly sink: AuditSink,
    private readonly users: UsersRepository,
  ) {}

  async record(req: FastifyRequest, event: AccountEvent): Promise<void> {
    const known = event.userId ?? null;
    // Before sign-in there is no principal; the account's agency still decides which agency's
    // auditors see the event.
    const agencyId = req.principal
      ? undefined
      : known
        ? ((await this.users.findById(known))?.agency_id ?? null)
        : null;
    return this.sink.record(
      auditEntryFor(req, {
        action: event.action,
        resourceType: event.resourceType ?? 'identity.users',
        resourceId: known,
        outcome: event.outcome,
        reason: event.reason ?? null,
        ...(req.principal
          ? {}
          : {
              actorId: known,
              actorKind: known ? (event.actorKind ?? 'user') : 'anonymous',
              actorAgencyId: agencyId ?? null,
            }),
        ...(event.sessionId !== undefined ? { sessionId: event.sessionId } : {}),
      }),
    );
  }
}
