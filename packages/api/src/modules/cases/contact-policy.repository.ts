import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import type { RiskLevel } from './cases.schema.js';
import type { ContactPolicyChangeTable, ContactPolicyTable } from './casework.schema.js';

export type ContactPolicyRow = Selectable<ContactPolicyTable>;
export type ContactPolicyChangeRow = Selectable<ContactPolicyChangeTable>;
export type NewContactPolicyChange = Insertable<ContactPolicyChangeTable>;

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c003';

/** The contact policy: per risk level, the agency's own interval or else the default. */
@Injectable()
export class ContactPolicyRepository {
  constructor(private readonly database: CasesDatabase) {}

  private get db(): CasesDb {
    return this.database.db;
  }

  /** One row per risk level: the agency's own where it set one, else the default (agency_id null). */
  @GenerateSql({ params: [EXAMPLE_AGENCY, GenerateSql.db] })
  effective(agencyId: string | null, db: CasesDb = this.db): Promise<ContactPolicyRow[]> {
    return db
      .selectFrom('cases.contact_policy')
      .distinctOn('risk_level')
      .selectAll()
      .where((eb) =>
        agencyId === null
          ? eb('agency_id', 'is', null)
          : eb.or([eb('agency_id', '=', agencyId), eb('agency_id', 'is', null)]),
      )
      .orderBy('risk_level')
      .orderBy(sql`agency_id IS NULL`)
      .execute();
  }

  /** The agency's own row for a level, locked; undefined while it follows the default. */
  @GenerateSql({ params: [EXAMPLE_AGENCY, 'high', GenerateSql.db] })
  agencyEntryForUpdate(
    agencyId: string,
    riskLevel: RiskLevel,
    db: CasesDb = this.db,
  ): Promise<ContactPolicyRow | undefined> {
    return db
      .selectFrom('cases.contact_policy')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('risk_level', '=', riskLevel)
      .forUpdate()
      .executeTakeFirst();
  }

  /** The agency's first own value for a level; false when another request set one meanwhile. */
  @GenerateSql({ params: [EXAMPLE_AGENCY, 'high', 5, EXAMPLE_USER, GenerateSql.db] })
  async insertAgencyEntry(
    agencyId: string,
    riskLevel: RiskLevel,
    intervalDays: number,
    updatedBy: string,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const rows = await db
      .insertInto('cases.contact_policy')
      .values({
        agency_id: agencyId,
        risk_level: riskLevel,
        interval_days: intervalDays,
        updated_by: updatedBy,
      })
      .onConflict((oc) =>
        oc.columns(['agency_id', 'risk_level']).where('agency_id', 'is not', null).doNothing(),
      )
      .returning('version')
      .execute();
    return rows.length > 0;
  }

  /** Changes the agency's value for a level still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_AGENCY, 'high', 5, 1, EXAMPLE_USER, GenerateSql.db] })
  async updateAgencyEntry(
    agencyId: string,
    riskLevel: RiskLevel,
    intervalDays: number,
    version: number,
    updatedBy: string,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases.contact_policy')
      .set({
        interval_days: intervalDays,
        updated_by: updatedBy,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('agency_id', '=', agencyId)
      .where('risk_level', '=', riskLevel)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-0000000ca601',
        agency_id: EXAMPLE_AGENCY,
        risk_level: 'high',
        from_days: 7,
        to_days: 5,
        reason: 'State review: weekly contact is not enough for high-risk clients.',
        changed_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertChange(row: NewContactPolicyChange, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.contact_policy_changes').values(row).execute();
  }

  /** The agency's policy changes, newest first. */
  @GenerateSql({ params: [EXAMPLE_AGENCY, 100] })
  changesOf(agencyId: string, limit: number, db: CasesDb = this.db): Promise<ContactPolicyChangeRow[]> {
    return db
      .selectFrom('cases.contact_policy_changes')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .orderBy('changed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
