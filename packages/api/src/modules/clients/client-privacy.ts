import { Injectable } from '@nestjs/common';
import { annotateAudit } from '../../platform/audit/annotate-audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { currentRequest, purposeOfUse, type PurposeOfUse } from '../../platform/http/request-context.js';
import { BreakGlassRepository } from './break-glass.repository.js';
import { ConsentsRepository } from './consents.repository.js';

/** What a stated purpose of use is a kind of: a consent for treatment covers emergency treatment. */
const BROADER_PURPOSE: Partial<Record<PurposeOfUse, PurposeOfUse>> = { ETREAT: 'TREAT' };

/**
 * Consent and break-the-glass lookups ClientAccess relies on, backed by clients.consents and
 * clients.break_glass.
 */
@Injectable()
export class ClientPrivacy {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly breakGlass: BreakGlassRepository,
  ) {}

  /** The id of the caller's active break-the-glass grant for the client, or null. */
  async activeBreakGlass(userId: string, clientId: string): Promise<string | null> {
    return (await this.breakGlass.activeGrant(userId, clientId))?.id ?? null;
  }

  /**
   * Like activeBreakGlass, for an access about to be made under the grant: the current request's
   * audit row then carries the grant's reason and purpose of use (ETREAT), whatever route and
   * module made the access.
   */
  async useBreakGlass(userId: string, clientId: string): Promise<string | null> {
    const grant = await this.breakGlass.activeGrant(userId, clientId);
    if (!grant) return null;
    annotateAudit({
      reason: breakGlassAuditReason(grant.reason),
      purposeOfUse: grant.purpose_of_use as PurposeOfUse,
    });
    return grant.id;
  }

  /**
   * Whether an active 42 CFR Part 2 consent of the client names the caller (user, team, program
   * or agency) for the purpose of use the request states (X-Purpose-Of-Use; treatment when none).
   */
  hasPart2Consent(principal: Principal, clientId: string): Promise<boolean> {
    const req = currentRequest();
    const purpose: PurposeOfUse = req ? purposeOfUse(req) : 'TREAT';
    const broader = BROADER_PURPOSE[purpose];
    return this.consents.hasPart2Consent(
      clientId,
      {
        userId: principal.id,
        teamIds: principal.teamIds,
        programIds: principal.programIds,
        agencyId: principal.agencyId,
      },
      broader ? [purpose, broader] : [purpose],
    );
  }
}

/** How a break-the-glass access reads in the audit trail: marked, with the reason the user gave. */
export function breakGlassAuditReason(reason: string): string {
  return `break-the-glass: ${reason}`;
}
