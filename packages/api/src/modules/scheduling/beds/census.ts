import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { AgencyClock } from '../../../platform/time/agency-clock.js';
import { BedBoardRepository } from './bed-board.repository.js';
import type { CensusQuery, CensusView } from './beds.dto.js';
import { FacilitiesRepository } from './facilities.repository.js';
import { BEDS_READ, FacilityAccess } from './facility-access.js';

/**
 * Census and occupancy of a facility by unit and day. Days are the agency's (AGENCY_TIME_ZONE,
 * 23 or 25 hours across a DST change); occupancy is the midnight census — beds occupied as the
 * day ends — over the beds in service then. Counts only, no clients: no PHI.
 */
@Injectable()
export class BedCensus {
  constructor(
    private readonly access: FacilityAccess,
    private readonly facilities: FacilitiesRepository,
    private readonly beds: BedBoardRepository,
    private readonly clock: AgencyClock,
  ) {}

  async census(principal: Principal, facilityId: string, query: CensusQuery): Promise<CensusView> {
    const facility = await this.access.require(principal, facilityId, BEDS_READ);
    const today = this.clock.dayOf(new Date());
    const to = query.to ?? (query.from && query.from > today ? query.from : today);
    const from = query.from ?? shiftDay(to, -6);
    if (from > to || this.clock.daysBetween(from, to) > 92) {
      throw Problems.validation([
        { field: 'query.from', message: 'Ask for at most 93 days, from before to.' },
      ]);
    }
    const days = this.clock.days(from, to).map((day) => ({ day, ...this.clock.dayspan(day) }));
    const [rows, units] = await Promise.all([
      this.beds.census(facility.id, days),
      this.facilities.unitsOf(facility.id),
    ]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    return {
      facilityId: facility.id,
      timeZone: this.clock.timeZone,
      days: rows.map((r) => ({
        date: r.day,
        unitId: r.unit_id,
        unitName: unitName.get(r.unit_id) ?? '',
        bedsInService: r.beds_in_service,
        occupied: r.occupied,
        occupancyPercent:
          r.beds_in_service > 0 ? Math.round((r.occupied / r.beds_in_service) * 1000) / 10 : null,
        admissions: r.admissions,
        discharges: r.discharges,
      })),
    };
  }
}

function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
