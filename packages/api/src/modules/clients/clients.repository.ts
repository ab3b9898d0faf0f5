import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { clientInScope, type ClientScopeFilter } from './client-scope.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import type { CareTeamTable, ClientTable, EnrollmentTable } from './clients.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type ClientRow = Selectable<ClientTable>;
export type CareTeamRow = Selectable<CareTeamTable>;
export type EnrollmentRow = Selectable<EnrollmentTable>;
export type NewClient = Insertable<ClientTable>;
export type ClientChanges = Partial<
  Omit<ClientRow, 'id' | 'agency_id' | 'created_by' | 'version' | 'created_at' | 'updated_at'>
>;
export type NewEnrollment = Insertable<EnrollmentTable>;
export type EnrollmentChanges = Partial<Pick<EnrollmentRow, 'end_date' | 'end_reason' | 'reason' | 'part2'>>;
export type NewCareTeamMember = Insertable<CareTeamTable>;

/** Where a client sits in the agency: what record-level scope is decided from. */
export interface ClientScopeFacts {
  teamIds: string[];
  userIds: string[];
  programIds: string[];
}

export interface ClientListQuery {
  filter: ClientScopeFilter;
  /** Family-name prefix (case-insensitive). */
  familyName?: string | undefined;
  birthDate?: string | undefined;
  /** Only these records (a screen naming the clients of a page of cases, in one request). */
  ids?: readonly string[] | undefined;
  after?: { name: string; id: string } | undefined;
  limit: number;
}

const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_TEAM = '0de70000-0000-4000-8000-00000000a001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_PROGRAM = '0de70000-0000-4000-8000-00000000b001';
const EXAMPLE_ENROLLMENT = '0de70000-0000-4000-8000-0000000d0e01';

/** Client columns with dates as 'YYYY-MM-DD' text, the same on PGlite and node-postgres. */
export const clientColumns = [
  'c.id',
  'c.agency_id',
  'c.given_name',
  'c.middle_name',
  'c.family_name',
  'c.preferred_name',
  sql<string>`c.birth_date::text`.as('birth_date'),
  'c.sex_at_birth',
  'c.gender_identity',
  'c.pronouns',
  'c.race',
  'c.ethnicity',
  'c.primary_language',
  'c.interpreter_needed',
  'c.ssn_ciphertext',
  'c.ssn_index',
  'c.ssn_last4',
  'c.medicaid_id_ciphertext',
  'c.medicaid_id_index',
  'c.status',
  'c.merged_into_id',
  sql<string | null>`c.deceased_on::text`.as('deceased_on'),
  'c.created_by',
  'c.version',
  'c.created_at',
  'c.updated_at',
] as const;

const enrollmentColumns = [
  'e.id',
  'e.client_id',
  'e.program_id',
  sql<string>`e.start_date::text`.as('start_date'),
  sql<string | null>`e.end_date::text`.as('end_date'),
  'e.reason',
  'e.end_reason',
  'e.part2',
  'e.created_by',
  'e.version',
  'e.created_at',
  'e.updated_at',
] as const;

