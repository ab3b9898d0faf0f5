import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import type {
  AdmissionTable,
  BedEventTable,
  BedHoldTable,
  BedState,
  BedTable,
  GenderRestriction,
  LevelOfCare,
} from './beds.schema.js';
import { EXAMPLE_BED, EXAMPLE_FACILITY } from './facilities.repository.js';

export type BedRow = Selectable<BedTable>;
export type HoldRow = Selectable<BedHoldTable>;
export type AdmissionRow = Selectable<AdmissionTable>;
export type BedEventRow = Selectable<BedEventTable>;

/** A bed as the board shows it: layout, state, who is in it and the live hold, if any. */
export interface BoardBedRow extends BedRow {
  room_name: string;
  gender_restriction: GenderRestriction;
  accessible: boolean;
  unit_name: string;
  level_of_care: LevelOfCare;
  assignment_id: string | null;
  occupant_id: string | null;
  admission_id: string | null;
  occupied_since: Date | null;
  hold_id: string | null;
  hold_client_id: string | null;
  hold_referral_id: string | null;
  hold_note: string | null;
  hold_by: string | null;
  hold_expires_at: Date | null;
}

export interface OpenAssignment {
  id: string;
  bed_id: string;
  client_id: string;
  admission_id: string;
  started_at: Date;
}

/** One unit on one day of the census, as the database counts it. */
export interface CensusRow {
  unit_id: string;
  day: string;
  beds_in_service: number;
  occupied: number;
  admissions: number;
  discharges: number;
}

/** The agency-zone days of a census, as UTC instants (start inclusive, end exclusive). */
export interface CensusDay {
  day: string;
  start: Date;
  end: Date;
}

/** A client without a demo admission (the scheduling schema keeps no foreign key to clients). */
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0f01';
const EXAMPLE_ADMISSION = '0de70000-0000-4000-8000-0000000be401';
const EXAMPLE_HOLD = '0de70000-0000-4000-8000-0000000be501';
const EXAMPLE_ASSIGNMENT = '0de70000-0000-4000-8000-0000000be601';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c007';

/**
 * The state of the bed board: beds' states, holds, admissions, bed assignments and the bed
 * history. Changes happen inside a caller's transaction after `lockBeds`, so two changes to one
 * bed run one after the other.
 */
@Injectable()
export class BedBoardRepository {
  constructor(private readonly database: SchedulingDatabase) {}

  private get db(): SchedulingDb {
    return this.database.db;
  }

  /** The beds of a facility (or the given beds), with their room, unit, occupant and live hold. */
  @GenerateSql({ name: 'facility', params: [{ facilityId: EXAMPLE_FACILITY }] })
  @GenerateSql({ name: 'beds', params: [{ bedIds: [EXAMPLE_BED] }] })
  async boardBeds(which: { facilityId: string } | { bedIds: string[] }): Promise<BoardBedRow[]> {
    if ('bedIds' in which && which.bedIds.length === 0) return [];
    let q = this.db
      .selectFrom('scheduling.beds as b')
      .innerJoin('scheduling.rooms as r', 'r.id', 'b.room_id')
      .innerJoin('scheduling.units as u', 'u.id', 'b.unit_id')
      .leftJoin('scheduling.bed_assignments as a', (join) =>
        join.onRef('a.bed_id', '=', 'b.id').on(sql<boolean>`upper_inf(a.period)`),
      )
      .leftJoin('scheduling.bed_holds as h', (join) =>
        join.onRef('h.bed_id', '=', 'b.id').on('h.released_at', 'is', null),
      )
      .selectAll('b')
      .select([
        'r.name as room_name',
        'r.gender_restriction',
        'r.accessible',
        'u.name as unit_name',
        'u.level_of_care',
        'a.id as assignment_id',
        'a.client_id as occupant_id',
        'a.admission_id',
        sql<Date | null>`lower(a.period)`.as('occupied_since'),
        'h.id as hold_id',
        'h.client_id as hold_client_id',
        'h.referral_id as hold_referral_id',
        'h.note as hold_note',
        'h.held_by as hold_by',
        'h.expires_at as hold_expires_at',
      ]);
    q =
      'facilityId' in which
        ? q.where('b.facility_id', '=', which.facilityId)
        : q.where('b.id', 'in', which.bedIds);
    const rows = await q.orderBy('u.name').orderBy('r.name').orderBy('b.label').orderBy('b.id').execute();
    return rows as BoardBedRow[];
  }

