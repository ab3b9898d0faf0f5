import { Body, Controller, Get, Headers, Param, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  CreateServiceOfferingBody,
  PatchServiceOfferingBody,
  ServiceOfferingIdParams,
  ServiceOfferingListResponse,
  ServiceOfferingResponse,
} from './offerings.dto.js';
import { OfferingsService } from './offerings.service.js';
import { ProviderIdParams } from './providers.dto.js';

type IdParams = z.output<typeof ProviderIdParams>;
type OfferingParams = z.output<typeof ServiceOfferingIdParams>;

/** The services a provider offers. */
@Controller('api/v1/providers')
export class OfferingsController {
  constructor(private readonly offerings: OfferingsService) {}

  @Get(':id/services')
  @RequirePermission('providers.providers.read')
  @Doc({ summary: 'Services a provider offers', response: ServiceOfferingListResponse })
  async list(@CurrentPrincipal() me: Principal, @Param({ schema: ProviderIdParams }) params: IdParams) {
    return { items: await this.offerings.list(me, params.id) };
  }

  @Post(':id/services')
  @RequirePermission('providers.providers.write')
  @Doc({ summary: 'Add a service a provider offers', response: ServiceOfferingResponse, status: 201 })
  async add(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
    @Body({ schema: CreateServiceOfferingBody }) body: CreateServiceOfferingBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.offerings.add(me, params.id, body));
  }

  @Patch(':id/services/:serviceId')
  @RequirePermission('providers.providers.write')
  @Doc({
    summary: 'Change a service a provider offers (If-Match required)',
    response: ServiceOfferingResponse,
  })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ServiceOfferingIdParams }) params: OfferingParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchServiceOfferingBody }) body: PatchServiceOfferingBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.offerings.patch(me, params.id, params.serviceId, versionFromIfMatch(ifMatch), body),
    );
  }
}
