import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import { part2Disclosure, type Part2Disclosure } from '../../clients/part2.js';
import type {
  AppointmentDetailView,
  AppointmentListQuery,
  AppointmentView,
  CreateAppointmentBody,
  PatchAppointmentBody,
  RescheduleBody,
} from './appointments.dto.js';
import {
  AppointmentTopics,
  type AppointmentEvent,
  type AppointmentRescheduledEvent,
} from './appointments.events.js';
import {
  AppointmentsRepository,
  type AppointmentChanges,
  type AppointmentRow,
} from './appointments.repository.js';
import type { AppointmentStatus } from './appointments.schema.js';
import { BookingRules, slotUnavailable } from './booking-rules.js';
import { ReminderSchedule } from './reminder-policy.js';
import { ResourcesRepository, type AppointmentTypeRow } from './resources.repository.js';
import {
  actorOf,
  APPOINTMENTS_READ,
  APPOINTMENTS_WRITE,
  RESOURCES_READ,
  SchedulingAccess,
} from './scheduling-access.js';
import { toAppointmentView } from './views.js';
import { Waitlist } from './waitlist.service.js';

/** Most appointments one calendar or check-in list returns, and one client's list. */
const CALENDAR_LIMIT = 1000;
const CLIENT_LIMIT = 200;

/**
 * Which status may follow which. Booked appointments are checked in, cancelled, marked a
 * no-show or rescheduled; a checked-in one is completed (or cancelled, e.g. the client left
 * before being seen). Completed, no-show, cancelled and rescheduled are final.
 */
const NEXT: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['checked_in', 'cancelled', 'no_show', 'rescheduled'],
  checked_in: ['completed', 'cancelled'],
  completed: [],
  no_show: [],
  cancelled: [],
  rescheduled: [],
};

/**
 * Statuses after which the appointment no longer holds its resources: a cancelled or
 * rescheduled slot is free at once, and so is a no-show's (the rest of the hour can go to a
 * walk-in). Completed appointments keep holding the time they used.
 */
const FREES_SLOT: readonly AppointmentStatus[] = ['cancelled', 'no_show', 'rescheduled'];

const TOPIC: Partial<Record<AppointmentStatus, string>> = {
  checked_in: AppointmentTopics.checkedIn,
  completed: AppointmentTopics.completed,
  no_show: AppointmentTopics.noShow,
  cancelled: AppointmentTopics.cancelled,
};

