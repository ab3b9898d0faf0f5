import {
  isExclusionViolation,
  isUniqueViolation,
  violatedConstraint,
} from '../../../platform/database/pg-errors.js';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { ProblemError, Problems } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { ClientAccess } from '../../clients/client-access.js';
import { part2Disclosure } from '../../clients/part2.js';
import type { ClientRow } from '../../clients/clients.repository.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import { BedBoardRepository, type BedRow, type BoardBedRow, type HoldRow } from './bed-board.repository.js';
import type {
  AdmitBody,
  BedActionView,
  BedView,
  BoardView,
  DischargeBody,
  HoldBody,
  OutOfServiceBody,
  TransferBody,
} from './beds.dto.js';
import { BedsTopics, type BedChangedEvent } from './beds.events.js';
import type { BedAction, BedState } from './beds.schema.js';
import { ClientNames } from './client-names.js';
import { FacilitiesRepository, type FacilityRow } from './facilities.repository.js';
import { BEDS_MANAGE, BEDS_READ, FacilityAccess } from './facility-access.js';
import { toBedView, toBedEventView, toFacilityView, toRoomView, toUnitView } from './views.js';

const CLIENT_READ = 'clients.clients.read';
/** Who the system is in a bed's history when nobody acted (a hold running out). */
export const SYSTEM_ACTOR = 'system';

interface Warning {
  code: string;
  message: string;
}

/** One bed's state change inside a transaction, recorded in its history and announced. */
interface Change {
  bed: BedRow;
  action: BedAction;
  to: BedState;
  reason?: string | null;
  clientId?: string | null;
  admissionId?: string | null;
}

/**
 * The bed board: what every bed of a facility is doing, and the moves that change it — admit
 * (optionally from a hold), transfer, discharge, mark clean, out of / back in service, hold and
 * release. Each move runs in one transaction over locked beds, writes the bed's state (held only
 * on `beds`), a history row and a `scheduling.bed.changed` event together. The database refuses
 * two clients in one bed or one client in two beds whatever this code does.
 */
@Injectable()
export class BedBoard {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly beds: BedBoardRepository,
    private readonly facilities: FacilitiesRepository,
    private readonly access: FacilityAccess,
    private readonly clientAccess: ClientAccess,
    private readonly names: ClientNames,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async board(principal: Principal, facilityId: string): Promise<BoardView> {
    const facility = await this.access.require(principal, facilityId, BEDS_READ);
    const [units, rooms, rows] = await Promise.all([
      this.facilities.unitsOf(facility.id),
      this.facilities.roomsOf(facility.id),
      this.beds.boardBeds({ facilityId: facility.id }),
    ]);
    const views = await this.views(principal, facility, rows);
    return {
      facility: toFacilityView(facility),
      units: units.map((unit) => ({
        ...toUnitView(unit),
        rooms: rooms.filter((r) => r.unit_id === unit.id).map(toRoomView),
        beds: views.filter((b) => b.unitId === unit.id),
      })),
      redisclosureNotice: noticeFor(views),
    };
  }

  /** One bed as `principal` may see it, or null when it is gone or out of their reach. */
  async bedFor(principal: Principal, facility: FacilityRow, bedId: string): Promise<BedView | null> {
    if (!this.access.allows(principal, facility, BEDS_READ)) return null;
    const [row] = await this.beds.boardBeds({ bedIds: [bedId] });
    if (row?.facility_id !== facility.id) return null;
    return (await this.views(principal, facility, [row]))[0] ?? null;
  }

  async history(principal: Principal, bedId: string) {
    const facility = await this.facilityOfBed(principal, bedId, BEDS_READ);
    const rows = await this.beds.history(bedId, 200);
    const names = await this.names.visibleTo(
      principal,
      rows.map((r) => r.client_id).filter((id): id is string => id !== null),
      facility.program_id,
    );
    return {
      items: rows.map((row) => toBedEventView(row, names)),
      ...part2Disclosure(names.part2.size > 0, 0),
    };
  }

