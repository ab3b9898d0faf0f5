import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import type { ClientTable } from './clients.schema.js';
import type { AddressTable, AliasTable, ContactTable, EmailTable, PhoneTable } from './details.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type AliasRow = Selectable<AliasTable>;
export type AddressRow = Selectable<AddressTable>;
export type PhoneRow = Selectable<PhoneTable>;
export type EmailRow = Selectable<EmailTable>;
export type ContactRow = Selectable<ContactTable>;
export type NewAlias = Insertable<AliasTable>;
export type NewAddress = Insertable<AddressTable>;
export type NewPhone = Insertable<PhoneTable>;
export type NewEmail = Insertable<EmailTable>;
export type NewContact = Insertable<ContactTable>;
export type AliasChanges = Partial<Pick<AliasRow, 'name' | 'type' | 'ended_at'>>;
export type AddressChanges = Partial<
  Pick<AddressRow, 'line1' | 'line2' | 'city' | 'state' | 'postal_code' | 'county' | 'valid_to'>
>;
export type PhoneChanges = Partial<Pick<PhoneRow, 'type' | 'number' | 'sms_ok' | 'is_primary' | 'ended_at'>>;
export type EmailChanges = Partial<Pick<EmailRow, 'type' | 'address' | 'is_primary' | 'ended_at'>>;
export type ContactChanges = Partial<
  Pick<
    ContactRow,
    | 'name'
    | 'relationship'
    | 'phone'
    | 'email'
    | 'is_guardian'
    | 'legal_authority'
    | 'can_receive_info'
    | 'valid_to'
  >
>;

const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_DETAIL = '0de70000-0000-4000-8000-0000000de701';

const addressColumns = [
  'a.id',
  'a.client_id',
  'a.type',
  'a.line1',
  'a.line2',
  'a.city',
  'a.state',
  'a.postal_code',
  'a.county',
  sql<string>`a.valid_from::text`.as('valid_from'),
  sql<string | null>`a.valid_to::text`.as('valid_to'),
  'a.created_by',
  'a.version',
  'a.created_at',
  'a.updated_at',
] as const;

const contactColumns = [
  'k.id',
  'k.client_id',
  'k.name',
  'k.relationship',
  'k.phone',
  'k.email',
  'k.is_guardian',
  'k.legal_authority',
  'k.can_receive_info',
  sql<string>`k.valid_from::text`.as('valid_from'),
  sql<string | null>`k.valid_to::text`.as('valid_to'),
  'k.created_by',
  'k.version',
  'k.created_at',
  'k.updated_at',
] as const;

const bumped = { version: sql<number>`version + 1`, updated_at: sql<Date>`now()` };

/**
 * A client's details: aliases, addresses, phones, emails, contacts and guardians. Aliases, phones
 * and emails that were removed keep their row (`ended_at`) and are left out of lists.
 */
@Injectable()
export class DetailsRepository {
  constructor(private readonly database: ClientsDatabase) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  /**
   * Locks the client row for the rest of the transaction, so detail writes to one client (and a
   * merge of it) happen one at a time; returns its status, or undefined when there is none.
   */
  @GenerateSql({ params: [EXAMPLE_CLIENT, GenerateSql.db] })
  async lockClient(clientId: string, db: ClientsDb): Promise<Selectable<ClientTable>['status'] | undefined> {
    const row = await db
      .selectFrom('clients.clients')
      .select('status')
      .where('id', '=', clientId)
      .forUpdate()
      .executeTakeFirst();
    return row?.status;
  }

