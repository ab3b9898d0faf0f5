import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { actorId, CASE_READ, CASE_WRITE, CaseAccess } from './case-access.js';
import type {
  ApproveClosureBody,
  ClosureRequestView,
  RejectClosureBody,
  ReopenBody,
  RequestClosureBody,
  StatusChangeView,
} from './case-closure.dto.js';
import { CaseClosureRepository, type ClosureRequestRow } from './case-closure.repository.js';
import type { CaseView } from './cases.dto.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import {
  CasesTopics,
  type CaseAssignedEvent,
  type CaseClosedEvent,
  type CaseReopenedEvent,
  type ClosureRequestedEvent,
} from './cases.events.js';
import { CasesRepository, type CaseRow } from './cases.repository.js';
import type { CaseStatus } from './cases.schema.js';
import type { StatusChangeKind } from './casework.schema.js';
import { toClosureRequestView, toStatusChangeView } from './casework.views.js';
import { ServicePlansRepository } from './service-plans.repository.js';
import { CaseTasksRepository } from './tasks.repository.js';
import { toCaseView } from './views.js';

export const CLOSURE_APPROVE = 'cases.closure.approve';

/**
 * Closing a case takes two people: the worker asks (the case is `pending_closure` meanwhile)
 * and someone else with `cases.closure.approve` reaching the case — a supervisor of its
 * program — approves or rejects; nobody decides their own request (403 `self-approval`; the
 * database refuses it too). On approval the case closes, its open tasks are cancelled, its plan
 * in force is completed, and `cases.case.closed` tells the clients module to end the care-team
 * rows the case gave its worker and team. A closed case can be reopened with a reason. Every
 * step is a row in the case's status history.
 */
@Injectable()
export class CaseClosureService {
  constructor(
    private readonly database: CasesDatabase,
    private readonly cases: CasesRepository,
    private readonly closures: CaseClosureRepository,
    private readonly tasks: CaseTasksRepository,
    private readonly plans: ServicePlansRepository,
    private readonly access: CaseAccess,
  ) {}

