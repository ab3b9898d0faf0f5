import { versionFromIfMatch, withEtag } from '../../../platform/http/optimistic-concurrency.js';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import {
  CreateUserBody,
  PatchUserBody,
  SessionListResponse,
  UserIdParams,
  UserListQuery,
  UserListResponse,
  UserResponse,
} from './users.dto.js';
import { UsersService } from './users.service.js';

type IdParams = z.output<typeof UserIdParams>;

/** User administration, limited to the administrator's scope. */
@Controller('api/v1/identity/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission('identity.users.read')
  @Doc({ summary: 'Users within my scope', response: UserListResponse })
  list(@CurrentPrincipal() me: Principal, @Query({ schema: UserListQuery }) query: UserListQuery) {
    return this.users.list(me, query);
  }

  @Post()
  @RequirePermission('identity.users.write')
  @Doc({ summary: 'Create a user', response: UserResponse, status: 201 })
  async create(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CreateUserBody }) body: CreateUserBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.users.create(me, body));
  }

  @Get(':id')
  @RequirePermission('identity.users.read')
  @Doc({ summary: 'One user (ETag carries the version)', response: UserResponse })
  async get(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: UserIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.users.get(me, params.id));
  }

  @Patch(':id')
  @RequirePermission('identity.users.write')
  @Doc({ summary: 'Change name, roles or teams (If-Match required)', response: UserResponse })
  async patch(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: UserIdParams }) params: IdParams,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchUserBody }) body: PatchUserBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.users.patch(me, params.id, versionFromIfMatch(ifMatch), body));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @RequirePermission('identity.users.write')
  @Doc({ summary: 'Deactivate a user and end their sessions', response: UserResponse })
  async deactivate(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: UserIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.users.deactivate(me, params.id));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @RequirePermission('identity.users.write')
  @Doc({ summary: 'Reactivate a user', response: UserResponse })
  async reactivate(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: UserIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.users.reactivate(me, params.id));
  }

  @Get(':id/sessions')
  @RequirePermission('identity.sessions.manage')
  @Doc({ summary: "A user's signed-in sessions", response: SessionListResponse })
  async sessions(@CurrentPrincipal() me: Principal, @Param({ schema: UserIdParams }) params: IdParams) {
    return { items: await this.users.sessionsOf(me, params.id) };
  }

  @Delete(':id/sessions')
  @HttpCode(204)
  @RequirePermission('identity.sessions.manage')
  @Doc({ summary: 'Sign a user out everywhere' })
  async endSessions(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: UserIdParams }) params: IdParams,
  ): Promise<void> {
    await this.users.endSessionsOf(me, params.id);
  }
}
