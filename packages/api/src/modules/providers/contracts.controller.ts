import { Body, Controller, Get, Headers, Param, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import {
  ContractIdParams,
  ContractListResponse,
  ContractResponse,
  CreateContractBody,
  PatchContractBody,
} from './contracts.dto.js';
import { ContractsService } from './contracts.service.js';
import { ProviderIdParams } from './providers.dto.js';

type IdParams = z.output<typeof ProviderIdParams>;
type ContractParams = z.output<typeof ContractIdParams>;

/** A provider's contracts with the agency and their rates. */
@Controller('api/v1/providers')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get(':id/contracts')
  @RequirePermission('providers.providers.read')
  @Doc({
    summary: "A provider's contracts with their rate lines, latest start first",
    response: ContractListResponse,
  })
  async list(@CurrentPrincipal() me: Principal, @Param({ schema: ProviderIdParams }) params: IdParams) {
    return { items: await this.contracts.list(me, params.id) };
  }

  @Post(':id/contracts')
  @RequirePermission('providers.providers.write')
  @Doc({
    summary: 'Add a contract (draft or active) with its rate lines',
    description:
      'Rates are integer cents per unit. Every line lies within the contract dates, and a service ' +
      'code is rated once on any day, within the contract and across the provider’s active contracts.',
    response: ContractResponse,
    status: 201,
  })
  async create(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ProviderIdParams }) params: IdParams,
    @Body({ schema: CreateContractBody }) body: CreateContractBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.contracts.create(me, params.id, body));
  }

  @Get(':id/contracts/:contractId')
  @RequirePermission('providers.providers.read')
  @Doc({ summary: 'One contract with its rate lines (ETag carries the version)', response: ContractResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ContractIdParams }) params: ContractParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.contracts.get(me, params.id, params.contractId));
  }

  @Patch(':id/contracts/:contractId')
  @RequirePermission('providers.providers.write')
  @Doc({
    summary: 'Change a contract’s status, end date or lines (If-Match required)',
    description:
      'Status goes draft → active → terminated; terminating needs an end date, and a terminated ' +
      'contract is final. `lines`, when sent, replaces every line.',
    response: ContractResponse,
  })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ContractIdParams }) params: ContractParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchContractBody }) body: PatchContractBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.contracts.patch(me, params.id, params.contractId, versionFromIfMatch(ifMatch), body),
    );
  }
}
