import { errorDetail, isExclusionViolation } from '../../../platform/database/pg-errors.js';
import { randomUUID } from 'node:crypto';
import { Temporal } from '@js-temporal/polyfill';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Principal } from '../../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { ClientAccess } from '../../clients/client-access.js';
import { part2Disclosure } from '../../clients/part2.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import {
  AppointmentTopics,
  SchedulingTopics,
  type AppointmentRescheduledEvent,
  type SeriesEvent,
} from './appointments.events.js';
import { AppointmentsRepository, type AppointmentRow } from './appointments.repository.js';
import { AppointmentsService, event } from './appointments.service.js';
import { BookingRules, type Booking } from './booking-rules.js';
import {
  expandSeries,
  formatRecurrence,
  parseRecurrence,
  splitSeries,
  type RecurrenceRule,
} from './recurrence.js';
import { ReminderSchedule } from './reminder-policy.js';
import { ResourcesRepository, type AppointmentTypeRow, type ResourceRow } from './resources.repository.js';
import {
  actorOf,
  APPOINTMENTS_READ,
  APPOINTMENTS_WRITE,
  part2Withheld,
  SchedulingAccess,
} from './scheduling-access.js';
import type { CancelSeriesBody, CreateSeriesBody, PatchSeriesBody, SeriesView } from './series.dto.js';
import { SeriesRepository, type SeriesChanges, type SeriesRow } from './series.repository.js';
import { toAppointmentView } from './views.js';

/** One occurrence that cannot be booked, as the 409 lists it. */
export interface OccurrenceConflict {
  occurrenceStart: string;
  startsAt: string;
  endsAt: string;
  /** slot-unavailable, outside-working-hours, resource-unavailable, provider-not-bookable. */
  type: string;
  resourceId: string | null;
  detail: string;
}

/** An occurrence to book: new, or replacing (rescheduling) an existing appointment of the series. */
interface Planned {
  occurrenceStart: string;
  booking: Booking;
  replaces?: AppointmentRow;
  exception: boolean;
}

/** Where a plan writes: which series, with what, for whom. */
interface PlanTarget {
  seriesId: string;
  agencyId: string;
  clientId: string;
  type: AppointmentTypeRow;
  resources: readonly ResourceRow[];
  telehealth: boolean;
  joinUrl: string | null;
  createdBy: string | null;
  reason: string;
}

const HOUR = 60 * 60_000;

/**
 * Recurring series. Every occurrence is an ordinary appointment (`series_id`,
 * `occurrence_start`), booked under the same exclusion constraint and rules; a series is booked,
 * edited and cancelled in one transaction each — any occurrence that cannot be booked rolls the
 * whole request back and the 409 lists them all. Edits never move an occurrence that is past,
 * checked in, completed, cancelled or a no-show; moving one replaces it as a reschedule does (the
 * old row becomes `rescheduled`, linked to the new one), so the freed time reaches the waitlist.
 * Occurrences are matched across an edit by their local date.
 */
