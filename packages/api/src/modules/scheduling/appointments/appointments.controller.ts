import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import {
  AppointmentListQuery,
  AppointmentListResponse,
  AppointmentResponse,
  AVAILABILITY_MAX_DAYS,
  AVAILABILITY_MAX_PROVIDERS,
  AvailabilityQuery,
  AvailabilityResponse,
  CreateAppointmentBody,
  OptionalReasonBody,
  PatchAppointmentBody,
  ReasonBody,
  RescheduleBody,
} from './appointments.dto.js';
import { AppointmentsService } from './appointments.service.js';
import { AvailabilityService } from './availability.service.js';
import { IdParams } from './resources.dto.js';

type Id = z.output<typeof IdParams>;
/** Appointments name a client: every access is audited as PHI. */
const APPOINTMENT = { resource: 'scheduling.appointments', phi: true } as const;

/** Appointments of clients, the calendar and check-in lists, and availability search. */
@Controller('api/v1/scheduling')
export class AppointmentsController {
  constructor(
    private readonly appointments: AppointmentsService,
    private readonly availability: AvailabilityService,
  ) {}

  @Get('availability')
  @RequirePermission('scheduling.appointments.read', { resource: 'scheduling.availability' })
  @Doc({
    summary: 'Free slots of providers over local days for an appointment type',
    description:
      'Per provider: whether they may be booked (an expired license or DEA registration makes them not bookable) ' +
      'and free slots as UTC instants, honouring working hours, leave, holidays, closures, bookings and buffers. ' +
      `At most ${AVAILABILITY_MAX_PROVIDERS} providers and ${AVAILABILITY_MAX_DAYS} days.`,
    response: AvailabilityResponse,
  })
  search(@CurrentPrincipal() me: Principal, @Query({ schema: AvailabilityQuery }) query: AvailabilityQuery) {
    return this.availability.search(me, query);
  }

  @Get('appointments')
  @RequirePermission('scheduling.appointments.read', APPOINTMENT)
  @Doc({
    summary:
      "A client's appointments, or a calendar: a resource's or the agency's in a range or on a local day",
    description:
      'With clientId: that client’s appointments (the client must be in your scope). Otherwise a calendar ' +
      '(resourceId with from/to or date; date alone with status for the check-in list): appointments whose ' +
      'client you may not see come back with clientWithheld=true and no client, notes or link.',
    response: AppointmentListResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: AppointmentListQuery }) query: AppointmentListQuery,
  ) {
    return { timeZone: this.appointments.timeZone, items: await this.appointments.list(me, query) };
  }

  @Post('appointments')
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({
    summary: 'Book an appointment for a client on one or more resources',
    description: 'A slot already taken on any resource answers 409 slot-unavailable naming the resource.',
    response: AppointmentResponse,
    status: 201,
  })
  async book(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateAppointmentBody }) body: CreateAppointmentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.book(me, body));
  }

  @Get('appointments/:id')
  @RequirePermission('scheduling.appointments.read', APPOINTMENT)
  @Doc({ summary: 'One appointment (ETag carries the version)', response: AppointmentResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.get(me, params.id));
  }

  @Patch('appointments/:id')
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({ summary: 'Change the notes or telehealth link (If-Match required)', response: AppointmentResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchAppointmentBody }) body: PatchAppointmentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.patch(me, params.id, versionFromIfMatch(ifMatch), body));
  }

  @Post('appointments/:id/check-in')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({ summary: 'Check the client in (booked → checked-in)', response: AppointmentResponse })
  async checkIn(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.checkIn(me, params.id));
  }

  @Post('appointments/:id/complete')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({ summary: 'Complete a checked-in appointment', response: AppointmentResponse })
  async complete(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.complete(me, params.id));
  }

  @Post('appointments/:id/no-show')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({ summary: 'Mark a booked appointment a no-show (frees the slot)', response: AppointmentResponse })
  async noShow(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: OptionalReasonBody }) body: OptionalReasonBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.noShow(me, params.id, body.reason));
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({ summary: 'Cancel an appointment with a reason (frees the slot)', response: AppointmentResponse })
  async cancel(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: ReasonBody }) body: ReasonBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.cancel(me, params.id, body.reason));
  }

  @Post('appointments/:id/reschedule')
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({
    summary: 'Move a booked appointment: books the new one and marks this one rescheduled, linked both ways',
    description: 'Atomic: when the new time is taken (409) this appointment stays booked.',
    response: AppointmentResponse,
    status: 201,
  })
  async reschedule(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: RescheduleBody }) body: RescheduleBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.appointments.reschedule(me, params.id, body));
  }
}
