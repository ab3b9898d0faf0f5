import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { widerScope, type Scope } from '../../../platform/auth/principal.js';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';
import type { RoleDefinition } from '../roles.catalog.js';
import { isUuid, onlyUuids } from '../../../platform/database/ids.js';

export interface TeamRow {
  id: string;
  name: string;
  agencyId: string;
  programId: string;
  programName: string;
}

export interface RoleRow {
  name: string;
  description: string;
  requiresMfa: boolean;
  grants: Record<string, Scope>;
}

/** Agencies, programs, teams and the role catalog. */
@Injectable()
export class DirectoryRepository {
  constructor(private readonly database: IdentityDatabase) {}

  private get db(): IdentityDb {
    return this.database.db;
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-000000000001'] })
  async agencyExists(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const row = await this.db
      .selectFrom('identity.agencies')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return !!row;
  }

  /** Serialises demo seeding across replicas starting at once (held until the transaction ends). */
  @GenerateSql({ params: [GenerateSql.db] })
  async lockForSeeding(trx: IdentityDb): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`.execute(trx);
  }

  @GenerateSql({
    params: [{ id: '0de70000-0000-4000-8000-000000000001', name: 'Demo County Human Services' }],
  })
  async insertAgency(agency: { id: string; name: string }, db: IdentityDb = this.db): Promise<void> {
    await db
      .insertInto('identity.agencies')
      .values(agency)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-00000000b001',
        agency_id: '0de70000-0000-4000-8000-000000000001',
        code: 'BH',
        name: 'Behavioral Health',
      },
    ],
  })
  async insertProgram(
    program: { id: string; agency_id: string; code: string; name: string },
    db: IdentityDb = this.db,
  ): Promise<void> {
    await db
      .insertInto('identity.programs')
      .values(program)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-00000000a001',
        agency_id: '0de70000-0000-4000-8000-000000000001',
        program_id: '0de70000-0000-4000-8000-00000000b001',
        name: 'BH Outpatient Team',
      },
    ],
  })
  async insertTeam(
    team: { id: string; agency_id: string; program_id: string; name: string },
    db: IdentityDb = this.db,
  ): Promise<void> {
    await db
      .insertInto('identity.teams')
      .values(team)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Teams of one agency, or of every agency when `agencyId` is null. */
  @GenerateSql({ name: 'one agency', params: ['0de70000-0000-4000-8000-000000000001'] })
  @GenerateSql({ name: 'every agency', params: [null] })
  async listTeams(agencyId: string | null): Promise<TeamRow[]> {
    let query = this.db
      .selectFrom('identity.teams as t')
      .innerJoin('identity.programs as p', 'p.id', 't.program_id')
      .select(['t.id', 't.name', 't.agency_id', 't.program_id', 'p.name as program_name'])
      .orderBy('p.name')
      .orderBy('t.name');
    if (agencyId !== null) {
      if (!isUuid(agencyId)) return [];
      query = query.where('t.agency_id', '=', agencyId);
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      agencyId: r.agency_id,
      programId: r.program_id,
      programName: r.program_name,
    }));
  }

  @GenerateSql({ params: [['0de70000-0000-4000-8000-00000000a001', '0de70000-0000-4000-8000-00000000a002']] })
  async teamsByIds(anyIds: readonly string[]): Promise<TeamRow[]> {
    const ids = onlyUuids(anyIds);
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('identity.teams as t')
      .innerJoin('identity.programs as p', 'p.id', 't.program_id')
      .select(['t.id', 't.name', 't.agency_id', 't.program_id', 'p.name as program_name'])
      .where('t.id', 'in', ids)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      agencyId: r.agency_id,
      programId: r.program_id,
      programName: r.program_name,
    }));
  }

  @GenerateSql({ params: [] })
  async listRoles(): Promise<RoleRow[]> {
    const roles = await this.db.selectFrom('identity.roles').selectAll().orderBy('name').execute();
    const perms = await this.db.selectFrom('identity.role_permissions').selectAll().execute();
    return roles.map((r) => ({
      name: r.name,
      description: r.description,
      requiresMfa: r.requires_mfa,
      grants: Object.fromEntries(
        perms.filter((p) => p.role === r.name).map((p) => [p.permission, p.scope as Scope]),
      ),
    }));
  }

  @GenerateSql({ params: [['case_manager', 'clinician']] })
  async existingRoles(names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('identity.roles')
      .select('name')
      .where('name', 'in', [...names])
      .execute();
    return rows.map((r) => r.name);
  }

  /** Permission → widest scope over the given roles. */
  @GenerateSql({ params: [['case_manager', 'clinician']] })
  async grantsOf(roles: readonly string[], db: IdentityDb = this.db): Promise<Record<string, Scope>> {
    if (roles.length === 0) return {};
    const rows = await db
      .selectFrom('identity.role_permissions')
      .select(['permission', 'scope'])
      .where('role', 'in', [...roles])
      .execute();
    const grants: Record<string, Scope> = {};
    for (const { permission, scope } of rows) {
      const prev = grants[permission];
      grants[permission] = prev ? widerScope(prev, scope as Scope) : (scope as Scope);
    }
    return grants;
  }

  @GenerateSql({ params: [['system_admin', 'case_manager']] })
  async rolesRequiringMfa(roles: readonly string[], db: IdentityDb = this.db): Promise<string[]> {
    if (roles.length === 0) return [];
    const rows = await db
      .selectFrom('identity.roles')
      .select('name')
      .where('name', 'in', [...roles])
      .where('requires_mfa', '=', true)
      .execute();
    return rows.map((r) => r.name);
  }

  /**
   * Makes the role tables match the catalog. Compares first, so an unchanged catalog costs two
   * reads; roles no longer in the catalog are left alone (users may still hold them).
   */
  @GenerateSql({
    name: 'a role changed',
    params: [
      [
        {
          name: 'peer_specialist',
          description: 'Supports clients from lived experience.',
          requiresMfa: false,
          grants: { 'identity.self.read': 'own', 'identity.users.read': 'team' },
        },
      ],
    ],
  })
  async syncRoleCatalog(catalog: readonly RoleDefinition[]): Promise<boolean> {
    const current = await this.listRoles();
    const same =
      catalog.length <= current.length &&
      catalog.every((def) => {
        const row = current.find((r) => r.name === def.name);
        return (
          !!row &&
          row.description === def.description &&
          row.requiresMfa === def.requiresMfa &&
          sameGrants(row.grants, def.grants)
        );
      });
    if (same) return false;
    await this.database.transaction(async (trx) => {
      // Several replicas may start at once; one of them writes.
      await sql`SELECT pg_advisory_xact_lock(${ROLE_SYNC_LOCK})`.execute(trx);
      for (const def of catalog) {
        await trx
          .insertInto('identity.roles')
          .values({ name: def.name, description: def.description, requires_mfa: def.requiresMfa })
          .onConflict((oc) =>
            oc.column('name').doUpdateSet({ description: def.description, requires_mfa: def.requiresMfa }),
          )
          .execute();
        await trx.deleteFrom('identity.role_permissions').where('role', '=', def.name).execute();
        const grants = Object.entries(def.grants);
        if (grants.length > 0) {
          await trx
            .insertInto('identity.role_permissions')
            .values(grants.map(([permission, scope]) => ({ role: def.name, permission, scope })))
            .execute();
        }
      }
    });
    return true;
  }
}

const ROLE_SYNC_LOCK = 0x49444e52; // "IDNR"
const SEED_LOCK = 0x49444e53; // "IDNS"

function sameGrants(a: Readonly<Record<string, Scope>>, b: Readonly<Record<string, Scope>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
