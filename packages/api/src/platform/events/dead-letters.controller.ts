import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal } from '../auth/current-principal.js';
import { RequirePermission } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { Doc } from '../http/route-catalog.js';
import { DeadLetter, DeadLetterListQuery, DeadLetterPage, DeadLetterParams } from './dead-letters.dto.js';
import { DeadLetters, MANAGE_EVENTS } from './dead-letters.service.js';

/** Operator API over platform.dead_letters: list what failed, send it again. */
@Controller('api/v1/platform/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Get()
  @RequirePermission(MANAGE_EVENTS, { resource: 'platform.dead_letters' })
  @Doc({ summary: 'List events no subscriber could take (newest first)', response: DeadLetterPage })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: DeadLetterListQuery }) query: DeadLetterListQuery,
  ): Promise<DeadLetterPage> {
    return this.deadLetters.list(principal, query);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @RequirePermission(MANAGE_EVENTS, { resource: 'platform.dead_letters' })
  @Doc({ summary: 'Deliver a dead-lettered event again', response: DeadLetter })
  replay(
    @CurrentPrincipal() principal: Principal,
    @Param({ schema: DeadLetterParams }) params: DeadLetterParams,
  ): Promise<DeadLetter> {
    return this.deadLetters.replay(principal, Number(params.id));
  }
}
