import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { caseInScope, type CaseScopeFilter } from './case-scope.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import { type CaseRow } from './cases.repository.js';
import type { CaseStatus, RiskLevel } from './cases.schema.js';
import type { TaskStatus, TaskTable } from './casework.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type TaskRow = Selectable<TaskTable>;
export type NewTask = Insertable<TaskTable>;
export type TaskChanges = Partial<
  Pick<TaskRow, 'title' | 'due_on' | 'assigned_to' | 'status' | 'completed_at' | 'completed_by'>
>;
/** A task in a queue, with the case facts a worklist shows. */
export type QueuedTaskRow = TaskRow & {
  client_id: string;
  program_id: string;
  team_id: string;
  risk_level: RiskLevel;
};

/** Which worklist: assigned to me, my teams' cases, or everything overdue within my scope. */
export type TaskQueue =
  { kind: 'mine'; userId: string } | { kind: 'team'; teamIds: string[] } | { kind: 'overdue' };

export interface TaskQueueQuery {
  filter: CaseScopeFilter;
  queue: TaskQueue;
  /** YYYY-MM-DD: tasks due before it are overdue. */
  today: string;
  /** The last row of the previous page: earliest due first, then id. */
  after?: { dueOn: string; id: string } | undefined;
  limit: number;
}

/** What the contact policy counts a case's next contact from: the agency's days (AGENCY_TIME_ZONE). */
export interface ContactFacts {
  /** Day of the latest signed contact note that is not an addendum. */
  lastContactOn: string | null;
  /** Day the case was last reopened. */
  lastReopenedOn: string | null;
}

/** The case facts the contact schedule needs, read under a row lock. */
export type ScheduledCase = Pick<
  CaseRow,
  'id' | 'agency_id' | 'status' | 'risk_level' | 'opened_on' | 'assigned_worker_id'
>;

const EXAMPLE_CASE = '0de70000-0000-4000-8000-0000000ca001';
const EXAMPLE_TASK = '0de70000-0000-4000-8000-0000000ca501';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_TEAM = '0de70000-0000-4000-8000-00000000a001';
const EXAMPLE_PROGRAM = '0de70000-0000-4000-8000-00000000b001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';

const taskColumns = [
  't.id',
  't.case_id',
  't.title',
  't.type',
  't.source',
  sql<string>`t.due_on::text`.as('due_on'),
  sql<string | null>`t.basis_on::text`.as('basis_on'),
  't.assigned_to',
  't.status',
  't.completed_at',
  't.completed_by',
  't.created_by',
  't.version',
  't.created_at',
  't.updated_at',
] as const;

/** Case tasks (the policy's contact task and tasks people make) and their worklists. */
@Injectable()
export class CaseTasksRepository {
  constructor(private readonly database: CasesDatabase) {}

