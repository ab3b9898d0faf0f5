import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { withRedisclosureNotice } from '../../clients/part2.js';
import { BedBoardStream } from './bed-board-stream.js';
import { BedBoard } from './bed-board.service.js';
import {
  AdmitBody,
  BedActionResponse,
  BedHistoryResponse,
  BedIdParams,
  BedStreamEvent,
  DischargeBody,
  FacilityIdParams,
  HoldBody,
  OutOfServiceBody,
  TransferBody,
} from './beds.dto.js';
import { BEDS_MANAGE, BEDS_READ } from './facility-access.js';

type IdParams = z.output<typeof BedIdParams>;
const BEDS = { resource: 'scheduling.beds', phi: true } as const;

/** Moves on the bed board (admit, transfer, discharge, clean, service, hold) and its live stream. */
@Controller('api/v1/scheduling')
export class BedBoardController {
  constructor(
    private readonly board: BedBoard,
    private readonly live: BedBoardStream,
  ) {}

  @Get('facilities/:id/board/stream')
  @RequirePermission(BEDS_READ, { resource: 'scheduling.facilities', phi: true })
  @Doc({
    summary: 'Live changes of a facility bed board (server-sent events)',
    description:
      'Authenticated with the usual bearer token (read it with fetch and a stream reader). Sends `ready` once watching, then one `bed` event per changed bed (the bed as the caller may see it, with redisclosureNotice when it names a client whose stay is 42 CFR Part 2 information), a heartbeat comment every 15 s, and `revoked` if the caller loses access. The stream ends when the access token would expire; reconnect and re-read the board.',
    response: BedStreamEvent,
    contentType: 'text/event-stream',
  })
  async stream(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: FacilityIdParams }) params: z.output<typeof FacilityIdParams>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const stream = await this.live.open(me, params.id, (stop) => reply.raw.once('close', stop));
    void reply.header('cache-control', 'no-cache, no-transform').header('x-accel-buffering', 'no');
    return new StreamableFile(stream, { type: 'text/event-stream; charset=utf-8' });
  }

  @Get('beds/:id/history')
  @RequirePermission(BEDS_READ, BEDS)
  @Doc({
    summary: "A bed's history, newest first (who was in it, holds, cleaning, service)",
    response: BedHistoryResponse,
  })
  async history(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.history(me, params.id));
  }

  @Post('beds/:id/admit')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({
    summary: 'Admit a client to an available bed (or one held for them)',
    description:
      'A room restricted to another sex at birth, or a unit of another level of care than asked, answers 409 `bed-placement-warnings` listing them; send `acknowledgeWarnings: true` to admit anyway.',
    response: BedActionResponse,
  })
  async admit(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Body({ schema: AdmitBody }) body: AdmitBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.admit(me, params.id, body));
  }

  @Post('beds/:id/transfer')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({
    summary: 'Move the client in this bed to another bed of the facility (atomic)',
    response: BedActionResponse,
  })
  async transfer(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Body({ schema: TransferBody }) body: TransferBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.transfer(me, params.id, body));
  }

  @Post('beds/:id/discharge')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({ summary: 'Discharge the client in this bed; the bed goes to cleaning', response: BedActionResponse })
  async discharge(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Body({ schema: DischargeBody }) body: DischargeBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.discharge(me, params.id, body));
  }

  @Post('beds/:id/clean')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({ summary: 'Mark a bed in cleaning clean (available)', response: BedActionResponse })
  async clean(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.markClean(me, params.id));
  }

  @Post('beds/:id/out-of-service')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({
    summary: 'Take an empty bed out of service (refused while occupied or held)',
    response: BedActionResponse,
  })
  async outOfService(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Body({ schema: OutOfServiceBody }) body: OutOfServiceBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.outOfService(me, params.id, body));
  }

  @Post('beds/:id/in-service')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({ summary: 'Put a bed back in service (available)', response: BedActionResponse })
  async inService(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.backInService(me, params.id));
  }

  @Post('beds/:id/hold')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({
    summary: 'Hold an available bed for a client or referral until it expires',
    description: 'Lasts `minutes` (default BED_HOLD_DEFAULT_MINUTES); an expired hold frees the bed.',
    response: BedActionResponse,
  })
  async hold(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Body({ schema: HoldBody }) body: HoldBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.hold(me, params.id, body));
  }

  @Post('beds/:id/release-hold')
  @HttpCode(200)
  @RequirePermission(BEDS_MANAGE, BEDS)
  @Doc({ summary: 'Release the hold on a bed (available again)', response: BedActionResponse })
  async releaseHold(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: BedIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.releaseHold(me, params.id));
  }
}
