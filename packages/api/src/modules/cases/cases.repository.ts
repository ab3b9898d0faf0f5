import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { caseInScope, type CaseScopeFilter } from './case-scope.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import type {
  CaseAssignmentTable,
  CaseStatus,
  CaseTable,
  MergeMoveTable,
  RiskLevel,
} from './cases.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type CaseRow = Selectable<CaseTable>;
export type NewCase = Insertable<CaseTable>;
export type CaseChanges = Partial<
  Pick<
    CaseRow,
    'type' | 'risk_level' | 'part2' | 'status' | 'closed_on' | 'assigned_worker_id' | 'team_id' | 'program_id'
  >
>;
export type CaseAssignmentRow = Selectable<CaseAssignmentTable>;
export type NewCaseAssignment = Insertable<CaseAssignmentTable>;
export type MergeMoveRow = Selectable<MergeMoveTable>;

/** Which caseload a list shows, on top of the caller's scope. */
export type CaseloadView =
  | { kind: 'mine'; userId: string }
  | { kind: 'team'; teamIds: string[] }
  | { kind: 'program'; programIds: string[] };

export interface CaseListQuery {
  filter: CaseScopeFilter;
  view?: CaseloadView | undefined;
  status?: CaseStatus | undefined;
  clientId?: string | undefined;
  riskLevel?: RiskLevel | undefined;
  /** The last row of the previous page: newest opened first, then id descending. */
  after?: { openedOn: string; id: string } | undefined;
  limit: number;
}

const EXAMPLE_CASE = '0de70000-0000-4000-8000-0000000ca001';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_TEAM = '0de70000-0000-4000-8000-00000000a001';
const EXAMPLE_PROGRAM = '0de70000-0000-4000-8000-00000000b001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_MERGE = '0de70000-0000-4000-8000-0000000e0001';

/** Case columns with dates as 'YYYY-MM-DD' text, the same on PGlite and node-postgres. */
const caseColumns = [
  'k.id',
  'k.agency_id',
  'k.client_id',
  'k.program_id',
  'k.type',
  'k.status',
  'k.risk_level',
  sql<string>`k.opened_on::text`.as('opened_on'),
  sql<string | null>`k.closed_on::text`.as('closed_on'),
  'k.assigned_worker_id',
  'k.team_id',
  'k.part2',
  'k.created_by',
  'k.version',
  'k.created_at',
  'k.updated_at',
] as const;

/** Cases, their assignment history and client-merge moves: the case SQL of the cases module. */
@Injectable()
export class CasesRepository {
  constructor(private readonly database: CasesDatabase) {}

