import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import type {
  OfferStatus,
  TimeOfDay,
  WaitlistEntryTable,
  WaitlistOfferTable,
  WaitlistStatus,
} from './appointments.schema.js';

export type WaitlistEntryRow = Selectable<WaitlistEntryTable>;
export type NewWaitlistEntry = Insertable<WaitlistEntryTable>;
export type WaitlistOfferRow = Selectable<WaitlistOfferTable>;
export type NewWaitlistOffer = Insertable<WaitlistOfferTable>;
export type WaitlistEntryChanges = Partial<{
  status: WaitlistStatus;
  offer_expires_at: string | null;
  booked_appointment_id: string | null;
  status_reason: string | null;
}>;

/** What a freed slot offers: the entries it fits are looked for with these. */
export interface FreedSlot {
  agencyId: string;
  appointmentTypeId: string;
  freedAppointmentId: string;
  /** The client who freed it (not offered their own slot back). */
  clientId: string;
  resourceIds: readonly string[];
  localDate: string;
  timeOfDay: TimeOfDay;
  now: string;
}

export interface WaitlistQuery {
  agencyId: string;
  clientId?: string | undefined;
  appointmentTypeId?: string | undefined;
  statuses?: readonly WaitlistStatus[] | undefined;
  limit: number;
}

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_RESOURCE = '0de70000-0000-4000-8000-0000000e0101';
const EXAMPLE_TYPE = '0de70000-0000-4000-8000-0000000e3101';
const EXAMPLE_APPOINTMENT = '0de70000-0000-4000-8000-0000000e4001';
const EXAMPLE_ENTRY = '0de70000-0000-4000-8000-0000000e7001';
const EXAMPLE_OFFER = '0de70000-0000-4000-8000-0000000e7101';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c007';

const entryColumns = [
  'e.id',
  'e.agency_id',
  'e.client_id',
  'e.appointment_type_id',
  'e.resource_ids',
  sql<string | null>`e.earliest_date::text`.as('earliest_date'),
  sql<string | null>`e.latest_date::text`.as('latest_date'),
  'e.times_of_day',
  'e.priority',
  'e.status',
  'e.offer_expires_at',
  'e.booked_appointment_id',
  'e.status_reason',
  'e.created_by',
  'e.version',
  'e.created_at',
  'e.updated_at',
] as const;

/** Waitlist entries and the offers of freed slots: the only SQL of the waitlist. */
@Injectable()
export class WaitlistRepository {
  constructor(private readonly database: SchedulingDatabase) {}

