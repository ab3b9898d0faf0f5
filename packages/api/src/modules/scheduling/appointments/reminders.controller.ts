import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { ReminderSchedule } from './reminder-policy.js';
import { ReminderPolicyBody, ReminderPolicyResponse } from './reminders.dto.js';

const POLICY = { resource: 'scheduling.reminder-policy' } as const;

/** The agency's appointment reminder policy (agency admins). */
@Controller('api/v1/scheduling/reminder-policy')
export class RemindersController {
  constructor(private readonly reminders: ReminderSchedule) {}

  @Get()
  @RequirePermission('scheduling.policy.manage', POLICY)
  @Doc({
    summary: "The agency's reminder lead times (the default until one is stored)",
    response: ReminderPolicyResponse,
  })
  async get(@CurrentPrincipal() me: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.reminders.policy(me));
  }

  @Put()
  @RequirePermission('scheduling.policy.manage', POLICY)
  @Doc({
    summary: 'Replace the agency\'s reminder lead times (If-Match; "0" while the default applies)',
    description: 'Applies to appointments booked or moved from now on; reminders already computed stay.',
    response: ReminderPolicyResponse,
  })
  async put(
    @CurrentPrincipal() me: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: ReminderPolicyBody }) body: ReminderPolicyBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.reminders.replacePolicy(me, versionFromIfMatch(ifMatch), body));
  }
}
