import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ProvidersDatabase, type ProvidersDb } from './providers.database.js';
import type { CredentialTable, ExpiryThreshold, ProviderTable } from './providers.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type ProviderRow = Selectable<ProviderTable>;
export type CredentialRow = Selectable<CredentialTable>;

export interface ProviderListQuery {
  /** null: every agency (`all` scope). */
  agencyId: string | null;
  name?: string | undefined;
  npi?: string | undefined;
  after?: { name: string; id: string } | undefined;
  limit: number;
}

export interface NewProvider {
  id: string;
  agency_id: string;
  kind: ProviderRow['kind'];
  name: string;
  npi: string;
  taxonomy_code: string | null;
}

export type ProviderChanges = Partial<
  Pick<ProviderRow, 'kind' | 'name' | 'npi' | 'taxonomy_code' | 'status'>
>;

export interface NewCredential {
  id: string;
  provider_id: string;
  type: CredentialRow['type'];
  number: string;
  issuer: string;
  issued_on: string | null;
  expires_on: string;
  verification_status: CredentialRow['verification_status'];
}

export type CredentialChanges = Partial<
  Pick<CredentialRow, 'number' | 'issuer' | 'issued_on' | 'expires_on' | 'verification_status'> & {
    last_flagged_threshold: null;
  }
>;

/** A credential due for the expiry job, with its provider's agency. */
export type DueCredentialRow = CredentialRow & { agency_id: string };

const EXAMPLE_PROVIDER = '0de70000-0000-4000-8000-0000000f0001';
const EXAMPLE_CREDENTIAL = '0de70000-0000-4000-8000-0000000f0c01';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';

/** Date columns as 'YYYY-MM-DD' text, the same on PGlite and node-postgres. */
const credentialColumns = [
  'c.id',
  'c.provider_id',
  'c.type',
  'c.number',
  'c.issuer',
  sql<string | null>`c.issued_on::text`.as('issued_on'),
  sql<string>`c.expires_on::text`.as('expires_on'),
  'c.verification_status',
  'c.last_flagged_threshold',
  'c.version',
  'c.created_at',
  'c.updated_at',
] as const;

/** Providers and their credentials: the only SQL of the providers module. */
@Injectable()
export class ProvidersRepository {
  constructor(private readonly database: ProvidersDatabase) {}

  private get db(): ProvidersDb {
    return this.database.db;
  }

