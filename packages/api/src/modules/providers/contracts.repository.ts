import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ProvidersDatabase, type ProvidersDb } from './providers.database.js';
import type { ContractLineTable, ContractStatus, ContractTable } from './providers.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type ContractRow = Selectable<ContractTable>;
export type ContractLineRow = Selectable<ContractLineTable>;
export type NewContract = Insertable<ContractTable>;
export type NewContractLine = Insertable<ContractLineTable>;
export type ContractChanges = Partial<Pick<ContractRow, 'status' | 'ends_on'>>;

/** A line of a contract in effect, with the days its rate applies (its own dates or the contract's). */
export interface RateInEffectRow {
  contract_id: string;
  contract_number: string;
  line_id: string;
  service_code: string;
  rate_cents: number;
  unit_type: ContractLineRow['unit_type'];
  cap_units: number | null;
  cap_amount_cents: number | null;
  starts_on: string;
  ends_on: string | null;
}

/**
 * Contracts whose rates apply: active ones, and terminated ones up to their end date (services
 * given before a termination are still paid at the contract's rate). Drafts never apply.
 */
export const IN_EFFECT: readonly ContractStatus[] = ['active', 'terminated'];

const EXAMPLE_PROVIDER = '0de70000-0000-4000-8000-0000000f0001';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_CONTRACT = '0de70000-0000-4000-8000-0000000f0301';
const EXAMPLE_LINE = '0de70000-0000-4000-8000-0000000f0302';

/** Date columns as 'YYYY-MM-DD' text, the same on PGlite and node-postgres. */
const contractColumns = [
  'c.id',
  'c.provider_id',
  'c.agency_id',
  'c.number',
  sql<string>`c.starts_on::text`.as('starts_on'),
  sql<string | null>`c.ends_on::text`.as('ends_on'),
  'c.status',
  'c.version',
  'c.created_at',
  'c.updated_at',
] as const;

const lineColumns = [
  'l.id',
  'l.contract_id',
  'l.service_code',
  'l.rate_cents',
  'l.unit_type',
  'l.cap_units',
  'l.cap_amount_cents',
  sql<string | null>`l.starts_on::text`.as('starts_on'),
  sql<string | null>`l.ends_on::text`.as('ends_on'),
  'l.created_at',
] as const;

/** The days a line's rate applies: its own dates where given, else the contract's. */
const rateStart = sql<string>`coalesce(l.starts_on, c.starts_on)`;
const rateEnd = sql<string | null>`coalesce(l.ends_on, c.ends_on)`;
const rateInEffectColumns = [
  'c.id as contract_id',
  'c.number as contract_number',
  'l.id as line_id',
  'l.service_code',
  'l.rate_cents',
  'l.unit_type',
  'l.cap_units',
  'l.cap_amount_cents',
  sql<string>`${rateStart}::text`.as('starts_on'),
  sql<string | null>`${rateEnd}::text`.as('ends_on'),
] as const;

/** A provider's contracts with the agency and their rate lines. */
@Injectable()
export class ContractsRepository {
  constructor(private readonly database: ProvidersDatabase) {}

