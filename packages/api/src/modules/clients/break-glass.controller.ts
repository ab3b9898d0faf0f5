import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  BreakGlassListResponse,
  BreakGlassResponse,
  PrivacyReviewListResponse,
  PrivacyReviewQuery,
  PrivacyReviewResponse,
  RequestBreakGlassBody,
  ReviewBreakGlassBody,
  ReviewIdParams,
} from './break-glass.dto.js';
import { BREAK_GLASS_REQUEST, BREAK_GLASS_REVIEW, BreakGlassService } from './break-glass.service.js';
import { ClientIdParams } from './clients.dto.js';

type IdParams = z.output<typeof ClientIdParams>;
type ReviewParams = z.output<typeof ReviewIdParams>;
const GRANTS = { resource: 'clients.break_glass', phi: true } as const;
const REVIEWS = { resource: 'clients.privacy_reviews', phi: true } as const;

/** Break-the-glass: emergency access with a stated reason, and the privacy officer's review of it. */
@Controller('api/v1/clients')
export class BreakGlassController {
  constructor(private readonly breakGlass: BreakGlassService) {}

  @Post(':id/break-glass')
  @RequirePermission(BREAK_GLASS_REQUEST, GRANTS)
  @Doc({
    summary: 'Emergency access to a client of my agency outside my scope (reason required; reviewed)',
    response: BreakGlassResponse,
    status: 201,
  })
  request(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: RequestBreakGlassBody }) body: RequestBreakGlassBody,
  ) {
    return this.breakGlass.request(me, params.id, body);
  }

  @Get('break-glass/mine')
  @RequirePermission(BREAK_GLASS_REQUEST, GRANTS)
  @Doc({ summary: 'My emergency access grants still in force', response: BreakGlassListResponse })
  mine(@CurrentPrincipal() me: Principal) {
    return this.breakGlass.mine(me);
  }

  @Get('privacy-reviews')
  @RequirePermission(BREAK_GLASS_REVIEW, REVIEWS)
  @Doc({
    summary: 'The review queue of emergency accesses, oldest first',
    response: PrivacyReviewListResponse,
  })
  reviews(
    @CurrentPrincipal() me: Principal,
    @Query({ schema: PrivacyReviewQuery }) query: PrivacyReviewQuery,
  ) {
    return this.breakGlass.reviews(me, query);
  }

  @Post('privacy-reviews/:id/review')
  @RequirePermission(BREAK_GLASS_REVIEW, REVIEWS)
  @Doc({
    summary: 'Record whether an emergency access was appropriate (If-Match required; not your own)',
    response: PrivacyReviewResponse,
  })
  async review(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ReviewIdParams }) params: ReviewParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: ReviewBreakGlassBody }) body: ReviewBreakGlassBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.breakGlass.review(me, params.id, versionFromIfMatch(ifMatch), body));
  }
}
