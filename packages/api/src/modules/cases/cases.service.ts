import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/http/page-cursor.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientAccess } from '../clients/client-access.js';
import { actorId, CASE_READ, CASE_WRITE, CaseAccess } from './case-access.js';
import { CasesDatabase } from './cases.database.js';
import type {
  AssignmentView,
  CaseListQuery,
  CaseView,
  OpenCaseBody,
  PatchCaseBody,
  ReassignCaseBody,
  TransferCaseBody,
} from './cases.dto.js';
import {
  CasesTopics,
  type CaseAssignedEvent,
  type CaseOpenedEvent,
  type CaseRiskChangedEvent,
} from './cases.events.js';
import { CasesRepository, type CaseChanges, type CaseloadView, type CaseRow } from './cases.repository.js';
import type { AssignmentKind } from './cases.schema.js';
import { toAssignmentView, toCaseView } from './views.js';
import { isUuid } from '../../platform/database/ids.js';

const CLIENT_READ = 'clients.clients.read';
const OPENED = 'Case opened';

/** Where a case goes: the team, program and worker it is assigned to. */
interface Destination {
  teamId: string;
  programId: string;
  workerId: string | null;
}

/** Opening cases, caseload views, reassignment and transfer with their history. */
@Injectable()
export class CasesService {
  constructor(
    private readonly database: CasesDatabase,
    private readonly cases: CasesRepository,
    private readonly access: CaseAccess,
    private readonly clients: ClientAccess,
    private readonly clock: AgencyClock,
  ) {}

