import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { Public, RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import {
  AuthenticatedResponse,
  EnrolmentConfirmedResponse,
  EnrolmentResponse,
  LoginBody,
  LoginResponse,
  MfaEnrollBody,
  MfaEnrollConfirmBody,
  MfaVerifyBody,
  RefreshBody,
  ResetConfirmBody,
  ResetRequestBody,
} from './auth.dto.js';
import { LoginService } from './login.service.js';
import { MfaService } from './mfa.service.js';
import { PasswordService } from './password.service.js';
import { SessionsService } from './sessions.service.js';
import type { z } from 'zod';

/** Sign-in, second factor, token refresh, logout and password reset. */
@Controller('api/v1/identity/auth')
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly mfa: MfaService,
    private readonly sessions: SessionsService,
    private readonly passwords: PasswordService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public({ reason: 'password sign-in; rate limited per IP, locked out per account, audited' })
  @Doc({ summary: 'Sign in with email and password', response: LoginResponse })
  signIn(@Body({ schema: LoginBody }) body: z.output<typeof LoginBody>, @Req() req: FastifyRequest) {
    return this.login.login(body.email, body.password, req);
  }

  @Post('mfa/verify')
  @HttpCode(200)
  @Public({ reason: 'second sign-in step, proven by the mfaToken from login; audited' })
  @Doc({ summary: 'Complete sign-in with a TOTP or recovery code', response: AuthenticatedResponse })
  verifyMfa(@Body({ schema: MfaVerifyBody }) body: MfaVerifyBody, @Req() req: FastifyRequest) {
    const factor = 'code' in body ? { code: body.code } : { recoveryCode: body.recoveryCode };
    return this.mfa.verify(body.mfaToken, factor, req);
  }

  @Post('mfa/enroll')
  @HttpCode(200)
  @Public({ reason: 'first-time MFA enrolment during sign-in, proven by the mfaToken from login' })
  @Doc({ summary: 'Start TOTP enrolment during sign-in', response: EnrolmentResponse })
  enrollMfa(
    @Body({ schema: MfaEnrollBody }) body: z.output<typeof MfaEnrollBody>,
    @Req() req: FastifyRequest,
  ) {
    return this.mfa.startEnrolmentAtSignIn(body.mfaToken, req);
  }

  @Post('mfa/enroll/confirm')
  @HttpCode(200)
  @Public({ reason: 'confirms first-time MFA enrolment during sign-in; audited' })
  @Doc({ summary: 'Confirm TOTP enrolment and sign in', response: EnrolmentConfirmedResponse })
  confirmMfa(
    @Body({ schema: MfaEnrollConfirmBody }) body: z.output<typeof MfaEnrollConfirmBody>,
    @Req() req: FastifyRequest,
  ) {
    return this.mfa.confirmEnrolmentAtSignIn(body.mfaToken, body.code, req);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public({ reason: 'refresh-token rotation; the refresh token is the credential; audited' })
  @Doc({ summary: 'Exchange a refresh token for new tokens', response: AuthenticatedResponse })
  refresh(@Body({ schema: RefreshBody }) body: z.output<typeof RefreshBody>, @Req() req: FastifyRequest) {
    return this.sessions.refresh(body.refreshToken, req);
  }

  @Post('logout')
  @HttpCode(204)
  @RequirePermission('identity.self.write', { resource: 'identity.sessions' })
  @Doc({ summary: 'End the current session' })
  async logout(@CurrentPrincipal() me: Principal, @Req() req: FastifyRequest): Promise<void> {
    await this.sessions.logout(me, req);
  }

  @Post('password-reset/request')
  @HttpCode(202)
  @Public({ reason: 'password reset request; always 202 so accounts cannot be enumerated; audited' })
  @Doc({ summary: 'Email a password reset link', status: 202 })
  async requestReset(
    @Body({ schema: ResetRequestBody }) body: z.output<typeof ResetRequestBody>,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.passwords.requestReset(body.email, req);
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @Public({ reason: 'password reset; the one-time token is the credential; audited' })
  @Doc({ summary: 'Set a new password with a reset token' })
  async confirmReset(
    @Body({ schema: ResetConfirmBody }) body: z.output<typeof ResetConfirmBody>,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.passwords.confirmReset(body.token, body.newPassword, req);
  }
}