  /** Locks the beds (in id order, so two transfers crossing the same beds cannot deadlock). */
  @GenerateSql({ params: [[EXAMPLE_BED], GenerateSql.db] })
  async lockBeds(ids: string[], trx: SchedulingDb): Promise<BedRow[]> {
    const valid = [...new Set(ids.filter(isUuid))].sort();
    if (valid.length === 0) return [];
    return trx
      .selectFrom('scheduling.beds')
      .selectAll()
      .where('id', 'in', valid)
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_BED, 'cleaning', null, GenerateSql.db] })
  async setState(id: string, state: BedState, reason: string | null, trx: SchedulingDb): Promise<number> {
    const row = await trx
      .updateTable('scheduling.beds')
      .set({ state, state_reason: reason, state_changed_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', id)
      .returning('version')
      .executeTakeFirstOrThrow();
    return row.version;
  }

  @GenerateSql({ params: [EXAMPLE_BED, GenerateSql.db] })
  liveHold(bedId: string, trx: SchedulingDb): Promise<HoldRow | undefined> {
    return trx
      .selectFrom('scheduling.bed_holds')
      .selectAll()
      .where('bed_id', '=', bedId)
      .where('released_at', 'is', null)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_HOLD,
        bed_id: EXAMPLE_BED,
        client_id: EXAMPLE_CLIENT,
        held_by: EXAMPLE_USER,
        expires_at: '2026-03-02T18:00:00Z',
      },
      GenerateSql.db,
    ],
  })
  async insertHold(row: Insertable<BedHoldTable>, trx: SchedulingDb): Promise<void> {
    await trx.insertInto('scheduling.bed_holds').values(row).execute();
  }

  @GenerateSql({ params: [EXAMPLE_HOLD, 'expired', GenerateSql.db] })
  async endHold(id: string, reason: 'admitted' | 'released' | 'expired', trx: SchedulingDb): Promise<void> {
    await trx
      .updateTable('scheduling.bed_holds')
      .set({ released_at: sql`now()`, release_reason: reason })
      .where('id', '=', id)
      .where('released_at', 'is', null)
      .execute();
  }

  /** Live holds whose time is up, oldest first. */
  @GenerateSql({ params: [100] })
  dueHolds(limit: number): Promise<HoldRow[]> {
    return this.db
      .selectFrom('scheduling.bed_holds')
      .selectAll()
      .where('released_at', 'is', null)
      .where('expires_at', '<=', sql<Date>`now()`)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_BED, GenerateSql.db] })
  openAssignmentOfBed(bedId: string, trx: SchedulingDb): Promise<OpenAssignment | undefined> {
    return trx
      .selectFrom('scheduling.bed_assignments')
      .select(['id', 'bed_id', 'client_id', 'admission_id', sql<Date>`lower(period)`.as('started_at')])
      .where('bed_id', '=', bedId)
      .where(sql<boolean>`upper_inf(period)`)
      .executeTakeFirst();
  }

  @GenerateSql({ params: [EXAMPLE_CLIENT, GenerateSql.db] })
  openAdmissionOf(clientId: string, trx: SchedulingDb): Promise<AdmissionRow | undefined> {
    return trx
      .selectFrom('scheduling.admissions')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('discharged_at', 'is', null)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_ADMISSION,
        agency_id: '0de70000-0000-4000-8000-000000000001',
        facility_id: EXAMPLE_FACILITY,
        client_id: EXAMPLE_CLIENT,
        admitted_by: EXAMPLE_USER,
        reason: 'Crisis',
      },
      GenerateSql.db,
    ],
  })
  async insertAdmission(row: Insertable<AdmissionTable>, trx: SchedulingDb): Promise<void> {
    await trx.insertInto('scheduling.admissions').values(row).execute();
  }

  @GenerateSql({ params: [EXAMPLE_ADMISSION, EXAMPLE_USER, 'Home', GenerateSql.db] })
  async discharge(admissionId: string, by: string, disposition: string, trx: SchedulingDb): Promise<void> {
    await trx
      .updateTable('scheduling.admissions')
      .set({ discharged_at: sql`now()`, discharged_by: by, disposition })
      .where('id', '=', admissionId)
      .execute();
  }

  /** Puts a client in a bed from now on (the transaction's time), open-ended. */
  @GenerateSql({
    params: [
      {
        id: EXAMPLE_ASSIGNMENT,
        bedId: EXAMPLE_BED,
        clientId: EXAMPLE_CLIENT,
        admissionId: EXAMPLE_ADMISSION,
        startedBy: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async openAssignment(
    a: { id: string; bedId: string; clientId: string; admissionId: string; startedBy: string },
    trx: SchedulingDb,
  ): Promise<void> {
    await sql`
      INSERT INTO scheduling.bed_assignments (id, bed_id, client_id, admission_id, period, started_by)
      VALUES (${a.id}, ${a.bedId}, ${a.clientId}, ${a.admissionId}, tstzrange(now(), NULL, '[)'), ${a.startedBy})
    `.execute(trx);
  }

  /** Ends an assignment now (the transaction's time), so a transfer's two halves meet exactly. */
  @GenerateSql({ params: [EXAMPLE_ASSIGNMENT, EXAMPLE_USER, 'transfer', GenerateSql.db] })
  async closeAssignment(
    id: string,
    by: string,
    reason: 'transfer' | 'discharge',
    trx: SchedulingDb,
  ): Promise<void> {
    await trx
      .updateTable('scheduling.bed_assignments')
      .set({ period: sql`tstzrange(lower(period), now(), '[)')`, ended_by: by, end_reason: reason } as never)
      .where('id', '=', id)
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: '0de70000-0000-4000-8000-0000000be701',
        bed_id: EXAMPLE_BED,
        facility_id: EXAMPLE_FACILITY,
        action: 'discharge',
        from_state: 'occupied',
        to_state: 'cleaning',
        client_id: EXAMPLE_CLIENT,
        admission_id: EXAMPLE_ADMISSION,
        actor_id: EXAMPLE_USER,
        reason: 'Home',
      },
      GenerateSql.db,
    ],
  })
  async insertEvent(row: Insertable<BedEventTable>, trx: SchedulingDb): Promise<void> {
    await trx.insertInto('scheduling.bed_events').values(row).execute();
  }

  /** A bed's history, newest first. */
  @GenerateSql({ params: [EXAMPLE_BED, 100] })
  history(bedId: string, limit: number): Promise<BedEventRow[]> {
    return this.db
      .selectFrom('scheduling.bed_events')
      .selectAll()
      .where('bed_id', '=', bedId)
      .orderBy('occurred_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Per unit and day: beds in service and occupied at the end of the day (a bed's state then is
   * the last state its history recorded before the day ended), admissions and discharges during it.
   */
  @GenerateSql({
    params: [
      EXAMPLE_FACILITY,
      [
        {
          day: '2026-03-08',
          start: new Date('2026-03-08T06:00:00Z'),
          end: new Date('2026-03-09T05:00:00Z'),
        },
      ],
    ],
  })
  async census(facilityId: string, days: CensusDay[]): Promise<CensusRow[]> {
    const dayList = days.map((d) => d.day);
    const starts = days.map((d) => d.start.toISOString());
    const ends = days.map((d) => d.end.toISOString());
    const result = await sql<CensusRow>`
      WITH d AS (
        SELECT * FROM unnest(${dayList}::date[], ${starts}::timestamptz[], ${ends}::timestamptz[])
          AS d(day, starts, ends)
      )
      SELECT u.id AS unit_id, d.day::text AS day,
        (SELECT count(*)::int FROM scheduling.beds b
          WHERE b.unit_id = u.id AND b.created_at < d.ends
            AND coalesce((SELECT e.to_state FROM scheduling.bed_events e
                WHERE e.bed_id = b.id AND e.occurred_at < d.ends
                ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1), 'available') <> 'out_of_service'
        ) AS beds_in_service,
        (SELECT count(*)::int FROM scheduling.bed_assignments a
          JOIN scheduling.beds b ON b.id = a.bed_id
          WHERE b.unit_id = u.id AND a.period @> (d.ends - interval '1 microsecond')
        ) AS occupied,
        (SELECT count(*)::int FROM scheduling.bed_events e
          JOIN scheduling.beds b ON b.id = e.bed_id
          WHERE b.unit_id = u.id AND e.action = 'admit' AND e.occurred_at >= d.starts AND e.occurred_at < d.ends
        ) AS admissions,
        (SELECT count(*)::int FROM scheduling.bed_events e
          JOIN scheduling.beds b ON b.id = e.bed_id
          WHERE b.unit_id = u.id AND e.action = 'discharge' AND e.occurred_at >= d.starts AND e.occurred_at < d.ends
        ) AS discharges
      FROM scheduling.units u CROSS JOIN d
      WHERE u.facility_id = ${facilityId}
      ORDER BY d.day, u.name, u.id
    `.execute(this.db);
    return result.rows;
  }
}
