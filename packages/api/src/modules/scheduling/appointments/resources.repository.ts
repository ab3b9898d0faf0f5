import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import type { AppointmentRow } from './appointments.repository.js';
import type {
  AppointmentTypeTable,
  ExceptionKind,
  ResourceKind,
  ResourceTable,
  WorkingHoursTable,
} from './appointments.schema.js';

export type ResourceRow = Selectable<ResourceTable>;
export type NewResource = Insertable<ResourceTable>;
export type ResourceChanges = Partial<Pick<ResourceRow, 'name' | 'program_id' | 'location' | 'active'>>;
export type WorkingHoursRow = Selectable<WorkingHoursTable>;
export type NewWorkingHours = Omit<Insertable<WorkingHoursTable>, 'created_at'>;
export type AppointmentTypeRow = Selectable<AppointmentTypeTable>;
export type NewAppointmentType = Insertable<AppointmentTypeTable>;
export type AppointmentTypeChanges = Partial<
  Pick<
    AppointmentTypeRow,
    | 'name'
    | 'duration_minutes'
    | 'buffer_before_minutes'
    | 'buffer_after_minutes'
    | 'allowed_resource_kinds'
    | 'telehealth_allowed'
    | 'active'
  >
>;

/** An exception with its range as instants. */
export interface ExceptionRow {
  id: string;
  agency_id: string;
  resource_id: string | null;
  starts_at: Date;
  ends_at: Date;
  kind: ExceptionKind;
  reason: string;
  created_by: string | null;
  version: number;
  created_at: Date;
}

export interface NewException {
  id: string;
  agency_id: string;
  resource_id: string | null;
  starts_at: string;
  ends_at: string;
  kind: ExceptionKind;
  reason: string;
  created_by: string | null;
}

export interface ExceptionChanges {
  starts_at: string;
  ends_at: string;
  reason: string;
}

/**
 * Booked appointments still to come whose held time (buffers included, as the booking rules
 * compare it) overlaps leave, a holiday or a closure of one of their resources or of the agency.
 */
export interface DisplacedQuery {
  agencyId: string;
  /** Only those this exception blocks. */
  exceptionId?: string | undefined;
  /** Only those booking this resource, blocked on it. */
  resourceId?: string | undefined;
  /** Appointments starting in [from, to). */
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset: after this (start, id). */
  after?: { startsAt: string; id: string } | undefined;
  /** Undefined: every one (an exception's whole list, in its own transaction). */
  limit?: number | undefined;
}

/** One exception blocking one booked resource of an appointment. */
export interface DisplacementRow {
  appointment_id: string;
  resource_id: string;
  exception_id: string;
  kind: ExceptionKind;
  /** The exception's resource; null: agency-wide. */
  exception_resource_id: string | null;
  starts_at: Date;
  ends_at: Date;
}

export interface ResourceListQuery {
  agencyId: string;
  kind?: ResourceKind | undefined;
  providerId?: string | undefined;
  active?: boolean | undefined;
  after?: { name: string; id: string } | undefined;
  limit: number;
}

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_RESOURCE = '0de70000-0000-4000-8000-0000000e0001';
const EXAMPLE_PROVIDER = '0de70000-0000-4000-8000-0000000f0001';
const EXAMPLE_HOURS = '0de70000-0000-4000-8000-0000000e1001';
const EXAMPLE_EXCEPTION = '0de70000-0000-4000-8000-0000000e2001';
const EXAMPLE_TYPE = '0de70000-0000-4000-8000-0000000e3001';
const EXAMPLE_APPOINTMENT = '0de70000-0000-4000-8000-0000000e4001';

const hoursColumns = [
  'h.id',
  'h.resource_id',
  'h.weekday',
  sql<string>`to_char(h.starts_at, 'HH24:MI')`.as('starts_at'),
  sql<string>`to_char(h.ends_at, 'HH24:MI')`.as('ends_at'),
  sql<string | null>`h.effective_from::text`.as('effective_from'),
  sql<string | null>`h.effective_to::text`.as('effective_to'),
  'h.created_at',
] as const;

