import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';
import type { ServiceAccountTable } from '../identity.schema.js';
import { isUuid } from '../../../platform/database/ids.js';

export type ServiceAccountRow = Selectable<ServiceAccountTable> & { roles: string[] };

/** Machine clients that sign in with client credentials. */
@Injectable()
export class ServiceAccountsRepository {
  constructor(private readonly database: IdentityDatabase) {}

  private get db(): IdentityDb {
    return this.database.db;
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-00000000d0a1',
        agency_id: '0de70000-0000-4000-8000-000000000001',
        name: 'Pharmacy feed',
        client_id: 'svc-pharmacy-feed',
        secret_hash: 'secret-hash',
        created_by: '0de70000-0000-4000-8000-00000000c002',
      },
      ['auditor'],
    ],
  })
  async create(
    account: {
      id: string;
      agency_id: string;
      name: string;
      client_id: string;
      secret_hash: string;
      created_by: string | null;
    },
    roles: readonly string[],
  ): Promise<void> {
    await this.database.transaction(async (trx) => {
      await trx.insertInto('identity.service_accounts').values(account).execute();
      if (roles.length > 0) {
        await trx
          .insertInto('identity.service_account_roles')
          .values(roles.map((role) => ({ service_account_id: account.id, role })))
          .execute();
      }
    });
  }

  @GenerateSql({ params: ['svc-pharmacy-feed'] })
  async findByClientId(clientId: string): Promise<ServiceAccountRow | undefined> {
    const row = await this.db
      .selectFrom('identity.service_accounts')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row ? (await this.#withRoles([row]))[0] : undefined;
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000d0a1'] })
  async findById(id: string): Promise<ServiceAccountRow | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.db
      .selectFrom('identity.service_accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (await this.#withRoles([row]))[0] : undefined;
  }

  /** Accounts of one agency, or every agency when `agencyId` is null. */
  @GenerateSql({ name: 'one agency', params: ['0de70000-0000-4000-8000-000000000001'] })
  @GenerateSql({ name: 'every agency', params: [null] })
  async list(agencyId: string | null): Promise<ServiceAccountRow[]> {
    let query = this.db.selectFrom('identity.service_accounts').selectAll().orderBy('name').orderBy('id');
    if (agencyId !== null) {
      if (!isUuid(agencyId)) return [];
      query = query.where('agency_id', '=', agencyId);
    }
    return this.#withRoles(await query.execute());
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000d0a1'] })
  async disable(id: string): Promise<void> {
    await this.db
      .updateTable('identity.service_accounts')
      .set({ status: 'disabled', disabled_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .execute();
  }

  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000d0a1'] })
  async touch(id: string, db: IdentityDb = this.db): Promise<void> {
    await db
      .updateTable('identity.service_accounts')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  async #withRoles(rows: Selectable<ServiceAccountTable>[]): Promise<ServiceAccountRow[]> {
    if (rows.length === 0) return [];
    const roles = await this.db
      .selectFrom('identity.service_account_roles')
      .select(['service_account_id', 'role'])
      .where(
        'service_account_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('role')
      .execute();
    return rows.map((r) => ({
      ...r,
      roles: roles.filter((x) => x.service_account_id === r.id).map((x) => x.role),
    }));
  }
}
