import { Body, Controller, Get, Headers, Param, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { ClientIdParams } from './clients.dto.js';
import {
  CoverageIdParams,
  CoverageListResponse,
  CoverageMemberIdResponse,
  CoverageResponse,
  CreateCoverageBody,
  EndCoverageBody,
  PatchCoverageBody,
} from './coverages.dto.js';
import { CoveragesService } from './coverages.service.js';

type IdParams = z.output<typeof ClientIdParams>;
type CoverageParams = z.output<typeof CoverageIdParams>;
const PHI = { resource: 'clients.clients', phi: true } as const;

/** A client's insurance coverages. Member ids are shown masked; revealing one is its own audited route. */
@Controller('api/v1/clients')
export class CoveragesController {
  constructor(private readonly coverages: CoveragesService) {}

  @Get(':id/coverages')
  @RequirePermission('clients.clients.read', PHI)
  @Doc({ summary: 'Insurance coverages, primary first, newest first', response: CoverageListResponse })
  async list(@CurrentPrincipal() me: Principal, @Param({ schema: ClientIdParams }) params: IdParams) {
    return { items: await this.coverages.list(me, params.id) };
  }

  @Post(':id/coverages')
  @RequirePermission('clients.clients.write', PHI)
  @Doc({
    summary: 'Add a coverage (refused when it overlaps one of the same priority)',
    response: CoverageResponse,
    status: 201,
  })
  async add(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreateCoverageBody }) body: CreateCoverageBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.coverages.add(me, params.id, body));
  }

  @Patch(':id/coverages/:coverageId')
  @RequirePermission('clients.clients.write', PHI)
  @Doc({ summary: 'Change a coverage (If-Match required)', response: CoverageResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CoverageIdParams }) params: CoverageParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchCoverageBody }) body: PatchCoverageBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.coverages.patch(me, params.id, params.coverageId, versionFromIfMatch(ifMatch), body),
    );
  }

  @Post(':id/coverages/:coverageId/end')
  @RequirePermission('clients.clients.write', PHI)
  @Doc({ summary: 'End a coverage (If-Match required)', response: CoverageResponse })
  async end(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CoverageIdParams }) params: CoverageParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: EndCoverageBody }) body: EndCoverageBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.coverages.end(me, params.id, params.coverageId, versionFromIfMatch(ifMatch), body.endDate),
    );
  }

  @Get(':id/coverages/:coverageId/member-id')
  @RequirePermission('clients.identifiers.reveal', { resource: 'clients.identifiers', phi: true })
  @Doc({ summary: "Reveal a coverage's full member id", response: CoverageMemberIdResponse })
  memberId(@CurrentPrincipal() me: Principal, @Param({ schema: CoverageIdParams }) params: CoverageParams) {
    return this.coverages.memberId(me, params.id, params.coverageId);
  }
}