const exceptionColumns = [
  'x.id',
  'x.agency_id',
  'x.resource_id',
  sql<Date>`lower(x.during)`.as('starts_at'),
  sql<Date>`upper(x.during)`.as('ends_at'),
  'x.kind',
  'x.reason',
  'x.created_by',
  'x.version',
  'x.created_at',
] as const;

/** Resources, their working hours and exceptions, and appointment types. */
@Injectable()
export class ResourcesRepository {
  constructor(private readonly database: SchedulingDatabase) {}

  private get db(): SchedulingDb {
    return this.database.db;
  }

  @GenerateSql({
    name: 'every filter',
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        kind: 'provider',
        providerId: EXAMPLE_PROVIDER,
        active: true,
        after: { name: 'A', id: EXAMPLE_RESOURCE },
        limit: 51,
      },
    ],
  })
  list(query: ResourceListQuery): Promise<ResourceRow[]> {
    let q = this.db.selectFrom('scheduling.resources').selectAll().where('agency_id', '=', query.agencyId);
    if (query.kind) q = q.where('kind', '=', query.kind);
    if (query.providerId) q = q.where('provider_id', '=', query.providerId);
    if (query.active !== undefined) q = q.where('active', '=', query.active);
    const after = query.after;
    if (after) {
      q = q.where((eb) =>
        eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])]),
      );
    }
    return q.orderBy('name').orderBy('id').limit(query.limit).execute();
  }

  @GenerateSql({ params: [EXAMPLE_RESOURCE] })
  async findById(id: string, db: SchedulingDb = this.db): Promise<ResourceRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('scheduling.resources').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({ params: [[EXAMPLE_RESOURCE]] })
  async findByIds(ids: readonly string[], db: SchedulingDb = this.db): Promise<ResourceRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db.selectFrom('scheduling.resources').selectAll().where('id', 'in', valid).execute();
  }

  /** The active resources of kind `provider` standing for these providers in the agency. */
  @GenerateSql({ params: [EXAMPLE_AGENCY, [EXAMPLE_PROVIDER]] })
  async findForProviders(agencyId: string, providerIds: readonly string[]): Promise<ResourceRow[]> {
    const valid = providerIds.filter(isUuid);
    if (valid.length === 0 || !isUuid(agencyId)) return [];
    return this.db
      .selectFrom('scheduling.resources')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('kind', '=', 'provider')
      .where('provider_id', 'in', valid)
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_RESOURCE,
        agency_id: EXAMPLE_AGENCY,
        kind: 'room',
        provider_id: null,
        name: 'Room 1',
        program_id: null,
        location: 'Main office',
      },
      GenerateSql.db,
    ],
  })
  async insert(resource: NewResource, db: SchedulingDb = this.db): Promise<void> {
    await db.insertInto('scheduling.resources').values(resource).execute();
  }

  /**
   * The resource of a provider, unless the provider already has one in the agency (then
   * nothing: the unique index on (agency, provider) decides, also against a concurrent add).
   * True when this call added it.
   */
  @GenerateSql({
    params: [
      {
        id: EXAMPLE_RESOURCE,
        agency_id: EXAMPLE_AGENCY,
        kind: 'provider',
        provider_id: EXAMPLE_PROVIDER,
        name: 'Dana Rivera',
        program_id: null,
        location: null,
      },
    ],
  })
  async insertForProvider(resource: NewResource, db: SchedulingDb = this.db): Promise<boolean> {
    const result = await db
      .insertInto('scheduling.resources')
      .values(resource)
      .onConflict((oc) =>
        oc.columns(['agency_id', 'provider_id']).where('provider_id', 'is not', null).doNothing(),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Gives a provider's resource the provider's (new) name; false when there is none or it already has it. */
  @GenerateSql({ params: [EXAMPLE_AGENCY, EXAMPLE_PROVIDER, 'Dana Rivera-Lopez'] })
  async renameForProvider(
    agencyId: string,
    providerId: string,
    name: string,
    db: SchedulingDb = this.db,
  ): Promise<boolean> {
    if (!isUuid(agencyId) || !isUuid(providerId)) return false;
    const result = await db
      .updateTable('scheduling.resources')
      .set({ name, version: sql`version + 1`, updated_at: sql`now()` })
      .where('agency_id', '=', agencyId)
      .where('kind', '=', 'provider')
      .where('provider_id', '=', providerId)
      .where('name', '<>', name)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_RESOURCE, { name: 'Room 2' }, 1, GenerateSql.db] })
  async update(
    id: string,
    changes: ResourceChanges,
    version: number,
    db: SchedulingDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('scheduling.resources')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  @GenerateSql({ params: [[EXAMPLE_RESOURCE]] })
  async hoursOf(resourceIds: readonly string[]): Promise<WorkingHoursRow[]> {
    const valid = resourceIds.filter(isUuid);
    if (valid.length === 0) return [];
    return this.db
      .selectFrom('scheduling.working_hours as h')
      .select(hoursColumns)
      .where('h.resource_id', 'in', valid)
      .orderBy('h.resource_id')
      .orderBy('h.weekday')
      .orderBy('h.starts_at')
      .execute();
  }

  /** Replaces a resource's working hours (the resource row is held by the caller's transaction). */
  @GenerateSql({
    params: [
      EXAMPLE_RESOURCE,
      [
        {
          id: EXAMPLE_HOURS,
          resource_id: EXAMPLE_RESOURCE,
          weekday: 1,
          starts_at: '08:00',
          ends_at: '17:00',
          effective_from: null,
          effective_to: null,
        },
      ],
      GenerateSql.db,
    ],
  })
  async replaceHours(
    resourceId: string,
    hours: readonly NewWorkingHours[],
    db: SchedulingDb = this.db,
  ): Promise<void> {
    await db.deleteFrom('scheduling.working_hours').where('resource_id', '=', resourceId).execute();
    if (hours.length > 0)
      await db
        .insertInto('scheduling.working_hours')
        .values([...hours])
        .execute();
  }

  /** Exceptions of these resources, and the agency-wide ones, overlapping [from, to). */
  @GenerateSql({
    params: [EXAMPLE_AGENCY, [EXAMPLE_RESOURCE], '2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z'],
  })
  async exceptionsDuring(
    agencyId: string,
    resourceIds: readonly string[],
    from: string,
    to: string,
    db: SchedulingDb = this.db,
  ): Promise<ExceptionRow[]> {
    if (!isUuid(agencyId)) return [];
    const valid = resourceIds.filter(isUuid);
    return db
      .selectFrom('scheduling.resource_exceptions as x')
      .select(exceptionColumns)
      .where('x.agency_id', '=', agencyId)
      .where((eb) =>
        valid.length > 0
          ? eb.or([eb('x.resource_id', 'is', null), eb('x.resource_id', 'in', valid)])
          : eb('x.resource_id', 'is', null),
      )
      .where(sql<boolean>`x.during && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')`)
      .orderBy(sql`lower(x.during)`)
      .orderBy('x.id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_EXCEPTION] })
  async findException(id: string, db: SchedulingDb = this.db): Promise<ExceptionRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('scheduling.resource_exceptions as x')
      .select(exceptionColumns)
      .where('x.id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Locks the resources an exception is about to cover (one, or every resource of the agency for a
   * closure), in id order, until the exception's transaction ends. A booking writing holds on them
   * meanwhile waits (its foreign key takes a share lock), and one that wrote them first is waited
   * for — so the exception sees every booking it displaces, and a booking sees the exception.
   */
  @GenerateSql({ params: [EXAMPLE_AGENCY, EXAMPLE_RESOURCE, GenerateSql.db] })
  @GenerateSql({ name: 'a closure', params: [EXAMPLE_AGENCY, null, GenerateSql.db] })
  async lockResources(agencyId: string, resourceId: string | null, db: SchedulingDb): Promise<void> {
    let query = db.selectFrom('scheduling.resources').select('id').where('agency_id', '=', agencyId);
    if (resourceId !== null) query = query.where('id', '=', resourceId);
    await query.orderBy('id').forUpdate().execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_EXCEPTION,
        agency_id: EXAMPLE_AGENCY,
        resource_id: null,
        starts_at: '2027-01-01T06:00:00Z',
        ends_at: '2027-01-02T06:00:00Z',
        kind: 'holiday',
        reason: "New Year's Day",
        created_by: null,
      },
    ],
  })
  async insertException(exception: NewException, db: SchedulingDb = this.db): Promise<void> {
    const { starts_at, ends_at, ...rest } = exception;
    await db
      .insertInto('scheduling.resource_exceptions')
      .values({
        ...rest,
        during: sql<string>`tstzrange(${starts_at}::timestamptz, ${ends_at}::timestamptz, '[)')`,
      })
      .execute();
  }

  /** Moves (widens, narrows) an exception when it is still at `version`; false when it moved on. */
  @GenerateSql({
    params: [
      EXAMPLE_EXCEPTION,
      { starts_at: '2027-01-01T06:00:00Z', ends_at: '2027-01-03T06:00:00Z', reason: 'Two days' },
      1,
      GenerateSql.db,
    ],
  })
  async updateException(
    id: string,
    changes: ExceptionChanges,
    version: number,
    db: SchedulingDb,
  ): Promise<boolean> {
    const result = await db
      .updateTable('scheduling.resource_exceptions')
      .set({
        during: sql<string>`tstzrange(${changes.starts_at}::timestamptz, ${changes.ends_at}::timestamptz, '[)')`,
        reason: changes.reason,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Booked appointments still to come that an exception blocks (see DisplacedQuery), by start.
   * Driven from the exceptions (few) through each resource they cover to the bookings on it, so
   * the exclusion constraint's GiST index probes (resource, range); `blocking` is a literal so
   * that partial index applies to generic plans too.
   */
  @GenerateSql({
    name: 'one exception, all of them',
    params: [{ agencyId: EXAMPLE_AGENCY, exceptionId: EXAMPLE_EXCEPTION }, GenerateSql.db],
  })
  @GenerateSql({
    name: 'the worklist, every filter',
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        resourceId: EXAMPLE_RESOURCE,
        from: '2027-01-01T00:00:00Z',
        to: '2027-02-01T00:00:00Z',
        after: { startsAt: '2027-01-04T15:00:00.000Z', id: EXAMPLE_APPOINTMENT },
        limit: 201,
      },
    ],
  })
  async displacedAppointments(query: DisplacedQuery, db: SchedulingDb = this.db): Promise<AppointmentRow[]> {
    if (!isUuid(query.agencyId)) return [];
    if (query.exceptionId !== undefined && !isUuid(query.exceptionId)) return [];
    if (query.resourceId !== undefined && !isUuid(query.resourceId)) return [];
    const { exceptionId, resourceId, from, to, after, limit } = query;
    let blocked = db
      .selectFrom('scheduling.resource_exceptions as x')
      .innerJoin('scheduling.resources as res', (join) =>
        join
          .onRef('res.agency_id', '=', 'x.agency_id')
          .on((eb) => eb.or([eb('x.resource_id', 'is', null), eb('x.resource_id', '=', eb.ref('res.id'))])),
      )
      .innerJoin('scheduling.appointment_resources as r', (join) =>
        join
          .onRef('r.resource_id', '=', 'res.id')
          .on(sql<boolean>`r.blocking = true`)
          .on(sql<boolean>`r.blocked && x.during`),
      )
      .select('r.appointment_id')
      .where('x.agency_id', '=', query.agencyId)
      .where(sql<boolean>`upper(x.during) > now()`);
    if (exceptionId !== undefined) blocked = blocked.where('x.id', '=', exceptionId);
    if (resourceId !== undefined) blocked = blocked.where('res.id', '=', resourceId);
    let q = db
      .selectFrom('scheduling.appointments as a')
      .selectAll('a')
      .where('a.id', 'in', blocked)
      .where('a.agency_id', '=', query.agencyId)
      .where('a.status', '=', 'booked')
      .where(sql<boolean>`a.starts_at > now()`);
    if (from !== undefined) q = q.where('a.starts_at', '>=', sql<Date>`${from}::timestamptz`);
    if (to !== undefined) q = q.where('a.starts_at', '<', sql<Date>`${to}::timestamptz`);
    if (after !== undefined) {
      q = q.where(sql<boolean>`(a.starts_at, a.id) > (${after.startsAt}::timestamptz, ${after.id}::uuid)`);
    }
    q = q.orderBy('a.starts_at').orderBy('a.id');
    return limit === undefined ? q.execute() : q.limit(limit).execute();
  }

  /** Which exceptions block which booked resources of these appointments (of one exception, if named). */
  @GenerateSql({ params: [[EXAMPLE_APPOINTMENT]] })
  @GenerateSql({ name: 'one exception', params: [[EXAMPLE_APPOINTMENT], EXAMPLE_EXCEPTION, GenerateSql.db] })
  async displacements(
    appointmentIds: readonly string[],
    exceptionId?: string,
    db: SchedulingDb = this.db,
  ): Promise<DisplacementRow[]> {
    const valid = appointmentIds.filter(isUuid);
    if (valid.length === 0 || (exceptionId !== undefined && !isUuid(exceptionId))) return [];
    let q = db
      .selectFrom('scheduling.appointment_resources as r')
      .innerJoin('scheduling.resources as res', 'res.id', 'r.resource_id')
      .innerJoin('scheduling.resource_exceptions as x', (join) =>
        join
          .onRef('x.agency_id', '=', 'res.agency_id')
          .on((eb) =>
            eb.or([eb('x.resource_id', 'is', null), eb('x.resource_id', '=', eb.ref('r.resource_id'))]),
          )
          .on(sql<boolean>`x.during && r.blocked`),
      )
      .select([
        'r.appointment_id',
        'r.resource_id',
        'x.id as exception_id',
        'x.kind',
        'x.resource_id as exception_resource_id',
        sql<Date>`lower(x.during)`.as('starts_at'),
        sql<Date>`upper(x.during)`.as('ends_at'),
      ])
      .where('r.appointment_id', 'in', valid)
      .where(sql<boolean>`r.blocking = true`);
    if (exceptionId !== undefined) q = q.where('x.id', '=', exceptionId);
    return q
      .orderBy('r.appointment_id')
      .orderBy(sql`lower(x.during)`)
      .orderBy('x.id')
      .orderBy('r.resource_id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_EXCEPTION] })
  async deleteException(id: string): Promise<void> {
    await this.db.deleteFrom('scheduling.resource_exceptions').where('id', '=', id).execute();
  }

  @GenerateSql({ params: [EXAMPLE_AGENCY, true] })
  async listTypes(agencyId: string, activeOnly: boolean): Promise<AppointmentTypeRow[]> {
    if (!isUuid(agencyId)) return [];
    let q = this.db.selectFrom('scheduling.appointment_types').selectAll().where('agency_id', '=', agencyId);
    if (activeOnly) q = q.where('active', '=', true);
    return q.orderBy('name').orderBy('id').execute();
  }

  @GenerateSql({ params: [EXAMPLE_TYPE] })
  async findType(id: string, db: SchedulingDb = this.db): Promise<AppointmentTypeRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('scheduling.appointment_types').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_TYPE,
        agency_id: EXAMPLE_AGENCY,
        code: 'home-visit',
        name: 'Home visit',
        duration_minutes: 60,
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        allowed_resource_kinds: ['provider', 'room'],
        telehealth_allowed: true,
      },
    ],
  })
  async insertType(type: NewAppointmentType): Promise<void> {
    await this.db.insertInto('scheduling.appointment_types').values(type).execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_TYPE, { duration_minutes: 45 }, 1] })
  async updateType(id: string, changes: AppointmentTypeChanges, version: number): Promise<boolean> {
    const result = await this.db
      .updateTable('scheduling.appointment_types')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