  private get db(): SchedulingDb {
    return this.database.db;
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_ENTRY,
        agency_id: EXAMPLE_AGENCY,
        client_id: EXAMPLE_CLIENT,
        appointment_type_id: EXAMPLE_TYPE,
        resource_ids: [EXAMPLE_RESOURCE],
        earliest_date: '2027-01-04',
        latest_date: '2027-01-29',
        times_of_day: ['morning'],
        priority: 2,
        status_reason: null,
        booked_appointment_id: null,
        created_by: EXAMPLE_USER,
      },
    ],
  })
  async insert(entry: NewWaitlistEntry): Promise<void> {
    await this.db.insertInto('scheduling.waitlist_entries').values(entry).execute();
  }

  @GenerateSql({ params: [EXAMPLE_ENTRY] })
  @GenerateSql({ name: 'held for update', params: [EXAMPLE_ENTRY, GenerateSql.db] })
  async findById(id: string, db?: SchedulingDb): Promise<WaitlistEntryRow | undefined> {
    if (!isUuid(id)) return undefined;
    const q = (db ?? this.db)
      .selectFrom('scheduling.waitlist_entries as e')
      .select(entryColumns)
      .where('e.id', '=', id);
    return db ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        appointmentTypeId: EXAMPLE_TYPE,
        statuses: ['waiting', 'offered'],
        limit: 201,
      },
    ],
  })
  async list(query: WaitlistQuery): Promise<WaitlistEntryRow[]> {
    if (!isUuid(query.agencyId)) return [];
    let q = this.db
      .selectFrom('scheduling.waitlist_entries as e')
      .select(entryColumns)
      .where('e.agency_id', '=', query.agencyId);
    if (query.clientId) q = q.where('e.client_id', '=', query.clientId);
    if (query.appointmentTypeId) q = q.where('e.appointment_type_id', '=', query.appointmentTypeId);
    if (query.statuses && query.statuses.length > 0) q = q.where('e.status', 'in', [...query.statuses]);
    return q.orderBy('e.priority').orderBy('e.created_at').orderBy('e.id').limit(query.limit).execute();
  }

  @GenerateSql({
    params: [EXAMPLE_ENTRY, { status: 'withdrawn', status_reason: 'Found another agency' }, GenerateSql.db],
  })
  async update(id: string, changes: WaitlistEntryChanges, db: SchedulingDb): Promise<void> {
    await db
      .updateTable('scheduling.waitlist_entries')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * The best entry a freed slot fits: same agency and type, the slot's local date within the
   * entry's dates, its time of day among those preferred (none: any), a preferred resource
   * among the slot's (none: any), not the client who freed it, not offered this slot before;
   * waiting, or offered with the offer's time up (the expiry job may not have run yet). Most
   * urgent priority first, then the longest waiting. Locked, skipping entries another
   * transaction holds.
   */
  @GenerateSql({
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        appointmentTypeId: EXAMPLE_TYPE,
        freedAppointmentId: EXAMPLE_APPOINTMENT,
        clientId: EXAMPLE_CLIENT,
        resourceIds: [EXAMPLE_RESOURCE],
        localDate: '2027-01-04',
        timeOfDay: 'morning',
        now: '2027-01-01T15:00:00Z',
      },
      GenerateSql.db,
    ],
  })
  async bestFor(slot: FreedSlot, db: SchedulingDb): Promise<WaitlistEntryRow | undefined> {
    const resources = slot.resourceIds.filter(isUuid);
    return db
      .selectFrom('scheduling.waitlist_entries as e')
      .select(entryColumns)
      .where('e.agency_id', '=', slot.agencyId)
      .where('e.appointment_type_id', '=', slot.appointmentTypeId)
      .where('e.client_id', '<>', slot.clientId)
      .where((eb) =>
        eb.or([
          eb('e.status', '=', 'waiting'),
          eb.and([
            eb('e.status', '=', 'offered'),
            eb('e.offer_expires_at', '<=', sql<Date>`${slot.now}::timestamptz`),
          ]),
        ]),
      )
      .where(sql<boolean>`(e.earliest_date IS NULL OR e.earliest_date <= ${slot.localDate}::date)`)
      .where(sql<boolean>`(e.latest_date IS NULL OR e.latest_date >= ${slot.localDate}::date)`)
      .where(
        sql<boolean>`(cardinality(e.times_of_day) = 0 OR ${slot.timeOfDay}::text = ANY (e.times_of_day))`,
      )
      .where(sql<boolean>`(cardinality(e.resource_ids) = 0 OR e.resource_ids && ${resources}::uuid[])`)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('scheduling.waitlist_offers as o')
              .select('o.id')
              .whereRef('o.entry_id', '=', 'e.id')
              .where('o.freed_appointment_id', '=', slot.freedAppointmentId),
          ),
        ),
      )
      .orderBy('e.priority')
      .orderBy('e.created_at')
      .orderBy('e.id')
      .limit(1)
      .forUpdate('e')
      .skipLocked()
      .executeTakeFirst();
  }

  /** Waiting entries whose latest date is before `today` (local) end as expired; how many. */
  @GenerateSql({ params: ['2027-01-04', GenerateSql.db] })
  async expirePastDates(today: string, db: SchedulingDb): Promise<number> {
    const result = await db
      .updateTable('scheduling.waitlist_entries')
      .set({
        status: 'expired',
        status_reason: 'Past the latest date.',
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('status', '=', 'waiting')
      .where(sql<boolean>`latest_date < ${today}::date`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Whether the freed appointment's slot has been offered to anyone (the event was handled). */
  @GenerateSql({ params: [EXAMPLE_APPOINTMENT, GenerateSql.db] })
  async offeredBefore(freedAppointmentId: string, db: SchedulingDb): Promise<boolean> {
    const row = await db
      .selectFrom('scheduling.waitlist_offers')
      .select('id')
      .where('freed_appointment_id', '=', freedAppointmentId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_OFFER,
        entry_id: EXAMPLE_ENTRY,
        agency_id: EXAMPLE_AGENCY,
        freed_appointment_id: EXAMPLE_APPOINTMENT,
        starts_at: '2027-01-04T15:00:00Z',
        ends_at: '2027-01-04T16:00:00Z',
        resource_ids: [EXAMPLE_RESOURCE],
        expires_at: '2027-01-01T17:00:00Z',
      },
      GenerateSql.db,
    ],
  })
  async insertOffer(offer: NewWaitlistOffer, db: SchedulingDb): Promise<void> {
    await db.insertInto('scheduling.waitlist_offers').values(offer).execute();
  }

  /** The entry's open offer (at most one: an entry is offered one slot at a time). */
  @GenerateSql({ params: [[EXAMPLE_ENTRY]] })
  async openOffers(entryIds: readonly string[], db: SchedulingDb = this.db): Promise<WaitlistOfferRow[]> {
    const valid = entryIds.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .selectFrom('scheduling.waitlist_offers')
      .selectAll()
      .where('entry_id', 'in', valid)
      .where('status', '=', 'offered')
      .execute();
  }

  /** Offers whose time is up at `now`, locked (skipping those another runner holds). */
  @GenerateSql({ params: ['2027-01-01T17:00:00Z', 100, GenerateSql.db] })
  async lockExpired(now: string, limit: number, db: SchedulingDb): Promise<WaitlistOfferRow[]> {
    return db
      .selectFrom('scheduling.waitlist_offers')
      .selectAll()
      .where('status', '=', 'offered')
      .where('expires_at', '<=', sql<Date>`${now}::timestamptz`)
      .orderBy('expires_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_OFFER, 'expired', GenerateSql.db] })
  async setOfferStatus(id: string, status: OfferStatus, db: SchedulingDb): Promise<void> {
    await db.updateTable('scheduling.waitlist_offers').set({ status }).where('id', '=', id).execute();
  }
}
