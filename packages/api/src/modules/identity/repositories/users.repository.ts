import { Injectable } from '@nestjs/common';
import {
  sql,
  type CompiledQuery,
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { Scope } from '../../../platform/auth/principal.js';
import type { PlatformTables } from '../../../platform/database/platform.schema.js';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';
import type { IdentityTables, UserTable } from '../identity.schema.js';
import { isUuid, onlyUuids } from '../../../platform/database/ids.js';

export type UserRow = Selectable<UserTable>;

const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
type ProfileResult = UserProfileRow & { roles: string[]; teams: string[] };

/** What the API shows of a user: no credentials. */
export type UserProfileRow = Pick<
  UserRow,
  | 'id'
  | 'email'
  | 'display_name'
  | 'agency_id'
  | 'mfa_enabled_at'
  | 'status'
  | 'version'
  | 'created_at'
  | 'updated_at'
>;

/** Where a user sits in the agency: what their tokens carry and what scope checks use. */
export interface UserAccess {
  roles: string[];
  teamIds: string[];
  programIds: string[];
}

/** Which users a caller may see, from their grant for the permission in question. */
export interface UserVisibility {
  scope: Scope;
  agencyId: string;
  teamIds: readonly string[];
  programIds: readonly string[];
  selfId: string;
}

export interface UserListQuery {
  visibility: UserVisibility;
  q?: string | undefined;
  status?: 'active' | 'deactivated' | undefined;
  role?: string | undefined;
  after?: { displayName: string; id: string } | undefined;
  limit: number;
}

export interface NewUser {
  id: string;
  agency_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  mfa_secret?: string | null;
  mfa_enabled_at?: Date | null;
}

export type UserChanges = Partial<{
  display_name: string;
  status: 'active' | 'deactivated';
  mfa_secret: string | null;
  mfa_enabled_at: Date | null;
  mfa_pending_secret: string | null;
}>;

type Eb = ExpressionBuilder<PlatformTables & IdentityTables & { u: UserTable }, 'u'>;

/** Users, their roles and teams, and the sign-in bookkeeping on the user row. */
@Injectable()
export class UsersRepository {
  private profileQuery: CompiledQuery | undefined;

  constructor(private readonly database: IdentityDatabase) {}

  private get db(): IdentityDb {
    return this.database.db;
  }

  @GenerateSql({ params: ['case-manager@demo.ehrms.local'] })
  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('identity.users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004'] })
  async findById(id: string, db: IdentityDb = this.db): Promise<UserRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('identity.users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * A user's profile with their roles, teams and programs in one round trip: this is the hot
   * path of every user read and every scope check on a user record.
   */
  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004'] })
  async findProfile(
    id: string,
    db: IdentityDb = this.db,
  ): Promise<{ row: UserProfileRow; access: UserAccess } | undefined> {
    if (!isUuid(id)) return undefined;
    // Built and compiled once; each call only binds the id (this is the hottest query there is).
    this.profileQuery ??= this.#profileSelect(db, PLACEHOLDER_ID).compile();
    const { rows } = await db.executeQuery<ProfileResult>({ ...this.profileQuery, parameters: [id] });
    const found = rows[0];
    if (!found) return undefined;
    const { roles, teams, ...row } = found;
    const teamIds: string[] = [];
    const programIds = new Set<string>();
    for (const pair of teams) {
      const [teamId = '', programId = ''] = pair.split(' ');
      teamIds.push(teamId);
      programIds.add(programId);
    }
    return { row, access: { roles, teamIds, programIds: [...programIds] } };
  }

  /** The profile query; `queries/` shows its SQL. Teams come as "teamId programId" in team-name order. */
  #profileSelect(db: IdentityDb, id: string) {
    return db
      .selectFrom('identity.users as u')
      .select([
        'u.id',
        'u.email',
        'u.display_name',
        'u.agency_id',
        'u.mfa_enabled_at',
        'u.status',
        'u.version',
        'u.created_at',
        'u.updated_at',
        sql<
          string[]
        >`array(select r.role from identity.user_roles r where r.user_id = u.id order by r.role)`.as('roles'),
        sql<
          string[]
        >`array(select t.id::text || ' ' || t.program_id::text from identity.user_teams ut join identity.teams t on t.id = ut.team_id where ut.user_id = u.id order by t.name, t.id)`.as(
          'teams',
        ),
      ])
      .where('u.id', '=', id);
  }

  @GenerateSql({ params: [] })
  async anyUserExists(): Promise<boolean> {
    const row = await this.db.selectFrom('identity.users').select('id').limit(1).executeTakeFirst();
    return !!row;
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004'] })
  async accessOf(userId: string, db: IdentityDb = this.db): Promise<UserAccess> {
    return (await this.accessOfMany([userId], db)).get(userId) ?? { roles: [], teamIds: [], programIds: [] };
  }

  @GenerateSql({ params: [['0de70000-0000-4000-8000-00000000c004', '0de70000-0000-4000-8000-00000000c005']] })
  async accessOfMany(userIds: readonly string[], db: IdentityDb = this.db): Promise<Map<string, UserAccess>> {
    const out = new Map<string, UserAccess>();
    userIds = onlyUuids(userIds);
    if (userIds.length === 0) return out;
    for (const id of userIds) out.set(id, { roles: [], teamIds: [], programIds: [] });
    const [roles, teams] = await Promise.all([
      db
        .selectFrom('identity.user_roles')
        .select(['user_id', 'role'])
        .where('user_id', 'in', [...userIds])
        .orderBy('role')
        .execute(),
      db
        .selectFrom('identity.user_teams as ut')
        .innerJoin('identity.teams as t', 't.id', 'ut.team_id')
        .select(['ut.user_id', 't.id', 't.program_id'])
        .where('ut.user_id', 'in', [...userIds])
        .orderBy('t.name')
        .execute(),
    ]);
    for (const r of roles) out.get(r.user_id)?.roles.push(r.role);
    for (const t of teams) {
      const access = out.get(t.user_id);
      if (!access) continue;
      access.teamIds.push(t.id);
      if (!access.programIds.includes(t.program_id)) access.programIds.push(t.program_id);
    }
    return out;
  }

  /** One page of users the caller may see, ordered by name. */
  @GenerateSql({
    name: 'agency scope, first page',
    params: [
      {
        visibility: {
          scope: 'agency',
          agencyId: '0de70000-0000-4000-8000-000000000001',
          teamIds: [],
          programIds: [],
          selfId: '0de70000-0000-4000-8000-00000000c002',
        },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'program scope, every filter, after a cursor',
    params: [
      {
        visibility: {
          scope: 'program',
          agencyId: '0de70000-0000-4000-8000-000000000001',
          teamIds: ['0de70000-0000-4000-8000-00000000a001'],
          programIds: ['0de70000-0000-4000-8000-00000000b001'],
          selfId: '0de70000-0000-4000-8000-00000000c004',
        },
        q: 'case',
        status: 'active',
        role: 'case_manager',
        after: { displayName: 'Casey Casemanager', id: '0de70000-0000-4000-8000-00000000c004' },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'team scope',
    params: [
      {
        visibility: {
          scope: 'team',
          agencyId: '0de70000-0000-4000-8000-000000000001',
          teamIds: ['0de70000-0000-4000-8000-00000000a001'],
          programIds: [],
          selfId: '0de70000-0000-4000-8000-00000000c004',
        },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'own scope',
    params: [
      {
        visibility: {
          scope: 'own',
          agencyId: '0de70000-0000-4000-8000-000000000001',
          teamIds: [],
          programIds: [],
          selfId: '0de70000-0000-4000-8000-00000000c004',
        },
        limit: 51,
      },
    ],
  })
  list(query: UserListQuery): Promise<UserRow[]> {
    let select = this.db
      .selectFrom('identity.users as u')
      .selectAll('u')
      .where((eb) => visibleTo(eb as unknown as Eb, query.visibility));
    if (query.status) select = select.where('u.status', '=', query.status);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      select = select.where((eb) =>
        eb.or([eb('u.email', 'ilike', pattern), eb('u.display_name', 'ilike', pattern)]),
      );
    }
    if (query.role) {
      const role = query.role;
      select = select.where((eb) =>
        eb.exists(
          eb
            .selectFrom('identity.user_roles as ur')
            .select(sql.lit(1).as('one'))
            .whereRef('ur.user_id', '=', 'u.id')
            .where('ur.role', '=', role),
        ),
      );
    }
    if (query.after) {
      const { displayName, id } = query.after;
      select = select.where((eb) =>
        eb(eb.refTuple('u.display_name', 'u.id'), '>', eb.tuple(displayName, id)),
      );
    }
    return select.orderBy('u.display_name').orderBy('u.id').limit(query.limit).execute();
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-00000000c0a1',
        agency_id: '0de70000-0000-4000-8000-000000000001',
        email: 'new-worker@demo.ehrms.local',
        display_name: 'Nico Newworker',
        password_hash: 'password-hash',
      },
      { roles: ['case_manager'], teamIds: ['0de70000-0000-4000-8000-00000000a001'] },
      GenerateSql.db,
    ],
  })
  async insert(
    user: NewUser,
    access: { roles: readonly string[]; teamIds: readonly string[] },
    db: IdentityDb,
  ): Promise<void> {
    await db.insertInto('identity.users').values(user).execute();
    await this.replaceAccess(user.id, access, db);
  }

  @GenerateSql({
    params: [
      '0de70000-0000-4000-8000-00000000c004',
      {
        roles: ['case_manager'],
        teamIds: ['0de70000-0000-4000-8000-00000000a001', '0de70000-0000-4000-8000-00000000a002'],
      },
      GenerateSql.db,
    ],
  })
  async replaceAccess(
    userId: string,
    access: { roles?: readonly string[] | undefined; teamIds?: readonly string[] | undefined },
    db: IdentityDb,
  ): Promise<void> {
    if (access.roles) {
      await db.deleteFrom('identity.user_roles').where('user_id', '=', userId).execute();
      if (access.roles.length > 0) {
        await db
          .insertInto('identity.user_roles')
          .values(access.roles.map((role) => ({ user_id: userId, role })))
          .execute();
      }
    }
    if (access.teamIds) {
      await db.deleteFrom('identity.user_teams').where('user_id', '=', userId).execute();
      if (access.teamIds.length > 0) {
        await db
          .insertInto('identity.user_teams')
          .values(access.teamIds.map((team_id) => ({ user_id: userId, team_id })))
          .execute();
      }
    }
  }

  /**
   * Applies changes and bumps the version. With `expectedVersion`, only if the row is still at
   * that version (optimistic concurrency); undefined means it was not.
   */
  @GenerateSql({
    name: 'at the expected version',
    params: ['0de70000-0000-4000-8000-00000000c004', { display_name: 'Casey Casemanager' }, 1],
  })
  @GenerateSql({
    name: 'any version',
    params: ['0de70000-0000-4000-8000-00000000c004', { status: 'active' }, null],
  })
  update(
    id: string,
    changes: UserChanges,
    expectedVersion: number | null,
    db: IdentityDb = this.db,
  ): Promise<UserRow | undefined> {
    let query = db
      .updateTable('identity.users')
      .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where('id', '=', id);
    if (expectedVersion !== null) query = query.where('version', '=', expectedVersion);
    return query.returningAll().executeTakeFirst();
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004', 'password-hash'] })
  async setPassword(id: string, passwordHash: string, db: IdentityDb = this.db): Promise<void> {
    await db
      .updateTable('identity.users')
      .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Re-hash with today's parameters after a successful sign-in; not a change of the record. */
  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004', 'password-hash'] })
  async rehashPassword(id: string, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('identity.users')
      .set({ password_hash: passwordHash })
      .where('id', '=', id)
      .execute();
  }

  /** Enrolment in progress; not a change of the record the admin sees. */
  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004', 'pending-secret-ciphertext'] })
  async setMfaPending(id: string, ciphertext: string | null): Promise<void> {
    await this.db
      .updateTable('identity.users')
      .set({ mfa_pending_secret: ciphertext })
      .where('id', '=', id)
      .execute();
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004', 58000000] })
  async setLastTimeStep(id: string, timeStep: number, db: IdentityDb = this.db): Promise<void> {
    await db
      .updateTable('identity.users')
      .set({ mfa_last_time_step: timeStep })
      .where('id', '=', id)
      .execute();
  }
}

function visibleTo(eb: Eb, v: UserVisibility): Expression<SqlBool> {
  const self = isUuid(v.selfId) ? eb('u.id', '=', v.selfId) : eb.val(false);
  const sameAgency = isUuid(v.agencyId) ? eb('u.agency_id', '=', v.agencyId) : eb.val(false);
  const inTeams = (anyTeamIds: readonly string[], anyProgramIds: readonly string[]) => {
    const teamIds = onlyUuids(anyTeamIds);
    const programIds = onlyUuids(anyProgramIds);
    if (teamIds.length === 0 && programIds.length === 0) return eb.val(false);
    return eb.exists(
      eb
        .selectFrom('identity.user_teams as ut')
        .innerJoin('identity.teams as t', 't.id', 'ut.team_id')
        .select(sql.lit(1).as('one'))
        .whereRef('ut.user_id', '=', 'u.id')
        .where((sub) =>
          sub.or([
            ...(teamIds.length > 0 ? [sub('t.id', 'in', [...teamIds])] : []),
            ...(programIds.length > 0 ? [sub('t.program_id', 'in', [...programIds])] : []),
          ]),
        ),
    );
  };
  switch (v.scope) {
    case 'all':
      return eb.val(true);
    case 'agency':
      return sameAgency;
    case 'program':
      return eb.and([sameAgency, eb.or([self, inTeams(v.teamIds, v.programIds)])]);
    case 'team':
      return eb.and([sameAgency, eb.or([self, inTeams(v.teamIds, [])])]);
    case 'own':
      return self;
  }
}
