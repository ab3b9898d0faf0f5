import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { Problems } from '../../../platform/errors/problem.js';
import { publishEvent } from '../../../platform/events/events.js';
import { clientIp } from '../../../platform/http/request-context.js';
import { RateLimits } from '../../../platform/rate-limit/rate-limits.js';
import { newOpaqueToken, tokenHash } from '../crypto/opaque-tokens.js';
import { PasswordHasher } from '../crypto/password-hasher.js';
import { IdentityAudit } from '../identity-audit.js';
import { IdentityDatabase } from '../identity.database.js';
import { IdentityTopics, type PasswordResetRequestedEvent } from '../identity.events.js';
import { IdentityProblems } from '../identity.problems.js';
import { CredentialsRepository } from '../repositories/credentials.repository.js';
import { LoginAttemptsRepository } from '../repositories/login-attempts.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { SessionsService } from './sessions.service.js';

/** Changing a password (knowing the old one) and resetting it (through an emailed link). */
@Injectable()
export class PasswordService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: IdentityDatabase,
    private readonly users: UsersRepository,
    private readonly attempts: LoginAttemptsRepository,
    private readonly credentials: CredentialsRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly cipher: FieldCipher,
    private readonly rateLimits: RateLimits,
    private readonly audit: IdentityAudit,
  ) {}

  /** Changes the caller's password and signs out every other session. */
  async change(
    principal: Principal,
    currentPassword: string,
    newPassword: string,
    req: FastifyRequest,
  ): Promise<void> {
    await this.rateLimits.consumeLoginAttempt(clientIp(req));
    const user = await this.users.findById(principal.id);
    if (!user) throw Problems.notFound('user');
    if (!(await this.hasher.verify(user.password_hash, currentPassword))) {
      await this.audit.record(req, {
        action: 'identity.password.change',
        outcome: 'denied',
        reason: 'wrong_current_password',
        userId: user.id,
      });
      throw Problems.validation([
        { field: 'body.currentPassword', message: 'The current password is not correct.' },
      ]);
    }
    await this.users.setPassword(user.id, await this.hasher.hash(newPassword));
    await this.sessions.end(user.id, 'password_changed', undefined, { except: principal.sessionId });
    await this.audit.record(req, { action: 'identity.password.change', outcome: 'allowed', userId: user.id });
  }

  /**
   * Always ends in 202, whether or not the email belongs to an account. For an active account a
   * one-time token goes out through the outbox, encrypted for the notification module.
   */
  async requestReset(email: string, req: FastifyRequest): Promise<void> {
    await this.rateLimits.consumeLoginAttempt(clientIp(req));
    const user = await this.users.findByEmail(email);
    if (!user || user.status !== 'active') {
      await this.audit.record(req, {
        action: 'identity.password.reset.request',
        outcome: 'denied',
        reason: user ? 'deactivated' : 'unknown_email',
        userId: user?.id ?? null,
      });
      return;
    }
    const token = newOpaqueToken();
    const expiresAt = new Date(Date.now() + this.config.PASSWORD_RESET_TTL_SECONDS * 1000);
    await this.database.transaction(async (trx) => {
      await this.credentials.expireResetTokens(user.id, trx);
      await this.credentials.createResetToken(
        { token_hash: tokenHash(token), user_id: user.id, expires_at: expiresAt },
        trx,
      );
      await publishEvent(trx, IdentityTopics.passwordResetRequested, {
        userId: user.id,
        tokenCiphertext: this.cipher.encrypt(token),
        expiresAt: expiresAt.toISOString(),
      } satisfies PasswordResetRequestedEvent);
    });
    await this.audit.record(req, {
      action: 'identity.password.reset.request',
      outcome: 'allowed',
      userId: user.id,
    });
  }

  /** Sets a new password with a reset token; ends every session and lifts a lockout. */
  async confirmReset(token: string, newPassword: string, req: FastifyRequest): Promise<void> {
    await this.rateLimits.consumeLoginAttempt(clientIp(req));
    const passwordHash = await this.hasher.hash(newPassword);
    const userId = await this.database.transaction(async (trx) => {
      const spent = await this.credentials.useResetToken(tokenHash(token), trx);
      if (!spent) return null;
      const user = await this.users.findById(spent.user_id, trx);
      if (!user || user.status !== 'active') return null;
      await this.users.setPassword(user.id, passwordHash, trx);
      await this.attempts.clearFailures(user.id, { loggedIn: false }, trx);
      return user.id;
    });
    if (!userId) {
      await this.audit.record(req, {
        action: 'identity.password.reset',
        outcome: 'denied',
        reason: 'invalid_token',
      });
      throw IdentityProblems.resetTokenInvalid();
    }
    await this.sessions.end(userId, 'password_reset');
    await this.audit.record(req, { action: 'identity.password.reset', outcome: 'allowed', userId });
  }
}
