import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { withRedisclosureNotice } from '../../clients/part2.js';
import { DisplacedListQuery, DisplacedListResponse, ExceptionChangeResponse } from './displaced.dto.js';
import {
  AppointmentTypeListQuery,
  AppointmentTypeListResponse,
  AppointmentTypeResponse,
  CreateAppointmentTypeBody,
  CreateExceptionBody,
  CreateResourceBody,
  ExceptionListQuery,
  ExceptionListResponse,
  HoursResponse,
  IdParams,
  PatchAppointmentTypeBody,
  PatchExceptionBody,
  PatchResourceBody,
  PutHoursBody,
  ResourceListQuery,
  ResourceListResponse,
  ResourceResponse,
} from './resources.dto.js';
import { ResourcesService } from './resources.service.js';

type Id = z.output<typeof IdParams>;
const RESOURCE = { resource: 'scheduling.resources' } as const;
const EXCEPTION = { resource: 'scheduling.resource_exceptions' } as const;
/** Adding or widening one answers with the bookings it covers, naming clients the caller may see. */
const EXCEPTION_CHANGE = { resource: 'scheduling.resource_exceptions', phi: true } as const;
const TYPE = { resource: 'scheduling.appointment_types' } as const;

/** Resources with their hours and exceptions, and appointment types, of the caller's agency. */
@Controller('api/v1/scheduling')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get('resources')
  @RequirePermission('scheduling.resources.read', RESOURCE)
  @Doc({
    summary: 'Bookable resources of my agency (providers, rooms, vehicles, equipment)',
    response: ResourceListResponse,
  })
  list(@CurrentPrincipal() me: Principal, @Query({ schema: ResourceListQuery }) query: ResourceListQuery) {
    return this.resources.list(me, query);
  }

  @Post('resources')
  @RequirePermission('scheduling.resources.manage', RESOURCE)
  @Doc({ summary: 'Add a resource', response: ResourceResponse, status: 201 })
  async create(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateResourceBody }) body: CreateResourceBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.resources.create(me, body));
  }

  @Get('resources/:id')
  @RequirePermission('scheduling.resources.read', RESOURCE)
  @Doc({ summary: 'One resource (ETag carries the version)', response: ResourceResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.resources.get(me, params.id));
  }

  @Patch('resources/:id')
  @RequirePermission('scheduling.resources.manage', RESOURCE)
  @Doc({ summary: 'Change or retire a resource (If-Match required)', response: ResourceResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchResourceBody }) body: PatchResourceBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.resources.patch(me, params.id, versionFromIfMatch(ifMatch), body));
  }

  @Get('resources/:id/hours')
  @RequirePermission('scheduling.resources.read', RESOURCE)
  @Doc({ summary: "A resource's weekly working hours, local to the agency's zone", response: HoursResponse })
  hours(@CurrentPrincipal() me: Principal, @Param({ schema: IdParams }) params: Id) {
    return this.resources.hours(me, params.id);
  }

  @Put('resources/:id/hours')
  @RequirePermission('scheduling.resources.manage', RESOURCE)
  @Doc({
    summary: "Replace a resource's weekly working hours (If-Match: the resource's ETag)",
    description: 'The resource version moves on; the new ETag is returned.',
    response: HoursResponse,
  })
  async putHours(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PutHoursBody }) body: PutHoursBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { version, ...view } = await this.resources.putHours(
      me,
      params.id,
      versionFromIfMatch(ifMatch),
      body,
    );
    withEtag(reply, { version });
    return view;
  }

  @Get('exceptions')
  @RequirePermission('scheduling.resources.read', EXCEPTION)
  @Doc({
    summary:
      'Leave, holidays and closures overlapping a range: of one resource (with the agency-wide ones), or agency-wide',
    response: ExceptionListResponse,
  })
  async exceptions(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: ExceptionListQuery }) query: ExceptionListQuery,
  ) {
    return { items: await this.resources.exceptions(me, query) };
  }

  @Post('exceptions')
  @RequirePermission('scheduling.resources.manage', EXCEPTION_CHANGE)
  @Doc({
    summary: 'Add leave for a resource, or an agency-wide holiday or closure',
    description:
      'Booked appointments still to come inside it are not cancelled: without acknowledgeConflicts=true the ' +
      'answer is 409 appointments-affected listing them (withheld as on calendars: clients outside your ' +
      'scope, 42 CFR Part 2 appointments you may not see) and nothing is ' +
      'added; acknowledged, each is announced (scheduling.appointment.displaced) and listed in the answer.',
    response: ExceptionChangeResponse,
    status: 201,
  })
  async addException(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateExceptionBody }) body: CreateExceptionBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.resources.addException(me, body)));
  }

  @Patch('exceptions/:id')
  @RequirePermission('scheduling.resources.manage', EXCEPTION_CHANGE)
  @Doc({
    summary: 'Widen, narrow or move an exception, or change its reason (If-Match required)',
    description:
      'Bookings the new range covers that the old one did not are handled as when adding one: ' +
      '409 appointments-affected unless acknowledgeConflicts=true.',
    response: ExceptionChangeResponse,
  })
  async changeException(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchExceptionBody }) body: PatchExceptionBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const changed = await this.resources.changeException(me, params.id, versionFromIfMatch(ifMatch), body);
    return withRedisclosureNotice(reply, withEtag(reply, changed));
  }

  @Get('displaced-appointments')
  @RequirePermission('scheduling.appointments.read', { resource: 'scheduling.appointments', phi: true })
  @Doc({
    summary: 'Booked appointments still to come that leave, a holiday or a closure covers (the worklist)',
    description:
      'By start, with the exceptions covering each; they stay here until moved or cancelled. Appointments ' +
      'whose client you may not see come back withheld, as on calendars (so do 42 CFR Part 2 ones you may not ' +
      'see; `withheld` counts them, `redisclosureNotice` comes when a Part 2 one is shown).',
    response: DisplacedListResponse,
  })
  async displaced(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: DisplacedListQuery }) query: DisplacedListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.resources.displacedAppointments(me, query));
  }

  @Delete('exceptions/:id')
  @HttpCode(204)
  @RequirePermission('scheduling.resources.manage', EXCEPTION)
  @Doc({ summary: 'Remove an exception' })
  async removeException(@CurrentPrincipal() me: Principal, @Param({ schema: IdParams }) params: Id) {
    await this.resources.removeException(me, params.id);
  }

  @Get('appointment-types')
  @RequirePermission('scheduling.resources.read', TYPE)
  @Doc({ summary: 'Appointment types of my agency', response: AppointmentTypeListResponse })
  async types(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: AppointmentTypeListQuery }) query: AppointmentTypeListQuery,
  ) {
    return { items: await this.resources.types(me, query) };
  }

  @Post('appointment-types')
  @RequirePermission('scheduling.resources.manage', TYPE)
  @Doc({ summary: 'Add an appointment type', response: AppointmentTypeResponse, status: 201 })
  async createType(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateAppointmentTypeBody }) body: CreateAppointmentTypeBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.resources.createType(me, body));
  }

  @Get('appointment-types/:id')
  @RequirePermission('scheduling.resources.read', TYPE)
  @Doc({ summary: 'One appointment type (ETag carries the version)', response: AppointmentTypeResponse })
  async type(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.resources.type(me, params.id));
  }

  @Patch('appointment-types/:id')
  @RequirePermission('scheduling.resources.manage', TYPE)
  @Doc({
    summary: 'Change or retire an appointment type (If-Match required)',
    response: AppointmentTypeResponse,
  })
  async patchType(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchAppointmentTypeBody }) body: PatchAppointmentTypeBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.resources.patchType(me, params.id, versionFromIfMatch(ifMatch), body));
  }
}
