import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import type { CaseStatusChangeTable, ClosureRequestStatus, ClosureRequestTable } from './casework.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type ClosureRequestRow = Selectable<ClosureRequestTable>;
export type NewClosureRequest = Insertable<ClosureRequestTable>;
export type StatusChangeRow = Selectable<CaseStatusChangeTable>;
export type NewStatusChange = Insertable<CaseStatusChangeTable>;

export interface ClosureDecision {
  status: Exclude<ClosureRequestStatus, 'pending'>;
  decided_by: string;
  decision_note: string | null;
}

const EXAMPLE_CASE = '0de70000-0000-4000-8000-0000000ca001';
const EXAMPLE_REQUEST = '0de70000-0000-4000-8000-0000000ca301';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_SUPERVISOR = '0de70000-0000-4000-8000-00000000c003';

const requestColumns = [
  'id',
  'case_id',
  'reason',
  sql<string>`closed_on::text`.as('closed_on'),
  'status',
  'requested_by',
  'requested_at',
  'decided_by',
  'decided_at',
  'decision_note',
  'version',
] as const;

/** Closure requests and the case's status history (append-only). */
@Injectable()
export class CaseClosureRepository {
  constructor(private readonly database: CasesDatabase) {}

  private get db(): CasesDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_REQUEST, GenerateSql.db] })
  async findRequest(id: string, db: CasesDb = this.db): Promise<ClosureRequestRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('cases.closure_requests')
      .select(requestColumns)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A case's closure requests, newest first. */
  @GenerateSql({ params: [EXAMPLE_CASE] })
  requestsOf(caseId: string, db: CasesDb = this.db): Promise<ClosureRequestRow[]> {
    return db
      .selectFrom('cases.closure_requests')
      .select(requestColumns)
      .where('case_id', '=', caseId)
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_REQUEST,
        case_id: EXAMPLE_CASE,
        reason: 'Goals met; client moved out of county.',
        closed_on: '2026-03-01',
        requested_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertRequest(row: NewClosureRequest, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.closure_requests').values(row).execute();
  }

  /** Decides a request that is still pending at `version`; false when it moved on. */
  @GenerateSql({
    params: [
      EXAMPLE_REQUEST,
      { status: 'approved', decided_by: EXAMPLE_SUPERVISOR, decision_note: null },
      1,
      GenerateSql.db,
    ],
  })
  async decide(
    id: string,
    decision: ClosureDecision,
    version: number,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases.closure_requests')
      .set({ ...decision, decided_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-0000000ca311',
        case_id: EXAMPLE_CASE,
        kind: 'reopened',
        from_status: 'closed',
        to_status: 'open',
        reason: 'Client returned for services.',
        closure_request_id: null,
        changed_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertStatusChange(row: NewStatusChange, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.case_status_changes').values(row).execute();
  }

  /** A case's status history, oldest first. */
  @GenerateSql({ params: [EXAMPLE_CASE] })
  statusChangesOf(caseId: string, db: CasesDb = this.db): Promise<StatusChangeRow[]> {
    return db
      .selectFrom('cases.case_status_changes')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('changed_at')
      .orderBy('id')
      .execute();
  }
}
