import { isUniqueViolation } from '../../../platform/database/pg-errors.js';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../../platform/auth/principal.js';
import { scopeAllows } from '../../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { isUuid } from '../../../platform/database/ids.js';
import { Problems } from '../../../platform/errors/problem.js';
import { decodeNameCursor, encodeNameCursor } from '../../../platform/http/page-cursor.js';
import { ProviderAccess } from '../../providers/provider-access.js';
import { SchedulingDatabase, type SchedulingDb } from '../scheduling.database.js';
import {
  DisplacedAppointments,
  UnacknowledgedDisplacement,
  type Displaced,
  type DisplacedViews,
} from './displaced-appointments.js';
import type { DisplacedListQuery, ExceptionChangeView } from './displaced.dto.js';
import type {
  AppointmentTypeListQuery,
  AppointmentTypeView,
  CreateAppointmentTypeBody,
  CreateExceptionBody,
  CreateResourceBody,
  ExceptionListQuery,
  ExceptionView,
  HoursView,
  PatchAppointmentTypeBody,
  PatchExceptionBody,
  PatchResourceBody,
  PutHoursBody,
  ResourceListQuery,
  ResourceView,
} from './resources.dto.js';
import {
  ResourcesRepository,
  type AppointmentTypeChanges,
  type ExceptionRow,
  type ResourceChanges,
  type WorkingHoursRow,
} from './resources.repository.js';
import { actorOf, RESOURCES_MANAGE, RESOURCES_READ, SchedulingAccess } from './scheduling-access.js';
import { toAppointmentTypeView, toExceptionView, toResourceView } from './views.js';

