import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  AcceptReferralBody,
  CaseReferralParams,
  CaseReferralsParams,
  DeclineReferralBody,
  IncomingReferralsQuery,
  MakeReferralBody,
  ReferralListResponse,
  ReferralPageResponse,
  ReferralParams,
  ReferralResponse,
} from './referrals.dto.js';
import { ReferralsService } from './referrals.service.js';

type CaseParams = z.output<typeof CaseReferralsParams>;
type OnCase = z.output<typeof CaseReferralParams>;
type OneReferral = z.output<typeof ReferralParams>;
const REFERRAL = { resource: 'cases.referrals', idParam: 'referralId', phi: true } as const;
const REFERRALS = { resource: 'cases.referrals', idParam: 'id', phi: true } as const;

/** Referrals between programs: made from a case, received (accepted or declined) by the other program. */
@Controller('api/v1/cases')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get('referrals')
  @RequirePermission('cases.cases.write', REFERRAL)
  @Doc({
    summary: 'Incoming referrals to the programs I receive for, newest first',
    response: ReferralPageResponse,
  })
  incoming(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: IncomingReferralsQuery }) query: IncomingReferralsQuery,
  ) {
    return this.referrals.incoming(me, query);
  }

  @Post('referrals/:referralId/accept')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', REFERRAL)
  @Doc({
    summary: "Accept a referral: opens the client's case in the receiving program, linked to it",
    response: ReferralResponse,
  })
  async accept(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ReferralParams }) params: OneReferral,
    @Body({ schema: AcceptReferralBody }) body: AcceptReferralBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.referrals.accept(me, params.referralId, body));
  }

  @Post('referrals/:referralId/decline')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', REFERRAL)
  @Doc({ summary: 'Decline a referral with a reason', response: ReferralResponse })
  async decline(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ReferralParams }) params: OneReferral,
    @Body({ schema: DeclineReferralBody }) body: DeclineReferralBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.referrals.decline(me, params.referralId, body));
  }

  @Get(':id/referrals')
  @RequirePermission('cases.cases.read', REFERRALS)
  @Doc({ summary: 'Referrals made from a case, newest first', response: ReferralListResponse })
  async fromCase(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseReferralsParams }) params: CaseParams,
  ) {
    return { items: await this.referrals.fromCase(me, params.id) };
  }

  @Post(':id/referrals')
  @RequirePermission('cases.cases.write', REFERRAL)
  @Doc({ summary: 'Refer the client to another program', response: ReferralResponse, status: 201 })
  async refer(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseReferralsParams }) params: CaseParams,
    @Body({ schema: MakeReferralBody }) body: MakeReferralBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.referrals.refer(me, params.id, body));
  }

  @Post(':id/referrals/:referralId/withdraw')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', REFERRAL)
  @Doc({ summary: 'Withdraw a pending referral made from this case', response: ReferralResponse })
  async withdraw(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseReferralParams }) params: OnCase,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.referrals.withdraw(me, params.id, params.referralId));
  }
}