@Injectable()
export class AppointmentSeries {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly series: SeriesRepository,
    private readonly appointments: AppointmentsRepository,
    private readonly appointmentsService: AppointmentsService,
    private readonly resources: ResourcesRepository,
    private readonly access: SchedulingAccess,
    private readonly clients: ClientAccess,
    private readonly rules: BookingRules,
    private readonly reminders: ReminderSchedule,
  ) {}

  async get(principal: Principal, id: string): Promise<SeriesView> {
    const row = await this.reach(principal, id, APPOINTMENTS_READ);
    return this.view(principal, row.id);
  }

  async create(principal: Principal, body: CreateSeriesBody): Promise<SeriesView> {
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
    await this.access.requirePart2Sight(principal, client.id, resources);
    const zone = this.zone;
    const parsed = parseRecurrence(body.recurrence, {
      field: 'body.recurrence',
      series: { firstStart: body.startsAt, zone, firstStartField: 'body.startsAt' },
    });
    if (!parsed.ok) throw Problems.validation(parsed.errors);
    if (Date.parse(body.startsAt) < Date.now() - HOUR) {
      throw Problems.validation([
        { field: 'body.startsAt', message: 'Start a series at a time that has not passed.' },
      ]);
    }
    const firstStart = new Date(body.startsAt).toISOString();
    const wallTime = localTime(firstStart, zone);
    const planned = expandSeries({
      rule: parsed.rule,
      firstStart,
      durationMinutes: type.duration_minutes,
      zone,
    }).map((o) => this.plan(type, o.startsAt, o.startsAt, false));
    const refused = await this.ruleConflicts(client.agency_id, resources, planned);
    const id = randomUUID();
    await this.database.transaction(async (trx) => {
      await this.series.insert(
        {
          id,
          agency_id: client.agency_id,
          client_id: client.id,
          appointment_type_id: type.id,
          resource_ids: resources.map((r) => r.id),
          rrule: formatRecurrence(parsed.rule),
          first_start: firstStart,
          wall_time: wallTime,
          time_zone: zone,
          duration_minutes: type.duration_minutes,
          telehealth: body.telehealth,
          join_url: body.joinUrl,
          split_from_id: null,
          created_by: actorOf(principal),
        },
        trx,
      );
      await this.apply(
        trx,
        {
          seriesId: id,
          agencyId: client.agency_id,
          clientId: client.id,
          type,
          resources,
          telehealth: body.telehealth,
          joinUrl: body.joinUrl,
          createdBy: actorOf(principal),
          reason: '',
        },
        planned,
        [],
        refused,
      );
      await publishEvent(trx, SchedulingTopics.seriesCreated, {
        seriesId: id,
        agencyId: client.agency_id,
        clientId: client.id,
      } satisfies SeriesEvent);
    });
    return this.view(principal, id);
  }

  /**
   * Edits with If-Match (the series' version). `this`: one occurrence moves (a series
   * exception); `following`: the series is split at the occurrence (`splitSeries`) and the new
   * series from it on gets the changes; `all`: every future, still-booked occurrence (not the
   * exceptions) is re-booked to the changed series.
   */
  async patch(principal: Principal, id: string, version: number, body: PatchSeriesBody): Promise<SeriesView> {
    const series = await this.reach(principal, id, APPOINTMENTS_WRITE);
    requireActive(series);
    if (series.version !== version) throw Problems.preconditionFailed();
    const type = await this.anyTypeFor(series);
    const current = await this.current(series.id);
    const now = new Date();
    if (body.scope === 'this') return this.moveOne(principal, series, type, current, body, now);

    const occurrence = body.occurrenceId ? this.occurrence(current, body.occurrenceId) : undefined;
    const cutoff = occurrence?.occurrence_start ?? series.first_start;
    const split =
      body.scope === 'following'
        ? splitSeries(
            series.rrule,
            series.first_start.toISOString(),
            cutoff.toISOString(),
            series.time_zone,
            series.wall_time,
          )
        : null;
    const splitting = split?.before != null;
    const resources = await this.rules.resourcesFor(
      series.agency_id,
      type,
      body.resourceIds ?? series.resource_ids,
      'body.resourceIds',
    );
    await this.access.requirePart2Sight(principal, await this.clientOf(series), resources);
    const baseFirst = splitting && split ? split.after.firstStart : series.first_start.toISOString();
    const baseWall = splitting && split ? split.after.wallTime : series.wall_time;
    let rule: RecurrenceRule = splitting && split ? split.after.rule : this.storedRule(series);
    const zone = series.time_zone;
    const firstStart = body.timeOfDay
      ? this.rules.clock.at(dayIn(baseFirst, zone), body.timeOfDay).toISOString()
      : baseFirst;
    const wallTime = body.timeOfDay ? `${body.timeOfDay}:00` : baseWall;
    if (body.timeOfDay && rule.until?.kind === 'instant') {
      // A later time of day must not push the last occurrence past an UNTIL instant.
      rule = { ...rule, until: { kind: 'date', date: dayIn(rule.until.instant, zone) } };
    }
    const text = body.recurrence ?? formatRecurrence(rule);
    const parsed = parseRecurrence(text, {
      field: body.recurrence ? 'body.recurrence' : 'body.timeOfDay',
      series: { firstStart, zone },
    });
    if (!parsed.ok) throw Problems.validation(parsed.errors);
    const occurrences = expandSeries({
      rule: parsed.rule,
      firstStart,
      durationMinutes: type.duration_minutes,
      zone,
      wallTime,
    });

    const inScope = current.filter(
      (r) => r.occurrence_start && r.occurrence_start.getTime() >= cutoff.getTime(),
    );
    const byDay = new Map<string, AppointmentRow>();
    for (const row of inScope) {
      const day = dayIn((row.occurrence_start as Date).toISOString(), zone);
      if (!byDay.has(day)) byDay.set(day, row);
    }
    const held = await this.appointments.resourcesOf(inScope.map((r) => r.id));
    const resourceKey = resources
      .map((r) => r.id)
      .sort()
      .join(',');
    const planned: Planned[] = [];
    const matched = new Set<string>();
    const keep: AppointmentRow[] = [];
    for (const o of occurrences) {
      const row = byDay.get(dayIn(o.startsAt, zone));
      if (row) {
        matched.add(row.id);
        const same =
          row.starts_at.getTime() === Date.parse(o.startsAt) &&
          held
            .filter((h) => h.appointment_id === row.id)
            .map((h) => h.resource_id)
            .sort()
            .join(',') === resourceKey;
        if (!movable(row, now) || same) keep.push(row);
        else planned.push(this.plan(type, o.startsAt, o.startsAt, false, row));
      } else if (Date.parse(o.startsAt) > now.getTime()) {
        planned.push(this.plan(type, o.startsAt, o.startsAt, false));
      }
    }
    const dropped = inScope.filter((r) => !matched.has(r.id));
    const cancels = dropped.filter((r) => movable(r, now));
    keep.push(...dropped.filter((r) => !movable(r, now)));
    const refused = await this.ruleConflicts(series.agency_id, resources, planned);

    const newSeriesId = splitting ? randomUUID() : null;
    await this.database.transaction(async (trx) => {
      await this.lockSeries(trx, series, { version });
      const changes: SeriesChanges = splitting
        ? { rrule: split?.before?.rrule as string }
        : {
            rrule: formatRecurrence(parsed.rule),
            first_start: firstStart,
            wall_time: wallTime,
            resource_ids: resources.map((r) => r.id),
          };
      if (!(await this.series.update(series.id, changes, version, trx))) throw Problems.preconditionFailed();
      await this.requireUnchanged(trx, series.id, [...planned.flatMap((p) => p.replaces ?? []), ...cancels]);
      const target = newSeriesId ?? series.id;
      if (newSeriesId) {
        await this.series.insert(
          {
            id: newSeriesId,
            agency_id: series.agency_id,
            client_id: series.client_id,
            appointment_type_id: series.appointment_type_id,
            resource_ids: resources.map((r) => r.id),
            rrule: formatRecurrence(parsed.rule),
            first_start: firstStart,
            wall_time: wallTime,
            time_zone: zone,
            duration_minutes: type.duration_minutes,
            telehealth: series.telehealth,
            join_url: series.join_url,
            split_from_id: series.id,
            created_by: actorOf(principal),
          },
          trx,
        );
        // Everything from the split on belongs to the new series, moved or not.
        for (const row of keep) {
          if (!(await this.appointments.update(row.id, { series_id: newSeriesId }, row.version, trx))) {
            throw Problems.preconditionFailed();
          }
        }
      }
      await this.apply(
        trx,
        {
          seriesId: target,
          agencyId: series.agency_id,
          clientId: series.client_id,
          type,
          resources,
          telehealth: series.telehealth,
          joinUrl: series.join_url,
          createdBy: actorOf(principal),
          reason: 'The series was changed.',
        },
        planned,
        cancels,
        refused,
      );
      await publishEvent(trx, SchedulingTopics.seriesChanged, {
        seriesId: series.id,
        agencyId: series.agency_id,
        clientId: series.client_id,
        scope: body.scope,
        ...(newSeriesId ? { newSeriesId } : {}),
      } satisfies SeriesEvent);
    });
    const view = await this.view(principal, series.id);
    return { ...view, newSeriesId };
  }

  /**
   * Cancels one occurrence (as the appointment's cancel does), or the still-booked future ones
   * from an occurrence on (the series then ends before it) or of the whole series (cancelled).
   */
  async cancel(principal: Principal, id: string, body: CancelSeriesBody): Promise<SeriesView> {
    const series = await this.reach(principal, id, APPOINTMENTS_WRITE);
    requireActive(series);
    const current = await this.current(series.id);
    if (body.scope === 'this') {
      const occurrence = this.occurrence(current, body.occurrenceId as string);
      await this.appointmentsService.cancel(principal, occurrence.id, body.reason);
      return this.view(principal, series.id);
    }
    const now = new Date();
    const occurrence = body.occurrenceId ? this.occurrence(current, body.occurrenceId) : undefined;
    const cutoff = occurrence?.occurrence_start ?? series.first_start;
    const before =
      body.scope === 'following'
        ? splitSeries(
            series.rrule,
            series.first_start.toISOString(),
            cutoff.toISOString(),
            series.time_zone,
            series.wall_time,
          ).before
        : null;
    const cancels = current.filter(
      (r) => r.occurrence_start && r.occurrence_start.getTime() >= cutoff.getTime() && movable(r, now),
    );
    const type = await this.anyTypeFor(series);
    await this.database.transaction(async (trx) => {
      const locked = await this.lockSeries(trx, series);
      const changes: SeriesChanges = before ? { rrule: before.rrule } : { status: 'cancelled' };
      if (!(await this.series.update(series.id, changes, locked.version, trx)))
        throw Problems.preconditionFailed();
      await this.requireUnchanged(trx, series.id, cancels);
      await this.apply(
        trx,
        {
          seriesId: series.id,
          agencyId: series.agency_id,
          clientId: series.client_id,
          type,
          resources: [],
          telehealth: series.telehealth,
          joinUrl: series.join_url,
          createdBy: actorOf(principal),
          reason: body.reason,
        },
        [],
        cancels,
      );
      await publishEvent(trx, before ? SchedulingTopics.seriesChanged : SchedulingTopics.seriesCancelled, {
        seriesId: series.id,
        agencyId: series.agency_id,
        clientId: series.client_id,
        scope: body.scope,
      } satisfies SeriesEvent);
    });
    return this.view(principal, series.id);
  }

  private async moveOne(
    principal: Principal,
    series: SeriesRow,
    type: AppointmentTypeRow,
    current: readonly AppointmentRow[],
    body: PatchSeriesBody,
    now: Date,
  ): Promise<SeriesView> {
    const occurrence = this.occurrence(current, body.occurrenceId as string);
    if (!movable(occurrence, now)) throw notMovable(occurrence);
    const resourceIds =
      body.resourceIds ?? (await this.appointments.resourcesOf([occurrence.id])).map((r) => r.resource_id);
    const resources = await this.rules.resourcesFor(series.agency_id, type, resourceIds, 'body.resourceIds');
    await this.access.requirePart2Sight(principal, await this.clientOf(series), resources);
    const startsAt = body.startsAt
      ? new Date(body.startsAt).toISOString()
      : occurrence.starts_at.toISOString();
    if (Date.parse(startsAt) < now.getTime() - HOUR) {
      throw Problems.validation([
        { field: 'body.startsAt', message: 'Move it to a time that has not passed.' },
      ]);
    }
    const occurrenceStart = (occurrence.occurrence_start ?? occurrence.starts_at).toISOString();
    const planned = [this.plan(type, startsAt, occurrenceStart, true, occurrence)];
    const refused = await this.ruleConflicts(series.agency_id, resources, planned);
    await this.database.transaction(async (trx) => {
      await this.lockSeries(trx, series, { version: series.version });
      if (!(await this.series.update(series.id, {}, series.version, trx)))
        throw Problems.preconditionFailed();
      await this.requireUnchanged(trx, series.id, [occurrence]);
      await this.apply(
        trx,
        {
          seriesId: series.id,
          agencyId: series.agency_id,
          clientId: series.client_id,
          type,
          resources,
          telehealth: occurrence.telehealth,
          joinUrl: occurrence.join_url,
          createdBy: actorOf(principal),
          reason: 'This occurrence was moved.',
        },
        planned,
        [],
        refused,
      );
      await publishEvent(trx, SchedulingTopics.seriesChanged, {
        seriesId: series.id,
        agencyId: series.agency_id,
        clientId: series.client_id,
        scope: 'this',
      } satisfies SeriesEvent);
    });
    return { ...(await this.view(principal, series.id)), newSeriesId: null };
  }

  /**
   * Writes a plan in the caller's transaction: frees the time of every occurrence replaced or
   * cancelled, then books each planned occurrence under a savepoint so that every refusal of the
   * exclusion constraint is collected (and reported together) before the whole transaction is
   * rolled back.
   */
  private async apply(
    trx: SchedulingDb,
    target: PlanTarget,
    planned: readonly Planned[],
    cancels: readonly AppointmentRow[],
    refused: readonly OccurrenceConflict[] = [],
  ): Promise<void> {
    for (const row of [...planned.flatMap((p) => p.replaces ?? []), ...cancels]) {
      await this.appointments.setBlocking(row.id, false, trx);
    }
    const conflicts: OccurrenceConflict[] = [];
    const skip = new Set(refused.map((c) => c.occurrenceStart));
    for (const p of planned) {
      if (skip.has(p.occurrenceStart)) continue;
      const id = randomUUID();
      await sql`SAVEPOINT occurrence`.execute(trx);
      try {
        await this.appointments.insert(
          {
            id,
            agency_id: target.agencyId,
            client_id: target.clientId,
            appointment_type_id: target.type.id,
            starts_at: p.booking.appointment.start.toISOString(),
            ends_at: p.booking.appointment.end.toISOString(),
            telehealth: p.replaces?.telehealth ?? target.telehealth,
            join_url: p.replaces ? p.replaces.join_url : target.joinUrl,
            notes: p.replaces?.notes ?? null,
            series_id: target.seriesId,
            occurrence_start: p.occurrenceStart,
            series_exception: p.exception,
            rescheduled_from_id: p.replaces?.id ?? null,
            created_by: target.createdBy,
          },
          trx,
        );
        await this.appointments.insertResources(
          target.resources.map((r) => ({
            appointment_id: id,
            resource_id: r.id,
            blocked_from: p.booking.blocked.start.toISOString(),
            blocked_to: p.booking.blocked.end.toISOString(),
          })),
          trx,
        );
        await this.rules.clearOfExceptions(target.agencyId, target.resources, p.booking.blocked, trx);
        await sql`RELEASE SAVEPOINT occurrence`.execute(trx);
      } catch (err) {
        if (!isExclusionViolation(err)) throw err;
        await sql`ROLLBACK TO SAVEPOINT occurrence`.execute(trx);
        const detail = errorDetail(err);
        const taken = target.resources.find((r) => detail.includes(r.id)) ?? target.resources[0];
        conflicts.push({
          occurrenceStart: p.occurrenceStart,
          startsAt: p.booking.appointment.start.toISOString(),
          endsAt: p.booking.appointment.end.toISOString(),
          type: 'slot-unavailable',
          resourceId: taken?.id ?? null,
          detail: `${taken?.name ?? 'A resource'} is already booked at that time.`,
        });
        continue;
      }
      if (p.replaces) {
        const old = p.replaces;
        const moved = await this.appointments.update(
          old.id,
          { status: 'rescheduled', rescheduled_to_id: id, status_reason: target.reason || null },
          old.version,
          trx,
        );
        if (!moved) throw Problems.preconditionFailed();
        await publishEvent(trx, AppointmentTopics.rescheduled, {
          ...event(old, await this.appointments.resourcesOf([old.id], trx)),
          newAppointmentId: id,
        } satisfies AppointmentRescheduledEvent);
        await this.reminders.refresh(await this.locked(trx, old.id), trx);
      }
      const booked = await this.locked(trx, id);
      await publishEvent(trx, AppointmentTopics.booked, event(booked, target.resources));
      await this.reminders.refresh(booked, trx);
    }
    if (refused.length + conflicts.length > 0) {
      throw seriesConflicts([...refused, ...conflicts].sort((a, b) => a.startsAt.localeCompare(b.startsAt)));
    }
    for (const row of cancels) {
      const done = await this.appointments.update(
        row.id,
        { status: 'cancelled', status_reason: target.reason, series_id: target.seriesId },
        row.version,
        trx,
      );
      if (!done) throw Problems.preconditionFailed();
      await publishEvent(trx, AppointmentTopics.cancelled, {
        ...event(row, await this.appointments.resourcesOf([row.id], trx)),
        seriesId: target.seriesId,
      });
      await this.reminders.refresh(await this.locked(trx, row.id), trx);
    }
  }

  /**
   * The planned occurrences the booking rules refuse (hours, leave, closures, credentials on the
   * day). Checked before the transaction; the database then finds the taken slots, and the 409
   * lists both.
   */
  private async ruleConflicts(
    agencyId: string,
    resources: readonly ResourceRow[],
    planned: readonly Planned[],
  ): Promise<OccurrenceConflict[]> {
    const conflicts: OccurrenceConflict[] = [];
    for (const p of planned) {
      try {
        await this.rules.check(agencyId, resources, p.booking);
      } catch (err) {
        if (!(err instanceof ProblemError) || err.status !== 409) throw err;
        const extensions = (err.extensions ?? {}) as { resourceId?: string | null };
        conflicts.push({
          occurrenceStart: p.occurrenceStart,
          startsAt: p.booking.appointment.start.toISOString(),
          endsAt: p.booking.appointment.end.toISOString(),
          type: err.type.replace(/^.*\/problems\//, ''),
          resourceId: extensions.resourceId ?? null,
          detail: err.detail ?? err.title,
        });
      }
    }
    return conflicts;
  }

  private plan(
    type: AppointmentTypeRow,
    startsAt: string,
    occurrenceStart: string,
    exception: boolean,
    replaces?: AppointmentRow,
  ): Planned {
    return {
      occurrenceStart,
      booking: this.rules.booking(type, new Date(startsAt)),
      exception,
      ...(replaces ? { replaces } : {}),
    };
  }

  /** The series row locked for the transaction; 412 when `expect.version` no longer matches. */
  private async lockSeries(
    trx: SchedulingDb,
    series: SeriesRow,
    expect?: { version: number },
  ): Promise<SeriesRow> {
    const locked = await this.series.findById(series.id, trx);
    if (!locked) throw Problems.notFound('series');
    if (expect && locked.version !== expect.version) throw Problems.preconditionFailed();
    requireActive(locked);
    return locked;
  }

  /** The occurrences the plan was made from are still as they were (else 412: read again). */
  private async requireUnchanged(
    trx: SchedulingDb,
    seriesId: string,
    rows: readonly AppointmentRow[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const now = await this.appointments.listOfSeries([seriesId], trx);
    for (const row of rows) {
      const fresh = now.find((r) => r.id === row.id);
      if (fresh?.version !== row.version) throw Problems.preconditionFailed();
    }
  }

  private occurrence(current: readonly AppointmentRow[], id: string): AppointmentRow {
    const row = current.find((r) => r.id === id);
    if (!row) {
      throw Problems.validation([
        { field: 'body.occurrenceId', message: 'Not a current occurrence of this series.' },
      ]);
    }
    return row;
  }

  /** The series' occurrences as they stand (rows replaced by a move are left out). */
  private async current(seriesId: string): Promise<AppointmentRow[]> {
    return (await this.appointments.listOfSeries([seriesId])).filter((r) => r.status !== 'rescheduled');
  }

  private storedRule(series: SeriesRow): RecurrenceRule {
    const parsed = parseRecurrence(series.rrule);
    if (!parsed.ok) throw new Error(`stored rule of series ${series.id} does not parse`);
    return parsed.rule;
  }

  private async locked(trx: SchedulingDb, id: string): Promise<AppointmentRow> {
    const row = await this.appointments.lock(id, trx);
    if (!row) throw Problems.notFound('appointment');
    return row;
  }

  /** The series through its client: another agency's → 404, a client out of scope → 403. */
  private async reach(principal: Principal, id: string, permission: string): Promise<SeriesRow> {
    const row = await this.series.findById(id);
    if (!row) throw Problems.notFound('series');
    if (row.agency_id !== principal.agencyId && principal.grants[permission] !== 'all') {
      throw Problems.notFound('series');
    }
    let clientId: string;
    try {
      clientId = (await this.clients.require(principal, row.client_id, permission)).client.id;
    } catch (err) {
      if (err instanceof ProblemError && err.status === 404) throw Problems.notFound('series');
      throw err;
    }
    // Occurrences at a 42 CFR Part 2 program of the client's: the series is theirs to see, or no one's.
    const occurrences = await this.current(row.id);
    const standings = await this.access.part2Standings(
      principal,
      occurrences.map((o) => ({ appointmentId: o.id, clientId })),
      await this.appointments.resourcesOf(occurrences.map((o) => o.id)),
    );
    if ([...standings.values()].includes('withheld')) throw part2Withheld();
    return row;
  }

  /** The series' client as the clients module now knows them (the survivor of a merge). */
  private async clientOf(series: SeriesRow): Promise<string> {
    return (await this.clients.resolve(series.client_id))?.id ?? series.client_id;
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

  /** The series' type, retired or not (its occurrences keep their type). */
  private async anyTypeFor(series: SeriesRow): Promise<AppointmentTypeRow> {
    const type = await this.resources.findType(series.appointment_type_id);
    if (!type) throw Problems.notFound('appointment type');
    return type;
  }

  private get zone(): string {
    return this.rules.clock.timeZone;
  }

  private async view(principal: Principal, id: string): Promise<SeriesView> {
    const row = await this.series.findById(id);
    if (!row) throw Problems.notFound('series');
    const occurrences = await this.current(row.id);
    const booked = await this.appointments.resourcesOf(occurrences.map((o) => o.id));
    const clientName = await this.access.nameOf(row.client_id);
    const clientId = await this.clientOf(row);
    const standings = await this.access.part2Standings(
      principal,
      occurrences.map((o) => ({ appointmentId: o.id, clientId })),
      booked,
    );
    return {
      id: row.id,
      agencyId: row.agency_id,
      clientId: row.client_id,
      appointmentTypeId: row.appointment_type_id,
      resourceIds: row.resource_ids,
      recurrence: row.rrule,
      firstStart: row.first_start.toISOString(),
      wallTime: row.wall_time,
      timeZone: row.time_zone,
      durationMinutes: row.duration_minutes,
      telehealth: row.telehealth,
      joinUrl: row.join_url,
      status: row.status,
      splitFromId: row.split_from_id,
      newSeriesId: null,
      occurrences: occurrences.map((o) => {
        const standing = standings.get(o.id);
        return toAppointmentView(o, booked, standing === 'withheld', clientName, standing === 'disclosed');
      }),
      redisclosureNotice: part2Disclosure([...standings.values()].includes('disclosed'), 0)
        .redisclosureNotice,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

/** Past, checked-in, completed, cancelled, no-show and moved-on-their-own occurrences stay put. */
function movable(row: AppointmentRow, now: Date): boolean {
  return row.status === 'booked' && row.starts_at.getTime() > now.getTime() && !row.series_exception;
}

function notMovable(row: AppointmentRow): ProblemError {
  return new ProblemError({
    status: 409,
    type: 'occurrence-not-movable',
    title: 'Occurrence cannot be moved',
    detail: 'Only a booked occurrence that has not started can be moved.',
    extensions: { occurrenceId: row.id, status: row.status },
  });
}

function requireActive(series: SeriesRow): void {
  if (series.status !== 'active')
    throw Problems.conflict('A cancelled series cannot be changed.', 'series-cancelled');
}

function seriesConflicts(conflicts: OccurrenceConflict[]): ProblemError {
  return new ProblemError({
    status: 409,
    type: 'series-conflicts',
    title: 'Occurrences cannot be booked',
    detail: `${conflicts.length} occurrence${conflicts.length === 1 ? '' : 's'} cannot be booked; nothing was booked.`,
    extensions: { conflicts },
  });
}

/** Local time of day of an instant, `HH:MM:SS`. */
function localTime(instant: string, zone: string): string {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(zone).toPlainTime().toString();
}

/** Local date of an instant, `YYYY-MM-DD`. */
function dayIn(instant: string, zone: string): string {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(zone).toPlainDate().toString();
}