/**
 * Resources (providers, rooms, vehicles, equipment) with their working hours and exceptions,
 * and appointment types. No PHI: every staff member may read them within their agency.
 */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly database: SchedulingDatabase,
    private readonly resources: ResourcesRepository,
    private readonly access: SchedulingAccess,
    private readonly providers: ProviderAccess,
    private readonly displaced: DisplacedAppointments,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    principal: Principal,
    query: ResourceListQuery,
  ): Promise<{ items: ResourceView[]; nextCursor: string | null }> {
    const scope = principal.grants[RESOURCES_READ];
    if ((scope !== 'agency' && scope !== 'all') || !isUuid(principal.agencyId))
      return { items: [], nextCursor: null };
    const rows = await this.resources.list({
      agencyId: principal.agencyId,
      kind: query.kind,
      providerId: query.providerId,
      active: query.active,
      after: query.cursor ? decodeNameCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toResourceView),
      nextCursor:
        rows.length > query.limit && last ? encodeNameCursor({ name: last.name, id: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ResourceView> {
    return toResourceView(await this.access.resource(principal, id, RESOURCES_READ));
  }

  async create(principal: Principal, body: CreateResourceBody): Promise<ResourceView> {
    const agencyId = principal.agencyId;
    const target = { agencyId, programIds: body.programId ? [body.programId] : [] };
    if (!isUuid(agencyId) || !scopeAllows(principal, RESOURCES_MANAGE, target)) {
      throw Problems.forbidden(
        'Resources are added by those who manage them for their program or the agency.',
      );
    }
    if (body.providerId !== null) {
      const provider = await this.providers.require(principal, body.providerId, 'providers.providers.read');
      if (provider.agency_id !== agencyId) throw Problems.notFound('provider');
    }
    const id = randomUUID();
    await this.resources
      .insert({
        id,
        agency_id: agencyId,
        kind: body.kind,
        provider_id: body.providerId,
        name: body.name,
        program_id: body.programId,
        location: body.location,
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) {
          throw Problems.conflict('This provider already has a resource.', 'provider-resource-exists');
        }
        throw err;
      });
    return this.view(id);
  }

  async patch(
    principal: Principal,
    id: string,
    version: number,
    body: PatchResourceBody,
  ): Promise<ResourceView> {
    const row = await this.access.resource(principal, id, RESOURCES_MANAGE);
    if (row.version !== version) throw Problems.preconditionFailed();
    if (body.programId !== undefined && body.programId !== null) {
      if (
        !scopeAllows(principal, RESOURCES_MANAGE, { agencyId: row.agency_id, programIds: [body.programId] })
      ) {
        throw Problems.forbidden('You may move a resource only to a program you manage.');
      }
    }
    const changes: ResourceChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.programId !== undefined) changes.program_id = body.programId;
    if (body.location !== undefined) changes.location = body.location;
    if (body.active !== undefined) changes.active = body.active;
    if (!(await this.resources.update(id, changes, version))) throw Problems.preconditionFailed();
    return this.view(id);
  }

  async hours(principal: Principal, id: string): Promise<HoursView> {
    await this.access.resource(principal, id, RESOURCES_READ);
    return this.hoursView(id, await this.resources.hoursOf([id]));
  }

  /** Replaces the resource's weekly hours; the resource's version (ETag) moves on. */
  async putHours(
    principal: Principal,
    id: string,
    version: number,
    body: PutHoursBody,
  ): Promise<HoursView & { version: number }> {
    const row = await this.access.resource(principal, id, RESOURCES_MANAGE);
    if (row.version !== version) throw Problems.preconditionFailed();
    await this.database.transaction(async (trx) => {
      if (!(await this.resources.update(id, {}, version, trx))) throw Problems.preconditionFailed();
      await this.resources.replaceHours(
        id,
        body.hours.map((h) => ({
          id: randomUUID(),
          resource_id: id,
          weekday: h.weekday,
          starts_at: h.startsAt,
          ends_at: h.endsAt,
          effective_from: h.effectiveFrom,
          effective_to: h.effectiveTo,
        })),
        trx,
      );
    });
    return { ...this.hoursView(id, await this.resources.hoursOf([id])), version: version + 1 };
  }

  async exceptions(principal: Principal, query: ExceptionListQuery): Promise<ExceptionView[]> {
    if (query.resourceId) await this.access.resource(principal, query.resourceId, RESOURCES_READ);
    else this.access.agencyRecord(principal, principal.agencyId, RESOURCES_READ, 'closure');
    const rows = await this.resources.exceptionsDuring(
      principal.agencyId,
      query.resourceId ? [query.resourceId] : [],
      query.from,
      query.to,
    );
    return rows.map(toExceptionView);
  }

  /**
   * Leave, a holiday or a closure: for one resource, or (no resource) agency-wide. It stops new
   * bookings in its range. Booked appointments still to come that it covers are not cancelled:
   * unless `acknowledgeConflicts`, nothing is added and 409 `appointments-affected` lists them;
   * acknowledged, each is announced displaced in the same transaction and listed in the answer.
   */
  async addException(principal: Principal, body: CreateExceptionBody): Promise<ExceptionChangeView> {
    let agencyId = principal.agencyId;
    if (body.resourceId !== null) {
      agencyId = (await this.access.resource(principal, body.resourceId, RESOURCES_MANAGE)).agency_id;
    } else {
      this.access.agencyRecord(principal, agencyId, RESOURCES_MANAGE, 'closure');
    }
    const id = randomUUID();
    const { row, displaced } = await this.displacing(principal, () =>
      this.database.transaction(async (trx) => {
        await this.resources.lockResources(agencyId, body.resourceId, trx);
        await this.resources.insertException(
          {
            id,
            agency_id: agencyId,
            resource_id: body.resourceId,
            starts_at: body.startsAt,
            ends_at: body.endsAt,
            kind: body.kind,
            reason: body.reason,
            created_by: actorOf(principal),
          },
          trx,
        );
        return this.settle(await this.exceptionIn(id, trx), body.acknowledgeConflicts, trx);
      }),
    );
    return this.changeView(principal, row, displaced);
  }

  /**
   * Widens, narrows or moves an exception (If-Match: its version). Bookings the new range covers
   * that the old one did not are treated as when adding one: 409 unless acknowledged, then announced.
   */
  async changeException(
    principal: Principal,
    id: string,
    version: number,
    body: PatchExceptionBody,
  ): Promise<ExceptionChangeView> {
    const current = await this.manageableException(principal, id);
    if (current.version !== version) throw Problems.preconditionFailed();
    const startsAt = body.startsAt ?? current.starts_at.toISOString();
    const endsAt = body.endsAt ?? current.ends_at.toISOString();
    if (Date.parse(startsAt) >= Date.parse(endsAt)) {
      throw Problems.validation([
        { field: body.endsAt ? 'body.endsAt' : 'body.startsAt', message: 'endsAt is after startsAt.' },
      ]);
    }
    const { row, displaced } = await this.displacing(principal, () =>
      this.database.transaction(async (trx) => {
        await this.resources.lockResources(current.agency_id, current.resource_id, trx);
        const before = await this.displaced.idsOf(current, trx);
        const changes = { starts_at: startsAt, ends_at: endsAt, reason: body.reason ?? current.reason };
        if (!(await this.resources.updateException(id, changes, version, trx))) {
          throw Problems.preconditionFailed();
        }
        return this.settle(await this.exceptionIn(id, trx), body.acknowledgeConflicts, trx, before);
      }),
    );
    return this.changeView(principal, row, displaced);
  }

  /** The worklist: booked appointments still to come that leave, a holiday or a closure covers. */
  async displacedAppointments(
    principal: Principal,
    query: DisplacedListQuery,
  ): Promise<DisplacedViews & { timeZone: string; nextCursor: string | null }> {
    if (query.resourceId) await this.access.resource(principal, query.resourceId, RESOURCES_READ);
    if (query.exceptionId) {
      const exception = await this.resources.findException(query.exceptionId);
      if (exception?.agency_id !== principal.agencyId) throw Problems.notFound('exception');
    }
    const { more, ...page } = await this.displaced.page(principal, {
      agencyId: principal.agencyId,
      exceptionId: query.exceptionId,
      resourceId: query.resourceId,
      from: query.from,
      to: query.to,
      after: query.cursor ? startCursor(query.cursor) : undefined,
      limit: query.limit,
    });
    const last = page.items[page.items.length - 1]?.appointment;
    return {
      timeZone: this.config.AGENCY_TIME_ZONE,
      ...page,
      nextCursor: more && last ? encodeNameCursor({ name: last.startsAt, id: last.id }) : null,
    };
  }

  async removeException(principal: Principal, id: string): Promise<void> {
    await this.manageableException(principal, id);
    await this.resources.deleteException(id);
  }

  async types(principal: Principal, query: AppointmentTypeListQuery): Promise<AppointmentTypeView[]> {
    const scope = principal.grants[RESOURCES_READ];
    if (scope !== 'agency' && scope !== 'all') return [];
    return (await this.resources.listTypes(principal.agencyId, query.active ?? false)).map(
      toAppointmentTypeView,
    );
  }

  async type(principal: Principal, id: string): Promise<AppointmentTypeView> {
    return toAppointmentTypeView(await this.access.appointmentType(principal, id, RESOURCES_READ));
  }

  async createType(principal: Principal, body: CreateAppointmentTypeBody): Promise<AppointmentTypeView> {
    this.access.agencyRecord(principal, principal.agencyId, RESOURCES_MANAGE, 'appointment type');
    const id = randomUUID();
    await this.resources
      .insertType({
        id,
        agency_id: principal.agencyId,
        code: body.code,
        name: body.name,
        duration_minutes: body.durationMinutes,
        buffer_before_minutes: body.bufferBeforeMinutes,
        buffer_after_minutes: body.bufferAfterMinutes,
        allowed_resource_kinds: body.allowedResourceKinds,
        telehealth_allowed: body.telehealthAllowed,
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) {
          throw Problems.conflict('The agency already has an appointment type with this code.', 'code-taken');
        }
        throw err;
      });
    return this.typeView(id);
  }

  /** Changes apply to appointments booked from now on; booked ones keep their times. */
  async patchType(
    principal: Principal,
    id: string,
    version: number,
    body: PatchAppointmentTypeBody,
  ): Promise<AppointmentTypeView> {
    const row = await this.access.appointmentType(principal, id, RESOURCES_MANAGE);
    if (row.version !== version) throw Problems.preconditionFailed();
    const changes: AppointmentTypeChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.durationMinutes !== undefined) changes.duration_minutes = body.durationMinutes;
    if (body.bufferBeforeMinutes !== undefined) changes.buffer_before_minutes = body.bufferBeforeMinutes;
    if (body.bufferAfterMinutes !== undefined) changes.buffer_after_minutes = body.bufferAfterMinutes;
    if (body.allowedResourceKinds !== undefined) changes.allowed_resource_kinds = body.allowedResourceKinds;
    if (body.telehealthAllowed !== undefined) changes.telehealth_allowed = body.telehealthAllowed;
    if (body.active !== undefined) changes.active = body.active;
    if (!(await this.resources.updateType(id, changes, version))) throw Problems.preconditionFailed();
    return this.typeView(id);
  }

  private async manageableException(principal: Principal, id: string): Promise<ExceptionRow> {
    const row = await this.resources.findException(id);
    if (!row) throw Problems.notFound('exception');
    if (row.resource_id) await this.access.resource(principal, row.resource_id, RESOURCES_MANAGE);
    else this.access.agencyRecord(principal, row.agency_id, RESOURCES_MANAGE, 'exception');
    return row;
  }

  private async exceptionIn(id: string, trx: SchedulingDb): Promise<ExceptionRow> {
    const row = await this.resources.findException(id, trx);
    if (!row) throw Problems.notFound('exception');
    return row;
  }

  /**
   * In the exception's transaction: the bookings it newly covers (not in `before`), refused
   * unless acknowledged, announced otherwise.
   */
  private async settle(
    row: ExceptionRow,
    acknowledged: boolean,
    trx: SchedulingDb,
    before?: ReadonlySet<string>,
  ): Promise<{ row: ExceptionRow; displaced: Displaced }> {
    const displaced = await this.displaced.find(row, trx, before);
    if (displaced.rows.length > 0 && !acknowledged) throw new UnacknowledgedDisplacement(displaced);
    await this.displaced.announce(row, displaced, trx);
    return { row, displaced };
  }

  /** Runs the exception's transaction; an unacknowledged displacement (rolled back) becomes the 409. */
  private async displacing<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof UnacknowledgedDisplacement)) throw err;
      const { displaced } = err;
      throw DisplacedAppointments.problem(
        displaced.rows.length,
        await this.displaced.views(principal, displaced),
      );
    }
  }

  private async changeView(
    principal: Principal,
    row: ExceptionRow,
    displaced: Displaced,
  ): Promise<ExceptionChangeView> {
    const { items, ...disclosure } = await this.displaced.views(principal, displaced);
    return {
      ...toExceptionView(row),
      affectedCount: displaced.rows.length,
      affectedAppointments: items,
      ...disclosure,
    };
  }

  private hoursView(resourceId: string, rows: readonly WorkingHoursRow[]): HoursView {
    return {
      resourceId,
      timeZone: this.config.AGENCY_TIME_ZONE,
      hours: rows.map((h) => ({
        weekday: h.weekday,
        startsAt: h.starts_at,
        endsAt: h.ends_at,
        effectiveFrom: h.effective_from,
        effectiveTo: h.effective_to,
      })),
    };
  }

  private async typeView(id: string): Promise<AppointmentTypeView> {
    const row = await this.resources.findType(id);
    if (!row) throw Problems.notFound('appointment type');
    return toAppointmentTypeView(row);
  }

  private async view(id: string): Promise<ResourceView> {
    const row = await this.resources.findById(id);
    if (!row) throw Problems.notFound('resource');
    return toResourceView(row);
  }
}

/** The worklist's cursor: the last appointment's start instant and id. */
function startCursor(text: string): { startsAt: string; id: string } {
  const { name, id } = decodeNameCursor(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(name)) {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
  return { startsAt: name, id };
}
