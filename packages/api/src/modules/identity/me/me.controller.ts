import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { Problems } from '../../../platform/errors/problem.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { MfaService } from '../auth/mfa.service.js';
import { PasswordService } from '../auth/password.service.js';
import { SessionsService } from '../auth/sessions.service.js';
import { EnrolmentResponse } from '../auth/auth.dto.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { toUserView } from '../users/user-view.js';
import { SessionListResponse } from '../users/users.dto.js';
import {
  ChangePasswordBody,
  CodeBody,
  MeResponse,
  RecoveryCodesResponse,
  SessionIdParams,
} from './me.dto.js';

/** The signed-in user's own account: profile and grants, password, MFA, sessions. */
@Controller('api/v1/identity/me')
export class MeController {
  constructor(
    private readonly users: UsersRepository,
    private readonly mfa: MfaService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
  ) {}

  @Get()
  @RequirePermission('identity.self.read', { resource: 'identity.users' })
  @Doc({ summary: 'The signed-in user and their grants', response: MeResponse })
  async me(@CurrentPrincipal() me: Principal) {
    const row = me.kind === 'user' ? await this.users.findById(me.id) : undefined;
    if (!row) throw Problems.notFound('user');
    return { ...toUserView(row, await this.users.accessOf(row.id)), grants: me.grants };
  }

  @Post('password')
  @HttpCode(204)
  @RequirePermission('identity.self.write', { resource: 'identity.users' })
  @Doc({ summary: 'Change my password (signs out my other sessions)' })
  async changePassword(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: ChangePasswordBody }) body: z.output<typeof ChangePasswordBody>,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.passwords.change(me, body.currentPassword, body.newPassword, req);
  }

  @Post('mfa/enroll')
  @HttpCode(200)
  @RequirePermission('identity.self.write', { resource: 'identity.users' })
  @Doc({ summary: 'Start enrolling an authenticator app', response: EnrolmentResponse })
  enroll(@CurrentPrincipal() me: Principal) {
    return this.mfa.startEnrolment(me.id);
  }

  @Post('mfa/confirm')
  @HttpCode(200)
  @RequirePermission('identity.self.write', { resource: 'identity.users' })
  @Doc({
    summary: 'Confirm the authenticator with a code; returns recovery codes',
    response: RecoveryCodesResponse,
  })
  confirm(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CodeBody }) body: z.output<typeof CodeBody>,
    @Req() req: FastifyRequest,
  ) {
    return this.mfa.confirmEnrolment(me.id, body.code, req);
  }

  @Post('mfa/disable')
  @HttpCode(204)
  @RequirePermission('identity.self.write', { resource: 'identity.users' })
  @Doc({ summary: 'Turn MFA off (refused when a role requires it)' })
  async disable(
    @CurrentPrincipal() me: Principal,
    @Body({ schema: CodeBody }) body: z.output<typeof CodeBody>,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.mfa.disable(me.id, body.code, req);
  }

  @Get('sessions')
  @RequirePermission('identity.self.read', { resource: 'identity.sessions' })
  @Doc({ summary: 'My signed-in sessions', response: SessionListResponse })
  async listSessions(@CurrentPrincipal() me: Principal) {
    return { items: await this.sessions.list(me.id, me.sessionId) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @RequirePermission('identity.self.write', { resource: 'identity.sessions' })
  @Doc({ summary: 'Sign out one of my sessions' })
  async endSession(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: SessionIdParams }) params: z.output<typeof SessionIdParams>,
  ): Promise<void> {
    await this.sessions.endOwn(me.id, params.id);
  }
}
