import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { withRedisclosureNotice } from '../../clients/part2.js';
import { IdParams } from './resources.dto.js';
import { CancelSeriesBody, CreateSeriesBody, PatchSeriesBody, SeriesResponse } from './series.dto.js';
import { AppointmentSeries } from './series.service.js';

type Id = z.output<typeof IdParams>;
/** A series names a client: audited as PHI. */
const SERIES = { resource: 'scheduling.series', phi: true } as const;

/** Recurring appointment series: booked, edited and cancelled as a whole, atomically. */
@Controller('api/v1/scheduling/series')
export class SeriesController {
  constructor(private readonly series: AppointmentSeries) {}

  @Post()
  @RequirePermission('scheduling.appointments.write', SERIES)
  @Doc({
    summary: 'Book a recurring series (RRULE) for a client: every occurrence or none',
    description:
      'Occurrences keep their local time across DST. When any occurrence is taken or breaks a booking rule, ' +
      'nothing is booked and 409 series-conflicts lists each one (startsAt, resourceId, type).',
    response: SeriesResponse,
    status: 201,
  })
  async create(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateSeriesBody }) body: CreateSeriesBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.series.create(me, body)));
  }

  @Get(':id')
  @RequirePermission('scheduling.appointments.read', SERIES)
  @Doc({
    summary: 'A series and its current occurrences (ETag carries the version)',
    response: SeriesResponse,
  })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.series.get(me, params.id)));
  }

  @Patch(':id')
  @RequirePermission('scheduling.appointments.write', SERIES)
  @Doc({
    summary: 'Edit one occurrence, this and following (splits the series), or all future ones (If-Match)',
    description:
      'Past, checked-in, completed, cancelled and no-show occurrences never move; "all" also leaves occurrences ' +
      'moved on their own. Atomic: a conflict anywhere answers 409 series-conflicts and changes nothing.',
    response: SeriesResponse,
  })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchSeriesBody }) body: PatchSeriesBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(
      reply,
      withEtag(reply, await this.series.patch(me, params.id, versionFromIfMatch(ifMatch), body)),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', SERIES)
  @Doc({
    summary: 'Cancel one occurrence, this and following (the series ends before it), or the whole series',
    description:
      'Only booked occurrences that have not started are cancelled; the freed slots go to the waitlist.',
    response: SeriesResponse,
  })
  async cancel(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: CancelSeriesBody }) body: CancelSeriesBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, withEtag(reply, await this.series.cancel(me, params.id, body)));
  }
}
