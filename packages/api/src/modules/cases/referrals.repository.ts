import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import type { ReferralStatus, ReferralTable } from './casework.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type ReferralRow = Selectable<ReferralTable>;
export type NewReferral = Insertable<ReferralTable>;

export interface ReferralDecision {
  status: Exclude<ReferralStatus, 'pending'>;
  decided_by: string;
  decline_reason?: string | null;
  accepted_case_id?: string | null;
}

/** Which incoming referrals a caller sees: their agency's, to the programs they receive for. */
export interface IncomingReferralsQuery {
  /** Null: every agency (an `all` grant). */
  agencyId: string | null;
  /** Null: every program of the agency (an `agency` or `all` grant). */
  programIds: string[] | null;
  status?: ReferralStatus | undefined;
  /** The last row of the previous page: newest first, then id descending. */
  after?: { referredAt: string; id: string } | undefined;
  limit: number;
}

const EXAMPLE_CASE = '0de70000-0000-4000-8000-0000000ca001';
const EXAMPLE_REFERRAL = '0de70000-0000-4000-8000-0000000ca401';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_PROGRAM = '0de70000-0000-4000-8000-00000000b001';
const EXAMPLE_OTHER_PROGRAM = '0de70000-0000-4000-8000-00000000b003';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';

/** Referrals of clients from one program's case to another program. */
@Injectable()
export class ReferralsRepository {
  constructor(private readonly database: CasesDatabase) {}

  private get db(): CasesDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_REFERRAL, GenerateSql.db] })
  async findById(id: string, db: CasesDb = this.db): Promise<ReferralRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('cases.referrals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Referrals made from a case, newest first. */
  @GenerateSql({ params: [EXAMPLE_CASE] })
  fromCase(caseId: string, db: CasesDb = this.db): Promise<ReferralRow[]> {
    return db
      .selectFrom('cases.referrals')
      .selectAll()
      .where('from_case_id', '=', caseId)
      .orderBy('referred_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  @GenerateSql({
    name: 'pending, to my programs, next page',
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        programIds: [EXAMPLE_OTHER_PROGRAM],
        status: 'pending',
        after: { referredAt: '2026-01-05T15:00:00.000Z', id: EXAMPLE_REFERRAL },
        limit: 51,
      },
    ],
  })
  @GenerateSql({
    name: 'every program of the agency',
    params: [{ agencyId: EXAMPLE_AGENCY, programIds: null, limit: 51 }],
  })
  incoming(query: IncomingReferralsQuery, db: CasesDb = this.db): Promise<ReferralRow[]> {
    let q = db.selectFrom('cases.referrals').selectAll();
    if (query.agencyId !== null) q = q.where('agency_id', '=', query.agencyId);
    if (query.programIds !== null) {
      q =
        query.programIds.length > 0
          ? q.where('to_program_id', 'in', query.programIds)
          : q.where(sql<boolean>`false`);
    }
    if (query.status) q = q.where('status', '=', query.status);
    const after = query.after;
    if (after) {
      const referredAt = sql<Date>`${after.referredAt}::timestamptz`;
      q = q.where((eb) =>
        eb.or([
          eb('referred_at', '<', referredAt),
          eb.and([eb('referred_at', '=', referredAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    return q.orderBy('referred_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_REFERRAL,
        agency_id: EXAMPLE_AGENCY,
        client_id: EXAMPLE_CLIENT,
        from_case_id: EXAMPLE_CASE,
        from_program_id: EXAMPLE_PROGRAM,
        to_program_id: EXAMPLE_OTHER_PROGRAM,
        reason: 'Children in the home need family services.',
        urgency: 'urgent',
        part2: false,
        referred_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insert(row: NewReferral, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.referrals').values(row).execute();
  }

  /** Decides a referral still pending at `version`; false when it moved on. */
  @GenerateSql({
    params: [
      EXAMPLE_REFERRAL,
      { status: 'declined', decided_by: EXAMPLE_USER, decline_reason: 'No capacity this month.' },
      1,
      GenerateSql.db,
    ],
  })
  async decide(
    id: string,
    decision: ReferralDecision,
    version: number,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases.referrals')
      .set({ ...decision, decided_at: sql`now()`, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