  async list(
    principal: Principal,
    query: CaseListQuery,
  ): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    const filter = this.access.filter(principal, CASE_READ);
    if (!filter) return { items: [], nextCursor: null };
    // A client's cases are listed only to those who may see the client (a merged id lists the survivor's).
    const clientId = query.clientId
      ? (await this.clients.require(principal, query.clientId, CLIENT_READ)).client.id
      : undefined;
    const rows = await this.cases.list({
      filter,
      view: caseloadView(principal, query.view),
      status: query.status,
      clientId,
      riskLevel: query.riskLevel,
      after: query.cursor ? decodeCaseCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toCaseView(row)),
      nextCursor:
        rows.length > query.limit && last ? encodeNameCursor({ name: last.opened_on, id: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<CaseView> {
    const grant = await this.access.require(principal, id, CASE_READ);
    return toCaseView(grant.case, grant.via);
  }

  /**
   * Opens a case for a client the caller may see, worked by `teamId` (default: the caller's
   * first team) and `workerId` (default: the caller). The caller's case-write grant must reach
   * that team or program. The assignment event lets the worker and team reach the client.
   */
  async open(principal: Principal, body: OpenCaseBody): Promise<CaseView> {
    const grant = await this.clients.require(principal, body.clientId, CLIENT_READ);
    if (grant.via === 'break_glass') {
      throw Problems.forbidden(
        'Break-the-glass access lets you read this client, not open cases; ask their team or a supervisor.',
      );
    }
    const client = grant.client;
    if (client.status === 'deceased')
      throw Problems.conflict('A case cannot be opened for a deceased client.');
    const teamId = body.teamId ?? principal.teamIds[0];
    if (!teamId) {
      throw Problems.validation([
        { field: 'body.teamId', message: 'Name the team that will work the case.' },
      ]);
    }
    const workerId = body.workerId !== undefined ? body.workerId : defaultWorker(principal);
    const destination = { teamId, programId: body.programId, workerId };
    this.requireWriteScopeAt(principal, client.agency_id, destination);
    const actor = actorId(principal);
    const id = randomUUID();
    await this.database.transaction(async (trx) => {
      await this.cases.insert(
        {
          id,
          agency_id: client.agency_id,
          client_id: client.id,
          program_id: body.programId,
          type: body.type,
          risk_level: body.riskLevel,
          opened_on: body.openedOn ?? this.clock.today(),
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
          case_id: id,
          kind: 'opened',
          to_worker_id: workerId,
          to_team_id: teamId,
          to_program_id: body.programId,
          reason: OPENED,
          assigned_by: actor,
        },
        trx,
      );
      await publishEvent(trx, CasesTopics.caseOpened, {
        caseId: id,
        clientId: client.id,
        agencyId: client.agency_id,
        programId: body.programId,
        type: body.type,
      } satisfies CaseOpenedEvent);
      await publishEvent(trx, CasesTopics.caseAssigned, {
        caseId: id,
        clientId: client.id,
        agencyId: client.agency_id,
        teamId,
        workerId,
      } satisfies CaseAssignedEvent);
    });
    return toCaseView(await this.row(id));
  }

  async patch(principal: Principal, id: string, version: number, body: PatchCaseBody): Promise<CaseView> {
    const { case: row } = await this.access.require(principal, id, CASE_WRITE);
    if (row.status === 'closed') throw Problems.conflict('A closed case cannot be changed.');
    if (row.version !== version) throw Problems.preconditionFailed();
    const changes: CaseChanges = {};
    if (body.type !== undefined) changes.type = body.type;
    if (body.riskLevel !== undefined) changes.risk_level = body.riskLevel;
    if (body.part2 !== undefined) changes.part2 = body.part2;
    await this.database.transaction(async (trx) => {
      if (!(await this.cases.update(row.id, changes, version, trx))) throw Problems.preconditionFailed();
      // The contact schedule follows the risk level (ContactSchedule).
      if (body.riskLevel !== undefined && body.riskLevel !== row.risk_level) {
        await publishEvent(trx, CasesTopics.caseRiskChanged, {
          caseId: row.id,
          agencyId: row.agency_id,
          from: row.risk_level,
          to: body.riskLevel,
        } satisfies CaseRiskChangedEvent);
      }
    });
    return toCaseView(await this.row(row.id));
  }

  /** A new worker for the case (optionally on another team of its program). */
  async reassign(principal: Principal, id: string, body: ReassignCaseBody): Promise<CaseView> {
    const { case: row } = await this.access.require(principal, id, CASE_WRITE);
    const destination = {
      teamId: body.teamId ?? row.team_id,
      programId: row.program_id,
      workerId: body.workerId,
    };
    return this.assign(principal, row, destination, 'reassigned', body.reason);
  }

  /** Hands the case to another team (and program), to a worker there or to the team's queue. */
  async transfer(principal: Principal, id: string, body: TransferCaseBody): Promise<CaseView> {
    const { case: row } = await this.access.require(principal, id, CASE_WRITE);
    const destination = {
      teamId: body.teamId,
      programId: body.programId ?? row.program_id,
      workerId: body.workerId,
    };
    return this.assign(principal, row, destination, 'transferred', body.reason);
  }

  async assignments(principal: Principal, id: string): Promise<AssignmentView[]> {
    const { case: row } = await this.access.require(principal, id, CASE_READ);
    return (await this.cases.assignmentsOf(row.id)).map(toAssignmentView);
  }

  private async assign(
    principal: Principal,
    row: CaseRow,
    to: Destination,
    kind: AssignmentKind,
    reason: string,
  ): Promise<CaseView> {
    if (row.status === 'closed') throw Problems.conflict('A closed case cannot be reassigned.');
    if (
      to.teamId === row.team_id &&
      to.programId === row.program_id &&
      to.workerId === row.assigned_worker_id
    ) {
      throw Problems.conflict('The case is already assigned there.');
    }
    if (to.teamId !== row.team_id || to.programId !== row.program_id) {
      this.requireWriteScopeAt(principal, row.agency_id, to);
    }
    const actor = actorId(principal);
    await this.database.transaction(async (trx) => {
      const changes = { team_id: to.teamId, program_id: to.programId, assigned_worker_id: to.workerId };
      if (!(await this.cases.update(row.id, changes, row.version, trx))) throw Problems.preconditionFailed();
      await this.cases.insertAssignment(
        {
          id: randomUUID(),
          case_id: row.id,
          kind,
          from_worker_id: row.assigned_worker_id,
          to_worker_id: to.workerId,
          from_team_id: row.team_id,
          to_team_id: to.teamId,
          from_program_id: row.program_id,
          to_program_id: to.programId,
          reason,
          assigned_by: actor,
        },
        trx,
      );
      await publishEvent(trx, CasesTopics.caseAssigned, {
        caseId: row.id,
        clientId: row.client_id,
        agencyId: row.agency_id,
        teamId: to.teamId,
        workerId: to.workerId,
      } satisfies CaseAssignedEvent);
    });
    return toCaseView(await this.row(row.id));
  }

  /** The caller's case-write grant must reach where the case is going: its team or program. */
  private requireWriteScopeAt(principal: Principal, agencyId: string, to: Destination): void {
    const target = { agencyId, teamIds: [to.teamId], programIds: [to.programId] };
    if (!scopeAllows(principal, CASE_WRITE, target)) {
      throw Problems.forbidden('You can place cases only with your own teams, or within your programs.');
    }
  }

  private async row(id: string): Promise<CaseRow> {
    const row = await this.cases.findById(id);
    if (!row) throw Problems.notFound('case');
    return row;
  }
}

function defaultWorker(principal: Principal): string | null {
  return principal.kind === 'user' && isUuid(principal.id) ? principal.id : null;
}

function caseloadView(principal: Principal, view: CaseListQuery['view']): CaseloadView | undefined {
  switch (view) {
    case 'mine':
      return { kind: 'mine', userId: isUuid(principal.id) ? principal.id : NIL_UUID };
    case 'team':
      return { kind: 'team', teamIds: principal.teamIds.filter(isUuid) };
    case 'program':
      return { kind: 'program', programIds: principal.programIds.filter(isUuid) };
    case undefined:
      return undefined;
  }
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The page cursor of a caseload: the last case's opened-on date and id. */
function decodeCaseCursor(text: string): { openedOn: string; id: string } {
  const cursor = decodeNameCursor(text);
  if (!DATE.test(cursor.name)) {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
  return { openedOn: cursor.name, id: cursor.id };
}
