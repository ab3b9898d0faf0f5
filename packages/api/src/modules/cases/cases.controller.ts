import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  AssignmentListResponse,
  CaseIdParams,
  CaseListQuery,
  CaseListResponse,
  CaseResponse,
  OpenCaseBody,
  PatchCaseBody,
  ReassignCaseBody,
  TransferCaseBody,
} from './cases.dto.js';
import { CasesService } from './cases.service.js';

type IdParams = z.output<typeof CaseIdParams>;
const PHI = { resource: 'cases.cases', phi: true } as const;

/** Cases: opening, caseload views, reassignment and transfer. Every route is audited as PHI. */
@Controller('api/v1/cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get()
  @RequirePermission('cases.cases.read', PHI)
  @Doc({
    summary: 'Caseload: cases within my scope (mine, my teams’, my programs’), newest first',
    response: CaseListResponse,
  })
  list(@CurrentPrincipal() me: Principal, @Query({ schema: CaseListQuery }) query: CaseListQuery) {
    return this.cases.list(me, query);
  }

  @Post()
  @RequirePermission('cases.cases.write', PHI)
  @Doc({ summary: 'Open a case for a client', response: CaseResponse, status: 201 })
  async open(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: OpenCaseBody }) body: OpenCaseBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.cases.open(me, body));
  }

  @Get(':id')
  @RequirePermission('cases.cases.read', PHI)
  @Doc({ summary: 'One case', response: CaseResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.cases.get(me, params.id));
  }

  @Patch(':id')
  @RequirePermission('cases.cases.write', PHI)
  @Doc({ summary: 'Change type, risk level or Part 2 flag (If-Match required)', response: CaseResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchCaseBody }) body: PatchCaseBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.cases.patch(me, params.id, versionFromIfMatch(ifMatch), body));
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', PHI)
  @Doc({
    summary: 'Assign the case to another worker, with a reason kept in its history',
    response: CaseResponse,
  })
  async reassign(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseIdParams }) params: IdParams,
    @Body({ schema: ReassignCaseBody }) body: ReassignCaseBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.cases.reassign(me, params.id, body));
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', PHI)
  @Doc({ summary: 'Transfer the case to another team or program, with a reason', response: CaseResponse })
  async transfer(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: CaseIdParams }) params: IdParams,
    @Body({ schema: TransferCaseBody }) body: TransferCaseBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.cases.transfer(me, params.id, body));
  }

  @Get(':id/assignments')
  @RequirePermission('cases.cases.read', PHI)
  @Doc({
    summary: 'Who has worked the case: opening, reassignments and transfers',
    response: AssignmentListResponse,
  })
  async assignments(@CurrentPrincipal() me: Principal, @Param({ schema: CaseIdParams }) params: IdParams) {
    return { items: await this.cases.assignments(me, params.id) };
  }
}
