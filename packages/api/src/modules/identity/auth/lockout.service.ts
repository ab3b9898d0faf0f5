import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { clientIp } from '../../../platform/http/request-context.js';
import { IdentityAudit } from '../identity-audit.js';
import { IdentityProblems } from '../identity.problems.js';
import { LoginAttemptsRepository } from '../repositories/login-attempts.repository.js';
import type { UserRow } from '../repositories/users.repository.js';

/** Failures that count toward a lockout: guessing a password or a second factor. */
export const COUNTED_FAILURES = ['invalid_password', 'invalid_mfa_code'] as const;
export type CountedFailure = (typeof COUNTED_FAILURES)[number];

/**
 * Account lockout: LOGIN_LOCKOUT_THRESHOLD failed sign-ins within LOGIN_LOCKOUT_WINDOW_SECONDS
 * lock the account for the window, even against the right password. Works alongside the per-IP
 * rate limit, which slows one source; this protects one account from many sources.
 */
@Injectable()
export class LockoutService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly attempts: LoginAttemptsRepository,
    private readonly audit: IdentityAudit,
  ) {}

  /** Notes a sign-in attempt that does not count toward lockout (success, unknown email, …). */
  async note(userId: string | null, succeeded: boolean, reason: string, req: FastifyRequest): Promise<void> {
    await this.attempts.recordAttempt({ userId, ip: clientIp(req), succeeded, reason });
  }

  /** Refuses (and audits) a sign-in step for a locked account. */
  async assertUnlocked(user: UserRow, action: string, req: FastifyRequest): Promise<void> {
    const until = user.locked_until ? new Date(user.locked_until).getTime() : 0;
    if (until <= Date.now()) return;
    await this.attempts.recordAttempt({
      userId: user.id,
      ip: clientIp(req),
      succeeded: false,
      reason: 'locked',
    });
    await this.audit.record(req, { action, outcome: 'denied', reason: 'account_locked', userId: user.id });
    throw IdentityProblems.accountLocked((until - Date.now()) / 1000);
  }

  /**
   * Records a failed step, audits it, locks the account when this failure reaches the
   * threshold, and returns the problem to answer with.
   */
  async fail(user: UserRow, reason: CountedFailure, action: string, req: FastifyRequest): Promise<Error> {
    await this.attempts.recordAttempt({ userId: user.id, ip: clientIp(req), succeeded: false, reason });
    await this.audit.record(req, { action, outcome: 'denied', reason, userId: user.id });
    const window = this.config.LOGIN_LOCKOUT_WINDOW_SECONDS;
    const failures = await this.attempts.countRecentFailures(user.id, window, COUNTED_FAILURES);
    if (failures >= this.config.LOGIN_LOCKOUT_THRESHOLD && (await this.attempts.lock(user.id, window))) {
      await this.audit.record(req, {
        action: 'identity.account.locked',
        outcome: 'denied',
        reason: `${failures}_failures_in_${window}s`,
        userId: user.id,
      });
      return IdentityProblems.accountLocked(window);
    }
    return reason === 'invalid_password'
      ? IdentityProblems.invalidCredentials()
      : IdentityProblems.invalidMfaCode();
  }
}
