import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { withEtag } from '../../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { IdParams } from './resources.dto.js';
import {
  CreateWaitlistEntryBody,
  WaitlistEntryResponse,
  WaitlistListQuery,
  WaitlistListResponse,
  WithdrawBody,
} from './waitlist.dto.js';
import { Waitlist } from './waitlist.service.js';

type Id = z.output<typeof IdParams>;
/** Waitlist entries name a client: audited as PHI. */
const ENTRY = { resource: 'scheduling.waitlist', phi: true } as const;

/** Clients waiting for a slot; freed slots are offered to them (see Waitlist). */
@Controller('api/v1/scheduling/waitlist')
export class WaitlistController {
  constructor(private readonly waitlist: Waitlist) {}

  @Post()
  @RequirePermission('scheduling.appointments.write', ENTRY)
  @Doc({
    summary: 'Put a client on the waitlist for an appointment type',
    description:
      'Criteria: preferred resources, earliest/latest local dates, times of day, priority (1 most urgent). ' +
      'A freed slot that fits is offered to the most urgent, longest-waiting entry.',
    response: WaitlistEntryResponse,
    status: 201,
  })
  async add(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateWaitlistEntryBody }) body: CreateWaitlistEntryBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.waitlist.add(me, body));
  }

  @Get()
  @RequirePermission('scheduling.appointments.read', ENTRY)
  @Doc({
    summary: 'Waitlist entries of the agency (waiting and offered by default), most urgent first',
    description: 'Only entries whose client is in your scope.',
    response: WaitlistListResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: WaitlistListQuery }) query: WaitlistListQuery,
  ) {
    return { items: await this.waitlist.list(me, query), timeZone: this.waitlist.timeZone };
  }

  @Get(':id')
  @RequirePermission('scheduling.appointments.read', ENTRY)
  @Doc({ summary: 'One waitlist entry with its open offer', response: WaitlistEntryResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.waitlist.get(me, params.id));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @RequirePermission('scheduling.appointments.write', ENTRY)
  @Doc({ summary: 'Take an entry off the waitlist (its open offer ends)', response: WaitlistEntryResponse })
  async withdraw(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: IdParams }) params: Id,
    @Body({ schema: WithdrawBody }) body: WithdrawBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.waitlist.withdraw(me, params.id, body));
  }
}