  private get db(): ProvidersDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_PROVIDER] })
  async contractsOf(providerId: string): Promise<ContractRow[]> {
    return this.db
      .selectFrom('providers.contracts as c')
      .select(contractColumns)
      .where('c.provider_id', '=', providerId)
      .orderBy('c.starts_on', 'desc')
      .orderBy('c.id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_CONTRACT] })
  async find(id: string): Promise<ContractRow | undefined> {
    return this.db
      .selectFrom('providers.contracts as c')
      .select(contractColumns)
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  /** Lines of the contracts, by service code and start. */
  @GenerateSql({ params: [[EXAMPLE_CONTRACT]] })
  async linesOf(contractIds: readonly string[]): Promise<ContractLineRow[]> {
    if (contractIds.length === 0) return [];
    return this.db
      .selectFrom('providers.contract_lines as l')
      .select(lineColumns)
      .where('l.contract_id', 'in', contractIds)
      .orderBy('l.contract_id')
      .orderBy('l.service_code')
      .orderBy('l.starts_on', (ob) => ob.asc().nullsFirst())
      .orderBy('l.id')
      .execute();
  }

  /**
   * Locks the provider's row for the transaction, so two contract changes of one provider
   * (which could each pass the rate-overlap check alone) run one after the other.
   */
  @GenerateSql({ params: [EXAMPLE_PROVIDER, GenerateSql.db] })
  async lockProvider(providerId: string, db: ProvidersDb): Promise<void> {
    await db
      .selectFrom('providers.providers')
      .select('id')
      .where('id', '=', providerId)
      .forUpdate()
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_CONTRACT,
        provider_id: EXAMPLE_PROVIDER,
        agency_id: EXAMPLE_AGENCY,
        number: 'C-2026-001',
        starts_on: '2026-01-01',
        ends_on: '2026-12-31',
        status: 'draft',
      },
      GenerateSql.db,
    ],
  })
  async insert(contract: NewContract, db: ProvidersDb): Promise<void> {
    await db.insertInto('providers.contracts').values(contract).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_CONTRACT, { status: 'active' }, 1, GenerateSql.db] })
  async update(id: string, changes: ContractChanges, version: number, db: ProvidersDb): Promise<boolean> {
    const result = await db
      .updateTable('providers.contracts')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Replaces every line of the contract. */
  @GenerateSql({
    params: [
      EXAMPLE_CONTRACT,
      [
        {
          id: EXAMPLE_LINE,
          contract_id: EXAMPLE_CONTRACT,
          service_code: 'H0004',
          rate_cents: 2550,
          unit_type: '15min',
          cap_units: 480,
          cap_amount_cents: null,
          starts_on: null,
          ends_on: null,
        },
      ],
      GenerateSql.db,
    ],
  })
  async replaceLines(contractId: string, lines: readonly NewContractLine[], db: ProvidersDb): Promise<void> {
    await db.deleteFrom('providers.contract_lines').where('contract_id', '=', contractId).execute();
    if (lines.length > 0) await db.insertInto('providers.contract_lines').values(lines).execute();
  }

  /**
   * Lines for any of `serviceCodes` in the provider's contracts in effect, other than
   * `exceptContractId`: what a contract's rates must not overlap.
   */
  @GenerateSql({ params: [EXAMPLE_PROVIDER, ['H0004', '90837'], EXAMPLE_CONTRACT, GenerateSql.db] })
  async ratesInEffect(
    providerId: string,
    serviceCodes: readonly string[],
    exceptContractId: string,
    db: ProvidersDb,
  ): Promise<RateInEffectRow[]> {
    if (serviceCodes.length === 0) return [];
    return db
      .selectFrom('providers.contract_lines as l')
      .innerJoin('providers.contracts as c', 'c.id', 'l.contract_id')
      .select(rateInEffectColumns)
      .where('c.provider_id', '=', providerId)
      .where('c.status', 'in', IN_EFFECT)
      .where('c.id', '<>', exceptContractId)
      .where('l.service_code', 'in', serviceCodes)
      .orderBy('c.number')
      .orderBy('l.id')
      .execute();
  }

  /** The provider's rate for the service on `day` ('YYYY-MM-DD'), from a contract in effect. */
  @GenerateSql({ params: [EXAMPLE_PROVIDER, 'H0004', '2026-06-30'] })
  async rateOn(providerId: string, serviceCode: string, day: string): Promise<RateInEffectRow | undefined> {
    if (!isUuid(providerId)) return undefined;
    return (
      this.db
        .selectFrom('providers.contract_lines as l')
        .innerJoin('providers.contracts as c', 'c.id', 'l.contract_id')
        .select(rateInEffectColumns)
        .where('c.provider_id', '=', providerId)
        .where('c.status', 'in', IN_EFFECT)
        .where('l.service_code', '=', serviceCode)
        .where(sql<boolean>`${rateStart} <= ${day}::date`)
        .where(sql<boolean>`(${rateEnd} is null or ${rateEnd} >= ${day}::date)`)
        // Overlaps are refused when contracts are saved; should one slip in, the latest start wins.
        .orderBy(rateStart, 'desc')
        .orderBy('l.id')
        .limit(1)
        .executeTakeFirst()
    );
  }
}