  async list(principal: Principal, caseId: string): Promise<ClosureRequestView[]> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    return (await this.closures.requestsOf(row.id)).map(toClosureRequestView);
  }

  async history(principal: Principal, caseId: string): Promise<StatusChangeView[]> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    return (await this.closures.statusChangesOf(row.id)).map(toStatusChangeView);
  }

  async request(principal: Principal, caseId: string, body: RequestClosureBody): Promise<ClosureRequestView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    if (row.status === 'closed') throw Problems.conflict('The case is already closed.');
    if (row.status === 'pending_closure') {
      throw Problems.conflict('A closure request for this case awaits a decision.', 'closure-pending');
    }
    if (body.closedOn < row.opened_on) {
      throw Problems.validation([
        { field: 'body.closedOn', message: 'A case cannot close before it opened.' },
      ]);
    }
    const actor = actorId(principal);
    const id = randomUUID();
    await this.database.transaction(async (trx) => {
      await this.moveCase(row, { status: 'pending_closure' }, trx);
      await this.closures.insertRequest(
        { id, case_id: row.id, reason: body.reason, closed_on: body.closedOn, requested_by: actor },
        trx,
      );
      await this.logStatus(trx, row, 'closure_requested', 'pending_closure', body.reason, actor, id);
      await publishEvent(trx, CasesTopics.closureRequested, {
        caseId: row.id,
        agencyId: row.agency_id,
        programId: row.program_id,
        requestId: id,
        requestedBy: actor,
      } satisfies ClosureRequestedEvent);
    });
    return toClosureRequestView(await this.requestRow(id));
  }

  async approve(
    principal: Principal,
    caseId: string,
    requestId: string,
    body: ApproveClosureBody,
  ): Promise<ClosureRequestView> {
    const { case: row } = await this.access.require(principal, caseId, CLOSURE_APPROVE);
    const request = await this.pendingRequest(row, requestId);
    refuseSelfDecision(principal, request);
    const actor = actorId(principal);
    await this.database.transaction(async (trx) => {
      const decision = { status: 'approved' as const, decided_by: actor, decision_note: body.note ?? null };
      if (!(await this.closures.decide(request.id, decision, request.version, trx))) {
        throw Problems.conflict('This closure request was decided meanwhile.', 'closure-decided');
      }
      await this.moveCase(row, { status: 'closed', closed_on: request.closed_on }, trx);
      await this.logStatus(
        trx,
        row,
        'closure_approved',
        'closed',
        body.note ?? request.reason,
        actor,
        request.id,
      );
      await this.tasks.cancelOpenOfCase(row.id, trx);
      const plan = await this.plans.activeOfCaseForUpdate(row.id, trx);
      if (plan) await this.plans.end(plan.id, 'completed', request.closed_on, trx);
      await publishEvent(trx, CasesTopics.caseClosed, {
        caseId: row.id,
        clientId: row.client_id,
        agencyId: row.agency_id,
      } satisfies CaseClosedEvent);
    });
    return toClosureRequestView(await this.requestRow(request.id));
  }

  async reject(
    principal: Principal,
    caseId: string,
    requestId: string,
    body: RejectClosureBody,
  ): Promise<ClosureRequestView> {
    const { case: row } = await this.access.require(principal, caseId, CLOSURE_APPROVE);
    const request = await this.pendingRequest(row, requestId);
    refuseSelfDecision(principal, request);
    return this.reopenRequest(row, request, 'rejected', actorId(principal), body.reason);
  }

  /** The requester takes their own request back. */
  async withdraw(principal: Principal, caseId: string, requestId: string): Promise<ClosureRequestView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    const request = await this.pendingRequest(row, requestId);
    if (request.requested_by !== principal.id) {
      throw Problems.forbidden('Only who asked for the closure may withdraw it; a supervisor rejects it.');
    }
    return this.reopenRequest(row, request, 'withdrawn', request.requested_by, null);
  }

  /** Opens a closed case again, with the reason kept in its history; its worker and team serve the client again. */
  async reopen(principal: Principal, caseId: string, body: ReopenBody): Promise<CaseView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    if (row.status !== 'closed') throw Problems.conflict('Only a closed case can be reopened.');
    const actor = actorId(principal);
    await this.database.transaction(async (trx) => {
      await this.moveCase(row, { status: 'open', closed_on: null }, trx);
      await this.logStatus(trx, row, 'reopened', 'open', body.reason, actor, null);
      await publishEvent(trx, CasesTopics.caseReopened, {
        caseId: row.id,
        clientId: row.client_id,
        agencyId: row.agency_id,
        reopenedBy: actor,
      } satisfies CaseReopenedEvent);
      await publishEvent(trx, CasesTopics.caseAssigned, {
        caseId: row.id,
        clientId: row.client_id,
        agencyId: row.agency_id,
        teamId: row.team_id,
        workerId: row.assigned_worker_id,
      } satisfies CaseAssignedEvent);
    });
    const reopened = await this.cases.findById(row.id);
    if (!reopened) throw Problems.notFound('case');
    return toCaseView(reopened);
  }

  /** A request that did not close the case: rejected or withdrawn, and the case is open again. */
  private async reopenRequest(
    row: CaseRow,
    request: ClosureRequestRow,
    status: 'rejected' | 'withdrawn',
    actor: string,
    note: string | null,
  ): Promise<ClosureRequestView> {
    await this.database.transaction(async (trx) => {
      const decision = { status, decided_by: actor, decision_note: note };
      if (!(await this.closures.decide(request.id, decision, request.version, trx))) {
        throw Problems.conflict('This closure request was decided meanwhile.', 'closure-decided');
      }
      await this.moveCase(row, { status: 'open' }, trx);
      const kind = status === 'rejected' ? 'closure_rejected' : 'closure_withdrawn';
      await this.logStatus(trx, row, kind, 'open', note ?? 'Withdrawn by the requester', actor, request.id);
    });
    return toClosureRequestView(await this.requestRow(request.id));
  }

  private async pendingRequest(row: CaseRow, requestId: string): Promise<ClosureRequestRow> {
    const request = await this.closures.findRequest(requestId);
    if (request?.case_id !== row.id) throw Problems.notFound('closure request');
    if (request.status !== 'pending') {
      throw Problems.conflict(`This closure request was already ${request.status}.`, 'closure-decided');
    }
    return request;
  }

  /** The case moves on from the state the caller read; a concurrent change answers 412. */
  private async moveCase(
    row: CaseRow,
    changes: { status: CaseStatus; closed_on?: string | null },
    trx: CasesDb,
  ): Promise<void> {
    if (!(await this.cases.update(row.id, changes, row.version, trx))) throw Problems.preconditionFailed();
  }

  private logStatus(
    trx: CasesDb,
    row: CaseRow,
    kind: StatusChangeKind,
    to: CaseStatus,
    reason: string,
    actor: string,
    requestId: string | null,
  ): Promise<void> {
    return this.closures.insertStatusChange(
      {
        id: randomUUID(),
        case_id: row.id,
        kind,
        from_status: row.status,
        to_status: to,
        reason,
        closure_request_id: requestId,
        changed_by: actor,
      },
      trx,
    );
  }

  private async requestRow(id: string): Promise<ClosureRequestRow> {
    const request = await this.closures.findRequest(id);
    if (!request) throw Problems.notFound('closure request');
    return request;
  }
}

/** Separation of duties: a closure request is decided by someone other than who made it. */
function refuseSelfDecision(principal: Principal, request: ClosureRequestRow): void {
  if (request.requested_by === principal.id) {
    throw new ProblemError({
      status: 403,
      type: 'self-approval',
      title: 'Self-approval refused',
      detail: 'You asked for this closure; another supervisor must decide it.',
    });
  }
}
