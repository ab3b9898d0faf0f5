import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../../platform/errors/problem.js';
import { isUuid } from '../../../platform/database/ids.js';
import { ClientAccess, type ClientAccessGrant } from '../../clients/client-access.js';
import { part2Disclosure, type Part2Disclosure } from '../../clients/part2.js';
import type { SchedulingDb } from '../scheduling.database.js';
import {
  AppointmentsRepository,
  type AppointmentRow,
  type BookedResourceRow,
} from './appointments.repository.js';
import type { AppointmentView } from './appointments.dto.js';
import { ResourcesRepository, type AppointmentTypeRow, type ResourceRow } from './resources.repository.js';
import { toAppointmentView } from './views.js';

export const RESOURCES_READ = 'scheduling.resources.read';
export const RESOURCES_MANAGE = 'scheduling.resources.manage';
export const APPOINTMENTS_READ = 'scheduling.appointments.read';
export const APPOINTMENTS_WRITE = 'scheduling.appointments.write';

/** An appointment that is 42 CFR Part 2 information: shown to the caller, or withheld from them. */
export type Part2Standing = 'disclosed' | 'withheld';

/** Who is acting, as recorded on scheduling records: a user's (or service account's) id, if it is one. */
export function actorOf(principal: Principal): string | null {
  return isUuid(principal.id) ? principal.id : null;
}

/**
 * The one place that decides who may reach scheduling records:
 * - resources (and their hours and exceptions) and appointment types belong to the agency; a
 *   grant at `agency` scope reaches all of them, `program` scope the resources of the caller's
 *   programs; another agency's answers 404, one of the caller's agency out of reach 403;
 * - an appointment is reached through its client (ClientAccess, with the scheduling permission
 *   asked for): another agency's appointment answers 404, one whose client is outside the
 *   caller's scope 403 (break-the-glass allows reading it, as it allows reading the client);
 * - an appointment at a 42 CFR Part 2 program of its client's (one of its resources belongs to a
 *   program where the client has a Part 2 enrolment) only to those who may see the client's Part 2
 *   information there: lists show it withheld, by id and for every change it answers 403.
 */
@Injectable()
export class SchedulingAccess {
  constructor(
    private readonly resources: ResourcesRepository,
    private readonly appointments: AppointmentsRepository,
    private readonly clients: ClientAccess,
  ) {}

  async resource(
    principal: Principal,
    id: string,
    permission: string,
    db?: SchedulingDb,
  ): Promise<ResourceRow> {
    const row = await this.resources.findById(id, db);
    if (!row) throw Problems.notFound('resource');
    const target = { agencyId: row.agency_id, programIds: row.program_id ? [row.program_id] : [] };
    if (scopeAllows(principal, permission, target)) return row;
    if (row.agency_id !== principal.agencyId) throw Problems.notFound('resource');
    throw Problems.forbidden('This resource is managed by its program or the agency.');
  }

  /** Agency-wide records (appointment types, agency closures): an `agency` grant is needed to change them. */
  agencyRecord(principal: Principal, agencyId: string, permission: string, what: string): void {
    if (scopeAllows(principal, permission, { agencyId })) return;
    if (agencyId !== principal.agencyId) throw Problems.notFound(what);
    throw Problems.forbidden(`The agency's ${what}s are managed with a grant for the whole agency.`);
  }

  async appointmentType(principal: Principal, id: string, permission: string): Promise<AppointmentTypeRow> {
    const row = await this.resources.findType(id);
    if (!row) throw Problems.notFound('appointment type');
    this.agencyRecord(principal, row.agency_id, permission, 'appointment type');
    return row;
  }

  /**
   * The appointment, when the caller may reach its client and — if it is 42 CFR Part 2
   * information — may see that (`part2`: it is, and they may); a Part 2 appointment they may not
   * see answers 403 `part2-consent-required`, for reading and for every change alike.
   */
  async appointment(
    principal: Principal,
    id: string,
    permission: string,
  ): Promise<{ appointment: AppointmentRow; grant: ClientAccessGrant; part2: boolean }> {
    const row = await this.appointments.findById(id);
    if (!row) throw Problems.notFound('appointment');
    if (row.agency_id !== principal.agencyId && principal.grants[permission] !== 'all') {
      throw Problems.notFound('appointment');
    }
    let grant: ClientAccessGrant;
    try {
      grant = await this.clients.require(principal, row.client_id, permission);
    } catch (err) {
      if (err instanceof ProblemError && err.status === 404) throw Problems.notFound('appointment');
      throw err;
    }
    const standings = await this.part2Standings(
      principal,
      [{ appointmentId: row.id, clientId: grant.client.id }],
      await this.appointments.resourcesOf([row.id]),
    );
    const standing = standings.get(row.id);
    if (standing === 'withheld') throw part2Withheld();
    return { appointment: row, grant, part2: standing === 'disclosed' };
  }

