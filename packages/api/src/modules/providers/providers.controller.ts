import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  AddCredentialBody,
  CreateProviderBody,
  CredentialIdParams,
  CredentialListResponse,
  CredentialResponse,
  PatchCredentialBody,
  PatchProviderBody,
  ProviderIdParams,
  ProviderListQuery,
  ProviderListResponse,
  ProviderResponse,
  StandingQuery,
  StandingResponse,
} from './providers.dto.js';
import { ProvidersService } from './providers.service.js';

type IdParams = z.output<typeof ProviderIdParams>;
type CredentialParams = z.output<typeof CredentialIdParams>;

/** Provider records and their credentials, limited to the caller's agency. */
@Controller('api/v1/providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  @RequirePermission('providers.providers.read')
  @Doc({ summary: 'Providers of my agency', response: ProviderListResponse })
  list(@CurrentPrincipal() me: Principal, @Query({ schema: ProviderListQuery }) query: ProviderListQuery) {
    return this.providers.list(me, query);
  }

  @Post()
  @RequirePermission('providers.providers.write')
  @Doc({ summary: 'Add a provider', response: ProviderResponse, status: 201 })
  async create(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateProviderBody }) body: CreateProviderBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.providers.create(me, body));
  }

  @Get(':id')
  @RequirePermission('providers.providers.read')
  @Doc({ summary: 'One provider (ETag carries the version)', response: ProviderResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.providers.get(me, params.id));
  }

  @Patch(':id')
  @RequirePermission('providers.providers.write')
  @Doc({ summary: 'Change a provider (If-Match required)', response: ProviderResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchProviderBody }) body: PatchProviderBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.providers.patch(me, params.id, versionFromIfMatch(ifMatch), body));
  }

  @Get(':id/standing')
  @RequirePermission('providers.providers.read')
  @Doc({
    summary: 'Whether a provider may be booked on a day (today by default), and why not',
    description:
      'Not bookable when the provider is inactive or a license or DEA registration has expired; ' +
      'lists expired credentials and those expiring within 30, 60 and 90 days.',
    response: StandingResponse,
  })
  standing(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
    @Query({ schema: StandingQuery }) query: StandingQuery,
  ) {
    return this.providers.standing(me, params.id, query.on);
  }

  @Get(':id/credentials')
  @RequirePermission('providers.providers.read')
  @Doc({ summary: "A provider's credentials", response: CredentialListResponse })
  async credentials(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
  ) {
    return { items: await this.providers.credentials(me, params.id) };
  }

  @Post(':id/credentials')
  @RequirePermission('providers.providers.write')
  @Doc({ summary: 'Add a credential to a provider', response: CredentialResponse, status: 201 })
  async addCredential(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
    @Body({ schema: AddCredentialBody }) body: AddCredentialBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.providers.addCredential(me, params.id, body));
  }

  @Patch(':id/credentials/:credentialId')
  @RequirePermission('providers.providers.write')
  @Doc({ summary: 'Change a credential (If-Match required)', response: CredentialResponse })
  async patchCredential(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CredentialIdParams }) params: CredentialParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchCredentialBody }) body: PatchCredentialBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.providers.patchCredential(
        me,
        params.id,
        params.credentialId,
        versionFromIfMatch(ifMatch),
        body,
      ),
    );
  }
}
