import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  ClientSignatureBody,
  CompletePlanBody,
  PlanBody,
  PlanIdParams,
  PlanListResponse,
  PlanParams,
  PlanResponse,
  ReviewBody,
  ReviewListResponse,
  ReviewResponse,
  ReviseBody,
} from './service-plans.dto.js';
import { ServicePlansService } from './service-plans.service.js';

type CaseParams = z.output<typeof PlanParams>;
type OnePlan = z.output<typeof PlanIdParams>;
/** A plan's audit row names the plan (a new one's id once created); the list's names the case. */
const PLAN = { resource: 'cases.service_plans', idParam: 'planId', phi: true } as const;
const PLANS = { resource: 'cases.service_plans', idParam: 'id', phi: true } as const;

/** Service plans of a case: drafted, signed by client and worker (then locked), revised, reviewed. */
@Controller('api/v1/cases/:id/plans')
export class ServicePlansController {
  constructor(private readonly plans: ServicePlansService) {}

  @Get()
  @RequirePermission('cases.cases.read', PLANS)
  @Doc({ summary: 'Service plan versions of a case, newest first', response: PlanListResponse })
  async list(@CurrentPrincipal() me: Principal, @Param({ schema: PlanParams }) params: CaseParams) {
    return { items: await this.plans.list(me, params.id) };
  }

  @Post()
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({
    summary: 'Draft a service plan: dates and goals → objectives → interventions',
    response: PlanResponse,
    status: 201,
  })
  async create(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanParams }) params: CaseParams,
    @Body({ schema: PlanBody }) body: PlanBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.plans.create(me, params.id, body));
  }

  @Get(':planId')
  @RequirePermission('cases.cases.read', PLAN)
  @Doc({ summary: 'One service plan with its goals, objectives and interventions', response: PlanResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.plans.get(me, params.id, params.planId));
  }

  @Put(':planId')
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({
    summary: 'Replace an unsigned draft (If-Match required; a signed plan answers 409 plan-locked)',
    response: PlanResponse,
  })
  async replace(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PlanBody }) body: PlanBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.plans.replace(me, params.id, params.planId, version, body));
  }

  @Delete(':planId')
  @HttpCode(204)
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({ summary: 'Discard an unsigned draft (If-Match required)' })
  async discard(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.plans.discard(me, params.id, params.planId, versionFromIfMatch(ifMatch));
  }

  @Post(':planId/client-signature')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({
    summary: "Record the client's signature: who signed, when, how (If-Match required)",
    response: PlanResponse,
  })
  async signByClient(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: ClientSignatureBody }) body: ClientSignatureBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.plans.signByClient(me, params.id, params.planId, version, body));
  }

  @Post(':planId/worker-signature')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({
    summary: 'Sign the plan as its worker (If-Match required); with both signatures it is in force',
    response: PlanResponse,
  })
  async signByWorker(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.plans.signByWorker(me, params.id, params.planId, version));
  }

  @Post(':planId/revisions')
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({
    summary: 'Start a new version of a signed plan; it supersedes this one once signed',
    response: PlanResponse,
    status: 201,
  })
  async revise(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Body({ schema: ReviseBody }) body: ReviseBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.plans.revise(me, params.id, params.planId, body));
  }

  @Post(':planId/complete')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({ summary: 'Mark the plan in force completed (If-Match required)', response: PlanResponse })
  async complete(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: CompletePlanBody }) body: CompletePlanBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const version = versionFromIfMatch(ifMatch);
    return withEtag(reply, await this.plans.complete(me, params.id, params.planId, version, body));
  }

  @Get(':planId/reviews')
  @RequirePermission('cases.cases.read', PLAN)
  @Doc({ summary: 'Progress reviews of a plan, latest first', response: ReviewListResponse })
  async reviews(@CurrentPrincipal() me: Principal, @Param({ schema: PlanIdParams }) params: OnePlan) {
    return { items: await this.plans.reviews(me, params.id, params.planId) };
  }

  @Post(':planId/reviews')
  @RequirePermission('cases.cases.write', PLAN)
  @Doc({
    summary: 'Record a progress review of the plan in force: a rating and note per goal',
    response: ReviewResponse,
    status: 201,
  })
  async review(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PlanIdParams }) params: OnePlan,
    @Body({ schema: ReviewBody }) body: ReviewBody,
  ) {
    return this.plans.review(me, params.id, params.planId, body);
  }
}
