import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { ClientIdParams } from './clients.dto.js';
import {
  ConsentIdParams,
  ConsentListResponse,
  ConsentResponse,
  CreateConsentBody,
  RevokeConsentBody,
} from './consents.dto.js';
import { CONSENTS_MANAGE, CONSENTS_READ, ConsentsService } from './consents.service.js';
import { withRedisclosureNotice } from './part2.js';

type IdParams = z.output<typeof ClientIdParams>;
type ConsentParams = z.output<typeof ConsentIdParams>;
const PHI = { resource: 'clients.consents', phi: true } as const;

/** A client's consents to disclose, general and 42 CFR Part 2. Audited as PHI. */
@Controller('api/v1/clients')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get(':id/consents')
  @RequirePermission(CONSENTS_READ, PHI)
  @Doc({
    summary: "A client's consents (Part 2 consents you may not see are only counted, in withheld)",
    response: ConsentListResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.consents.list(me, params.id));
  }

  @Post(':id/consents')
  @RequirePermission(CONSENTS_MANAGE, PHI)
  @Doc({
    summary: 'Record a signed consent (Part 2: recipient, purpose, expiry and disclosing program required)',
    response: ConsentResponse,
    status: 201,
  })
  async create(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreateConsentBody }) body: CreateConsentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.consents.create(me, params.id, body));
  }

  @Post(':id/consents/:consentId/revoke')
  @RequirePermission(CONSENTS_MANAGE, PHI)
  @Doc({ summary: 'Revoke a consent (If-Match required)', response: ConsentResponse })
  async revoke(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ConsentIdParams }) params: ConsentParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: RevokeConsentBody }) body: RevokeConsentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.consents.revoke(me, params.id, params.consentId, versionFromIfMatch(ifMatch), body),
    );
  }
}
