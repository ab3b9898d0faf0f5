import { Injectable } from '@nestjs/common';
import type { Insertable, Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { isUuid } from '../../../platform/database/ids.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import type { BedTable, FacilityTable, RoomTable, UnitTable } from './beds.schema.js';

export type FacilityRow = Selectable<FacilityTable>;
export type UnitRow = Selectable<UnitTable>;
export type RoomRow = Selectable<RoomTable>;

export const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
export const EXAMPLE_PROGRAM = '0de70000-0000-4000-8000-00000000b001';
/** The demo facility's ids (beds.seed.ts), so the review examples run against real rows. */
export const EXAMPLE_FACILITY = '0de70000-0000-4000-8000-0000000bf001';
export const EXAMPLE_UNIT = '0de70000-0000-4000-8000-0000000bf101';
export const EXAMPLE_ROOM = '0de70000-0000-4000-8000-0000000bf201';
/** N-101 B, available in the demo. */
export const EXAMPLE_BED = '0de70000-0000-4000-8000-0000000bf302';
const NEW_ID = (n: number) => `0de70000-0000-4000-8000-0000000be${String(n).padStart(3, '0')}`;

/** The layout of the bed board: facilities, their units, rooms and beds. */
@Injectable()
export class FacilitiesRepository {
  constructor(private readonly database: SchedulingDatabase) {}

  private get db(): SchedulingDb {
    return this.database.db;
  }

  /** Facilities of one agency, or of every agency when `agencyId` is null. */
  @GenerateSql({ params: [EXAMPLE_AGENCY] })
  listFacilities(agencyId: string | null): Promise<FacilityRow[]> {
    let q = this.db.selectFrom('scheduling.facilities').selectAll();
    if (agencyId !== null) q = q.where('agency_id', '=', agencyId);
    return q.orderBy('name').orderBy('id').execute();
  }

  @GenerateSql({ params: [EXAMPLE_FACILITY] })
  async findFacility(id: string, db: SchedulingDb = this.db): Promise<FacilityRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db.selectFrom('scheduling.facilities').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: NEW_ID(1),
        agency_id: EXAMPLE_AGENCY,
        program_id: EXAMPLE_PROGRAM,
        name: 'Example Respite House',
        address: '1 Main St',
      },
      GenerateSql.db,
    ],
  })
  async insertFacility(row: Insertable<FacilityTable>, db: SchedulingDb = this.db): Promise<void> {
    await db.insertInto('scheduling.facilities').values(row).execute();
  }

  @GenerateSql({ params: [EXAMPLE_FACILITY] })
  unitsOf(facilityId: string): Promise<UnitRow[]> {
    return this.db
      .selectFrom('scheduling.units')
      .selectAll()
      .where('facility_id', '=', facilityId)
      .orderBy('name')
      .orderBy('id')
      .execute();
  }

  @GenerateSql({ params: [EXAMPLE_FACILITY] })
  roomsOf(facilityId: string): Promise<RoomRow[]> {
    return this.db
      .selectFrom('scheduling.rooms as r')
      .innerJoin('scheduling.units as u', 'u.id', 'r.unit_id')
      .selectAll('r')
      .where('u.facility_id', '=', facilityId)
      .orderBy('r.name')
      .orderBy('r.id')
      .execute();
  }

  @GenerateSql({
    params: [
      {
        id: NEW_ID(101),
        facility_id: EXAMPLE_FACILITY,
        name: 'West Unit',
        level_of_care: 'respite',
      },
      GenerateSql.db,
    ],
  })
  async insertUnit(row: Insertable<UnitTable>, db: SchedulingDb = this.db): Promise<void> {
    await db.insertInto('scheduling.units').values(row).execute();
  }

  @GenerateSql({ params: [EXAMPLE_UNIT] })
  async findUnit(id: string): Promise<UnitRow | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('scheduling.units').selectAll().where('id', '=', id).executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: NEW_ID(201),
        unit_id: EXAMPLE_UNIT,
        name: 'N-199',
        gender_restriction: 'female',
        accessible: true,
      },
      GenerateSql.db,
    ],
  })
  async insertRoom(row: Insertable<RoomTable>, db: SchedulingDb = this.db): Promise<void> {
    await db.insertInto('scheduling.rooms').values(row).execute();
  }

  /** A room with the facility its unit belongs to. */
  @GenerateSql({ params: [EXAMPLE_ROOM] })
  async findRoom(id: string): Promise<(RoomRow & { facility_id: string }) | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db
      .selectFrom('scheduling.rooms as r')
      .innerJoin('scheduling.units as u', 'u.id', 'r.unit_id')
      .selectAll('r')
      .select('u.facility_id')
      .where('r.id', '=', id)
      .executeTakeFirst();
  }

  @GenerateSql({
    params: [
      {
        id: NEW_ID(301),
        room_id: EXAMPLE_ROOM,
        unit_id: EXAMPLE_UNIT,
        facility_id: EXAMPLE_FACILITY,
        label: 'C',
        attributes: ['near-station'],
      },
      GenerateSql.db,
    ],
  })
  async insertBed(row: Insertable<BedTable>, db: SchedulingDb = this.db): Promise<void> {
    await db.insertInto('scheduling.beds').values(row).execute();
  }
}
