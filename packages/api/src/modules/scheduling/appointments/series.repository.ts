import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import type { AppointmentSeriesTable, SeriesStatus } from './appointments.schema.js';

export type SeriesRow = Selectable<AppointmentSeriesTable>;
export type NewSeries = Insertable<AppointmentSeriesTable>;
export type SeriesChanges = Partial<{
  rrule: string;
  first_start: string;
  wall_time: string;
  resource_ids: string[];
  status: SeriesStatus;
}>;

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const EXAMPLE_RESOURCE = '0de70000-0000-4000-8000-0000000e0101';
const EXAMPLE_TYPE = '0de70000-0000-4000-8000-0000000e3101';
const EXAMPLE_SERIES = '0de70000-0000-4000-8000-0000000e5001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c007';

/** Recurring appointment series (their occurrences are appointments): the only SQL of series. */
@Injectable()
export class SeriesRepository {
  constructor(private readonly database: SchedulingDatabase) {}

  private get db(): SchedulingDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_SERIES] })
  @GenerateSql({ name: 'held for update', params: [EXAMPLE_SERIES, GenerateSql.db] })
  async findById(id: string, db?: SchedulingDb): Promise<SeriesRow | undefined> {
    if (!isUuid(id)) return undefined;
    const q = (db ?? this.db).selectFrom('scheduling.appointment_series').selectAll().where('id', '=', id);
    return db ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_SERIES,
        agency_id: EXAMPLE_AGENCY,
        client_id: EXAMPLE_CLIENT,
        appointment_type_id: EXAMPLE_TYPE,
        resource_ids: [EXAMPLE_RESOURCE],
        rrule: 'FREQ=WEEKLY;COUNT=10',
        first_start: '2027-01-04T15:00:00Z',
        wall_time: '09:00:00',
        time_zone: 'America/Chicago',
        duration_minutes: 50,
        telehealth: false,
        join_url: null,
        split_from_id: null,
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insert(series: NewSeries, db: SchedulingDb): Promise<void> {
    await db.insertInto('scheduling.appointment_series').values(series).execute();
  }

  /** Applies the changes when the series is still at `version`; false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_SERIES, { rrule: 'FREQ=WEEKLY;COUNT=4' }, 1, GenerateSql.db] })
  async update(id: string, changes: SeriesChanges, version: number, db: SchedulingDb): Promise<boolean> {
    const result = await db
      .updateTable('scheduling.appointment_series')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
