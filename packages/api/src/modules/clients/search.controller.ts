import { Controller, Get, Param, Query } from '@nestjs/common';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { ClientSearch } from './client-search.js';
import { ClientIdParams } from './clients.dto.js';
import { DuplicateFinder } from './duplicate-finder.js';
import { ClientSearchQuery, ClientSearchResponse, DuplicateListResponse } from './search.dto.js';

const PHI = { resource: 'clients.clients', phi: true } as const;

/** Finding clients and their likely duplicates, within the caller's scope. */
@Controller('api/v1/clients')
export class SearchController {
  constructor(
    private readonly search: ClientSearch,
    private readonly duplicates: DuplicateFinder,
  ) {}

  @Get('search')
  @RequirePermission('clients.clients.read', PHI)
  @Doc({
    summary: 'Find clients by a typo-tolerant name, birth date, SSN, Medicaid id or phone, best match first',
    response: ClientSearchResponse,
  })
  find(@CurrentPrincipal() me: Principal, @Query({ schema: ClientSearchQuery }) query: ClientSearchQuery) {
    return this.search.find(me, query);
  }

  @Get(':id/duplicates')
  @RequirePermission('clients.clients.read', PHI)
  @Doc({
    summary: 'Likely duplicates of a client in the agency, with scores and reasons',
    response: DuplicateListResponse,
  })
  async duplicatesOf(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: z.output<typeof ClientIdParams>,
  ) {
    return { items: await this.duplicates.ofClient(me, params.id) };
  }
}