/** Client records, care teams and enrolments: the core SQL of the clients module. */
@Injectable()
export class ClientsRepository {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly clock: AgencyClock,
  ) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  async findById(id: string, db: ClientsDb = this.db): Promise<ClientRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('clients.clients as c')
      .select(clientColumns)
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  /** These records, merged ones included (ClientAccess follows merges from them), in one query. */
  @GenerateSql({ params: [[EXAMPLE_CLIENT, '0de70000-0000-4000-8000-0000000d0002']] })
  async findByIds(ids: readonly string[], db: ClientsDb = this.db): Promise<ClientRow[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (valid.length === 0) return [];
    return db.selectFrom('clients.clients as c').select(clientColumns).where('c.id', 'in', valid).execute();
  }

  @GenerateSql({
    name: 'team scope, every filter',
    params: [
      {
        filter: { kind: 'team', agencyId: EXAMPLE_AGENCY, teamIds: [EXAMPLE_TEAM], userId: EXAMPLE_USER },
        familyName: 'gar',
        birthDate: '1980-02-03',
        after: { name: 'Garcia Ana', id: EXAMPLE_CLIENT },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'program scope',
    params: [
      {
        filter: {
          kind: 'program',
          agencyId: EXAMPLE_AGENCY,
          programIds: [EXAMPLE_PROGRAM],
          teamIds: [EXAMPLE_TEAM],
          userId: EXAMPLE_USER,
          today: '2026-11-30',
        },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'agency scope',
    params: [{ filter: { kind: 'agency', agencyId: EXAMPLE_AGENCY }, limit: 51 }],
  })
  @GenerateSql({
    name: 'by ids',
    params: [
      {
        filter: { kind: 'team', agencyId: EXAMPLE_AGENCY, teamIds: [EXAMPLE_TEAM], userId: EXAMPLE_USER },
        ids: [EXAMPLE_CLIENT, '0de70000-0000-4000-8000-0000000d0002'],
        limit: 51,
      },
    ],
  })
  list(query: ClientListQuery): Promise<ClientRow[]> {
    let q = this.db
      .selectFrom('clients.clients as c')
      .select(clientColumns)
      .where('c.status', '<>', 'merged')
      .where((eb) => clientInScope(eb, query.filter));
    if (query.familyName) q = q.where('c.family_name', 'ilike', `${escapeLike(query.familyName)}%`);
    if (query.birthDate) q = q.where('c.birth_date', '=', sql<string>`${query.birthDate}::date`);
    if (query.ids) q = q.where('c.id', 'in', query.ids);
    const after = query.after;
    const sortName = sql<string>`c.family_name || ' ' || c.given_name`;
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb(sortName, '>', after.name),
          eb.and([eb(sortName, '=', after.name), eb('c.id', '>', after.id)]),
        ]),
      );
    }
    return q.orderBy(sortName).orderBy('c.id').limit(query.limit).execute();
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-0000000d0f01',
        agency_id: EXAMPLE_AGENCY,
        given_name: 'Ana',
        family_name: 'Garcia',
        birth_date: '1980-02-03',
        sex_at_birth: 'female',
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insert(client: NewClient, db: ClientsDb = this.db): Promise<void> {
    await db.insertInto('clients.clients').values(client).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_CLIENT, { preferred_name: 'Annie' }, 1, GenerateSql.db] })
  async update(
    id: string,
    changes: ClientChanges,
    version: number,
    db: ClientsDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('clients.clients')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Active care-team teams and workers, and programs the client is enrolled in on the agency's today. */
  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  async scopeFacts(clientId: string, db: ClientsDb = this.db): Promise<ClientScopeFacts> {
    const [team, programs] = await Promise.all([
      db
        .selectFrom('clients.care_team')
        .select(['team_id', 'user_id'])
        .where('client_id', '=', clientId)
        .where('ended_at', 'is', null)
        .execute(),
      db
        .selectFrom('clients.enrollments')
        .select('program_id')
        .where('client_id', '=', clientId)
        .where((eb) =>
          eb.or([eb('end_date', 'is', null), eb('end_date', '>=', sql<string>`${this.clock.today()}::date`)]),
        )
        .execute(),
    ]);
    const present = (values: (string | null)[]) => [
      ...new Set(values.filter((v): v is string => v !== null)),
    ];
    return {
      teamIds: present(team.map((r) => r.team_id)),
      userIds: present(team.map((r) => r.user_id)),
      programIds: present(programs.map((r) => r.program_id)),
    };
  }

  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  careTeamOf(clientId: string, db: ClientsDb = this.db): Promise<CareTeamRow[]> {
    return db
      .selectFrom('clients.care_team')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('ended_at', 'is', null)
      .orderBy('started_at')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_ENROLLMENT,
        client_id: EXAMPLE_CLIENT,
        team_id: EXAMPLE_TEAM,
        user_id: EXAMPLE_USER,
        source: 'case',
        source_id: EXAMPLE_ENROLLMENT,
      },
      GenerateSql.db,
    ],
  })
  async addCareTeamMember(member: NewCareTeamMember, db: ClientsDb = this.db): Promise<void> {
    await db.insertInto('clients.care_team').values(member).execute();
  }

  /** Ends every active care-team row a source (a case) added; returns how many ended. */
  @GenerateSql({ params: [EXAMPLE_ENROLLMENT, GenerateSql.db] })
  async endCareTeamOf(sourceId: string, db: ClientsDb = this.db): Promise<number> {
    const result = await db
      .updateTable('clients.care_team')
      .set({ ended_at: sql`now()` })
      .where('source_id', '=', sourceId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  enrollmentsOf(clientId: string, db: ClientsDb = this.db): Promise<EnrollmentRow[]> {
    return db
      .selectFrom('clients.enrollments as e')
      .select(enrollmentColumns)
      .where('e.client_id', '=', clientId)
      .orderBy('e.start_date', 'desc')
      .orderBy('e.id')
      .execute();
  }

  /**
   * Which of these clients have a 42 CFR Part 2 enrolment (past or present) in which of these
   * programs: what makes a client's appointments or stay at that program Part 2 information.
   */
  @GenerateSql({ params: [[EXAMPLE_CLIENT], [EXAMPLE_PROGRAM]] })
  async part2EnrollmentsAmong(
    clientIds: readonly string[],
    programIds: readonly string[],
  ): Promise<{ client_id: string; program_id: string }[]> {
    const clients = [...new Set(clientIds.filter(isUuid))];
    const programs = [...new Set(programIds.filter(isUuid))];
    if (clients.length === 0 || programs.length === 0) return [];
    return this.db
      .selectFrom('clients.enrollments as e')
      .select(['e.client_id', 'e.program_id'])
      .distinct()
      .where('e.part2', '=', true)
      .where('e.client_id', 'in', clients)
      .where('e.program_id', 'in', programs)
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_ENROLLMENT] })
  async findEnrollment(id: string, db: ClientsDb = this.db): Promise<EnrollmentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('clients.enrollments as e')
      .select(enrollmentColumns)
      .where('e.id', '=', id)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_ENROLLMENT,
        client_id: EXAMPLE_CLIENT,
        program_id: EXAMPLE_PROGRAM,
        start_date: '2026-01-05',
        reason: 'Referred by primary care',
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertEnrollment(enrollment: NewEnrollment, db: ClientsDb = this.db): Promise<void> {
    await db.insertInto('clients.enrollments').values(enrollment).execute();
  }

  @GenerateSql({
    params: [EXAMPLE_ENROLLMENT, { end_date: '2026-06-30', end_reason: 'Goals met' }, 1, GenerateSql.db],
  })
  async updateEnrollment(
    id: string,
    changes: EnrollmentChanges,
    version: number,
    db: ClientsDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('clients.enrollments')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
