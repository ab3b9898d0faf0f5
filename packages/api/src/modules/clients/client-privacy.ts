import { Injectable } from '@nestjs/common';
import { annotateAudit } from '../../platform/audit/annotate-audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { currentRequest, purposeOfUse, type PurposeOfUse } from '../../platform/http/request-context.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
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
    private readonly clock: AgencyClock,
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
   * Whether a 42 CFR Part 2 consent of the client in force on the agency's day at `now` names the
   * caller (user, team, program or agency) for the purpose of use the request states
   * (X-Purpose-Of-Use; treatment when none). A consent expiring 30 November holds until midnight
   * in the agency's zone, not until 18:00 in Chicago when UTC's day turns.
   */
  hasPart2Consent(principal: Principal, clientId: string, now: Date = new Date()): Promise<boolean> {
    return this.consents.hasPart2Consent(
      clientId,
      recipientsOf(principal),
      statedPurposes(),
      this.clock.today(now),
    );
  }

  /** hasPart2Consent for many clients in one query: those of them whose consent names the caller. */
  part2ConsentsAmong(principal: Principal, clientIds: readonly string[]): Promise<Set<string>> {
    return this.consents.part2ConsentedAmong(
      clientIds,
      recipientsOf(principal),
      statedPurposes(),
      this.clock.today(),
    );
  }

  /**
   * useBreakGlass for many clients in one query: those of them the caller holds an active grant
   * for. Each grant used is noted on the request's audit row, as useBreakGlass does.
   */
  async useBreakGlassAmong(userId: string, clientIds: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(clientIds);
    const used = new Set<string>();
    if (wanted.size === 0) return used;
    for (const grant of await this.breakGlass.activeGrantsOf(userId)) {
      if (!wanted.has(grant.client_id) || used.has(grant.client_id)) continue;
      used.add(grant.client_id);
      annotateAudit({
        reason: breakGlassAuditReason(grant.reason),
        purposeOfUse: grant.purpose_of_use as PurposeOfUse,
      });
    }
    return used;
  }
}

function recipientsOf(principal: Principal) {
  return {
    userId: principal.id,
    teamIds: principal.teamIds,
    programIds: principal.programIds,
    agencyId: principal.agencyId,
  };
}

/** The purposes of use a consent must cover: the request's (X-Purpose-Of-Use; TREAT when none) and what it is a kind of. */
function statedPurposes(): PurposeOfUse[] {
  const req = currentRequest();
  const purpose: PurposeOfUse = req ? purposeOfUse(req) : 'TREAT';
  const broader = BROADER_PURPOSE[purpose];
  return broader ? [purpose, broader] : [purpose];
}

/** How a break-the-glass access reads in the audit trail: marked, with the reason the user gave. */
export function breakGlassAuditReason(reason: string): string {
  return `break-the-glass: ${reason}`;
}