  /**
   * Whether appointments are 42 CFR Part 2 information, and whether the caller may see them. An
   * appointment is at the programs of its resources; it is Part 2 information when its client has
   * a Part 2 enrolment in one of them (the clients module's enrolments decide, as everywhere), and
   * the caller may see it by ClientAccess.canSeePart2's rule (staff of that program, a Part 2
   * consent naming them, break-the-glass). `clientId` is the client as reached (the survivor of a
   * merge). Absent from the answer: not Part 2. One batch for a whole calendar, not a query per row.
   */
  async part2Standings(
    principal: Principal,
    items: readonly { appointmentId: string; clientId: string }[],
    booked: readonly BookedResourceRow[],
  ): Promise<Map<string, Part2Standing>> {
    const programsOf = new Map<string, Set<string>>();
    for (const r of booked) {
      if (r.program_id === null) continue;
      const programs = programsOf.get(r.appointment_id) ?? new Set<string>();
      programs.add(r.program_id);
      programsOf.set(r.appointment_id, programs);
    }
    const pairs = items.flatMap((item) =>
      [...(programsOf.get(item.appointmentId) ?? [])].map((programId) => ({
        clientId: item.clientId,
        programId,
      })),
    );
    const sight = await this.clients.part2Among(principal, pairs);
    const standings = new Map<string, Part2Standing>();
    for (const item of items) {
      const seen = [...(programsOf.get(item.appointmentId) ?? [])].map((p) => sight.of(item.clientId, p));
      if (seen.includes('withheld')) standings.set(item.appointmentId, 'withheld');
      else if (seen.includes('disclosed')) standings.set(item.appointmentId, 'disclosed');
    }
    return standings;
  }

  /**
   * Booking (or moving) the client onto these resources: when that makes a 42 CFR Part 2
   * appointment the caller may not see, 403 `part2-consent-required` (the cases module likewise
   * lets no one change a Part 2 record they may not see). Returns whether it is Part 2 information.
   */
  async requirePart2Sight(
    principal: Principal,
    clientId: string,
    resources: readonly { program_id: string | null }[],
  ): Promise<boolean> {
    const programIds = [...new Set(resources.map((r) => r.program_id))].filter((p) => p !== null);
    const sight = await this.clients.part2Among(
      principal,
      programIds.map((programId) => ({ clientId, programId })),
    );
    const seen = programIds.map((p) => sight.of(clientId, p));
    if (seen.includes('withheld')) throw part2Withheld();
    return seen.includes('disclosed');
  }

  /**
   * Appointments as the caller may see them, the one rule of every calendar and list: named when
   * the caller's scope reaches the client (`visibleClients`: id → name) and, for a 42 CFR Part 2
   * appointment, when they may see it (`part2Standings`, decided for the whole list at once);
   * withheld otherwise. The redisclosure notice comes with the list when any shown one is Part 2.
   */
  async appointmentViews(
    principal: Principal,
    rows: readonly AppointmentRow[],
    booked: readonly BookedResourceRow[],
    visibleClients: ReadonlyMap<string, string>,
  ): Promise<{ items: AppointmentView[] } & Part2Disclosure> {
    const standings = await this.part2Standings(
      principal,
      rows
        .filter((row) => visibleClients.has(row.client_id))
        .map((row) => ({ appointmentId: row.id, clientId: row.client_id })),
      booked,
    );
    const items = rows.map((row) => {
      const name = visibleClients.get(row.client_id);
      const standing = standings.get(row.id);
      const withheld = name === undefined || standing === 'withheld';
      return toAppointmentView(row, booked, withheld, name ?? null, standing === 'disclosed');
    });
    return {
      items,
      ...part2Disclosure(
        items.some((item) => item.part2),
        items.filter((item) => item.clientWithheld).length,
      ),
    };
  }

  /** The client, for booking: the caller's write grant must reach them (break-the-glass does not book). */
  async clientToBook(principal: Principal, clientId: string): Promise<ClientAccessGrant> {
    const grant = await this.clients.require(principal, clientId, APPOINTMENTS_WRITE);
    if (grant.client.status === 'deceased') throw Problems.conflict('A deceased client cannot be booked.');
    return grant;
  }

  /** The client for a client's appointment list (merged ids answer with the survivor). */
  clientToRead(principal: Principal, clientId: string): Promise<ClientAccessGrant> {
    return this.clients.require(principal, clientId, APPOINTMENTS_READ);
  }

  /**
   * Which of these clients the caller's read grant reaches by scope (never break-the-glass: a
   * calendar is not an emergency read), with the name to show; one query, not one per client.
   * The calendar shows the others' appointments withheld.
   */
  async visibleClients(principal: Principal, clientIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.clients.reachableAmong(principal, APPOINTMENTS_READ, clientIds);
    return new Map([...rows].map(([id, row]) => [id, displayName(row)]));
  }

  /** The name an appointment shows for a client the caller has already been let through to. */
  async nameOf(clientId: string): Promise<string | null> {
    const row = await this.clients.resolve(clientId);
    return row ? displayName(row) : null;
  }
}

/** A 42 CFR Part 2 appointment the caller may not see (the cases module's problem type, for the same rule). */
export function part2Withheld(): ProblemError {
  return new ProblemError({
    status: 403,
    type: 'part2-consent-required',
    title: 'Part 2 record withheld',
    detail:
      "This appointment is at a 42 CFR Part 2 program of the client's. It is disclosed only to staff of " +
      "that program, to those named in the client's written consent, or in a medical emergency " +
      '(break-the-glass).',
  });
}

function displayName(row: { given_name: string; middle_name: string | null; family_name: string }): string {
  return [row.given_name, row.middle_name, row.family_name].filter(Boolean).join(' ');
}
