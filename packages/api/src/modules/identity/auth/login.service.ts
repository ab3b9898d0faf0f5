import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientIp } from '../../../platform/http/request-context.js';
import { RateLimits } from '../../../platform/rate-limit/rate-limits.js';
import { PasswordHasher } from '../crypto/password-hasher.js';
import { IdentityAudit } from '../identity-audit.js';
import { IdentityProblems } from '../identity.problems.js';
import { DirectoryRepository } from '../repositories/directory.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { LockoutService } from './lockout.service.js';
import { MfaChallenges, type MfaStepBody } from './mfa-challenges.js';
import { SessionsService } from './sessions.service.js';
import type { AuthenticatedBody } from './tokens.service.js';

const ACTION = 'identity.login';

/**
 * Password sign-in. The answer never says whether the email exists; a correct password leads
 * to tokens, or to the second-factor step when the user has MFA or a role demands it.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly directory: DirectoryRepository,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly challenges: MfaChallenges,
    private readonly sessions: SessionsService,
    private readonly rateLimits: RateLimits,
    private readonly audit: IdentityAudit,
  ) {}

  async login(
    email: string,
    password: string,
    req: FastifyRequest,
  ): Promise<AuthenticatedBody | MfaStepBody> {
    await this.rateLimits.consumeLoginAttempt(clientIp(req)).catch(async (err: unknown) => {
      await this.audit.record(req, { action: ACTION, outcome: 'denied', reason: 'rate_limited' });
      throw err;
    });
    const user = await this.users.findByEmail(email);
    if (!user) {
      await this.hasher.verifyNothing(password);
      await this.lockout.note(null, false, 'unknown_email', req);
      await this.audit.record(req, { action: ACTION, outcome: 'denied', reason: 'unknown_email' });
      throw IdentityProblems.invalidCredentials();
    }
    await this.lockout.assertUnlocked(user, ACTION, req);
    if (!(await this.hasher.verify(user.password_hash, password))) {
      throw await this.lockout.fail(user, 'invalid_password', ACTION, req);
    }
    if (user.status !== 'active') {
      await this.lockout.note(user.id, false, 'deactivated', req);
      await this.audit.record(req, {
        action: ACTION,
        outcome: 'denied',
        reason: 'deactivated',
        userId: user.id,
      });
      throw IdentityProblems.invalidCredentials();
    }
    if (this.hasher.needsRehash(user.password_hash)) {
      await this.users.rehashPassword(user.id, await this.hasher.hash(password));
    }

    if (user.mfa_enabled_at) {
      await this.audit.record(req, {
        action: ACTION,
        outcome: 'allowed',
        reason: 'mfa_required',
        userId: user.id,
      });
      return this.challenges.open(user.id, 'verify');
    }
    const access = await this.users.accessOf(user.id);
    if ((await this.directory.rolesRequiringMfa(access.roles)).length > 0) {
      await this.audit.record(req, {
        action: ACTION,
        outcome: 'allowed',
        reason: 'mfa_enrollment_required',
        userId: user.id,
      });
      return this.challenges.open(user.id, 'enroll');
    }
    const body = await this.sessions.start(user, ['pwd'], req);
    await this.lockout.note(user.id, true, 'password', req);
    await this.audit.record(req, { action: ACTION, outcome: 'allowed', reason: 'password', userId: user.id });
    return body;
  }
}