  async admit(principal: Principal, bedId: string, body: AdmitBody): Promise<BedActionView> {
    const facility = await this.facilityOfBed(principal, bedId, BEDS_MANAGE);
    const client = await this.clientOf(principal, body.clientId, facility);
    const [layout] = await this.beds.boardBeds({ bedIds: [bedId] });
    const warnings = admissionWarnings(layout, client, body.levelOfCare);
    requireAcknowledged(warnings, body.acknowledgeWarnings);
    await this.inTransaction(principal, facility, [bedId], async (trx, [bed]) => {
      const hold = await this.expireIfDue(trx, facility, bed);
      requireFreeFor(bed, hold, client.id);
      if (await this.beds.openAdmissionOf(client.id, trx)) throw clientAlreadyAdmitted();
      const admissionId = randomUUID();
      await this.beds.insertAdmission(
        {
          id: admissionId,
          agency_id: facility.agency_id,
          facility_id: facility.id,
          client_id: client.id,
          admitted_by: principal.id,
          reason: body.reason,
        },
        trx,
      );
      await this.beds.openAssignment(
        { id: randomUUID(), bedId: bed.id, clientId: client.id, admissionId, startedBy: principal.id },
        trx,
      );
      if (hold) await this.beds.endHold(hold.id, 'admitted', trx);
      return [
        { bed, action: 'admit', to: 'occupied', clientId: client.id, admissionId, reason: body.reason },
      ];
    });
    return { ...(await this.viewsOf(principal, facility, [bedId])), warnings };
  }

  /**
   * Moves the client in `bedId` to `toBedId` in one transaction: the old assignment ends and the
   * new one starts at the same instant, the old bed goes to cleaning. Any failure on the way
   * (target taken, a constraint) rolls back everything: the client stays where they were.
   */
  async transfer(principal: Principal, bedId: string, body: TransferBody): Promise<BedActionView> {
    if (body.toBedId === bedId) throw badTransfer('The client is already in this bed.');
    const facility = await this.facilityOfBed(principal, bedId, BEDS_MANAGE);
    const [target] = await this.beds.boardBeds({ bedIds: [body.toBedId] });
    if (target?.facility_id !== facility.id) {
      throw badTransfer('Transfers move a client within one facility; pick a bed of this facility.');
    }
    const [source] = await this.beds.boardBeds({ bedIds: [bedId] });
    if (!source?.occupant_id) throw bedNotInState('occupied', source?.state ?? 'available');
    const client = await this.clientOf(principal, source.occupant_id, facility);
    const warnings = admissionWarnings(target, client, null);
    requireAcknowledged(warnings, body.acknowledgeWarnings);
    await this.inTransaction(principal, facility, [bedId, body.toBedId], async (trx, locked) => {
      const from = locked.find((b) => b.id === bedId);
      const to = locked.find((b) => b.id === body.toBedId);
      if (!from || !to) throw Problems.notFound('bed');
      const assignment = await this.beds.openAssignmentOfBed(from.id, trx);
      if (from.state !== 'occupied' || !assignment) throw bedNotInState('occupied', from.state);
      const hold = await this.expireIfDue(trx, facility, to);
      requireFreeFor(to, hold, assignment.client_id);
      // Out of the old bed first, then into the new one: both at the transaction's instant.
      await this.beds.closeAssignment(assignment.id, principal.id, 'transfer', trx);
      const out: Change = {
        bed: from,
        action: 'transfer_out',
        to: 'cleaning',
        clientId: assignment.client_id,
        admissionId: assignment.admission_id,
        reason: body.reason,
      };
      await this.record(trx, principal.id, facility, out);
      await this.beds.openAssignment(
        {
          id: randomUUID(),
          bedId: to.id,
          clientId: assignment.client_id,
          admissionId: assignment.admission_id,
          startedBy: principal.id,
        },
        trx,
      );
      if (hold) await this.beds.endHold(hold.id, 'admitted', trx);
      return [
        {
          bed: to,
          action: 'transfer_in',
          to: 'occupied',
          clientId: assignment.client_id,
          admissionId: assignment.admission_id,
          reason: body.reason,
        },
      ];
    });
    return { ...(await this.viewsOf(principal, facility, [bedId, body.toBedId])), warnings };
  }

  async discharge(principal: Principal, bedId: string, body: DischargeBody): Promise<BedActionView> {
    const facility = await this.facilityOfBed(principal, bedId, BEDS_MANAGE);
    const [layout] = await this.beds.boardBeds({ bedIds: [bedId] });
    if (layout?.occupant_id) await this.clientOf(principal, layout.occupant_id, facility);
    await this.inTransaction(principal, facility, [bedId], async (trx, [bed]) => {
      const assignment = await this.beds.openAssignmentOfBed(bed.id, trx);
      if (bed.state !== 'occupied' || !assignment) throw bedNotInState('occupied', bed.state);
      await this.beds.closeAssignment(assignment.id, principal.id, 'discharge', trx);
      await this.beds.discharge(assignment.admission_id, principal.id, body.disposition, trx);
      return [
        {
          bed,
          action: 'discharge',
          to: 'cleaning',
          clientId: assignment.client_id,
          admissionId: assignment.admission_id,
          reason: body.disposition,
        },
      ];
    });
    return { ...(await this.viewsOf(principal, facility, [bedId])), warnings: [] };
  }

