import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import type { AppointmentStatus, AppointmentTable } from './appointments.schema.js';

export type AppointmentRow = Selectable<AppointmentTable>;
export type NewAppointment = Insertable<AppointmentTable>;
export type AppointmentChanges = Partial<{
  status: AppointmentStatus;
  status_reason: string | null;
  checked_in_at: string;
  completed_at: string;
  rescheduled_to_id: string;
  telehealth: boolean;
  join_url: string | null;
  notes: string | null;
  starts_at: string;
  ends_at: string;
  series_id: string | null;
  occurrence_start: string | null;
  series_exception: boolean;
}>;

/** One booked resource of an appointment, with its blocked range (the time plus buffers). */
export interface BookedResourceRow {
  appointment_id: string;
  resource_id: string;
  blocked_from: Date;
  blocked_to: Date;
  blocking: boolean;
  /** The resource's program: the appointment is at that program (42 CFR Part 2 is decided per program). */
  program_id: string | null;
}

export interface NewBookedResource {
  appointment_id: string;
  resource_id: string;
  blocked_from: string;
  blocked_to: string;
}

/** A resource's time taken by bookings that still hold it. */
export interface BusyRow {
  resource_id: string;
  blocked_from: Date;
  blocked_to: Date;
}

/** Appointments overlapping [from, to): of some resources, or of the whole agency. */
export interface AppointmentRangeQuery {
  agencyId: string;
  /** Only appointments booking one of these resources; undefined: every resource. */
  resourceIds?: readonly string[] | undefined;
  from: string;
  to: string;
  statuses?: readonly AppointmentStatus[] | undefined;
  limit: number;
}

export interface ClientAppointmentsQuery {
  clientId: string;
  from?: string | undefined;
  to?: string | undefined;
  statuses?: readonly AppointmentStatus[] | undefined;
  limit: number;
}

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
// Room 101 and the intake type of the demo (appointments.seed.ts): the examples meet their foreign keys.
const EXAMPLE_RESOURCE = '0de70000-0000-4000-8000-0000000e0101';
const EXAMPLE_TYPE = '0de70000-0000-4000-8000-0000000e3101';
const EXAMPLE_APPOINTMENT = '0de70000-0000-4000-8000-0000000e4001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c007';
const EXAMPLE_SERIES = '0de70000-0000-4000-8000-0000000e5001';

const overlaps = (from: string, to: string) =>
  sql<boolean>`a.starts_at < ${to}::timestamptz and a.ends_at > ${from}::timestamptz`;

/** Appointments and the resources they hold: the only SQL of appointments. */
@Injectable()
export class AppointmentsRepository {
  constructor(private readonly database: SchedulingDatabase) {}

