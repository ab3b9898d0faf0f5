import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { withRedisclosureNotice } from '../../clients/part2.js';
import {
  AppointmentDetailResponse,
  AppointmentListQuery,
  AppointmentListResponse,
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
      'client you may not see come back with clientWithheld=true and no client, notes or link; so do ' +
      '42 CFR Part 2 appointments you may not see (also in a client’s list). `withheld` counts them; ' +
      '`redisclosureNotice` (and the X-Redisclosure-Notice header) comes with a list showing Part 2 ones.',
    response: AppointmentListResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: AppointmentListQuery }) query: AppointmentListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const listed = await this.appointments.list(me, query);
    return withRedisclosureNotice(reply, { timeZone: this.appointments.timeZone, ...listed });
  }

  @Post('appointments')
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({
    summary: 'Book an appointment for a client on one or more resources',
    description: 'A slot already taken on any resource answers 409 slot-unavailable naming the resource.',
    response: AppointmentDetailResponse,
    status: 201,
  })
  async book(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateAppointmentBody }) body: CreateAppointmentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.appointments.book(me, body)));
  }

  @Get('appointments/:id')
  @RequirePermission('scheduling.appointments.read', APPOINTMENT)
  @Doc({
    summary: 'One appointment (ETag carries the version)',
    description:
      'A 42 CFR Part 2 appointment you may not see answers 403 part2-consent-required (so does every change ' +
      'to it); one you may see carries redisclosureNotice and the X-Redisclosure-Notice header.',
    response: AppointmentDetailResponse,
  })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.appointments.get(me, params.id)));
  }

  @Patch('appointments/:id')
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({
    summary: 'Change the notes or telehealth link (If-Match required)',
    response: AppointmentDetailResponse,
  })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchAppointmentBody }) body: PatchAppointmentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(
      reply,
      withEtag(reply, await this.appointments.patch(me, params.id, versionFromIfMatch(ifMatch), body)),
    );
  }

  @Post('appointments/:id/check-in')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({ summary: 'Check the client in (booked → checked-in)', response: AppointmentDetailResponse })
  async checkIn(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.appointments.checkIn(me, params.id)));
  }

  @Post('appointments/:id/complete')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({ summary: 'Complete a checked-in appointment', response: AppointmentDetailResponse })
  async complete(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.appointments.complete(me, params.id)));
  }

  @Post('appointments/:id/no-show')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({
    summary: 'Mark a booked appointment a no-show (frees the slot)',
    response: AppointmentDetailResponse,
  })
  async noShow(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: OptionalReasonBody }) body: OptionalReasonBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(
      reply,
      withEtag(reply, await this.appointments.noShow(me, params.id, body.reason)),
    );
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({
    summary: 'Cancel an appointment with a reason (frees the slot)',
    response: AppointmentDetailResponse,
  })
  async cancel(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: ReasonBody }) body: ReasonBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(
      reply,
      withEtag(reply, await this.appointments.cancel(me, params.id, body.reason)),
    );
  }

  @Post('appointments/:id/reschedule')
  @RequirePermission('scheduling.appointments.write', APPOINTMENT)
  @Doc({
    summary: 'Move a booked appointment: books the new one and marks this one rescheduled, linked both ways',
    description: 'Atomic: when the new time is taken (409) this appointment stays booked.',
    response: AppointmentDetailResponse,
    status: 201,
  })
  async reschedule(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: RescheduleBody }) body: RescheduleBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(
      reply,
      withEtag(reply, await this.appointments.reschedule(me, params.id, body)),
    );
  }
}
