import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { FieldCipher } from '../../../platform/crypto/field-cipher.js';
import { Problems } from '../../../platform/errors/problem.js';
import { clientIp } from '../../../platform/http/request-context.js';
import { RateLimits } from '../../../platform/rate-limit/rate-limits.js';
import { newRecoveryCode, normaliseRecoveryCode } from '../crypto/opaque-tokens.js';
import { newTotpEnrolment, verifyTotp, type TotpEnrolment } from '../crypto/totp.js';
import { IdentityAudit } from '../identity-audit.js';
import { IdentityDatabase } from '../identity.database.js';
import { IdentityProblems } from '../identity.problems.js';
import { CredentialsRepository } from '../repositories/credentials.repository.js';
import { DirectoryRepository } from '../repositories/directory.repository.js';
import { UsersRepository, type UserRow } from '../repositories/users.repository.js';
import { LockoutService } from './lockout.service.js';
import { MfaChallenges } from './mfa-challenges.js';
import { SessionsService } from './sessions.service.js';
import type { AuthenticatedBody } from './tokens.service.js';

const RECOVERY_CODE_COUNT = 10;

export type SecondFactor = { code: string } | { recoveryCode: string };

/**
 * TOTP second factor: the sign-in step after the password, first-time enrolment at sign-in,
 * and self-service enrol/disable. Secrets are stored encrypted (FieldCipher); recovery codes
 * as keyed hashes, each usable once.
 */
@Injectable()
export class MfaService {
  constructor(
    private readonly database: IdentityDatabase,
    private readonly users: UsersRepository,
    private readonly directory: DirectoryRepository,
    private readonly credentials: CredentialsRepository,
    private readonly challenges: MfaChallenges,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionsService,
    private readonly cipher: FieldCipher,
    private readonly rateLimits: RateLimits,
    private readonly audit: IdentityAudit,
  ) {}

  /** Second sign-in step for an enrolled user. */
  async verify(mfaToken: string, factor: SecondFactor, req: FastifyRequest): Promise<AuthenticatedBody> {
    const action = 'identity.mfa.verify';
    await this.rateLimits.consumeLoginAttempt(clientIp(req));
    const challenge = await this.challenges.find(mfaToken, 'verify');
    const user = await this.activeUser(challenge.user_id);
    await this.lockout.assertUnlocked(user, action, req);
    const method = 'code' in factor ? 'totp' : 'recovery_code';
    const ok =
      'code' in factor
        ? await this.checkTotp(user, user.mfa_secret, factor.code)
        : await this.useRecoveryCode(user, factor.recoveryCode);
    if (!ok) throw await this.lockout.fail(user, 'invalid_mfa_code', action, req);
    await this.challenges.consume(challenge);
    const body = await this.sessions.start(user, ['pwd', 'otp'], req);
    await this.lockout.note(user.id, true, method, req);
    await this.audit.record(req, { action, outcome: 'allowed', reason: method, userId: user.id });
    return body;
  }

  /** First step of enrolment during sign-in (a role requires MFA and none is set up). */
  async startEnrolmentAtSignIn(mfaToken: string, req: FastifyRequest): Promise<TotpEnrolment> {
    await this.rateLimits.consumeLoginAttempt(clientIp(req));
    const challenge = await this.challenges.find(mfaToken, 'enroll');
    const user = await this.activeUser(challenge.user_id);
    const enrolment = newTotpEnrolment(user.email);
    await this.challenges.setPendingSecret(challenge, this.cipher.encrypt(enrolment.secret));
    return enrolment;
  }

  /** Confirms the authenticator with a first code; signs in and hands out recovery codes. */
  async confirmEnrolmentAtSignIn(
    mfaToken: string,
    code: string,
    req: FastifyRequest,
  ): Promise<AuthenticatedBody & { recoveryCodes: string[] }> {
    const action = 'identity.mfa.enroll';
    await this.rateLimits.consumeLoginAttempt(clientIp(req));
    const challenge = await this.challenges.find(mfaToken, 'enroll');
    if (!challenge.pending_secret) throw IdentityProblems.mfaNotPending();
    const user = await this.activeUser(challenge.user_id);
    await this.lockout.assertUnlocked(user, action, req);
    if (!(await this.checkTotp(user, challenge.pending_secret, code))) {
      throw await this.lockout.fail(user, 'invalid_mfa_code', action, req);
    }
    await this.challenges.consume(challenge);
    const recoveryCodes = await this.enable(user, challenge.pending_secret);
    const body = await this.sessions.start({ ...user, mfa_enabled_at: new Date() }, ['pwd', 'otp'], req);
    await this.lockout.note(user.id, true, 'totp_enrolment', req);
    await this.audit.record(req, {
      action,
      outcome: 'allowed',
      reason: 'enrolled_at_sign_in',
      userId: user.id,
    });
    return { ...body, recoveryCodes };
  }

