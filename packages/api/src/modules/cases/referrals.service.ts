import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { isUniqueViolation } from '../../platform/database/pg-errors.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientAccess } from '../clients/client-access.js';
import { actorId, CASE_READ, CASE_WRITE, CaseAccess } from './case-access.js';
import { CasesDatabase } from './cases.database.js';
import {
  CasesTopics,
  type CaseAssignedEvent,
  type CaseOpenedEvent,
  type ReferralEvent,
} from './cases.events.js';
import { CasesRepository } from './cases.repository.js';
import { toReferralView } from './casework.views.js';
import type {
  AcceptReferralBody,
  DeclineReferralBody,
  IncomingReferralsQuery,
  MakeReferralBody,
  ReferralView,
} from './referrals.dto.js';
import { ReferralsRepository, type ReferralRow } from './referrals.repository.js';
import { isUuid } from '../../platform/database/ids.js';

const ACCEPTED = 'Referral accepted';
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Referrals of a client from one program to another. The referring worker (case write on the
 * case) names the receiving program, a reason and the urgency; staff who receive for that
 * program (case write reaching it) see it in their incoming list and accept it — which opens a
 * case for the client in their program, linked to the referral — or decline it with a reason.
 * A referral from a 42 CFR Part 2 case shows where it comes from and why only to those who may
 * see the client's Part 2 information.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly database: CasesDatabase,
    private readonly referrals: ReferralsRepository,
    private readonly cases: CasesRepository,
    private readonly access: CaseAccess,
    private readonly clients: ClientAccess,
    private readonly clock: AgencyClock,
  ) {}

  async refer(principal: Principal, caseId: string, body: MakeReferralBody): Promise<ReferralView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    if (row.status === 'closed')
      throw Problems.conflict('The case is closed: reopen it to refer the client.');
    if (body.toProgramId === row.program_id) {
      throw Problems.validation([
        { field: 'body.toProgramId', message: 'The case is already in this program; refer to another one.' },
      ]);
    }
    const pending = await this.referrals.fromCase(row.id);
    if (pending.some((r) => r.status === 'pending' && r.to_program_id === body.toProgramId)) {
      throw referralPending();
    }
    const id = randomUUID();
    await this.database
      .transaction(async (trx) => {
        await this.referrals.insert(
          {
            id,
            agency_id: row.agency_id,
            client_id: row.client_id,
            from_case_id: row.id,
            from_program_id: row.program_id,
            to_program_id: body.toProgramId,
            reason: body.reason,
            urgency: body.urgency,
            part2: row.part2,
            referred_by: actorId(principal),
          },
          trx,
        );
        const referral = await this.referrals.findById(id, trx);
        if (referral) await publishEvent(trx, CasesTopics.referralMade, referralEvent(referral));
      })
      .catch((err: unknown) => {
        // The same referral made twice at once: both passed the check above; the index refuses one.
        throw isUniqueViolation(err, 'referrals_one_pending') ? referralPending() : err;
      });
    return toReferralView(await this.row(id));
  }

  async fromCase(principal: Principal, caseId: string): Promise<ReferralView[]> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    return (await this.referrals.fromCase(row.id)).map((r) => toReferralView(r));
  }

  /** Referrals to the programs the caller receives for (their programs; the agency's with agency scope). */
  async incoming(
    principal: Principal,
    query: IncomingReferralsQuery,
  ): Promise<{ items: ReferralView[]; nextCursor: string | null }> {
    const target = receivingScope(principal);
    if (!target) return { items: [], nextCursor: null };
    const rows = await this.referrals.incoming({
      ...target,
      status: query.status,
      after: query.cursor ? decodeReferralCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const items: ReferralView[] = [];
    for (const row of page) items.push(toReferralView(row, await this.withheld(principal, row)));
    return {
      items,
      nextCursor:
        rows.length > query.limit && last
          ? encodeNameCursor({ name: last.referred_at.toISOString(), id: last.id })
          : null,
    };
  }

  /** Accepts for the receiving program: opens the client's case there, linked to the referral. */
  async accept(principal: Principal, referralId: string, body: AcceptReferralBody): Promise<ReferralView> {
    const referral = await this.receivable(principal, referralId);
    const teamId = body.teamId ?? principal.teamIds[0];
    if (!teamId) {
      throw Problems.validation([
        { field: 'body.teamId', message: 'Name the team that will work the case.' },
      ]);
    }
    const destination = {
      agencyId: referral.agency_id,
      teamIds: [teamId],
      programIds: [referral.to_program_id],
    };
    if (!scopeAllows(principal, CASE_WRITE, destination)) {
      throw Problems.forbidden('You can place the case only with your own teams, or within your programs.');
    }
    const client = await this.clients.resolve(referral.client_id);
    if (!client) throw Problems.notFound('client');
    if (client.status === 'deceased')
      throw Problems.conflict('A case cannot be opened for a deceased client.');
    const workerId =
      body.workerId !== undefined
        ? body.workerId
        : principal.kind === 'user' && isUuid(principal.id)
          ? principal.id
          : null;
    const actor = actorId(principal);
    const caseId = randomUUID();
    await this.database.transaction(async (trx) => {
      await this.cases.insert(
        {
          id: caseId,
          agency_id: referral.agency_id,
          client_id: client.id,
          program_id: referral.to_program_id,
          type: body.type,
          risk_level: body.riskLevel,
          opened_on: this.clock.today(),
          assigned_worker_id: workerId,
          team_id: teamId,
          part2: body.part2,
          created_by: actor,
        },
        trx,
      );
      await this.cases.insertAssignment(
        {
          id: randomUUID(),
          case_id: caseId,
          kind: 'opened',
          to_worker_id: workerId,
          to_team_id: teamId,
          to_program_id: referral.to_program_id,
          reason: ACCEPTED,
          assigned_by: actor,
        },
        trx,
      );
      const decision = { status: 'accepted' as const, decided_by: actor, accepted_case_id: caseId };
      if (!(await this.referrals.decide(referral.id, decision, referral.version, trx))) {
        throw Problems.conflict('This referral was decided meanwhile.', 'referral-decided');
      }
      await publishEvent(trx, CasesTopics.caseOpened, {
        caseId,
        clientId: client.id,
        agencyId: referral.agency_id,
        programId: referral.to_program_id,
        type: body.type,
      } satisfies CaseOpenedEvent);
      await publishEvent(trx, CasesTopics.caseAssigned, {
        caseId,
        clientId: client.id,
        agencyId: referral.agency_id,
        teamId,
        workerId,
      } satisfies CaseAssignedEvent);
      await publishEvent(trx, CasesTopics.referralAccepted, {
        ...referralEvent(referral),
        acceptedCaseId: caseId,
      });
    });
    return toReferralView(await this.row(referral.id));
  }

  async decline(principal: Principal, referralId: string, body: DeclineReferralBody): Promise<ReferralView> {
    const referral = await this.receivable(principal, referralId);
    const actor = actorId(principal);
    await this.database.transaction(async (trx) => {
      const decision = { status: 'declined' as const, decided_by: actor, decline_reason: body.reason };
      if (!(await this.referrals.decide(referral.id, decision, referral.version, trx))) {
        throw Problems.conflict('This referral was decided meanwhile.', 'referral-decided');
      }
      await publishEvent(trx, CasesTopics.referralDeclined, referralEvent(referral));
    });
    return toReferralView(await this.row(referral.id), await this.withheld(principal, referral));
  }

  /** The referring side takes a pending referral back. */
  async withdraw(principal: Principal, caseId: string, referralId: string): Promise<ReferralView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    const referral = await this.referrals.findById(referralId);
    if (referral?.from_case_id !== row.id) throw Problems.notFound('referral');
    requirePending(referral);
    const decision = { status: 'withdrawn' as const, decided_by: actorId(principal) };
    if (!(await this.referrals.decide(referral.id, decision, referral.version))) {
      throw Problems.conflict('This referral was decided meanwhile.', 'referral-decided');
    }
    return toReferralView(await this.row(referral.id));
  }

  /**
   * A pending referral to a program the caller receives for. Another agency's answers 404; one
   * to a program the caller does not work in, 403.
   */
  private async receivable(principal: Principal, referralId: string): Promise<ReferralRow> {
    const referral = await this.referrals.findById(referralId);
    if (!referral) throw Problems.notFound('referral');
    const scope = principal.grants[CASE_WRITE];
    if (scope !== 'all' && referral.agency_id !== principal.agencyId) throw Problems.notFound('referral');
    if (!receives(principal, referral)) {
      throw Problems.forbidden('This referral is to a program you do not receive for.');
    }
    requirePending(referral);
    return referral;
  }

  /** A Part 2 referral hides its origin and reason from a receiver who may not see Part 2 information. */
  private async withheld(principal: Principal, referral: ReferralRow): Promise<boolean> {
    if (!referral.part2) return false;
    return !(await this.clients.canSeePart2(principal, referral.client_id, referral.from_program_id));
  }

  private async row(id: string): Promise<ReferralRow> {
    const referral = await this.referrals.findById(id);
    if (!referral) throw Problems.notFound('referral');
    return referral;
  }
}

