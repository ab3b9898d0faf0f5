import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import type { ClientTable } from './clients.schema.js';
import type { MergeTable, MovableTable } from './merges.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type MergeRow = Selectable<MergeTable>;
export type NewMerge = Insertable<MergeTable>;
export type LockedClient = Pick<
  Selectable<ClientTable>,
  'id' | 'agency_id' | 'status' | 'merged_into_id' | 'version'
>;

const EXAMPLE_MERGE = '0de70000-0000-4000-8000-0000000de901';
const EXAMPLE_SURVIVOR = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_DUPLICATE = '0de70000-0000-4000-8000-0000000d0002';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';

/** Tables with a primary flag: a duplicate's primary yields to the survivor's in a merge. */
export type PrimaryTable = Extract<MovableTable, 'phones' | 'emails'>;

/**
 * Record merges and the rows they moved. Rows move by a single UPDATE per table whose RETURNING
 * ids are written to `merge_moves` in the same statement, so what an un-merge moves back is
 * exactly what the merge moved.
 */
@Injectable()
export class MergesRepository {
  constructor(private readonly database: ClientsDatabase) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  /**
   * Locks both client rows in id order (two merges touching the same records queue instead of
   * deadlocking) and returns them.
   */
  @GenerateSql({ params: [[EXAMPLE_SURVIVOR, EXAMPLE_DUPLICATE], GenerateSql.db] })
  lockClients(ids: [string, string], db: ClientsDb): Promise<LockedClient[]> {
    return db
      .selectFrom('clients.clients')
      .select(['id', 'agency_id', 'status', 'merged_into_id', 'version'])
      .where('id', 'in', ids)
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_MERGE,
        agency_id: EXAMPLE_AGENCY,
        survivor_id: EXAMPLE_SURVIVOR,
        merged_id: EXAMPLE_DUPLICATE,
        reason: 'Registered twice at intake',
        merged_prior_status: 'active',
        merged_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertMerge(merge: NewMerge, db: ClientsDb): Promise<void> {
    await db.insertInto('clients.merges').values(merge).execute();
  }

  @GenerateSql({ params: [EXAMPLE_MERGE] })
  async findMerge(id: string, db: ClientsDb = this.db): Promise<MergeRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('clients.merges').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Merges the client took part in, as survivor or as the merged record, newest first. */
  @GenerateSql({ params: [[EXAMPLE_SURVIVOR, EXAMPLE_DUPLICATE]] })
  mergesOf(clientIds: string[]): Promise<MergeRow[]> {
    return this.db
      .selectFrom('clients.merges')
      .selectAll()
      .where((eb) => eb.or([eb('survivor_id', 'in', clientIds), eb('merged_id', 'in', clientIds)]))
      .orderBy('merged_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /** How many rows of each table each merge moved. */
  @GenerateSql({ params: [[EXAMPLE_MERGE]] })
  movedCounts(mergeIds: string[]): Promise<{ merge_id: string; table_name: MovableTable; rows: number }[]> {
    return this.db
      .selectFrom('clients.merge_moves')
      .select(['merge_id', 'table_name', (eb) => eb.fn.countAll<number>().as('rows')])
      .where('merge_id', 'in', mergeIds)
      .groupBy(['merge_id', 'table_name'])
      .execute();
  }

  /**
   * Takes the primary flag off the duplicate's primary phone or email when the survivor has one
   * (one primary per client); returns the rows that lost it, to be restored by an un-merge.
   */
  @GenerateSql({ params: ['phones', EXAMPLE_DUPLICATE, EXAMPLE_SURVIVOR, GenerateSql.db] })
  async yieldPrimary(table: PrimaryTable, fromId: string, toId: string, db: ClientsDb): Promise<string[]> {
    const t = sql.table(`clients.${table}`);
    const result = await sql<{ id: string }>`
      UPDATE ${t} SET is_primary = false
      WHERE client_id = ${fromId} AND is_primary AND ended_at IS NULL
        AND EXISTS (SELECT 1 FROM ${t} s WHERE s.client_id = ${toId} AND s.is_primary AND s.ended_at IS NULL)
      RETURNING id`.execute(db);
    return result.rows.map((r) => r.id);
  }

  /** Moves every row of `table` from one client to the other, recording each in merge_moves. */
  @GenerateSql({ params: [EXAMPLE_MERGE, 'addresses', EXAMPLE_DUPLICATE, EXAMPLE_SURVIVOR, GenerateSql.db] })
  async moveRows(
    mergeId: string,
    table: MovableTable,
    fromId: string,
    toId: string,
    db: ClientsDb,
  ): Promise<number> {
    const result = await sql<{ row_id: string }>`
      WITH moved AS (
        UPDATE ${sql.table(`clients.${table}`)} SET client_id = ${toId} WHERE client_id = ${fromId} RETURNING id)
      INSERT INTO clients.merge_moves (merge_id, table_name, row_id)
      SELECT ${mergeId}::uuid, ${table}::text, id FROM moved
      RETURNING row_id`.execute(db);
    return result.rows.length;
  }

  /** Notes which moved rows gave up their primary flag (see yieldPrimary). */
  @GenerateSql({ params: [EXAMPLE_MERGE, 'phones', [EXAMPLE_SURVIVOR], GenerateSql.db] })
  async markYielded(mergeId: string, table: PrimaryTable, rowIds: string[], db: ClientsDb): Promise<void> {
    await db
      .updateTable('clients.merge_moves')
      .set({ was_primary: true })
      .where('merge_id', '=', mergeId)
      .where('table_name', '=', table)
      .where('row_id', 'in', rowIds)
      .execute();
  }

  /** Moves back the rows a merge moved that are still with the survivor; returns how many. */
  @GenerateSql({ params: [EXAMPLE_MERGE, 'addresses', EXAMPLE_SURVIVOR, EXAMPLE_DUPLICATE, GenerateSql.db] })
  async moveBack(
    mergeId: string,
    table: MovableTable,
    fromId: string,
    toId: string,
    db: ClientsDb,
  ): Promise<number> {
    const result = await sql<{ id: string }>`
      UPDATE ${sql.table(`clients.${table}`)} SET client_id = ${toId}
      WHERE client_id = ${fromId}
        AND id IN (SELECT row_id FROM clients.merge_moves WHERE merge_id = ${mergeId} AND table_name = ${table})
      RETURNING id`.execute(db);
    return result.rows.length;
  }

  /** Gives the primary flag back to the rows that yielded it, unless the client has a primary again. */
  @GenerateSql({ params: [EXAMPLE_MERGE, 'phones', EXAMPLE_DUPLICATE, GenerateSql.db] })
  async restorePrimary(mergeId: string, table: PrimaryTable, clientId: string, db: ClientsDb): Promise<void> {
    const t = sql.table(`clients.${table}`);
    await sql`
      UPDATE ${t} SET is_primary = true
      WHERE client_id = ${clientId} AND ended_at IS NULL
        AND id = (SELECT row_id FROM clients.merge_moves
                  WHERE merge_id = ${mergeId} AND table_name = ${table} AND was_primary LIMIT 1)
        AND NOT EXISTS (SELECT 1 FROM ${t} p WHERE p.client_id = ${clientId} AND p.is_primary AND p.ended_at IS NULL)`.execute(
      db,
    );
  }

  @GenerateSql({ params: [EXAMPLE_MERGE, EXAMPLE_USER, 'Different people: twins', GenerateSql.db] })
  async markUnmerged(id: string, userId: string, reason: string, db: ClientsDb): Promise<void> {
    await db
      .updateTable('clients.merges')
      .set({ unmerged_at: sql`now()`, unmerged_by: userId, unmerge_reason: reason })
      .where('id', '=', id)
      .execute();
  }
}
