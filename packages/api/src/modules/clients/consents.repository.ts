import { Injectable } from '@nestjs/common';
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import type { ClientsTables } from './clients.schema.js';
import type { ConsentStatus, ConsentTable } from './privacy.schema.js';
import { isUuid } from '../../platform/database/ids.js';

/** A consent with its dates as 'YYYY-MM-DD' text and its standing on the day asked about. */
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
const EXAMPLE_DAY = '2026-11-30';

type ConsentsEb = ExpressionBuilder<ClientsTables & { k: ClientsTables['clients.consents'] }, 'k'>;

/**
 * In force on `today` ('YYYY-MM-DD', the agency's day from AgencyClock — never the database's
 * current_date, which is UTC's): effective, not expired, not revoked.
 */
function inForce(eb: ConsentsEb, today: string) {
  const day = sql<string>`${today}::date`;
  return eb.and([
    eb('k.revoked_at', 'is', null),
    eb('k.effective_from', '<=', day),
    eb.or([eb('k.expires_on', 'is', null), eb('k.expires_on', '>=', day)]),
  ]);
}

/** A consent's columns and its standing on `today` (the agency's day). */
const consentColumns = (today: string) =>
  [
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
    WHEN k.expires_on < ${today}::date THEN 'expired'
    WHEN k.effective_from > ${today}::date THEN 'scheduled'
    ELSE 'active' END`.as('status'),
  ] as const;

/** A client's consents to disclose: general and 42 CFR Part 2. */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly database: ClientsDatabase) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  /** The client's consents, with their standing on `today` (the agency's day). */
  @GenerateSql({ params: [EXAMPLE_CLIENT, EXAMPLE_DAY] })
  consentsOf(clientId: string, today: string): Promise<ConsentRow[]> {
    return this.db
      .selectFrom('clients.consents as k')
      .select(consentColumns(today))
      .where('k.client_id', '=', clientId)
      .orderBy('k.effective_from', 'desc')
      .orderBy('k.id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_CONSENT, EXAMPLE_DAY] })
  async findConsent(id: string, today: string, db: ClientsDb = this.db): Promise<ConsentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('clients.consents as k')
      .select(consentColumns(today))
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
   * Whether a Part 2 consent of the client in force on `today` (the agency's day) names one of
   * `recipients` (the user, one of their teams or programs, or their agency) for one of `purposes`.
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
      EXAMPLE_DAY,
    ],
  })
  async hasPart2Consent(
    clientId: string,
    recipients: ConsentRecipients,
    purposes: readonly string[],
    today: string,
  ): Promise<boolean> {
    const row = await this.db
      .selectFrom('clients.consents as k')
      .select('k.id')
      .where('k.client_id', '=', clientId)
      .where('k.kind', '=', 'part2')
      .where((eb) => inForce(eb, today))
      .where(sql<SqlBool>`k.purposes && ${[...purposes]}::text[]`)
      .where((eb) => namesRecipient(eb, recipients))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** hasPart2Consent for many clients at once: those of them with such a consent, in one query. */
  @GenerateSql({
    params: [
      [EXAMPLE_CLIENT, '0de70000-0000-4000-8000-0000000d0002'],
      {
        userId: EXAMPLE_USER,
        teamIds: [EXAMPLE_TEAM],
        programIds: [EXAMPLE_PROGRAM],
        agencyId: EXAMPLE_AGENCY,
      },
      ['TREAT'],
      EXAMPLE_DAY,
    ],
  })
  async part2ConsentedAmong(
    clientIds: readonly string[],
    recipients: ConsentRecipients,
    purposes: readonly string[],
    today: string,
  ): Promise<Set<string>> {
    const clients = [...new Set(clientIds.filter(isUuid))];
    if (clients.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('clients.consents as k')
      .select('k.client_id')
      .distinct()
      .where('k.client_id', 'in', clients)
      .where('k.kind', '=', 'part2')
      .where((eb) => inForce(eb, today))
      .where(sql<SqlBool>`k.purposes && ${[...purposes]}::text[]`)
      .where((eb) => namesRecipient(eb, recipients))
      .execute();
    return new Set(rows.map((r) => r.client_id));
  }
}

/** The consent names the caller: as a user, one of their teams or programs, or their agency. */
function namesRecipient(eb: ConsentsEb, recipients: ConsentRecipients): Expression<SqlBool> {
  // Ids are compared with uuid columns; one that is not a uuid (a test token) names no row.
  const ids = (values: readonly string[]) => values.filter(isUuid);
  const named = (type: ConsentTable['recipient_type'], values: string[]) =>
    values.length > 0
      ? eb.and([eb('k.recipient_type', '=', type), eb('k.recipient_id', 'in', values)])
      : null;
  const options = [
    named('user', ids([recipients.userId])),
    named('team', ids(recipients.teamIds)),
    named('program', ids(recipients.programIds)),
    named('agency', ids([recipients.agencyId])),
  ].filter((o) => o !== null);
  return options.length > 0 ? eb.or(options) : sql<SqlBool>`false`;
}