  private get db(): CasesDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_CASE] })
  async findById(id: string, db: CasesDb = this.db): Promise<CaseRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('cases.cases as k').select(caseColumns).where('k.id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    name: 'my caseload, team scope, every filter',
    params: [
      {
        filter: { kind: 'team', agencyId: EXAMPLE_AGENCY, teamIds: [EXAMPLE_TEAM], userId: EXAMPLE_USER },
        view: { kind: 'mine', userId: EXAMPLE_USER },
        status: 'open',
        clientId: EXAMPLE_CLIENT,
        riskLevel: 'high',
        after: { openedOn: '2026-01-05', id: EXAMPLE_CASE },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'program caseload, program scope',
    params: [
      {
        filter: {
          kind: 'program',
          agencyId: EXAMPLE_AGENCY,
          programIds: [EXAMPLE_PROGRAM],
          teamIds: [EXAMPLE_TEAM],
          userId: EXAMPLE_USER,
        },
        view: { kind: 'program', programIds: [EXAMPLE_PROGRAM] },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'team caseload, agency scope',
    params: [
      {
        filter: { kind: 'agency', agencyId: EXAMPLE_AGENCY },
        view: { kind: 'team', teamIds: [EXAMPLE_TEAM] },
        limit: 51,
      },
    ],
  })
  list(query: CaseListQuery): Promise<CaseRow[]> {
    let q = this.db
      .selectFrom('cases.cases as k')
      .select(caseColumns)
      .where((eb) => caseInScope(eb, query.filter));
    const view = query.view;
    if (view?.kind === 'mine') q = q.where('k.assigned_worker_id', '=', view.userId);
    if (view?.kind === 'team') {
      q = view.teamIds.length > 0 ? q.where('k.team_id', 'in', view.teamIds) : q.where(sql<boolean>`false`);
    }
    if (view?.kind === 'program') {
      q =
        view.programIds.length > 0
          ? q.where('k.program_id', 'in', view.programIds)
          : q.where(sql<boolean>`false`);
    }
    if (query.status) q = q.where('k.status', '=', query.status);
    if (query.clientId) q = q.where('k.client_id', '=', query.clientId);
    if (query.riskLevel) q = q.where('k.risk_level', '=', query.riskLevel);
    const after = query.after;
    if (after) {
      const openedOn = sql<string>`${after.openedOn}::date`;
      q = q.where((eb) =>
        eb.or([
          eb('k.opened_on', '<', openedOn),
          eb.and([eb('k.opened_on', '=', openedOn), eb('k.id', '<', after.id)]),
        ]),
      );
    }
    return q.orderBy('k.opened_on', 'desc').orderBy('k.id', 'desc').limit(query.limit).execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_CASE,
        agency_id: EXAMPLE_AGENCY,
        client_id: EXAMPLE_CLIENT,
        program_id: EXAMPLE_PROGRAM,
        type: 'ongoing',
        risk_level: 'moderate',
        opened_on: '2026-01-05',
        assigned_worker_id: EXAMPLE_USER,
        team_id: EXAMPLE_TEAM,
        part2: false,
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insert(row: NewCase, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.cases').values(row).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_CASE, { risk_level: 'high' }, 1, GenerateSql.db] })
  async update(id: string, changes: CaseChanges, version: number, db: CasesDb = this.db): Promise<boolean> {
    const result = await db
      .updateTable('cases.cases')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-0000000ca0a1',
        case_id: EXAMPLE_CASE,
        kind: 'reassigned',
        from_worker_id: EXAMPLE_USER,
        to_worker_id: '0de70000-0000-4000-8000-00000000c005',
        from_team_id: EXAMPLE_TEAM,
        to_team_id: EXAMPLE_TEAM,
        from_program_id: EXAMPLE_PROGRAM,
        to_program_id: EXAMPLE_PROGRAM,
        reason: 'Caseload balancing',
        assigned_by: '0de70000-0000-4000-8000-00000000c003',
      },
      GenerateSql.db,
    ],
  })
  async insertAssignment(row: NewCaseAssignment, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.case_assignments').values(row).execute();
  }

  /** Who worked the case, oldest first. */
  @GenerateSql({ params: [EXAMPLE_CASE] })
  assignmentsOf(caseId: string, db: CasesDb = this.db): Promise<CaseAssignmentRow[]> {
    return db
      .selectFrom('cases.case_assignments')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('assigned_at')
      .orderBy('id')
      .execute();
  }

  /** A client's cases within an agency, locked for a merge moving them. */
  @GenerateSql({ params: [EXAMPLE_CLIENT, EXAMPLE_AGENCY, GenerateSql.db] })
  casesOfClientForUpdate(clientId: string, agencyId: string, db: CasesDb = this.db): Promise<CaseRow[]> {
    return db
      .selectFrom('cases.cases as k')
      .select(caseColumns)
      .where('k.client_id', '=', clientId)
      .where('k.agency_id', '=', agencyId)
      .orderBy('k.id')
      .forUpdate()
      .execute();
  }

  /**
   * Moves cases to another client record (a merge or its undoing). Only those still on
   * `fromClientId` move, so replaying a move changes nothing. Returns the ids moved.
   */
  @GenerateSql({
    params: [[EXAMPLE_CASE], EXAMPLE_CLIENT, '0de70000-0000-4000-8000-0000000d0002', GenerateSql.db],
  })
  async moveToClient(
    caseIds: string[],
    fromClientId: string,
    toClientId: string,
    db: CasesDb = this.db,
  ): Promise<string[]> {
    if (caseIds.length === 0) return [];
    const rows = await db
      .updateTable('cases.cases')
      .set({ client_id: toClientId, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', 'in', caseIds)
      .where('client_id', '=', fromClientId)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  @GenerateSql({
    params: [
      EXAMPLE_MERGE,
      [EXAMPLE_CASE],
      EXAMPLE_CLIENT,
      '0de70000-0000-4000-8000-0000000d0002',
      GenerateSql.db,
    ],
  })
  async recordMergeMoves(
    mergeId: string,
    caseIds: string[],
    fromClientId: string,
    toClientId: string,
    db: CasesDb = this.db,
  ): Promise<void> {
    if (caseIds.length === 0) return;
    await db
      .insertInto('cases.merge_moves')
      .values(
        caseIds.map((caseId) => ({
          merge_id: mergeId,
          case_id: caseId,
          from_client_id: fromClientId,
          to_client_id: toClientId,
        })),
      )
      .onConflict((oc) => oc.columns(['merge_id', 'case_id']).doNothing())
      .execute();
  }

  /** The cases a merge moved and that have not been moved back yet, locked. */
  @GenerateSql({ params: [EXAMPLE_MERGE, GenerateSql.db] })
  pendingMergeMoves(mergeId: string, db: CasesDb = this.db): Promise<MergeMoveRow[]> {
    return db
      .selectFrom('cases.merge_moves')
      .selectAll()
      .where('merge_id', '=', mergeId)
      .where('restored_at', 'is', null)
      .orderBy('case_id')
      .forUpdate()
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_MERGE, [EXAMPLE_CASE], GenerateSql.db] })
  async markMergeMovesRestored(mergeId: string, caseIds: string[], db: CasesDb = this.db): Promise<void> {
    if (caseIds.length === 0) return;
    await db
      .updateTable('cases.merge_moves')
      .set({ restored_at: sql`now()` })
      .where('merge_id', '=', mergeId)
      .where('case_id', 'in', caseIds)
      .execute();
  }
}