  async markClean(principal: Principal, bedId: string): Promise<BedActionView> {
    return this.simpleMove(principal, bedId, ['cleaning'], 'clean', 'available');
  }

  async outOfService(principal: Principal, bedId: string, body: OutOfServiceBody): Promise<BedActionView> {
    return this.simpleMove(
      principal,
      bedId,
      ['available', 'cleaning'],
      'out_of_service',
      'out_of_service',
      body.reason,
    );
  }

  async backInService(principal: Principal, bedId: string): Promise<BedActionView> {
    return this.simpleMove(principal, bedId, ['out_of_service'], 'in_service', 'available');
  }

  async hold(principal: Principal, bedId: string, body: HoldBody): Promise<BedActionView> {
    const facility = await this.facilityOfBed(principal, bedId, BEDS_MANAGE);
    const client = body.clientId ? await this.clientOf(principal, body.clientId, facility) : null;
    const minutes = body.minutes ?? this.config.BED_HOLD_DEFAULT_MINUTES;
    await this.inTransaction(principal, facility, [bedId], async (trx, [bed]) => {
      await this.expireIfDue(trx, facility, bed);
      if (bed.state !== 'available') throw bedNotInState('available', bed.state);
      await this.beds.insertHold(
        {
          id: randomUUID(),
          bed_id: bed.id,
          client_id: client?.id ?? null,
          referral_id: body.referralId,
          note: body.note,
          held_by: principal.id,
          expires_at: new Date(Date.now() + minutes * 60_000),
        },
        trx,
      );
      return [{ bed, action: 'hold', to: 'held', clientId: client?.id ?? null, reason: body.note }];
    });
    return { ...(await this.viewsOf(principal, facility, [bedId])), warnings: [] };
  }

  async releaseHold(principal: Principal, bedId: string): Promise<BedActionView> {
    const facility = await this.facilityOfBed(principal, bedId, BEDS_MANAGE);
    await this.inTransaction(principal, facility, [bedId], async (trx, [bed]) => {
      const hold = await this.expireIfDue(trx, facility, bed);
      if (bed.state !== 'held' || !hold) throw bedNotInState('held', bed.state);
      await this.beds.endHold(hold.id, 'released', trx);
      return [{ bed, action: 'release', to: 'available', clientId: hold.client_id }];
    });
    return { ...(await this.viewsOf(principal, facility, [bedId])), warnings: [] };
  }

  /**
   * Ends every hold whose time is up (the periodic job; reads already treat them as ended) and
   * announces the freed beds. Returns how many holds it expired.
   */
  async expireDueHolds(): Promise<number> {
    let expired = 0;
    for (let round = 0; round < 10; round++) {
      const due = await this.beds.dueHolds(100);
      for (const hold of due) {
        const ended = await this.database.transaction(async (trx) => {
          const [bed] = await this.beds.lockBeds([hold.bed_id], trx);
          const facility = bed && (await this.facilities.findFacility(bed.facility_id, trx));
          return bed && facility ? this.expireIfDue(trx, facility, bed, true) : false;
        });
        if (ended) expired++;
      }
      if (due.length < 100) break;
    }
    return expired;
  }

  // ---- helpers ----

  private async simpleMove(
    principal: Principal,
    bedId: string,
    fromStates: BedState[],
    action: BedAction,
    to: BedState,
    reason: string | null = null,
  ): Promise<BedActionView> {
    const facility = await this.facilityOfBed(principal, bedId, BEDS_MANAGE);
    await this.inTransaction(principal, facility, [bedId], async (trx, [bed]) => {
      await this.expireIfDue(trx, facility, bed);
      if (!fromStates.includes(bed.state)) throw bedNotInState(fromStates.join(' or '), bed.state);
      return [{ bed, action, to, reason }];
    });
    return { ...(await this.viewsOf(principal, facility, [bedId])), warnings: [] };
  }