  private get db(): CasesDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_TASK, GenerateSql.db] })
  async findById(id: string, db: CasesDb = this.db): Promise<TaskRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('cases.tasks as t').select(taskColumns).where('t.id', '=', id).executeTakeFirst();
  }

  /** A case's tasks, open ones first, then by due date. */
  @GenerateSql({ params: [EXAMPLE_CASE, 'open'] })
  listOfCase(caseId: string, status?: TaskStatus, db: CasesDb = this.db): Promise<TaskRow[]> {
    let q = db.selectFrom('cases.tasks as t').select(taskColumns).where('t.case_id', '=', caseId);
    if (status) q = q.where('t.status', '=', status);
    return q
      .orderBy(sql`t.status = 'open'`, 'desc')
      .orderBy('t.due_on')
      .orderBy('t.id')
      .limit(500)
      .execute();
  }

  @GenerateSql({
    name: 'mine, team scope, next page',
    params: [
      {
        filter: { kind: 'team', agencyId: EXAMPLE_AGENCY, teamIds: [EXAMPLE_TEAM], userId: EXAMPLE_USER },
        queue: { kind: 'mine', userId: EXAMPLE_USER },
        today: '2026-01-05',
        after: { dueOn: '2026-01-02', id: EXAMPLE_TASK },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'overdue, program scope',
    params: [
      {
        filter: {
          kind: 'program',
          agencyId: EXAMPLE_AGENCY,
          programIds: [EXAMPLE_PROGRAM],
          teamIds: [EXAMPLE_TEAM],
          userId: EXAMPLE_USER,
        },
        queue: { kind: 'overdue' },
        today: '2026-01-05',
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'team',
    params: [
      {
        filter: { kind: 'agency', agencyId: EXAMPLE_AGENCY },
        queue: { kind: 'team', teamIds: [EXAMPLE_TEAM] },
        today: '2026-01-05',
        limit: 51,
      },
    ],
  })
  queue(query: TaskQueueQuery): Promise<QueuedTaskRow[]> {
    let q = this.db
      .selectFrom('cases.cases as k')
      .innerJoin('cases.tasks as t', 't.case_id', 'k.id')
      .select(taskColumns)
      .select(['k.client_id', 'k.program_id', 'k.team_id', 'k.risk_level'])
      .where('t.status', '=', 'open')
      .where((eb) => caseInScope(eb, query.filter));
    const queue = query.queue;
    if (queue.kind === 'mine') q = q.where('t.assigned_to', '=', queue.userId);
    if (queue.kind === 'team') {
      q = queue.teamIds.length > 0 ? q.where('k.team_id', 'in', queue.teamIds) : q.where(sql<boolean>`false`);
    }
    if (queue.kind === 'overdue') q = q.where('t.due_on', '<', sql<string>`${query.today}::date`);
    const after = query.after;
    if (after) {
      const dueOn = sql<string>`${after.dueOn}::date`;
      q = q.where((eb) =>
        eb.or([eb('t.due_on', '>', dueOn), eb.and([eb('t.due_on', '=', dueOn), eb('t.id', '>', after.id)])]),
      );
    }
    return q.orderBy('t.due_on').orderBy('t.id').limit(query.limit).execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_TASK,
        case_id: EXAMPLE_CASE,
        title: 'Request school records',
        type: 'document',
        due_on: '2026-01-20',
        assigned_to: EXAMPLE_USER,
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insert(row: NewTask, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.tasks').values(row).execute();
  }

  /** Changes an open task still at `version`; false when it moved on or was closed. */
  @GenerateSql({ params: [EXAMPLE_TASK, { due_on: '2026-01-22' }, 1, GenerateSql.db] })
  async update(id: string, changes: TaskChanges, version: number, db: CasesDb = this.db): Promise<boolean> {
    const result = await db
      .updateTable('cases.tasks')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Cancels every open task of a case (it closed); returns how many. */
  @GenerateSql({ params: [EXAMPLE_CASE, GenerateSql.db] })
  async cancelOpenOfCase(caseId: string, db: CasesDb = this.db): Promise<number> {
    const result = await db
      .updateTable('cases.tasks')
      .set({ status: 'cancelled', version: sql`version + 1`, updated_at: sql`now()` })
      .where('case_id', '=', caseId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The case, locked so that concurrent recomputations of its contact task queue up. */
  @GenerateSql({ params: [EXAMPLE_CASE, GenerateSql.db] })
  caseForUpdate(caseId: string, db: CasesDb = this.db): Promise<ScheduledCase | undefined> {
    return db
      .selectFrom('cases.cases')
      .select([
        'id',
        'agency_id',
        'status',
        'risk_level',
        sql<string>`opened_on::text`.as('opened_on'),
        'assigned_worker_id',
      ])
      .where('id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
  }

  /** The case's open contact task kept by the policy, if any. */
  @GenerateSql({ params: [EXAMPLE_CASE, GenerateSql.db] })
  openPolicyTask(caseId: string, db: CasesDb = this.db): Promise<TaskRow | undefined> {
    return db
      .selectFrom('cases.tasks as t')
      .select(taskColumns)
      .where('t.case_id', '=', caseId)
      .where('t.source', '=', 'policy')
      .where('t.status', '=', 'open')
      .executeTakeFirst();
  }

  /** Re-dates (and re-titles, re-assigns) the policy's task. */
  @GenerateSql({
    params: [
      EXAMPLE_TASK,
      {
        title: 'Contact the client (high risk: every 7 days)',
        due_on: '2026-01-12',
        basis_on: '2026-01-05',
        assigned_to: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async reschedule(
    id: string,
    schedule: Pick<TaskRow, 'title' | 'due_on' | 'basis_on' | 'assigned_to'>,
    db: CasesDb = this.db,
  ): Promise<void> {
    await db
      .updateTable('cases.tasks')
      .set({ ...schedule, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
  }

  /** Marks the policy's task done by the system: a newer contact was documented. */
  @GenerateSql({ params: [EXAMPLE_TASK, GenerateSql.db] })
  async completeBySystem(id: string, db: CasesDb = this.db): Promise<void> {
    await db
      .updateTable('cases.tasks')
      .set({ status: 'done', completed_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
  }

  /** The days are read in `timeZone` (the agency's): a contact at 19:00 in Chicago counts for that day. */
  @GenerateSql({ params: [EXAMPLE_CASE, 'America/Chicago', GenerateSql.db] })
  async contactFacts(caseId: string, timeZone: string, db: CasesDb = this.db): Promise<ContactFacts> {
    const row = await db
      .selectFrom('cases.cases as k')
      .select((eb) => [
        eb
          .selectFrom('cases.case_notes as n')
          .select(sql<string>`max((n.contact_at AT TIME ZONE ${timeZone})::date)::text`.as('d'))
          .where('n.case_id', '=', eb.ref('k.id'))
          .where('n.note_type', '=', 'contact')
          .where('n.status', '=', 'signed')
          .where('n.parent_note_id', 'is', null)
          .as('last_contact_on'),
        eb
          .selectFrom('cases.case_status_changes as s')
          .select(sql<string>`max((s.changed_at AT TIME ZONE ${timeZone})::date)::text`.as('d'))
          .where('s.case_id', '=', eb.ref('k.id'))
          .where('s.kind', '=', 'reopened')
          .as('last_reopened_on'),
      ])
      .where('k.id', '=', caseId)
      .executeTakeFirst();
    return { lastContactOn: row?.last_contact_on ?? null, lastReopenedOn: row?.last_reopened_on ?? null };
  }

  /**
   * Re-dates every open policy task of the agency's cases at a risk level after the policy's
   * interval for it changed: due = the day it counts from + the new interval.
   */
  @GenerateSql({
    params: [EXAMPLE_AGENCY, 'high', 5, 'Contact the client (high risk: every 5 days)', GenerateSql.db],
  })
  async redateForPolicy(
    agencyId: string,
    riskLevel: RiskLevel,
    intervalDays: number,
    title: string,
    db: CasesDb = this.db,
  ): Promise<number> {
    const open: CaseStatus[] = ['open', 'pending_closure'];
    const result = await db
      .updateTable('cases.tasks as t')
      .from('cases.cases as k')
      .set({
        title,
        due_on: sql`t.basis_on + ${intervalDays}::integer`,
        version: sql`t.version + 1`,
        updated_at: sql`now()`,
      })
      .whereRef('k.id', '=', 't.case_id')
      .where('k.agency_id', '=', agencyId)
      .where('k.risk_level', '=', riskLevel)
      .where('k.status', 'in', open)
      .where('t.source', '=', 'policy')
      .where('t.status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