  private get db(): SchedulingDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_APPOINTMENT] })
  async findById(id: string, db: SchedulingDb = this.db): Promise<AppointmentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('scheduling.appointments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The appointment, held for the caller's transaction (status changes serialise on it). */
  @GenerateSql({ params: [EXAMPLE_APPOINTMENT, GenerateSql.db] })
  async lock(id: string, db: SchedulingDb): Promise<AppointmentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('scheduling.appointments')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  @GenerateSql({ params: [[EXAMPLE_APPOINTMENT]] })
  async resourcesOf(
    appointmentIds: readonly string[],
    db: SchedulingDb = this.db,
  ): Promise<BookedResourceRow[]> {
    const valid = appointmentIds.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .selectFrom('scheduling.appointment_resources as r')
      .innerJoin('scheduling.resources as s', 's.id', 'r.resource_id')
      .select([
        'r.appointment_id',
        'r.resource_id',
        sql<Date>`lower(r.blocked)`.as('blocked_from'),
        sql<Date>`upper(r.blocked)`.as('blocked_to'),
        'r.blocking',
        's.program_id',
      ])
      .where('r.appointment_id', 'in', valid)
      .orderBy('r.appointment_id')
      .orderBy('r.resource_id')
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_APPOINTMENT,
        agency_id: EXAMPLE_AGENCY,
        client_id: EXAMPLE_CLIENT,
        appointment_type_id: EXAMPLE_TYPE,
        starts_at: '2027-01-04T15:00:00Z',
        ends_at: '2027-01-04T16:00:00Z',
        telehealth: false,
        join_url: null,
        notes: null,
        rescheduled_from_id: null,
        series_id: null,
        status_reason: null,
        rescheduled_to_id: null,
        occurrence_start: null,
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insert(appointment: NewAppointment, db: SchedulingDb): Promise<void> {
    await db.insertInto('scheduling.appointments').values(appointment).execute();
  }

  /**
   * Books the resources. Two bookings whose blocked ranges overlap on one resource cannot both
   * commit: the exclusion constraint refuses the second (SQLSTATE 23P01).
   */
  @GenerateSql({
    params: [
      [
        {
          appointment_id: EXAMPLE_APPOINTMENT,
          resource_id: EXAMPLE_RESOURCE,
          blocked_from: '2027-01-04T15:00:00Z',
          blocked_to: '2027-01-04T16:10:00Z',
        },
      ],
      GenerateSql.db,
    ],
  })
  async insertResources(rows: readonly NewBookedResource[], db: SchedulingDb): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insertInto('scheduling.appointment_resources')
      .values(
        rows.map((r) => ({
          appointment_id: r.appointment_id,
          resource_id: r.resource_id,
          blocked: sql<string>`tstzrange(${r.blocked_from}::timestamptz, ${r.blocked_to}::timestamptz, '[)')`,
        })),
      )
      .execute();
  }

  /** Frees (or holds again) the appointment's resources. */
  @GenerateSql({ params: [EXAMPLE_APPOINTMENT, false, GenerateSql.db] })
  async setBlocking(appointmentId: string, blocking: boolean, db: SchedulingDb): Promise<void> {
    await db
      .updateTable('scheduling.appointment_resources')
      .set({ blocking })
      .where('appointment_id', '=', appointmentId)
      .execute();
  }

  /** Applies the changes when the row is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_APPOINTMENT, { status: 'checked_in' }, 1, GenerateSql.db] })
  async update(
    id: string,
    changes: AppointmentChanges,
    version: number,
    db: SchedulingDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('scheduling.appointments')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Drops the appointment's resource rows (a series edit then books the new ones). */
  @GenerateSql({ params: [EXAMPLE_APPOINTMENT, GenerateSql.db] })
  async deleteResources(appointmentId: string, db: SchedulingDb): Promise<void> {
    await db
      .deleteFrom('scheduling.appointment_resources')
      .where('appointment_id', '=', appointmentId)
      .execute();
  }

  /** The occurrences of series, oldest first; with `db` (a transaction) held for update. */
  @GenerateSql({ params: [[EXAMPLE_SERIES]] })
  @GenerateSql({ name: 'held for update', params: [[EXAMPLE_SERIES], GenerateSql.db] })
  async listOfSeries(seriesIds: readonly string[], db?: SchedulingDb): Promise<AppointmentRow[]> {
    const valid = seriesIds.filter(isUuid);
    if (valid.length === 0) return [];
    const q = (db ?? this.db)
      .selectFrom('scheduling.appointments')
      .selectAll()
      .where('series_id', 'in', valid)
      .orderBy('starts_at')
      .orderBy('id');
    return db ? q.forUpdate().execute() : q.execute();
  }

  @GenerateSql({
    name: 'some resources, some statuses',
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        resourceIds: [EXAMPLE_RESOURCE],
        from: '2027-01-04T06:00:00Z',
        to: '2027-01-05T06:00:00Z',
        statuses: ['booked', 'checked_in'],
        limit: 1001,
      },
    ],
  })
  @GenerateSql({
    name: 'the whole agency',
    params: [
      { agencyId: EXAMPLE_AGENCY, from: '2027-01-04T06:00:00Z', to: '2027-01-05T06:00:00Z', limit: 1001 },
    ],
  })
  async listDuring(query: AppointmentRangeQuery): Promise<AppointmentRow[]> {
    if (!isUuid(query.agencyId)) return [];
    let q = this.db
      .selectFrom('scheduling.appointments as a')
      .selectAll('a')
      .where('a.agency_id', '=', query.agencyId)
      .where(overlaps(query.from, query.to));
    const resourceIds = query.resourceIds?.filter(isUuid);
    if (resourceIds) {
      if (resourceIds.length === 0) return [];
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('scheduling.appointment_resources as r')
            .select('r.resource_id')
            .whereRef('r.appointment_id', '=', 'a.id')
            .where('r.resource_id', 'in', resourceIds),
        ),
      );
    }
    if (query.statuses && query.statuses.length > 0) q = q.where('a.status', 'in', [...query.statuses]);
    return q.orderBy('a.starts_at').orderBy('a.id').limit(query.limit).execute();
  }

  @GenerateSql({
    params: [
      {
        clientId: EXAMPLE_CLIENT,
        from: '2027-01-01T00:00:00Z',
        to: '2027-02-01T00:00:00Z',
        statuses: ['booked'],
        limit: 201,
      },
    ],
  })
  async listOfClient(query: ClientAppointmentsQuery): Promise<AppointmentRow[]> {
    if (!isUuid(query.clientId)) return [];
    let q = this.db
      .selectFrom('scheduling.appointments as a')
      .selectAll('a')
      .where('a.client_id', '=', query.clientId);
    if (query.from) q = q.where('a.ends_at', '>', sql<Date>`${query.from}::timestamptz`);
    if (query.to) q = q.where('a.starts_at', '<', sql<Date>`${query.to}::timestamptz`);
    if (query.statuses && query.statuses.length > 0) q = q.where('a.status', 'in', [...query.statuses]);
    return q.orderBy('a.starts_at').orderBy('a.id').limit(query.limit).execute();
  }

  /**
   * Time held on these resources by bookings still blocking, overlapping [from, to). Joined to the
   * ids (not `resource_id IN (…)`, which GiST cannot take as an index condition) so the exclusion
   * constraint's index probes (resource, range) per id; `blocking` is a literal so that partial
   * index applies to generic plans too.
   */
  @GenerateSql({ params: [[EXAMPLE_RESOURCE], '2027-01-04T06:00:00Z', '2027-01-05T06:00:00Z'] })
  async busy(
    resourceIds: readonly string[],
    from: string,
    to: string,
    db: SchedulingDb = this.db,
  ): Promise<BusyRow[]> {
    const valid = [...new Set(resourceIds.filter(isUuid))];
    if (valid.length === 0) return [];
    // Bounds as epoch ms (float8): parsing thousands of timestamptz texts costs more than the query.
    const { rows } = await sql<{ resource_id: string; from_ms: number; to_ms: number }>`
      SELECT r.resource_id,
        (extract(epoch FROM lower(r.blocked)) * 1000)::float8 AS from_ms,
        (extract(epoch FROM upper(r.blocked)) * 1000)::float8 AS to_ms
      FROM unnest(${valid}::uuid[]) AS q(id)
      JOIN scheduling.appointment_resources r ON r.resource_id = q.id
      WHERE r.blocking = true
        AND r.blocked && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')
      ORDER BY r.resource_id, lower(r.blocked)`.execute(db);
    return rows.map((r) => ({
      resource_id: r.resource_id,
      blocked_from: new Date(r.from_ms),
      blocked_to: new Date(r.to_ms),
    }));
  }
}