  // Aliases -------------------------------------------------------------------------------------

  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  aliasesOf(clientId: string): Promise<AliasRow[]> {
    return this.db
      .selectFrom('clients.aliases')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('ended_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL] })
  async findAlias(id: string, db: ClientsDb = this.db): Promise<AliasRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('clients.aliases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_DETAIL,
        client_id: EXAMPLE_CLIENT,
        name: 'Maria Lopez',
        type: 'maiden',
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertAlias(alias: NewAlias, db: ClientsDb): Promise<void> {
    await db.insertInto('clients.aliases').values(alias).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_DETAIL, { name: 'Mary Lopez' }, 1, GenerateSql.db] })
  async updateAlias(id: string, changes: AliasChanges, version: number, db: ClientsDb): Promise<boolean> {
    const result = await db
      .updateTable('clients.aliases')
      .set({ ...changes, ...bumped })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  // Addresses -----------------------------------------------------------------------------------

  /** Every address, newest first within each type; with `validOn`, only those valid that day. */
  @GenerateSql({ name: 'history', params: [EXAMPLE_CLIENT] })
  @GenerateSql({ name: 'valid on a day', params: [EXAMPLE_CLIENT, '2026-03-01'] })
  addressesOf(clientId: string, validOn?: string): Promise<AddressRow[]> {
    let q = this.db
      .selectFrom('clients.addresses as a')
      .select(addressColumns)
      .where('a.client_id', '=', clientId);
    if (validOn) {
      q = q
        .where('a.valid_from', '<=', sql<string>`${validOn}::date`)
        .where((eb) =>
          eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>=', sql<string>`${validOn}::date`)]),
        );
    }
    return q.orderBy('a.type').orderBy('a.valid_from', 'desc').orderBy('a.id').execute();
  }

  /** Addresses of one type that are open or end on or after `from` (they would overlap a new one). */
  @GenerateSql({ params: [EXAMPLE_CLIENT, 'home', '2026-03-01', GenerateSql.db] })
  addressesReaching(
    clientId: string,
    type: AddressRow['type'],
    from: string,
    db: ClientsDb,
  ): Promise<AddressRow[]> {
    return db
      .selectFrom('clients.addresses as a')
      .select(addressColumns)
      .where('a.client_id', '=', clientId)
      .where('a.type', '=', type)
      .where((eb) =>
        eb.or([eb('a.valid_to', 'is', null), eb('a.valid_to', '>=', sql<string>`${from}::date`)]),
      )
      .orderBy('a.valid_from')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL] })
  async findAddress(id: string, db: ClientsDb = this.db): Promise<AddressRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('clients.addresses as a')
      .select(addressColumns)
      .where('a.id', '=', id)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_DETAIL,
        client_id: EXAMPLE_CLIENT,
        type: 'home',
        line1: '1 Main St',
        city: 'Madison',
        state: 'WI',
        postal_code: '53703',
        county: 'Dane',
        valid_from: '2026-03-01',
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertAddress(address: NewAddress, db: ClientsDb): Promise<void> {
    await db.insertInto('clients.addresses').values(address).execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL, { valid_to: '2026-06-30' }, 1, GenerateSql.db] })
  async updateAddress(id: string, changes: AddressChanges, version: number, db: ClientsDb): Promise<boolean> {
    const result = await db
      .updateTable('clients.addresses')
      .set({ ...changes, ...bumped })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  // Phones --------------------------------------------------------------------------------------

  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  phonesOf(clientId: string): Promise<PhoneRow[]> {
    return this.db
      .selectFrom('clients.phones')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('ended_at', 'is', null)
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL] })
  async findPhone(id: string, db: ClientsDb = this.db): Promise<PhoneRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('clients.phones').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_DETAIL,
        client_id: EXAMPLE_CLIENT,
        type: 'mobile',
        number: '+16085550100',
        sms_ok: true,
        is_primary: true,
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertPhone(phone: NewPhone, db: ClientsDb): Promise<void> {
    await db.insertInto('clients.phones').values(phone).execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL, { sms_ok: false }, 1, GenerateSql.db] })
  async updatePhone(id: string, changes: PhoneChanges, version: number, db: ClientsDb): Promise<boolean> {
    const result = await db
      .updateTable('clients.phones')
      .set({ ...changes, ...bumped })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The client's primary phone stops being primary (another is about to become it). */
  @GenerateSql({ params: [EXAMPLE_CLIENT, GenerateSql.db] })
  async clearPrimaryPhone(clientId: string, db: ClientsDb): Promise<void> {
    await db
      .updateTable('clients.phones')
      .set({ is_primary: false, ...bumped })
      .where('client_id', '=', clientId)
      .where('is_primary', '=', true)
      .where('ended_at', 'is', null)
      .execute();
  }

  // Emails --------------------------------------------------------------------------------------

  @GenerateSql({ params: [EXAMPLE_CLIENT] })
  emailsOf(clientId: string): Promise<EmailRow[]> {
    return this.db
      .selectFrom('clients.emails')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('ended_at', 'is', null)
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL] })
  async findEmail(id: string, db: ClientsDb = this.db): Promise<EmailRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('clients.emails').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_DETAIL,
        client_id: EXAMPLE_CLIENT,
        type: 'personal',
        address: 'maria@example.org',
        is_primary: true,
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertEmail(email: NewEmail, db: ClientsDb): Promise<void> {
    await db.insertInto('clients.emails').values(email).execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL, { type: 'work' }, 1, GenerateSql.db] })
  async updateEmail(id: string, changes: EmailChanges, version: number, db: ClientsDb): Promise<boolean> {
    const result = await db
      .updateTable('clients.emails')
      .set({ ...changes, ...bumped })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  @GenerateSql({ params: [EXAMPLE_CLIENT, GenerateSql.db] })
  async clearPrimaryEmail(clientId: string, db: ClientsDb): Promise<void> {
    await db
      .updateTable('clients.emails')
      .set({ is_primary: false, ...bumped })
      .where('client_id', '=', clientId)
      .where('is_primary', '=', true)
      .where('ended_at', 'is', null)
      .execute();
  }

  // Contacts and guardians ----------------------------------------------------------------------

  /** Every contact, current first; with `validOn`, only those valid that day. */
  @GenerateSql({ name: 'all', params: [EXAMPLE_CLIENT] })
  @GenerateSql({ name: 'valid on a day', params: [EXAMPLE_CLIENT, '2026-03-01'] })
  contactsOf(clientId: string, validOn?: string): Promise<ContactRow[]> {
    let q = this.db
      .selectFrom('clients.contacts as k')
      .select(contactColumns)
      .where('k.client_id', '=', clientId);
    if (validOn) {
      q = q
        .where('k.valid_from', '<=', sql<string>`${validOn}::date`)
        .where((eb) =>
          eb.or([eb('k.valid_to', 'is', null), eb('k.valid_to', '>=', sql<string>`${validOn}::date`)]),
        );
    }
    return q
      .orderBy(sql`k.valid_to IS NULL`, 'desc')
      .orderBy('k.is_guardian', 'desc')
      .orderBy('k.valid_from', 'desc')
      .orderBy('k.id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL] })
  async findContact(id: string, db: ClientsDb = this.db): Promise<ContactRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('clients.contacts as k')
      .select(contactColumns)
      .where('k.id', '=', id)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_DETAIL,
        client_id: EXAMPLE_CLIENT,
        name: 'Rosa Hernandez',
        relationship: 'parent',
        phone: '+16085550101',
        is_guardian: true,
        legal_authority: 'guardian_of_person',
        can_receive_info: true,
        valid_from: '2026-03-01',
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insertContact(contact: NewContact, db: ClientsDb): Promise<void> {
    await db.insertInto('clients.contacts').values(contact).execute();
  }

  @GenerateSql({ params: [EXAMPLE_DETAIL, { can_receive_info: false }, 1, GenerateSql.db] })
  async updateContact(id: string, changes: ContactChanges, version: number, db: ClientsDb): Promise<boolean> {
    const result = await db
      .updateTable('clients.contacts')
      .set({ ...changes, ...bumped })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
