import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import {
  CreateServiceAccountBody,
  ServiceAccountCreatedResponse,
  ServiceAccountListResponse,
  ServiceAccountResponse,
} from './service-accounts.dto.js';
import { ServiceAccountsService } from './service-accounts.service.js';

const IdParams = z.strictObject({ id: z.uuid() });
const PERMISSION = 'identity.service_accounts.manage';

/** Service accounts for integrations (OAuth client credentials). */
@Controller('api/v1/identity/service-accounts')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountsService) {}

  @Post()
  @RequirePermission(PERMISSION)
  @Doc({
    summary: 'Create a service account (the secret is shown once)',
    response: ServiceAccountCreatedResponse,
    status: 201,
  })
  create(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateServiceAccountBody }) body: z.output<typeof CreateServiceAccountBody>,
  ) {
    return this.accounts.create(me, body);
  }

  @Get()
  @RequirePermission(PERMISSION)
  @Doc({ summary: 'Service accounts of my agency', response: ServiceAccountListResponse })
  async list(@CurrentPrincipal() me: Principal) {
    return { items: await this.accounts.list(me) };
  }

  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermission(PERMISSION)
  @Doc({ summary: 'Disable a service account', response: ServiceAccountResponse })
  disable(@CurrentPrincipal() me: Principal, @Param({ schema: IdParams }) params: z.output<typeof IdParams>) {
    return this.accounts.disable(me, params.id);
  }
}
