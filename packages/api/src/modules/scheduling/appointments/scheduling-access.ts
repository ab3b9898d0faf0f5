import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../../platform/errors/problem.js';
import { isUuid } from '../../../platform/database/ids.js';
import { ClientAccess, type ClientAccessGrant } from '../../clients/client-access.js';
import type { SchedulingDb } from '../scheduling.database.js';
import { AppointmentsRepository, type AppointmentRow } from './appointments.repository.js';
import { ResourcesRepository, type AppointmentTypeRow, type ResourceRow } from './resources.repository.js';

export const RESOURCES_READ = 'scheduling.resources.read';
export const RESOURCES_MANAGE = 'scheduling.resources.manage';
export const APPOINTMENTS_READ = 'scheduling.appointments.read';
export const APPOINTMENTS_WRITE = 'scheduling.appointments.write';

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
 *   caller's scope 403 (break-the-glass allows reading it, as it allows reading the client).
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

  async appointment(
    principal: Principal,
    id: string,
    permission: string,
  ): Promise<{ appointment: AppointmentRow; grant: ClientAccessGrant }> {
    const row = await this.appointments.findById(id);
    if (!row) throw Problems.notFound('appointment');
    if (row.agency_id !== principal.agencyId && principal.grants[permission] !== 'all') {
      throw Problems.notFound('appointment');
    }
    try {
      return { appointment: row, grant: await this.clients.require(principal, row.client_id, permission) };
    } catch (err) {
      if (err instanceof ProblemError && err.status === 404) throw Problems.notFound('appointment');
      throw err;
    }
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

function displayName(row: { given_name: string; middle_name: string | null; family_name: string }): string {
  return [row.given_name, row.middle_name, row.family_name].filter(Boolean).join(' ');
}
