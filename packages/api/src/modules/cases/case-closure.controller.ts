import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  ApproveClosureBody,
  ClosureParams,
  ClosureRequestListResponse,
  ClosureRequestParams,
  ClosureRequestResponse,
  RejectClosureBody,
  ReopenBody,
  RequestClosureBody,
  StatusChangeListResponse,
} from './case-closure.dto.js';
import { CaseClosureService } from './case-closure.service.js';
import { CaseResponse } from './cases.dto.js';

type CaseParams = z.output<typeof ClosureParams>;
type RequestParams = z.output<typeof ClosureRequestParams>;
const CASE = { resource: 'cases.cases', phi: true } as const;
const REQUEST = { resource: 'cases.closure_requests', idParam: 'requestId', phi: true } as const;

/** Closing a case (asked by its worker, decided by a supervisor who is someone else) and reopening it. */
@Controller('api/v1/cases/:id')
export class CaseClosureController {
  constructor(private readonly closure: CaseClosureService) {}

  @Get('closure-requests')
  @RequirePermission('cases.cases.read', CASE)
  @Doc({ summary: 'Closure requests of a case, newest first', response: ClosureRequestListResponse })
  async list(@CurrentPrincipal() me: Principal, @Param({ schema: ClosureParams }) params: CaseParams) {
    return { items: await this.closure.list(me, params.id) };
  }

  @Post('closure-requests')
  @RequirePermission('cases.cases.write', REQUEST)
  @Doc({
    summary: 'Ask to close the case; it is pending closure until a supervisor decides',
    response: ClosureRequestResponse,
    status: 201,
  })
  async request(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClosureParams }) params: CaseParams,
    @Body({ schema: RequestClosureBody }) body: RequestClosureBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.closure.request(me, params.id, body));
  }

  @Post('closure-requests/:requestId/approve')
  @HttpCode(200)
  @RequirePermission('cases.closure.approve', REQUEST)
  @Doc({
    summary: 'Approve a closure request: the case closes (never by who asked: 403 self-approval)',
    response: ClosureRequestResponse,
  })
  async approve(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClosureRequestParams }) params: RequestParams,
    @Body({ schema: ApproveClosureBody }) body: ApproveClosureBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.closure.approve(me, params.id, params.requestId, body));
  }

  @Post('closure-requests/:requestId/reject')
  @HttpCode(200)
  @RequirePermission('cases.closure.approve', REQUEST)
  @Doc({
    summary: 'Reject a closure request with a reason: the case stays open',
    response: ClosureRequestResponse,
  })
  async reject(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClosureRequestParams }) params: RequestParams,
    @Body({ schema: RejectClosureBody }) body: RejectClosureBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.closure.reject(me, params.id, params.requestId, body));
  }

  @Post('closure-requests/:requestId/withdraw')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', REQUEST)
  @Doc({ summary: 'Withdraw my own closure request: the case stays open', response: ClosureRequestResponse })
  async withdraw(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClosureRequestParams }) params: RequestParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.closure.withdraw(me, params.id, params.requestId));
  }

  @Post('reopen')
  @HttpCode(200)
  @RequirePermission('cases.cases.write', CASE)
  @Doc({ summary: 'Reopen a closed case, with a reason kept in its status history', response: CaseResponse })
  async reopen(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClosureParams }) params: CaseParams,
    @Body({ schema: ReopenBody }) body: ReopenBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.closure.reopen(me, params.id, body));
  }

  @Get('status-changes')
  @RequirePermission('cases.cases.read', CASE)
  @Doc({
    summary: 'Status history of a case: closure requested, approved, rejected, withdrawn; reopened',
    response: StatusChangeListResponse,
  })
  async history(@CurrentPrincipal() me: Principal, @Param({ schema: ClosureParams }) params: CaseParams) {
    return { items: await this.closure.history(me, params.id) };
  }
}
