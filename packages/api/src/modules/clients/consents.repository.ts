import { Injectable } from '@nestjs/common';
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type SqlBool } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import type { ClientsTables } from './clients.schema.js';
import type { ConsentStatus, ConsentTable } from './privacy.schema.js';
import { isUuid } from '../../platform/database/ids.js';

/** A consent with its dates as 'YYYY-MM-DD' text and its standing today. */
export type ConsentRow = Selectable<ConsentTable> & { status: ConsentStatus };
export type NewConsent = Insertable<ConsentTable>;

/** Whom a caller is, as a consent's recipient can name them. */
export interface ConsentRecipients {
  userId: string;
  teamIds: readonly string[];
  programIds: readonly string[];
  agencyId: string;
}

const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_CONSENT = '0de70000-0000-4000-8000-0000000dc001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_TEAM = '0de70000-0000-4000-8000-00000000a001';
const EXAMPLE_PROGRAM = '0de70000-0000-4000-8000-00000000b001';
const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';

type ConsentsEb = ExpressionBuilder<ClientsTables & { k: ClientsTables['clients.consents'] }, 'k'>;

/** In force today: effective, not expired, not revoked (the database's date decides "today"). */
function inForce(eb: ConsentsEb) {
  return eb.and([
    eb('k.revoked_at', 'is', null),
    eb('k.effective_from', '<=', sql<string>`current_date`),
    eb.or([eb('k.expires_on', 'is', null), eb('k.expires_on', '>=', sql<string>`current_date`)]),
  ]);
}

const consentColumns = [
  'k.id',
  'k.client_id',
  'k.kind',
  'k.recipient_type',
  'k.recipient_id',
  'k.recipient_name',
  'k.purposes',
  'k.categories',
  'k.disclosing_program_id',
  sql<string>`k.effective_from::text`.as('effective_from'),
  sql<string | null>`k.expires_on::text`.as('expires_on'),
  sql<string>`k.signed_on::text`.as('signed_on'),
  'k.signed_by_name',
  'k.signed_by_relationship',
  'k.document_id',
  'k.revoked_at',
  'k.revoked_by',
  'k.revocation_reason',
  'k.created_by',
  'k.version',
  'k.created_at',
  'k.updated_at',
  sql<ConsentStatus>`CASE
    WHEN k.revoked_at IS NOT NULL THEN 'revoked'
    WHEN k.expires_on < current_date THEN 'expired'
    WHEN k.effective_from > current_date THEN 'scheduled'
    ELSE 'active' END`.as('status'),
] as const;

/** A client's consents to disclose: general and 42 CFR Part 2. */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly database: ClientsDatabase) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  consentsOf(clientId: string): Promise<ConsentRow[]> {
    return this.db
      .selectFrom('clients.consents as k')
      .select(consentColumns)
      .where('k.client_id', '=', clientId)
      .orderBy('k.effective_from', 'desc')
      .orderBy('k.id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_CONSENT] })
  async findConsent(id: string, db: ClientsDb = this.db): Promise<ConsentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('clients.consents as k')
      .select(consentColumns)
      .where('k.id', '=', id)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_CONSENT,
        client_id: EXAMPLE_CLIENT,
        kind: 'part2',
        recipient_type: 'team',
        recipient_id: EXAMPLE_TEAM,
        purposes: ['TREAT'],
        categories: ['substance_use'],
        disclosing_program_id: EXAMPLE_PROGRAM,
        effective_from: '2026-01-05',
        expires_on: '2027-01-05',
        signed_on: '2026-01-05',
        signed_by_name: 'Maria Hernandez',
        signed_by_relationship: 'self',
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertConsent(consent: NewConsent, db: ClientsDb = this.db): Promise<void> {
    await db.insertInto('clients.consents').values(consent).execute();
  }

  /** Revokes the consent when it is still at `version` and not revoked; false otherwise. */
  @GenerateSql({ params: [EXAMPLE_CONSENT, 1, EXAMPLE_USER, 'Client withdrew consent', GenerateSql.db] })
  async revokeConsent(
    id: string,
    version: number,
    revokedBy: string,
    reason: string,
    db: ClientsDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('clients.consents')
      .set({
        revoked_at: sql`now()`,
        revoked_by: revokedBy,
        revocation_reason: reason,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Whether a Part 2 consent of the client in force today names one of `recipients` (the user,
   * one of their teams or programs, or their agency) for one of `purposes`.
   */
  @GenerateSql({
    params: [
      EXAMPLE_CLIENT,
      {
        userId: EXAMPLE_USER,
        teamIds: [EXAMPLE_TEAM],
        programIds: [EXAMPLE_PROGRAM],
        agencyId: EXAMPLE_AGENCY,
      },
      ['ETREAT', 'TREAT'],
    ],
  })
  async hasPart2Consent(
    clientId: string,
    recipients: ConsentRecipients,
    purposes: readonly string[],
  ): Promise<boolean> {
    // Ids are compared with uuid columns; one that is not a uuid (a test token) names no row.
    const ids = (values: readonly string[]) => values.filter(isUuid);
    const named = (eb: ConsentsEb, type: ConsentTable['recipient_type'], values: string[]) =>
      values.length > 0
        ? eb.and([eb('k.recipient_type', '=', type), eb('k.recipient_id', 'in', values)])
        : null;
    const row = await this.db
      .selectFrom('clients.consents as k')
      .select('k.id')
      .where('k.client_id', '=', clientId)
      .where('k.kind', '=', 'part2')
      .where((eb) => inForce(eb))
      .where(sql<SqlBool>`k.purposes && ${[...purposes]}::text[]`)
      .where((eb) => {
        const options = [
          named(eb, 'user', ids([recipients.userId])),
          named(eb, 'team', ids(recipients.teamIds)),
          named(eb, 'program', ids(recipients.programIds)),
          named(eb, 'agency', ids([recipients.agencyId])),
        ].filter((o) => o !== null);
        return options.length > 0 ? eb.or(options) : sql<SqlBool>`false`;
      })
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