/** Booking, reading and moving appointments through their statuses. */
@Injectable()
export class AppointmentsService {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly appointments: AppointmentsRepository,
    private readonly resources: ResourcesRepository,
    private readonly access: SchedulingAccess,
    private readonly rules: BookingRules,
    private readonly reminders: ReminderSchedule,
    private readonly waitlist: Waitlist,
  ) {}

  get timeZone(): string {
    return this.rules.clock.timeZone;
  }

  async get(principal: Principal, id: string): Promise<AppointmentDetailView> {
    const { appointment, part2 } = await this.access.appointment(principal, id, APPOINTMENTS_READ);
    return this.view(appointment.id, part2);
  }

  /**
   * A client's appointments (when `clientId` is given: only if the caller may see the client),
   * or a calendar: the appointments of a resource, or of the agency, in a range or on a local
   * day. Calendar entries whose client the caller may not see come back withheld (time, type,
   * resources and status only), so the calendar still shows the time as taken; so do 42 CFR Part 2
   * appointments the caller may not see, in a client's list too (SchedulingAccess.part2Standings).
   */
  async list(
    principal: Principal,
    query: AppointmentListQuery,
  ): Promise<{ items: AppointmentView[] } & Part2Disclosure> {
    const range = query.date ? this.rules.clock.dayspan(query.date) : undefined;
    const from = range?.start.toISOString() ?? query.from;
    const to = range?.end.toISOString() ?? query.to;
    if (query.clientId) {
      const { client } = await this.access.clientToRead(principal, query.clientId);
      let rows = await this.appointments.listOfClient({
        clientId: client.id,
        from,
        to,
        statuses: query.status,
        limit: CLIENT_LIMIT,
      });
      const booked = await this.appointments.resourcesOf(rows.map((r) => r.id));
      if (query.resourceId) {
        rows = rows.filter((r) =>
          booked.some((b) => b.appointment_id === r.id && b.resource_id === query.resourceId),
        );
      }
      const name = await this.access.nameOf(client.id);
      return this.access.appointmentViews(
        principal,
        rows,
        booked,
        new Map(rows.map((r) => [r.client_id, name ?? ''])),
      );
    }
    if (query.resourceId) await this.access.resource(principal, query.resourceId, RESOURCES_READ);
    const rows = await this.appointments.listDuring({
      agencyId: principal.agencyId,
      resourceIds: query.resourceId ? [query.resourceId] : undefined,
      from: from as string,
      to: to as string,
      statuses: query.status,
      limit: CALENDAR_LIMIT,
    });
    const [booked, visible] = await Promise.all([
      this.appointments.resourcesOf(rows.map((r) => r.id)),
      this.access.visibleClients(
        principal,
        rows.map((r) => r.client_id),
      ),
    ]);
    return this.access.appointmentViews(principal, rows, booked, visible);
  }

  async book(principal: Principal, body: CreateAppointmentBody): Promise<AppointmentDetailView> {
    const { client } = await this.access.clientToBook(principal, body.clientId);
    const type = await this.typeFor(client.agency_id, body.appointmentTypeId);
    if (body.telehealth && !type.telehealth_allowed) {
      throw Problems.validation([
        { field: 'body.telehealth', message: `${type.name} is not offered by telehealth.` },
      ]);
    }
    const resources = await this.rules.resourcesFor(
      client.agency_id,
      type,
      body.resourceIds,
      'body.resourceIds',
    );
    const part2 = await this.access.requirePart2Sight(principal, client.id, resources);
    const booking = this.rules.booking(type, new Date(body.startsAt));
    if (booking.appointment.start.getTime() < Date.now() - 60 * 60_000) {
      throw Problems.validation([{ field: 'body.startsAt', message: 'Book a time that has not passed.' }]);
    }
    await this.rules.check(client.agency_id, resources, booking);
    const id = randomUUID();
    await this.database
      .transaction(async (trx) => {
        await this.appointments.insert(
          {
            id,
            agency_id: client.agency_id,
            client_id: client.id,
            appointment_type_id: type.id,
            starts_at: booking.appointment.start.toISOString(),
            ends_at: booking.appointment.end.toISOString(),
            telehealth: body.telehealth,
            join_url: body.joinUrl,
            notes: body.notes,
            created_by: actorOf(principal),
          },
          trx,
        );
        await this.appointments.insertResources(
          resources.map((r) => ({
            appointment_id: id,
            resource_id: r.id,
            blocked_from: booking.blocked.start.toISOString(),
            blocked_to: booking.blocked.end.toISOString(),
          })),
          trx,
        );
        await this.rules.clearOfExceptions(client.agency_id, resources, booking.blocked, trx);
        await publishEvent(
          trx,
          AppointmentTopics.booked,
          event(
            {
              id,
              agency_id: client.agency_id,
              client_id: client.id,
              appointment_type_id: type.id,
              series_id: null,
            },
            resources,
          ),
        );
        await this.reminders.refresh(await this.locked(trx, id), trx);
        if (body.waitlistEntryId) await this.waitlist.markBooked(body.waitlistEntryId, client.id, id, trx);
      })
      .catch((err: unknown) => {
        throw slotUnavailable(err, resources);
      });
    return this.view(id, part2);
  }

  checkIn(principal: Principal, id: string): Promise<AppointmentDetailView> {
    return this.move(principal, id, 'checked_in', null);
  }

  complete(principal: Principal, id: string): Promise<AppointmentDetailView> {
    return this.move(principal, id, 'completed', null);
  }

  noShow(principal: Principal, id: string, reason: string | undefined): Promise<AppointmentDetailView> {
    return this.move(principal, id, 'no_show', reason ?? null);
  }

  cancel(principal: Principal, id: string, reason: string): Promise<AppointmentDetailView> {
    return this.move(principal, id, 'cancelled', reason);
  }

  /** Notes and the telehealth link of an appointment still to happen or under way (If-Match). */
  async patch(
    principal: Principal,
    id: string,
    version: number,
    body: PatchAppointmentBody,
  ): Promise<AppointmentDetailView> {
    const { appointment: row, part2 } = await this.access.appointment(principal, id, APPOINTMENTS_WRITE);
    if (row.version !== version) throw Problems.preconditionFailed();
    if (NEXT[row.status].length === 0) {
      throw Problems.conflict(
        `A ${row.status.replace('_', '-')} appointment cannot be changed.`,
        'appointment-closed',
      );
    }
    const telehealth = body.telehealth ?? row.telehealth;
    const joinUrl = body.joinUrl !== undefined ? body.joinUrl : telehealth ? row.join_url : null;
    if (!telehealth && joinUrl !== null) {
      throw Problems.validation([
        { field: 'body.joinUrl', message: 'Only a telehealth appointment has a join link.' },
      ]);
    }
    if (telehealth && !row.telehealth) {
      const type = await this.typeFor(row.agency_id, row.appointment_type_id);
      if (!type.telehealth_allowed) {
        throw Problems.validation([
          { field: 'body.telehealth', message: `${type.name} is not offered by telehealth.` },
        ]);
      }
    }
    const changes: AppointmentChanges = { telehealth, join_url: joinUrl };
    if (body.notes !== undefined) changes.notes = body.notes;
    if (!(await this.appointments.update(row.id, changes, version))) throw Problems.preconditionFailed();
    return this.view(row.id, part2);
  }

  /**
   * Books the new time and marks the old appointment rescheduled, linked both ways, in one
   * transaction: if the new time is taken (409) the old appointment stays booked. The old
   * appointment's resources are freed first, so moving within its own time works.
   */
  async reschedule(principal: Principal, id: string, body: RescheduleBody): Promise<AppointmentDetailView> {
    const { appointment: old, grant } = await this.access.appointment(principal, id, APPOINTMENTS_WRITE);
    this.requireNext(old, 'rescheduled');
    const type = await this.typeFor(old.agency_id, old.appointment_type_id);
    const resourceIds =
      body.resourceIds ?? (await this.appointments.resourcesOf([old.id])).map((r) => r.resource_id);
    const resources = await this.rules.resourcesFor(old.agency_id, type, resourceIds, 'body.resourceIds');
    const part2 = await this.access.requirePart2Sight(principal, grant.client.id, resources);
    const booking = this.rules.booking(type, new Date(body.startsAt));
    if (booking.appointment.start.getTime() < Date.now() - 60 * 60_000) {
      throw Problems.validation([
        { field: 'body.startsAt', message: 'Reschedule to a time that has not passed.' },
      ]);
    }
    await this.rules.check(old.agency_id, resources, booking);
    const newId = randomUUID();
    await this.database
      .transaction(async (trx) => {
        const current = await this.locked(trx, old.id);
        this.requireNext(current, 'rescheduled');
        await this.appointments.insert(
          {
            id: newId,
            agency_id: current.agency_id,
            client_id: current.client_id,
            appointment_type_id: current.appointment_type_id,
            starts_at: booking.appointment.start.toISOString(),
            ends_at: booking.appointment.end.toISOString(),
            telehealth: current.telehealth,
            join_url: current.join_url,
            notes: current.notes,
            series_id: current.series_id,
            // An occurrence moved on its own stays that occurrence of its series, as an exception.
            occurrence_start: current.occurrence_start?.toISOString() ?? null,
            series_exception: current.series_id !== null,
            rescheduled_from_id: current.id,
            created_by: actorOf(principal),
          },
          trx,
        );
        await this.appointments.setBlocking(current.id, false, trx);
        const moved = await this.appointments.update(
          current.id,
          { status: 'rescheduled', rescheduled_to_id: newId, status_reason: body.reason ?? null },
          current.version,
          trx,
        );
        if (!moved) throw Problems.preconditionFailed();
        await this.appointments.insertResources(
          resources.map((r) => ({
            appointment_id: newId,
            resource_id: r.id,
            blocked_from: booking.blocked.start.toISOString(),
            blocked_to: booking.blocked.end.toISOString(),
          })),
          trx,
        );
        await this.rules.clearOfExceptions(old.agency_id, resources, booking.blocked, trx);
        await publishEvent(trx, AppointmentTopics.rescheduled, {
          ...event(current, await this.appointments.resourcesOf([current.id], trx)),
          newAppointmentId: newId,
        } satisfies AppointmentRescheduledEvent);
        await publishEvent(trx, AppointmentTopics.booked, event({ ...current, id: newId }, resources));
        await this.reminders.refresh(await this.locked(trx, current.id), trx);
        await this.reminders.refresh(await this.locked(trx, newId), trx);
      })
      .catch((err: unknown) => {
        throw slotUnavailable(err, resources);
      });
    return this.view(newId, part2);
  }

  private async move(
    principal: Principal,
    id: string,
    to: AppointmentStatus,
    reason: string | null,
  ): Promise<AppointmentDetailView> {
    const { appointment, part2 } = await this.access.appointment(principal, id, APPOINTMENTS_WRITE);
    this.requireNext(appointment, to);
    await this.database.transaction(async (trx) => {
      const row = await this.locked(trx, appointment.id);
      this.requireNext(row, to);
      const now = new Date().toISOString();
      const changes: AppointmentChanges = { status: to, status_reason: reason };
      if (to === 'checked_in') changes.checked_in_at = now;
      if (to === 'completed') changes.completed_at = now;
      if (!(await this.appointments.update(row.id, changes, row.version, trx)))
        throw Problems.preconditionFailed();
      if (FREES_SLOT.includes(to)) await this.appointments.setBlocking(row.id, false, trx);
      const topic = TOPIC[to];
      if (topic)
        await publishEvent(trx, topic, event(row, await this.appointments.resourcesOf([row.id], trx)));
      await this.reminders.refresh(await this.locked(trx, row.id), trx);
    });
    return this.view(appointment.id, part2);
  }

  private requireNext(row: AppointmentRow, to: AppointmentStatus): void {
    if (NEXT[row.status].includes(to)) return;
    throw new ProblemError({
      status: 409,
      type: 'invalid-transition',
      title: 'Not allowed in this status',
      detail: `A ${row.status.replace('_', '-')} appointment cannot become ${to.replace('_', '-')}.`,
      extensions: { status: row.status, allowed: NEXT[row.status] },
    });
  }

  private async locked(trx: SchedulingDb, id: string): Promise<AppointmentRow> {
    const row = await this.appointments.lock(id, trx);
    if (!row) throw Problems.notFound('appointment');
    return row;
  }

  private async typeFor(agencyId: string, typeId: string): Promise<AppointmentTypeRow> {
    const type = await this.resources.findType(typeId);
    if (type?.agency_id !== agencyId) {
      throw Problems.validation([{ field: 'body.appointmentTypeId', message: 'No such appointment type.' }]);
    }
    if (!type.active) {
      throw Problems.validation([
        { field: 'body.appointmentTypeId', message: 'This appointment type is retired.' },
      ]);
    }
    return type;
  }

  /** One appointment the caller has been let through to; `part2`: it is Part 2 information (with the notice). */
  private async view(id: string, part2: boolean): Promise<AppointmentDetailView> {
    const row = await this.appointments.findById(id);
    if (!row) throw Problems.notFound('appointment');
    const view = toAppointmentView(
      row,
      await this.appointments.resourcesOf([id]),
      false,
      await this.access.nameOf(row.client_id),
      part2,
    );
    return { ...view, redisclosureNotice: part2Disclosure(part2, 0).redisclosureNotice };
  }
}

export function event(
  row: Pick<AppointmentRow, 'id' | 'agency_id' | 'client_id' | 'appointment_type_id' | 'series_id'>,
  resources: readonly ({ id: string } | { resource_id: string })[],
): AppointmentEvent {
  return {
    appointmentId: row.id,
    agencyId: row.agency_id,
    clientId: row.client_id,
    appointmentTypeId: row.appointment_type_id,
    resourceIds: resources.map((r) => ('resource_id' in r ? r.resource_id : r.id)),
    seriesId: row.series_id,
  };
}
