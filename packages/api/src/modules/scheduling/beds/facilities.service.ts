import { isUniqueViolation } from '../../../platform/database/pg-errors.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { SchedulingDatabase } from '../scheduling.database.js';
import { BedBoardRepository } from './bed-board.repository.js';
import type {
  CreateBedBody,
  CreateFacilityBody,
  CreateRoomBody,
  CreateUnitBody,
  FacilityView,
} from './beds.dto.js';
import { BedsTopics, type BedChangedEvent } from './beds.events.js';
import { FacilitiesRepository } from './facilities.repository.js';
import { BEDS_READ, FACILITIES_MANAGE, FacilityAccess } from './facility-access.js';
import { toFacilityView, toRoomView, toUnitView } from './views.js';

/** The layout of the bed board: facilities of a program, their units, rooms and beds. */
@Injectable()
export class FacilitiesService {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly facilities: FacilitiesRepository,
    private readonly beds: BedBoardRepository,
    private readonly access: FacilityAccess,
  ) {}

  /** The facilities whose board the caller may open. */
  async list(principal: Principal): Promise<FacilityView[]> {
    const scope = principal.grants[BEDS_READ];
    const rows = await this.facilities.listFacilities(scope === 'all' ? null : principal.agencyId);
    return rows.filter((f) => this.access.allows(principal, f, BEDS_READ)).map(toFacilityView);
  }

  async get(principal: Principal, id: string): Promise<FacilityView> {
    return toFacilityView(await this.access.require(principal, id, BEDS_READ));
  }

  async create(principal: Principal, body: CreateFacilityBody): Promise<FacilityView> {
    if (
      !scopeAllows(principal, FACILITIES_MANAGE, {
        agencyId: principal.agencyId,
        programIds: [body.programId],
      })
    ) {
      throw Problems.forbidden('Your grant does not reach that program.');
    }
    const id = randomUUID();
    try {
      await this.facilities.insertFacility({
        id,
        agency_id: principal.agencyId,
        program_id: body.programId,
        name: body.name,
        address: body.address,
      });
    } catch (err) {
      throw isUniqueViolation(err)
        ? Problems.conflict('The agency already has a facility of that name.', 'facility-exists')
        : err;
    }
    return this.get(principal, id);
  }

  async addUnit(principal: Principal, facilityId: string, body: CreateUnitBody) {
    const facility = await this.access.require(principal, facilityId, FACILITIES_MANAGE);
    const id = randomUUID();
    try {
      await this.facilities.insertUnit({
        id,
        facility_id: facility.id,
        name: body.name,
        level_of_care: body.levelOfCare,
      });
    } catch (err) {
      throw isUniqueViolation(err)
        ? Problems.conflict('The facility already has a unit of that name.', 'unit-exists')
        : err;
    }
    return toUnitView({
      id,
      facility_id: facility.id,
      name: body.name,
      level_of_care: body.levelOfCare,
      created_at: new Date(),
    });
  }

  async addRoom(principal: Principal, facilityId: string, body: CreateRoomBody) {
    const facility = await this.access.require(principal, facilityId, FACILITIES_MANAGE);
    const unit = await this.facilities.findUnit(body.unitId);
    if (unit?.facility_id !== facility.id) {
      throw Problems.validation([{ field: 'body.unitId', message: 'Pick a unit of this facility.' }]);
    }
    const id = randomUUID();
    const row = {
      id,
      unit_id: unit.id,
      name: body.name,
      gender_restriction: body.genderRestriction,
      accessible: body.accessible,
    };
    try {
      await this.facilities.insertRoom(row);
    } catch (err) {
      throw isUniqueViolation(err)
        ? Problems.conflict('The unit already has a room of that name.', 'room-exists')
        : err;
    }
    return toRoomView({ ...row, created_at: new Date() });
  }

  /** Adds a bed (available) and records its creation in its history. */
  async addBed(principal: Principal, facilityId: string, body: CreateBedBody) {
    const facility = await this.access.require(principal, facilityId, FACILITIES_MANAGE);
    const room = await this.facilities.findRoom(body.roomId);
    if (room?.facility_id !== facility.id) {
      throw Problems.validation([{ field: 'body.roomId', message: 'Pick a room of this facility.' }]);
    }
    const id = randomUUID();
    try {
      await this.database.transaction(async (trx) => {
        await this.facilities.insertBed(
          {
            id,
            room_id: room.id,
            unit_id: room.unit_id,
            facility_id: facility.id,
            label: body.label,
            attributes: body.attributes,
          },
          trx,
        );
        await this.beds.insertEvent(
          {
            id: randomUUID(),
            bed_id: id,
            facility_id: facility.id,
            action: 'created',
            from_state: null,
            to_state: 'available',
            actor_id: principal.id,
          },
          trx,
        );
        await publishEvent(trx, BedsTopics.bedChanged, {
          bedId: id,
          facilityId: facility.id,
          agencyId: facility.agency_id,
          action: 'created',
          state: 'available',
          version: 1,
        } satisfies BedChangedEvent);
      });
    } catch (err) {
      throw isUniqueViolation(err)
        ? Problems.conflict('The room already has a bed with that label.', 'bed-exists')
        : err;
    }
    return {
      id,
      roomId: room.id,
      unitId: room.unit_id,
      facilityId: facility.id,
      label: body.label,
      attributes: body.attributes,
    };
  }
}