  @GenerateSql({
    name: 'one agency, every filter',
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        name: 'clinic',
        npi: '1234567893',
        after: { name: 'A', id: EXAMPLE_PROVIDER },
        limit: 51,
      },
    ],
  })
  @GenerateSql({ name: 'every agency', params: [{ agencyId: null, limit: 51 }] })
  list(query: ProviderListQuery): Promise<ProviderRow[]> {
    let q = this.db.selectFrom('providers.providers').selectAll();
    if (query.agencyId !== null) q = q.where('agency_id', '=', query.agencyId);
    if (query.name) q = q.where('name', 'ilike', `%${escapeLike(query.name)}%`);
    if (query.npi) q = q.where('npi', '=', query.npi);
    const after = query.after;
    if (after) {
      q = q.where((eb) =>
        eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])]),
      );
    }
    return q.orderBy('name').orderBy('id').limit(query.limit).execute();
  }

  @GenerateSql({ params: [EXAMPLE_PROVIDER] })
  async findById(id: string, db: ProvidersDb = this.db): Promise<ProviderRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('providers.providers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_PROVIDER,
        agency_id: EXAMPLE_AGENCY,
        kind: 'organization',
        name: 'Example Clinic',
        npi: '1234567893',
        taxonomy_code: null,
      },
      GenerateSql.db,
    ],
  })
  async insert(provider: NewProvider, db: ProvidersDb = this.db): Promise<void> {
    await db.insertInto('providers.providers').values(provider).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_PROVIDER, { name: 'Renamed Clinic' }, 1, GenerateSql.db] })
  async update(
    id: string,
    changes: ProviderChanges,
    version: number,
    db: ProvidersDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('providers.providers')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  @GenerateSql({ params: [EXAMPLE_PROVIDER] })
  async credentialsOf(providerId: string): Promise<CredentialRow[]> {
    if (!isUuid(providerId)) return [];
    return this.db
      .selectFrom('providers.credentials as c')
      .select(credentialColumns)
      .where('c.provider_id', '=', providerId)
      .orderBy('c.expires_on')
      .orderBy('c.id')
      .execute();
  }

  /**
   * Providers with their credentials, for many providers in one query (standing of a whole
   * availability search): each provider once with its status and credentials (in expiry order;
   * none for a provider without). Ids not on record are left out.
   */
  @GenerateSql({ params: [[EXAMPLE_PROVIDER]] })
  async withCredentials(
    providerIds: readonly string[],
  ): Promise<{ provider: Pick<ProviderRow, 'id' | 'status'>; credentials: CredentialRow[] }[]> {
    const valid = [...new Set(providerIds.filter(isUuid))];
    if (valid.length === 0) return [];
    const rows = await this.db
      .selectFrom('providers.providers as p')
      .leftJoin('providers.credentials as c', 'c.provider_id', 'p.id')
      .select(['p.id as p_id', 'p.status as p_status', ...credentialColumns])
      .where('p.id', '=', sql<string>`any(${valid}::uuid[])`)
      .orderBy('p.id')
      .orderBy('c.expires_on')
      .orderBy('c.id')
      .execute();
    const out: { provider: Pick<ProviderRow, 'id' | 'status'>; credentials: CredentialRow[] }[] = [];
    for (const { p_id, p_status, ...credential } of rows) {
      let last = out.at(-1);
      if (last?.provider.id !== p_id) {
        last = { provider: { id: p_id, status: p_status }, credentials: [] };
        out.push(last);
      }
      // A provider without credentials comes back once, with the credential's columns null.
      if (credential.id !== null) last.credentials.push(credential as CredentialRow);
    }
    return out;
  }

  @GenerateSql({ params: [EXAMPLE_CREDENTIAL] })
  async findCredential(id: string, db: ProvidersDb = this.db): Promise<CredentialRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('providers.credentials as c')
      .select(credentialColumns)
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_CREDENTIAL,
        provider_id: EXAMPLE_PROVIDER,
        type: 'license',
        number: 'LIC-1',
        issuer: 'State Board',
        issued_on: '2024-01-01',
        expires_on: '2027-01-01',
        verification_status: 'unverified',
      },
      GenerateSql.db,
    ],
  })
  async insertCredential(credential: NewCredential, db: ProvidersDb = this.db): Promise<void> {
    await db.insertInto('providers.credentials').values(credential).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_CREDENTIAL, { verification_status: 'verified' }, 1, GenerateSql.db] })
  async updateCredential(
    id: string,
    changes: CredentialChanges,
    version: number,
    db: ProvidersDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('providers.credentials')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records the expiry threshold last warned of; bookkeeping, so the version (ETag) stays. */
  @GenerateSql({ params: [EXAMPLE_CREDENTIAL, '90', GenerateSql.db] })
  async markFlagged(id: string, threshold: ExpiryThreshold, db: ProvidersDb = this.db): Promise<void> {
    await db
      .updateTable('providers.credentials')
      .set({ last_flagged_threshold: threshold })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Credentials expiring on or before `horizon` ('YYYY-MM-DD') whose expiry has not been flagged
   * yet, locked for the expiry job's transaction.
   */
  @GenerateSql({ params: ['2027-01-01', GenerateSql.db] })
  async dueForFlagging(horizon: string, db: ProvidersDb = this.db): Promise<DueCredentialRow[]> {
    return db
      .selectFrom('providers.credentials as c')
      .innerJoin('providers.providers as p', 'p.id', 'c.provider_id')
      .select([...credentialColumns, 'p.agency_id'])
      .where('c.expires_on', '<=', sql<string>`${horizon}::date`)
      .where((eb) =>
        eb.or([eb('c.last_flagged_threshold', 'is', null), eb('c.last_flagged_threshold', '<>', 'expired')]),
      )
      .orderBy('c.expires_on')
      .orderBy('c.id')
      .forUpdate('c')
      .execute();
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
