import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import {
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type AccessTokenClaims,
} from '../../../platform/auth/access-tokens.js';
import { JwtKeyRing } from '../../../platform/auth/key-ring.js';
import { encodeGrants, type Scope } from '../../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { newOpaqueToken, tokenHash } from '../crypto/opaque-tokens.js';
import type { IdentityDb } from '../identity.database.js';
import { DirectoryRepository } from '../repositories/directory.repository.js';
import { SessionsRepository } from '../repositories/sessions.repository.js';
import type { UserAccess, UserRow } from '../repositories/users.repository.js';
import { toUserView, type UserView } from '../users/user-view.js';

export interface AuthenticatedBody {
  status: 'authenticated';
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: UserView;
}

/**
 * Mints access tokens (ES256 `at+jwt`, RFC 9068) and refresh tokens (opaque, stored hashed).
 * The token carries the caller's grants in `scope`, so every service authorizes without asking
 * identity.
 */
@Injectable()
export class TokensService {
  constructor(
    private readonly keys: JwtKeyRing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryRepository,
    private readonly sessions: SessionsRepository,
  ) {}

  get accessTokenTtl(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  grantsOf(roles: readonly string[], db?: IdentityDb): Promise<Record<string, Scope>> {
    return this.directory.grantsOf(roles, db);
  }

  async signAccessToken(claims: AccessTokenClaims): Promise<string> {
    const { kid, key } = this.keys.signingKey();
    const { sub, ...rest } = claims;
    return new SignJWT({ ...rest })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setSubject(sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.accessTokenTtl}s`)
      .sign(key);
  }

  /** The next refresh token of a session (family). */
  async newRefreshToken(sessionId: string, db?: IdentityDb): Promise<string> {
    const token = newOpaqueToken();
    await this.sessions.insertRefreshToken(
      {
        token_hash: tokenHash(token),
        session_id: sessionId,
        expires_at: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      },
      db,
    );
    return token;
  }

  /** Access + refresh token for a user's session, with the user as the API shows them. */
  async forSession(
    user: UserRow,
    access: UserAccess,
    session: { id: string; amr: readonly string[] },
    db?: IdentityDb,
  ): Promise<AuthenticatedBody> {
    const grants = await this.grantsOf(access.roles, db);
    const accessToken = await this.signAccessToken({
      sub: user.id,
      sid: session.id,
      kind: 'user',
      agency: user.agency_id,
      teams: access.teamIds,
      programs: access.programIds,
      roles: access.roles,
      scope: encodeGrants(grants),
      amr: [...session.amr],
    });
    const refreshToken = await this.newRefreshToken(session.id, db);
    return {
      status: 'authenticated',
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokenTtl,
      user: toUserView(user, access),
    };
  }
}