  /**
   * Runs a move over the locked beds and records what it returns, all in one transaction. A
   * constraint the database enforces (a bed or client taken meanwhile) becomes a 409.
   */
  private async inTransaction(
    principal: Principal,
    facility: FacilityRow,
    bedIds: string[],
    work: (trx: SchedulingDb, beds: [BedRow, ...BedRow[]]) => Promise<Change[]>,
  ): Promise<void> {
    try {
      await this.database.transaction(async (trx) => {
        const locked = await this.beds.lockBeds(bedIds, trx);
        const ordered = bedIds.map((id) => locked.find((b) => b.id === id));
        if (ordered.some((b) => b === undefined)) throw Problems.notFound('bed');
        const changes = await work(trx, ordered as [BedRow, ...BedRow[]]);
        for (const change of changes) await this.record(trx, principal.id, facility, change);
      });
    } catch (err) {
      throw databaseConflict(err) ?? err;
    }
  }

  /** Writes the new state, the history row and the event; updates `change.bed` in place. */
  private async record(
    trx: SchedulingDb,
    actorId: string,
    facility: FacilityRow,
    change: Change,
  ): Promise<void> {
    const { bed } = change;
    const keepsReason = change.to === 'out_of_service';
    const version = await this.beds.setState(
      bed.id,
      change.to,
      keepsReason ? (change.reason ?? null) : null,
      trx,
    );
    await this.beds.insertEvent(
      {
        id: randomUUID(),
        bed_id: bed.id,
        facility_id: facility.id,
        action: change.action,
        from_state: bed.state,
        to_state: change.to,
        client_id: change.clientId ?? null,
        admission_id: change.admissionId ?? null,
        actor_id: actorId,
        reason: change.reason ?? null,
      },
      trx,
    );
    await publishEvent(trx, BedsTopics.bedChanged, {
      bedId: bed.id,
      facilityId: facility.id,
      agencyId: facility.agency_id,
      action: change.action,
      state: change.to,
      version,
    } satisfies BedChangedEvent);
    bed.state = change.to;
    bed.version = version;
  }

  /**
   * The bed's live hold, after ending it (and freeing the bed) if its time is up, so no move
   * depends on when the expiry job last ran. Returns the hold still in force, if any; with
   * `onlyExpire`, whether it expired one.
   */
  private async expireIfDue(
    trx: SchedulingDb,
    facility: FacilityRow,
    bed: BedRow,
  ): Promise<HoldRow | undefined>;
  private async expireIfDue(
    trx: SchedulingDb,
    facility: FacilityRow,
    bed: BedRow,
    onlyExpire: true,
  ): Promise<boolean>;
  private async expireIfDue(
    trx: SchedulingDb,
    facility: FacilityRow,
    bed: BedRow,
    onlyExpire = false,
  ): Promise<HoldRow | undefined | boolean> {
    const hold = await this.beds.liveHold(bed.id, trx);
    if (hold && hold.expires_at.getTime() <= Date.now()) {
      await this.beds.endHold(hold.id, 'expired', trx);
      if (bed.state === 'held') {
        await this.record(trx, SYSTEM_ACTOR, facility, {
          bed,
          action: 'expire',
          to: 'available',
          clientId: hold.client_id,
          reason: 'Hold expired',
        });
      }
      return onlyExpire ? true : undefined;
    }
    return onlyExpire ? false : hold;
  }

  private async facilityOfBed(principal: Principal, bedId: string, permission: string): Promise<FacilityRow> {
    const [bed] = await this.beds.boardBeds({ bedIds: [bedId] });
    if (!bed) throw Problems.notFound('bed');
    try {
      return await this.access.require(principal, bed.facility_id, permission);
    } catch (err) {
      // A bed of another agency's facility is as unknown as the facility.
      if (err instanceof ProblemError && err.status === 404) throw Problems.notFound('bed');
      throw err;
    }
  }

  /**
   * The client (followed through merges) if the caller may reach them and they are the facility
   * agency's. A client whose stay here is 42 CFR Part 2 information (a Part 2 enrolment in the
   * facility's program) is moved only by those who may see it: 403 `part2-consent-required`.
   */
  private async clientOf(principal: Principal, clientId: string, facility: FacilityRow): Promise<ClientRow> {
    const { client } = await this.clientAccess.require(principal, clientId, CLIENT_READ);
    if (client.agency_id !== facility.agency_id) throw Problems.notFound('client');
    const sight = await this.clientAccess.part2Among(principal, [
      { clientId: client.id, programId: facility.program_id },
    ]);
    if (sight.of(client.id, facility.program_id) === 'withheld') throw part2StayWithheld();
    return client;
  }

