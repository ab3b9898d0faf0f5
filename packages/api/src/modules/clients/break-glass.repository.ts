import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import type { BreakGlassTable, PrivacyReviewTable } from './privacy.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type BreakGlassRow = Selectable<BreakGlassTable>;
export type NewBreakGlass = Insertable<BreakGlassTable>;
export type NewPrivacyReview = Insertable<PrivacyReviewTable>;

/** A review with the grant it reviews; `created_key` is the exact creation time, for page cursors. */
export type PrivacyReviewRow = Selectable<PrivacyReviewTable> & {
  created_key: string;
  user_id: string;
  client_id: string;
  reason: string;
  purpose_of_use: string;
  granted_at: Date;
  expires_at: Date;
};

export interface PrivacyReviewQuery {
  /** null: every agency (`all` scope). */
  agencyId: string | null;
  status?: PrivacyReviewRow['status'] | undefined;
  after?: { createdKey: string; id: string } | undefined;
  limit: number;
}

export interface ReviewOutcome {
  reviewer_id: string;
  outcome: NonNullable<PrivacyReviewRow['outcome']>;
  notes: string | null;
}

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_OFFICER = '0de70000-0000-4000-8000-00000000c010';
const EXAMPLE_GRANT = '0de70000-0000-4000-8000-0000000db901';
const EXAMPLE_REVIEW = '0de70000-0000-4000-8000-0000000db9a1';

const reviewColumns = [
  'r.id',
  'r.agency_id',
  'r.break_glass_id',
  'r.status',
  'r.reviewer_id',
  'r.outcome',
  'r.notes',
  'r.reviewed_at',
  'r.version',
  'r.created_at',
  'r.updated_at',
  sql<string>`r.created_at::text`.as('created_key'),
  'b.user_id',
  'b.client_id',
  'b.reason',
  'b.purpose_of_use',
  'b.granted_at',
  'b.expires_at',
] as const;

/** Break-the-glass grants and the privacy officer's review queue. */
@Injectable()
export class BreakGlassRepository {
  constructor(private readonly database: ClientsDatabase) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_GRANT,
        agency_id: EXAMPLE_AGENCY,
        client_id: EXAMPLE_CLIENT,
        user_id: EXAMPLE_USER,
        reason: 'Client in crisis at the ER; need medication list',
        purpose_of_use: 'ETREAT',
        granted_at: '2026-01-05T10:00:00Z',
        expires_at: '2026-01-05T11:00:00Z',
      },
      GenerateSql.db,
    ],
  })
  async insertGrant(grant: NewBreakGlass, db: ClientsDb = this.db): Promise<void> {
    await db.insertInto('clients.break_glass').values(grant).execute();
  }

  /** The user's grant for the client still in force (the latest-ending one), if any. */
  @GenerateSql({ params: [EXAMPLE_USER, EXAMPLE_CLIENT] })
  async activeGrant(userId: string, clientId: string): Promise<BreakGlassRow | undefined> {
    if (!isUuid(userId) || !isUuid(clientId)) return undefined;
    return this.db
      .selectFrom('clients.break_glass')
      .selectAll()
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy('expires_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  @GenerateSql({ params: [EXAMPLE_USER] })
  async activeGrantsOf(userId: string): Promise<BreakGlassRow[]> {
    if (!isUuid(userId)) return [];
    return this.db
      .selectFrom('clients.break_glass')
      .selectAll()
      .where('user_id', '=', userId)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy('granted_at')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({
    params: [
      { id: EXAMPLE_REVIEW, agency_id: EXAMPLE_AGENCY, break_glass_id: EXAMPLE_GRANT },
      GenerateSql.db,
    ],
  })
  async insertReview(review: NewPrivacyReview, db: ClientsDb = this.db): Promise<void> {
    await db.insertInto('clients.privacy_reviews').values(review).execute();
  }

  @GenerateSql({ params: [EXAMPLE_REVIEW] })
  async findReview(id: string): Promise<PrivacyReviewRow | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db
      .selectFrom('clients.privacy_reviews as r')
      .innerJoin('clients.break_glass as b', 'b.id', 'r.break_glass_id')
      .select(reviewColumns)
      .where('r.id', '=', id)
      .executeTakeFirst();
  }

  /** The review queue, oldest first. */
  @GenerateSql({
    name: 'open reviews of an agency, after a cursor',
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        status: 'open',
        after: { createdKey: '2026-01-05 10:00:00.123456+00', id: EXAMPLE_REVIEW },
        limit: 51,
      },
    ],
  })
  @GenerateSql({ name: 'every agency', params: [{ agencyId: null, limit: 51 }] })
  reviews(query: PrivacyReviewQuery): Promise<PrivacyReviewRow[]> {
    let q = this.db
      .selectFrom('clients.privacy_reviews as r')
      .innerJoin('clients.break_glass as b', 'b.id', 'r.break_glass_id')
      .select(reviewColumns);
    if (query.agencyId !== null) q = q.where('r.agency_id', '=', query.agencyId);
    if (query.status) q = q.where('r.status', '=', query.status);
    const after = query.after;
    if (after) {
      const at = sql<Date>`${after.createdKey}::timestamptz`;
      q = q.where((eb) =>
        eb.or([
          eb('r.created_at', '>', at),
          eb.and([eb('r.created_at', '=', at), eb('r.id', '>', after.id)]),
        ]),
      );
    }
    return q.orderBy('r.created_at').orderBy('r.id').limit(query.limit).execute();
  }

  /** Records the outcome when the review is still open and at `version`; false otherwise. */
  @GenerateSql({
    params: [
      EXAMPLE_REVIEW,
      1,
      { reviewer_id: EXAMPLE_OFFICER, outcome: 'appropriate', notes: 'Crisis documented in the ER record' },
      GenerateSql.db,
    ],
  })
  async completeReview(
    id: string,
    version: number,
    outcome: ReviewOutcome,
    db: ClientsDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('clients.privacy_reviews')
      .set({
        ...outcome,
        status: 'reviewed',
        reviewed_at: sql`now()`,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
