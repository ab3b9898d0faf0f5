import type { BedEventRow, BoardBedRow } from './bed-board.repository.js';
import type { BedView, FacilityView } from './beds.dto.js';
import type { BoardNames } from './client-names.js';
import type { FacilityRow, RoomRow, UnitRow } from './facilities.repository.js';

export function toFacilityView(row: FacilityRow): FacilityView {
  return {
    id: row.id,
    agencyId: row.agency_id,
    programId: row.program_id,
    name: row.name,
    address: row.address,
    version: row.version,
    createdAt: row.created_at.toISOString(),
  };
}

export function toUnitView(row: UnitRow) {
  return { id: row.id, facilityId: row.facility_id, name: row.name, levelOfCare: row.level_of_care };
}

export function toRoomView(row: RoomRow) {
  return {
    id: row.id,
    unitId: row.unit_id,
    name: row.name,
    genderRestriction: row.gender_restriction,
    accessible: row.accessible,
  };
}

/**
 * A bed as the caller may see it. Names come from `names` (null = withheld: the client id is then
 * withheld too). A hold whose time is up reads as ended, whether or not the job has run yet.
 */
export function toBedView(row: BoardBedRow, { names, part2 }: BoardNames, now: Date): BedView {
  const holdLive = row.hold_id !== null && row.hold_expires_at !== null && row.hold_expires_at > now;
  const state = row.state === 'held' && !holdLive ? 'available' : row.state;
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  const occupantName = nameOf(row.occupant_id);
  const holdName = holdLive ? nameOf(row.hold_client_id) : null;
  const namesPart2 = (id: string | null, name: string | null) =>
    id !== null && name !== null && part2.has(id);
  return {
    id: row.id,
    facilityId: row.facility_id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    levelOfCare: row.level_of_care,
    roomId: row.room_id,
    roomName: row.room_name,
    genderRestriction: row.gender_restriction,
    accessible: row.accessible,
    label: row.label,
    attributes: row.attributes,
    state,
    stateReason: row.state_reason,
    stateChangedAt: row.state_changed_at.toISOString(),
    occupant:
      row.occupant_id !== null && row.admission_id !== null && row.occupied_since !== null
        ? {
            admissionId: row.admission_id,
            clientId: occupantName === null ? null : row.occupant_id,
            name: occupantName,
            nameWithheld: occupantName === null,
            since: new Date(row.occupied_since).toISOString(),
          }
        : null,
    hold:
      holdLive && row.hold_id !== null && row.hold_expires_at !== null && row.hold_by !== null
        ? {
            id: row.hold_id,
            clientId: holdName === null ? null : row.hold_client_id,
            name: holdName,
            nameWithheld: row.hold_client_id !== null && holdName === null,
            referralId: row.hold_referral_id,
            note: row.hold_note,
            heldBy: row.hold_by,
            expiresAt: row.hold_expires_at.toISOString(),
          }
        : null,
    part2: namesPart2(row.occupant_id, occupantName) || namesPart2(row.hold_client_id, holdName),
    version: row.version,
  };
}

/** A history row; who it concerned (and why) only when the caller may see that client. */
export function toBedEventView(row: BedEventRow, { names }: BoardNames) {
  const visible = row.client_id === null || (names.get(row.client_id) ?? null) !== null;
  return {
    id: row.id,
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    admissionId: row.admission_id,
    clientId: visible ? row.client_id : null,
    actorId: row.actor_id,
    reason: visible ? row.reason : null,
    occurredAt: row.occurred_at.toISOString(),
  };
}