  /** Self-service: offers a new secret; MFA is on only after `confirm`. */
  async startEnrolment(userId: string): Promise<TotpEnrolment> {
    const user = await this.activeUser(userId);
    if (user.mfa_enabled_at) throw IdentityProblems.mfaAlreadyEnabled();
    const enrolment = newTotpEnrolment(user.email);
    await this.users.setMfaPending(user.id, this.cipher.encrypt(enrolment.secret));
    return enrolment;
  }

  async confirmEnrolment(
    userId: string,
    code: string,
    req: FastifyRequest,
  ): Promise<{ recoveryCodes: string[] }> {
    const user = await this.activeUser(userId);
    if (user.mfa_enabled_at) throw IdentityProblems.mfaAlreadyEnabled();
    if (!user.mfa_pending_secret) throw IdentityProblems.mfaNotPending();
    if (!(await this.checkTotp(user, user.mfa_pending_secret, code))) throw wrongCode();
    const recoveryCodes = await this.enable(user, user.mfa_pending_secret);
    await this.audit.record(req, {
      action: 'identity.mfa.enroll',
      outcome: 'allowed',
      reason: 'self_service',
      userId,
    });
    return { recoveryCodes };
  }

  async disable(userId: string, code: string, req: FastifyRequest): Promise<void> {
    const user = await this.activeUser(userId);
    const access = await this.users.accessOf(user.id);
    if ((await this.directory.rolesRequiringMfa(access.roles)).length > 0)
      throw IdentityProblems.mfaRequiredByRole();
    if (!user.mfa_enabled_at) return;
    if (!(await this.checkTotp(user, user.mfa_secret, code))) throw wrongCode();
    await this.database.transaction(async (trx) => {
      await this.users.update(
        user.id,
        { mfa_secret: null, mfa_enabled_at: null, mfa_pending_secret: null },
        null,
        trx,
      );
      await this.credentials.replaceRecoveryCodes(user.id, [], trx);
    });
    await this.audit.record(req, { action: 'identity.mfa.disable', outcome: 'allowed', userId });
  }

  private async enable(user: UserRow, secretCiphertext: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.database.transaction(async (trx) => {
      await this.users.update(
        user.id,
        { mfa_secret: secretCiphertext, mfa_enabled_at: new Date(), mfa_pending_secret: null },
        null,
        trx,
      );
      await this.credentials.replaceRecoveryCodes(
        user.id,
        codes.map((c) => this.recoveryHash(c)),
        trx,
      );
    });
    return codes;
  }

  /** Checks a code against an encrypted secret and remembers its time step so it works once. */
  private async checkTotp(user: UserRow, secretCiphertext: string | null, code: string): Promise<boolean> {
    if (!secretCiphertext) return false;
    const match = await verifyTotp(this.cipher.decrypt(secretCiphertext), code, user.mfa_last_time_step);
    if (!match) return false;
    await this.users.setLastTimeStep(user.id, match.timeStep);
    return true;
  }

  private useRecoveryCode(user: UserRow, code: string): Promise<boolean> {
    if (!user.mfa_enabled_at) return Promise.resolve(false);
    return this.credentials.useRecoveryCode(user.id, this.recoveryHash(code));
  }

  private recoveryHash(code: string): string {
    return this.cipher.blindIndex(code, normaliseRecoveryCode);
  }

  private async activeUser(userId: string): Promise<UserRow> {
    const user = await this.users.findById(userId);
    if (!user || user.status !== 'active') throw IdentityProblems.mfaChallengeInvalid();
    return user;
  }
}

function wrongCode() {
  return Problems.validation([{ field: 'body.code', message: 'The code is not correct.' }]);
}