/** Which referrals the caller's case-write grant receives: null when none. */
function receivingScope(
  principal: Principal,
): { agencyId: string | null; programIds: string[] | null } | null {
  const scope = principal.grants[CASE_WRITE] as Principal['grants'][string] | undefined;
  switch (scope) {
    case 'all':
      return { agencyId: null, programIds: null };
    case 'agency':
      return isUuid(principal.agencyId) ? { agencyId: principal.agencyId, programIds: null } : null;
    case 'program':
    case 'team':
      return isUuid(principal.agencyId)
        ? { agencyId: principal.agencyId, programIds: principal.programIds.filter(isUuid) }
        : null;
    case 'own':
    case undefined:
      return null;
  }
}

function receives(principal: Principal, referral: ReferralRow): boolean {
  const scope = receivingScope(principal);
  if (!scope) return false;
  if (scope.agencyId !== null && scope.agencyId !== referral.agency_id) return false;
  return scope.programIds === null || scope.programIds.includes(referral.to_program_id);
}

function requirePending(referral: ReferralRow): void {
  if (referral.status !== 'pending') {
    throw Problems.conflict(`This referral was already ${referral.status}.`, 'referral-decided');
  }
}

function referralEvent(referral: ReferralRow): ReferralEvent {
  return {
    referralId: referral.id,
    agencyId: referral.agency_id,
    clientId: referral.client_id,
    fromCaseId: referral.from_case_id,
    fromProgramId: referral.from_program_id,
    toProgramId: referral.to_program_id,
    urgency: referral.urgency,
  };
}

/** The page cursor of incoming referrals: the last one's time and id. */
function decodeReferralCursor(text: string): { referredAt: string; id: string } {
  const cursor = decodeNameCursor(text);
  if (!TIME.test(cursor.name)) {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
  return { referredAt: cursor.name, id: cursor.id };
}

function referralPending(): ProblemError {
  return Problems.conflict(
    'A referral from this case to that program is already pending.',
    'referral-pending',
  );
}
