import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import {
  CareTeamResponse,
  ClientIdParams,
  ClientListQuery,
  ClientListResponse,
  ClientResponse,
  CreateClientBody,
  CreateEnrollmentBody,
  EndEnrollmentBody,
  EnrollmentIdParams,
  EnrollmentListResponse,
  EnrollmentResponse,
  IdentifiersResponse,
  PatchClientBody,
} from './clients.dto.js';
import { ClientsService } from './clients.service.js';
import { withRedisclosureNotice } from './part2.js';

type IdParams = z.output<typeof ClientIdParams>;
type EnrollmentParams = z.output<typeof EnrollmentIdParams>;
const PHI = { resource: 'clients.clients', phi: true } as const;

/** Client records: registration, demographics, identifiers, enrolments. Every route is audited as PHI. */
@Controller('api/v1/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Get()
  @RequirePermission('clients.clients.read', PHI)
  @Doc({ summary: 'Clients within my scope, by name', response: ClientListResponse })
  list(@CurrentPrincipal() me: Principal, @Query({ schema: ClientListQuery }) query: ClientListQuery) {
    return this.clients.list(me, query);
  }

  @Post()
  @RequirePermission('clients.clients.write', PHI)
  @Doc({ summary: 'Register a client', response: ClientResponse, status: 201 })
  async create(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateClientBody }) body: CreateClientBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.clients.create(me, body));
  }

  @Get(':id')
  @RequirePermission('clients.clients.read', PHI)
  @Doc({ summary: 'One client (a merged id answers with the surviving record)', response: ClientResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.clients.get(me, params.id));
  }

  @Patch(':id')
  @RequirePermission('clients.clients.write', PHI)
  @Doc({ summary: 'Change demographics or identifiers (If-Match required)', response: ClientResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchClientBody }) body: PatchClientBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.clients.patch(me, params.id, versionFromIfMatch(ifMatch), body));
  }

  @Get(':id/identifiers')
  @RequirePermission('clients.identifiers.reveal', { resource: 'clients.identifiers', phi: true })
  @Doc({ summary: 'Reveal the full SSN and Medicaid id', response: IdentifiersResponse })
  identifiers(@CurrentPrincipal() me: Principal, @Param({ schema: ClientIdParams }) params: IdParams) {
    return this.clients.identifiers(me, params.id);
  }

  @Get(':id/care-team')
  @RequirePermission('clients.clients.read', PHI)
  @Doc({ summary: 'Teams and workers serving the client', response: CareTeamResponse })
  careTeam(@CurrentPrincipal() me: Principal, @Param({ schema: ClientIdParams }) params: IdParams) {
    return this.clients.careTeam(me, params.id);
  }

  @Get(':id/enrollments')
  @RequirePermission('clients.clients.read', PHI)
  @Doc({
    summary: "A client's program enrolments (Part 2 ones you may not see are only counted, in withheld)",
    response: EnrollmentListResponse,
  })
  async enrollments(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.clients.enrollments(me, params.id));
  }

  @Post(':id/enrollments')
  @RequirePermission('clients.clients.write', PHI)
  @Doc({ summary: 'Enrol a client in a program', response: EnrollmentResponse, status: 201 })
  async enroll(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreateEnrollmentBody }) body: CreateEnrollmentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.clients.enroll(me, params.id, body));
  }

  @Post(':id/enrollments/:enrollmentId/end')
  @RequirePermission('clients.clients.write', PHI)
  @Doc({ summary: 'End an enrolment (If-Match required)', response: EnrollmentResponse })
  async endEnrollment(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: EnrollmentIdParams }) params: EnrollmentParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: EndEnrollmentBody }) body: EndEnrollmentBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.clients.endEnrollment(me, params.id, params.enrollmentId, versionFromIfMatch(ifMatch), body),
    );
  }
}
