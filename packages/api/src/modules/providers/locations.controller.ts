import { Body, Controller, Get, Headers, Param, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  CreateLocationBody,
  LocationIdParams,
  LocationListResponse,
  LocationResponse,
  PatchLocationBody,
} from './locations.dto.js';
import { LocationsService } from './locations.service.js';
import { ProviderIdParams } from './providers.dto.js';

type IdParams = z.output<typeof ProviderIdParams>;
type LocationParams = z.output<typeof LocationIdParams>;

/** A provider's service locations. */
@Controller('api/v1/providers')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Get(':id/locations')
  @RequirePermission('providers.providers.read')
  @Doc({ summary: "A provider's service locations", response: LocationListResponse })
  async list(@CurrentPrincipal() me: Principal, @Param({ schema: ProviderIdParams }) params: IdParams) {
    return { items: await this.locations.list(me, params.id) };
  }

  @Post(':id/locations')
  @RequirePermission('providers.providers.write')
  @Doc({ summary: 'Add a service location to a provider', response: LocationResponse, status: 201 })
  async add(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
    @Body({ schema: CreateLocationBody }) body: CreateLocationBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.locations.add(me, params.id, body));
  }

  @Patch(':id/locations/:locationId')
  @RequirePermission('providers.providers.write')
  @Doc({ summary: 'Change a service location (If-Match required)', response: LocationResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: LocationIdParams }) params: LocationParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchLocationBody }) body: PatchLocationBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.locations.patch(me, params.id, params.locationId, versionFromIfMatch(ifMatch), body),
    );
  }
}
