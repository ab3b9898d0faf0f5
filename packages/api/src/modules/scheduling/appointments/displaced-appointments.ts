import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { ProblemError } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { PART2_NOTICE_HEADER, PART2_NOTICE_HEADER_VALUE, type Part2Disclosure } from '../../clients/part2.js';
import type { SchedulingDb } from '../scheduling.database.js';
import { AppointmentTopics, type AppointmentDisplacedEvent } from './appointments.events.js';
import {
  AppointmentsRepository,
  type AppointmentRow,
  type BookedResourceRow,
} from './appointments.repository.js';
import { event } from './appointments.service.js';
import { DISPLACED_LISTED, type DisplacedAppointmentView } from './displaced.dto.js';
import {
  ResourcesRepository,
  type DisplacedQuery,
  type DisplacementRow,
  type ExceptionRow,
} from './resources.repository.js';
import { SchedulingAccess } from './scheduling-access.js';

/**
 * Bookings an exception has displaced, read in the exception's transaction: every one (for the
 * events), and for the first DISPLACED_LISTED their resources and what blocks them (for the answer).
 */
export interface Displaced {
  rows: AppointmentRow[];
  booked: BookedResourceRow[];
  blocks: DisplacementRow[];
}

/** Displaced appointments as the caller may see them, with the 42 CFR Part 2 disclosure members. */
export type DisplacedViews = { items: DisplacedAppointmentView[] } & Part2Disclosure;

/** Thrown inside the exception's transaction (so it rolls back) when the bookings were not acknowledged. */
export class UnacknowledgedDisplacement extends Error {
  constructor(readonly displaced: Displaced) {
    super('appointments-affected');
  }
}

/**
 * Booked appointments still to come that leave, a holiday or a closure covers. Adding (or
 * widening) an exception does not cancel them: it asks for an acknowledgement, then announces
 * each one (`scheduling.appointment.displaced`) in the same transaction for the front desk and
 * notifications, and they stay on the worklist until someone moves or cancels them. Calendars'
 * rules apply to who is named: a client outside the caller's scope is withheld, and so is a
 * 42 CFR Part 2 appointment the caller may not see (with the redisclosure notice when one shown is).
 */
@Injectable()
export class DisplacedAppointments {
  constructor(
    private readonly resources: ResourcesRepository,
    private readonly appointments: AppointmentsRepository,
    private readonly access: SchedulingAccess,
  ) {}

  /** What the exception covers, leaving out appointments in `already` (covered before a change). */
  async find(exception: ExceptionRow, trx: SchedulingDb, already?: ReadonlySet<string>): Promise<Displaced> {
    const all = await this.resources.displacedAppointments(
      { agencyId: exception.agency_id, exceptionId: exception.id },
      trx,
    );
    const rows = already ? all.filter((r) => !already.has(r.id)) : all;
    const booked = await this.appointments.resourcesOf(
      rows.map((r) => r.id),
      trx,
    );
    const listed = rows.slice(0, DISPLACED_LISTED).map((r) => r.id);
    return { rows, booked, blocks: await this.resources.displacements(listed, exception.id, trx) };
  }

  /** The ids of what the exception covers now (before it changes). */
  async idsOf(exception: ExceptionRow, trx: SchedulingDb): Promise<Set<string>> {
    const rows = await this.resources.displacedAppointments(
      { agencyId: exception.agency_id, exceptionId: exception.id },
      trx,
    );
    return new Set(rows.map((r) => r.id));
  }

  /** One `scheduling.appointment.displaced` per appointment, in the exception's transaction. */
  async announce(exception: ExceptionRow, displaced: Displaced, trx: SchedulingDb): Promise<void> {
    for (const row of displaced.rows) {
      await publishEvent(trx, AppointmentTopics.displaced, {
        ...event(
          row,
          displaced.booked.filter((b) => b.appointment_id === row.id),
        ),
        exceptionId: exception.id,
        exceptionKind: exception.kind,
      } satisfies AppointmentDisplacedEvent);
    }
  }

  /** The listed ones as the caller may see them. */
  views(principal: Principal, displaced: Displaced): Promise<DisplacedViews> {
    return this.viewsOf(
      principal,
      displaced.rows.slice(0, DISPLACED_LISTED),
      displaced.booked,
      displaced.blocks,
    );
  }

  /** A page of the worklist (`query.limit` at most, and whether more follow), with every exception blocking each. */
  async page(
    principal: Principal,
    query: DisplacedQuery & { limit: number },
  ): Promise<DisplacedViews & { more: boolean }> {
    const found = await this.resources.displacedAppointments({ ...query, limit: query.limit + 1 });
    const rows = found.slice(0, query.limit);
    const ids = rows.map((r) => r.id);
    const views = await this.viewsOf(
      principal,
      rows,
      await this.appointments.resourcesOf(ids),
      await this.resources.displacements(ids),
    );
    return { ...views, more: found.length > query.limit };
  }

  /**
   * 409 `appointments-affected`: the change would cover bookings the caller has not acknowledged.
   * Lists the appointments as the caller may see them (the exception was not kept, so no id of it).
   */
  static problem(count: number, views: DisplacedViews): ProblemError {
    const { items, ...disclosure } = views;
    return new ProblemError({
      status: 409,
      type: 'appointments-affected',
      title: 'Booked appointments fall inside it',
      detail:
        `${count} booked appointment${count === 1 ? '' : 's'} still to come would fall inside it. ` +
        'They are not cancelled: send "acknowledgeConflicts": true to go ahead, then move them from the worklist.',
      extensions: { affectedCount: count, appointments: items.map((v) => v.appointment), ...disclosure },
      ...(disclosure.redisclosureNotice !== null
        ? { headers: { [PART2_NOTICE_HEADER]: PART2_NOTICE_HEADER_VALUE } }
        : {}),
    });
  }

  /** Named or withheld by the rule of calendars (SchedulingAccess.appointmentViews), with what covers each. */
  private async viewsOf(
    principal: Principal,
    rows: readonly AppointmentRow[],
    booked: readonly BookedResourceRow[],
    blocks: readonly DisplacementRow[],
  ): Promise<DisplacedViews> {
    const visible = await this.access.visibleClients(
      principal,
      rows.map((r) => r.client_id),
    );
    const { items: appointments, ...disclosure } = await this.access.appointmentViews(
      principal,
      rows,
      booked,
      visible,
    );
    const items = appointments.map((appointment) => {
      const exceptions = new Map<string, DisplacedAppointmentView['exceptions'][number]>();
      for (const block of blocks) {
        if (block.appointment_id !== appointment.id || exceptions.has(block.exception_id)) continue;
        exceptions.set(block.exception_id, {
          exceptionId: block.exception_id,
          kind: block.kind,
          resourceId: block.exception_resource_id,
          startsAt: block.starts_at.toISOString(),
          endsAt: block.ends_at.toISOString(),
        });
      }
      return { appointment, exceptions: [...exceptions.values()] };
    });
    return { items, ...disclosure };
  }
}
