import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import type { CoverageTable } from './details.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type CoverageRow = Selectable<CoverageTable>;
export type NewCoverage = Insertable<CoverageTable>;
export type CoverageChanges = Partial<
  Pick<
    CoverageRow,
    | 'payer_name'
    | 'member_id_ciphertext'
    | 'member_id_index'
    | 'member_id_last4'
    | 'group_number'
    | 'plan_name'
    | 'priority'
    | 'start_date'
    | 'end_date'
  >
>;

/** A span of days, both ends included; `end` null is open-ended. */
export interface CoverageSpan {
  priority: CoverageRow['priority'];
  start: string;
  end: string | null;
}

const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_COVERAGE = '0de70000-0000-4000-8000-0000000dc001';

const coverageColumns = [
  'v.id',
  'v.client_id',
  'v.payer',
  'v.payer_name',
  'v.member_id_ciphertext',
  'v.member_id_index',
  'v.member_id_last4',
  'v.group_number',
  'v.plan_name',
  'v.priority',
  sql<string>`v.start_date::text`.as('start_date'),
  sql<string | null>`v.end_date::text`.as('end_date'),
  'v.created_by',
  'v.version',
  'v.created_at',
  'v.updated_at',
] as const;

/** A client's insurance coverages (member ids encrypted, with a blind index). */
@Injectable()
export class CoveragesRepository {
  constructor(private readonly database: ClientsDatabase) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  /** Every coverage, primary first, newest first; with `inForceFrom`, those not ended before that day. */
  @GenerateSql({ name: 'all', params: [EXAMPLE_CLIENT] })
  @GenerateSql({ name: 'in force from a day', params: [EXAMPLE_CLIENT, '2026-03-01'] })
  coveragesOf(clientId: string, inForceFrom?: string): Promise<CoverageRow[]> {
    let q = this.db
      .selectFrom('clients.coverages as v')
      .select(coverageColumns)
      .where('v.client_id', '=', clientId);
    if (inForceFrom) {
      q = q.where((eb) =>
        eb.or([eb('v.end_date', 'is', null), eb('v.end_date', '>=', sql<string>`${inForceFrom}::date`)]),
      );
    }
    return q.orderBy('v.priority').orderBy('v.start_date', 'desc').orderBy('v.id').execute();
  }

  @GenerateSql({ params: [EXAMPLE_COVERAGE] })
  async findCoverage(id: string, db: ClientsDb = this.db): Promise<CoverageRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('clients.coverages as v')
      .select(coverageColumns)
      .where('v.id', '=', id)
      .executeTakeFirst();
  }

  /** Ids of the client's coverages of the span's priority whose days overlap it (except `exceptId`). */
  @GenerateSql({
    params: [
      EXAMPLE_CLIENT,
      { priority: 'primary', start: '2026-01-01', end: null },
      EXAMPLE_COVERAGE,
      GenerateSql.db,
    ],
  })
  async overlapping(
    clientId: string,
    span: CoverageSpan,
    exceptId: string | null,
    db: ClientsDb,
  ): Promise<string[]> {
    let q = db
      .selectFrom('clients.coverages')
      .select('id')
      .where('client_id', '=', clientId)
      .where('priority', '=', span.priority)
      .where((eb) =>
        eb.or([eb('end_date', 'is', null), eb('end_date', '>=', sql<string>`${span.start}::date`)]),
      );
    if (span.end !== null) q = q.where('start_date', '<=', sql<string>`${span.end}::date`);
    if (exceptId) q = q.where('id', '<>', exceptId);
    return (await q.execute()).map((r) => r.id);
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_COVERAGE,
        client_id: EXAMPLE_CLIENT,
        payer: 'medicaid',
        payer_name: 'Wisconsin Medicaid',
        member_id_ciphertext: 'v1:…',
        member_id_index: 'index',
        member_id_last4: '0001',
        priority: 'primary',
        start_date: '2026-01-01',
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertCoverage(coverage: NewCoverage, db: ClientsDb): Promise<void> {
    await db.insertInto('clients.coverages').values(coverage).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_COVERAGE, { end_date: '2026-06-30' }, 1, GenerateSql.db] })
  async updateCoverage(
    id: string,
    changes: CoverageChanges,
    version: number,
    db: ClientsDb,
  ): Promise<boolean> {
    const result = await db
      .updateTable('clients.coverages')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
