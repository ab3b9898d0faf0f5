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
import { SchedulingDatabase } from '../scheduling.database.js';
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
  PatchResourceBody,
  PutHoursBody,
  ResourceListQuery,
  ResourceView,
} from './resources.dto.js';
import {
  ResourcesRepository,
  type AppointmentTypeChanges,
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
   * Leave, a holiday or a closure: for one resource, or (no resource) agency-wide. Existing
   * bookings in the range are kept; the range only stops new ones (reschedule those by hand).
   */
  async addException(principal: Principal, body: CreateExceptionBody): Promise<ExceptionView> {
    let agencyId = principal.agencyId;
    if (body.resourceId !== null) {
      agencyId = (await this.access.resource(principal, body.resourceId, RESOURCES_MANAGE)).agency_id;
    } else {
      this.access.agencyRecord(principal, agencyId, RESOURCES_MANAGE, 'closure');
    }
    const id = randomUUID();
    await this.resources.insertException({
      id,
      agency_id: agencyId,
      resource_id: body.resourceId,
      starts_at: body.startsAt,
      ends_at: body.endsAt,
      kind: body.kind,
      reason: body.reason,
      created_by: actorOf(principal),
    });
    const row = await this.resources.findException(id);
    if (!row) throw Problems.notFound('exception');
    return toExceptionView(row);
  }

  async removeException(principal: Principal, id: string): Promise<void> {
    const row = await this.resources.findException(id);
    if (!row) throw Problems.notFound('exception');
    if (row.resource_id) await this.access.resource(principal, row.resource_id, RESOURCES_MANAGE);
    else this.access.agencyRecord(principal, row.agency_id, RESOURCES_MANAGE, 'exception');
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