  private async viewsOf(
    principal: Principal,
    facility: FacilityRow,
    bedIds: string[],
  ): Promise<{ beds: BedView[]; redisclosureNotice: string | null }> {
    const rows = await this.beds.boardBeds({ bedIds });
    const views = await this.views(principal, facility, rows);
    const beds = bedIds
      .map((id) => views.find((v) => v.id === id))
      .filter((v): v is BedView => v !== undefined);
    return { beds, redisclosureNotice: noticeFor(beds) };
  }

  /** The beds as the caller may see them: names (and 42 CFR Part 2 stays) decided for all at once. */
  private async views(principal: Principal, facility: FacilityRow, rows: BoardBedRow[]): Promise<BedView[]> {
    const ids = rows.flatMap((r) => [r.occupant_id, r.hold_client_id]).filter((id): id is string => !!id);
    const names = await this.names.visibleTo(principal, ids, facility.program_id);
    const now = new Date();
    return rows.map((row) => toBedView(row, names, now));
  }
}

/** The redisclosure notice when any of these beds names a client whose stay is Part 2 information. */
export function noticeFor(beds: readonly BedView[]): string | null {
  return part2Disclosure(
    beds.some((b) => b.part2),
    0,
  ).redisclosureNotice;
}

function admissionWarnings(
  bed: BoardBedRow | undefined,
  client: ClientRow,
  levelOfCare: string | null,
): Warning[] {
  const warnings: Warning[] = [];
  if (!bed) return warnings;
  if (bed.gender_restriction !== 'none' && client.sex_at_birth !== bed.gender_restriction) {
    warnings.push({
      code: 'gender-restriction',
      message: `Room ${bed.room_name} is restricted to ${bed.gender_restriction} clients; confirm this placement is right for the client.`,
    });
  }
  if (levelOfCare !== null && levelOfCare !== bed.level_of_care) {
    warnings.push({
      code: 'level-of-care',
      message: `Unit ${bed.unit_name} provides ${bed.level_of_care.replaceAll('_', ' ')}, not ${levelOfCare.replaceAll('_', ' ')}.`,
    });
  }
  return warnings;
}

function requireAcknowledged(warnings: Warning[], acknowledged: boolean): void {
  if (warnings.length === 0 || acknowledged) return;
  throw new ProblemError({
    status: 409,
    type: 'bed-placement-warnings',
    title: 'Placement needs confirmation',
    detail: 'Review the warnings and send acknowledgeWarnings: true to place the client anyway.',
    extensions: { warnings },
  });
}

/** A bed a client may move into: available, or held for them (or for a referral, not a client). */
function requireFreeFor(bed: BedRow, hold: HoldRow | undefined, clientId: string): void {
  if (bed.state === 'available') return;
  if (bed.state === 'held' && hold && (hold.client_id === null || hold.client_id === clientId)) return;
  if (bed.state === 'held') {
    throw Problems.conflict('The bed is held for another client.', 'bed-held');
  }
  throw bedNotInState('available', bed.state);
}

function bedNotInState(expected: string, actual: BedState): ProblemError {
  return new ProblemError({
    status: 409,
    type: 'bed-state',
    title: 'The bed cannot do that now',
    detail: `The bed is ${actual.replaceAll('_', ' ')}; this needs it ${expected.replaceAll('_', ' ')}.`,
    extensions: { state: actual },
  });
}

function part2StayWithheld(): ProblemError {
  return new ProblemError({
    status: 403,
    type: 'part2-consent-required',
    title: 'Part 2 record withheld',
    detail:
      "This client's stay here is 42 CFR Part 2 information of the facility's program. It is disclosed " +
      "only to that program's staff, to those named in the client's written consent, or in a medical " +
      'emergency (break-the-glass).',
  });
}

function badTransfer(detail: string): ProblemError {
  return Problems.validation([{ field: 'body.toBedId', message: detail }]);
}

function clientAlreadyAdmitted(): ProblemError {
  return Problems.conflict(
    'The client is already admitted to a bed; transfer or discharge them first.',
    'client-already-admitted',
  );
}

/** The database's own refusals (exclusion and unique constraints) as the problems they mean. */
function databaseConflict(err: unknown): ProblemError | null {
  if (isExclusionViolation(err)) {
    return (violatedConstraint(err) ?? '').includes('one_bed_per_client')
      ? clientAlreadyAdmitted()
      : Problems.conflict('Another client holds this bed at that time.', 'bed-occupied');
  }
  if (isUniqueViolation(err, 'admissions_one_open')) return clientAlreadyAdmitted();
  if (isUniqueViolation(err, 'bed_holds_live'))
    return Problems.conflict('The bed is already held.', 'bed-held');
  return null;
}
