import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { FacilitiesRepository, type FacilityRow } from './facilities.repository.js';

export const BEDS_READ = 'scheduling.beds.read';
export const BEDS_MANAGE = 'scheduling.beds.manage';
export const FACILITIES_MANAGE = 'scheduling.facilities.manage';

/**
 * Who may reach a facility's bed board. A facility belongs to one program of an agency: a grant
 * at `program` scope reaches the facilities of the caller's programs, `agency` every facility of
 * the agency, `all` every agency's. Another agency's facility answers 404, one of the caller's
 * agency out of reach 403.
 */
@Injectable()
export class FacilityAccess {
  constructor(private readonly facilities: FacilitiesRepository) {}

  async require(principal: Principal, facilityId: string, permission: string): Promise<FacilityRow> {
    const facility = await this.facilities.findFacility(facilityId);
    if (!facility) throw Problems.notFound('facility');
    if (this.allows(principal, facility, permission)) return facility;
    if (facility.agency_id !== principal.agencyId) throw Problems.notFound('facility');
    throw Problems.forbidden("This facility belongs to a program outside your grant's reach.");
  }

  allows(principal: Principal, facility: FacilityRow, permission: string): boolean {
    return scopeAllows(principal, permission, {
      agencyId: facility.agency_id,
      programIds: [facility.program_id],
    });
  }
}
