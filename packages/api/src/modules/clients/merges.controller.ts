import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { ClientIdParams } from './clients.dto.js';
import { MergeBody, MergeIdParams, MergeListResponse, MergeResponse, UnmergeBody } from './merges.dto.js';
import { MergesService } from './merges.service.js';

/** Merging duplicate client records and undoing a merge. Audited against the surviving record / the merge. */
@Controller('api/v1/clients')
export class MergesController {
  constructor(private readonly merges: MergesService) {}

  @Post(':id/merge')
  @RequirePermission('clients.clients.merge', { resource: 'clients.clients', phi: true })
  @Doc({
    summary:
      'Merge a duplicate into this record (the survivor keeps its id; the duplicate’s id keeps resolving)',
    response: MergeResponse,
    status: 201,
  })
  merge(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: z.output<typeof ClientIdParams>,
    @Body({ schema: MergeBody }) body: MergeBody,
  ) {
    return this.merges.merge(me, params.id, body);
  }

  @Get(':id/merges')
  @RequirePermission('clients.clients.read', { resource: 'clients.clients', phi: true })
  @Doc({ summary: 'Merges this record took part in, newest first', response: MergeListResponse })
  async history(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: z.output<typeof ClientIdParams>,
  ) {
    return { items: await this.merges.history(me, params.id) };
  }

  @Post('merges/:mergeId/unmerge')
  @RequirePermission('clients.clients.merge', { resource: 'clients.merges', idParam: 'mergeId', phi: true })
  @Doc({
    summary: 'Undo a merge (within CLIENT_UNMERGE_WINDOW_DAYS): both records as they were',
    response: MergeResponse,
  })
  unmerge(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: MergeIdParams }) params: z.output<typeof MergeIdParams>,
    @Body({ schema: UnmergeBody }) body: UnmergeBody,
  ) {
    return this.merges.unmerge(me, params.mergeId, body.reason);
  }
}
