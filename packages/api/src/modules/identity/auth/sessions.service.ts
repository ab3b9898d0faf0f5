import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../platform/auth/principal.js';
import { SessionRevocations } from '../../../platform/auth/session-revocations.js';
import { clientIp, userAgent } from '../../../platform/http/request-context.js';
import { Problems } from '../../../platform/errors/problem.js';
import { tokenHash } from '../crypto/opaque-tokens.js';
import { IdentityAudit } from '../identity-audit.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';
import { IdentityProblems } from '../identity.problems.js';
import { DirectoryRepository } from '../repositories/directory.repository.js';
import { SessionsRepository, type SessionRow } from '../repositories/sessions.repository.js';
import { LoginAttemptsRepository } from '../repositories/login-attempts.repository.js';
import { UsersRepository, type UserRow } from '../repositories/users.repository.js';
import { TokensService, type AuthenticatedBody } from './tokens.service.js';

export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/**
 * Sign-in sessions: one per sign-in, one refresh-token family each. Ending a session is pushed
 * to SessionRevocations so its live access tokens stop working at once, not at expiry.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly database: IdentityDatabase,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly attempts: LoginAttemptsRepository,
    private readonly directory: DirectoryRepository,
    private readonly tokens: TokensService,
    private readonly revocations: SessionRevocations,
    private readonly audit: IdentityAudit,
  ) {}

  /** Starts a session once every factor the user's roles demand has been checked. */
  async start(user: UserRow, amr: string[], req: FastifyRequest): Promise<AuthenticatedBody> {
    const id = randomUUID();
    return this.database.transaction(async (trx) => {
      const access = await this.users.accessOf(user.id, trx);
      if (!(await this.factorsSuffice(access.roles, amr, trx))) {
        // The login and MFA services never get here without OTP; this is the last line.
        throw IdentityProblems.mfaChallengeInvalid();
      }
      await this.sessions.create(
        { id, user_id: user.id, ip: clientIp(req), user_agent: userAgent(req), amr },
        trx,
      );
      await this.attempts.clearFailures(user.id, { loggedIn: true }, trx);
      return this.tokens.forSession(user, access, { id, amr }, trx);
    });
  }

  /**
   * Rotates a refresh token: the presented one is spent, a new one issued. A token that was
   * already spent means two parties hold the family, so the whole session ends.
   */
  async refresh(refreshToken: string, req: FastifyRequest): Promise<AuthenticatedBody> {
    const hash = tokenHash(refreshToken);
    const outcome = await this.database.transaction(async (trx) => {
      const spent = await this.sessions.useRefreshToken(hash, trx);
      if (!spent) return { kind: 'refused' as const, token: await this.sessions.findRefreshToken(hash, trx) };
      const session = await this.sessions.find(spent.session_id, trx);
      const user = session ? await this.users.findById(session.user_id, trx) : undefined;
      if (!session || session.revoked_at || !user || user.status !== 'active') {
        return { kind: 'ended' as const, session, user };
      }
      const access = await this.users.accessOf(user.id, trx);
      if (!(await this.factorsSuffice(access.roles, session.amr, trx))) {
        return { kind: 'ended' as const, session, user };
      }
      await this.sessions.touch(session.id, trx);
      return { kind: 'ok' as const, session, body: await this.tokens.forSession(user, access, session, trx) };
    });

    if (outcome.kind === 'ok') {
      await this.audit.record(req, {
        action: 'identity.refresh',
        outcome: 'allowed',
        userId: outcome.session.user_id,
        sessionId: outcome.session.id,
      });
      return outcome.body;
    }
    if (outcome.kind === 'ended') {
      if (outcome.session)
        await this.end(outcome.session.user_id, 'session_no_longer_valid', [outcome.session.id]);
      await this.audit.record(req, {
        action: 'identity.refresh',
        outcome: 'denied',
        reason: outcome.session?.revoked_at ? 'session_revoked' : 'session_no_longer_valid',
        userId: outcome.session?.user_id ?? null,
        sessionId: outcome.session?.id ?? null,
      });
      throw IdentityProblems.refreshTokenInvalid();
    }
    const token = outcome.token;
    if (token?.used_at) {
      const session = await this.sessions.find(token.session_id);
      if (session) await this.end(session.user_id, 'refresh_token_reuse', [session.id]);
      await this.audit.record(req, {
        action: 'identity.refresh.reuse',
        outcome: 'denied',
        reason: 'refresh_token_reused_likely_theft',
        userId: session?.user_id ?? null,
        sessionId: token.session_id,
      });
      throw IdentityProblems.refreshTokenReused();
    }
    await this.audit.record(req, {
      action: 'identity.refresh',
      outcome: 'denied',
      reason: token ? 'expired' : 'unknown_token',
    });
    throw IdentityProblems.refreshTokenInvalid();
  }

  /** Logout: ends the session the caller's token belongs to. */
  async logout(principal: Principal, req: FastifyRequest): Promise<void> {
    if (principal.sessionId) await this.end(principal.id, 'logout', [principal.sessionId]);
    await this.audit.record(req, {
      action: 'identity.logout',
      outcome: 'allowed',
      userId: principal.id,
      resourceType: 'identity.sessions',
    });
  }

  /**
   * Ends sessions of a user — the given ones, or all (optionally but one) — and pushes the
   * revocation so their access tokens die now. Returns the ids ended.
   */
  async end(
    userId: string,
    reason: string,
    ids?: readonly string[],
    opts: { except?: string | null; db?: IdentityDb } = {},
  ): Promise<string[]> {
    const ended = await this.sessions.revoke(
      userId,
      reason,
      { ...(ids ? { ids } : {}), except: opts.except ?? null },
      opts.db,
    );
    // Push even ids that were already revoked in the table: a process may have missed it.
    const push = ids ? [...new Set([...ids, ...ended])] : ended;
    await this.revocations.revoke(push.filter((id) => id !== opts.except));
    return ended;
  }

  async list(userId: string, currentSessionId: string | null): Promise<SessionView[]> {
    const rows = await this.sessions.listLive(userId);
    return rows.map((s) => toSessionView(s, currentSessionId));
  }

  /** Ends one of the user's own sessions; 404 when it is not theirs. */
  async endOwn(userId: string, sessionId: string): Promise<void> {
    const session = await this.sessions.find(sessionId);
    if (!session || session.user_id !== userId) throw Problems.notFound('session');
    await this.end(userId, 'signed_out_elsewhere', [sessionId]);
  }

  /** Re-announces recent revocations at start-up, so a restarted process does not forget them. */
  async replayRecentRevocations(accessTokenTtlSeconds: number): Promise<void> {
    const ids = await this.sessions.revokedSince(accessTokenTtlSeconds + 60);
    if (ids.length > 0) await this.revocations.revoke(ids);
  }

  private async factorsSuffice(
    roles: readonly string[],
    amr: readonly string[],
    db: IdentityDb,
  ): Promise<boolean> {
    if (amr.includes('otp')) return true;
    return (await this.directory.rolesRequiringMfa(roles, db)).length === 0;
  }
}

function toSessionView(s: SessionRow, currentSessionId: string | null): SessionView {
  return {
    id: s.id,
    createdAt: new Date(s.created_at).toISOString(),
    lastUsedAt: new Date(s.last_used_at).toISOString(),
    ip: s.ip,
    userAgent: s.user_agent,
    current: s.id === currentSessionId,
  };
}
