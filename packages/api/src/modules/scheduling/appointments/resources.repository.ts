import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
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
  async findException(id: string): Promise<ExceptionRow | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db
      .selectFrom('scheduling.resource_exceptions as x')
      .select(exceptionColumns)
      .where('x.id', '=', id)
      .executeTakeFirst();
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
  async insertException(exception: NewException): Promise<void> {
    const { starts_at, ends_at, ...rest } = exception;
    await this.db
      .insertInto('scheduling.resource_exceptions')
      .values({
        ...rest,
        during: sql<string>`tstzrange(${starts_at}::timestamptz, ${ends_at}::timestamptz, '[)')`,
      })
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
