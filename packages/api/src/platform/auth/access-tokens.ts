import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { Problems } from '../errors/problem.js';
import { decodeGrants, type Principal } from './principal.js';
import { SessionRevocations } from './session-revocations.js';

export const JWT_KEY_SOURCE = Symbol('JWT_KEY_SOURCE');
export const TOKEN_ISSUER = 'ehrms';
export const TOKEN_AUDIENCE = 'ehrms-api';

/** Public keys that verify access tokens; identity supplies its key ring, a remote JWKS also fits. */
export interface JwtKeySource {
  getKey: JWTVerifyGetKey;
}

export interface AccessTokenClaims {
  sub: string;
  sid?: string;
  kind: 'user' | 'service';
  agency: string;
  teams: string[];
  programs: string[];
  roles: string[];
  scope: string;
  amr: string[];
}

const CACHE_LIMIT = 20_000;

/**
 * Verifies ES256 access tokens (RFC 9068 `at+jwt`) and turns them into a Principal. Verified
 * tokens are cached until they expire — signature checks dominate the read path — but
 * revocation is checked on every call.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    @Inject(JWT_KEY_SOURCE) private readonly keys: JwtKeySource,
    private readonly revocations: SessionRevocations,
  ) {}

  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const cached = this.cache.get(token);
    let principal: Principal;
    if (cached && cached.expiresAt > now) {
      principal = cached.principal;
    } else {
      if (cached) this.cache.delete(token);
      const verified = await this.verifySignature(token);
      principal = verified.principal;
      if (this.cache.size >= CACHE_LIMIT) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      this.cache.set(token, { principal, expiresAt: verified.expiresAt });
    }
    if (principal.sessionId && this.revocations.isRevoked(principal.sessionId)) {
      throw Problems.unauthenticated('This session has been signed out.');
    }
    return principal;
  }

  private async verifySignature(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, this.keys.getKey, {
        algorithms: ['ES256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      const c = payload as unknown as AccessTokenClaims & { exp: number };
      if (typeof c.agency !== 'string' || typeof c.scope !== 'string' || !Array.isArray(c.roles)) {
        throw Problems.unauthenticated('The access token is missing required claims.');
      }
      const principal: Principal = {
        kind: c.kind === 'service' ? 'service' : 'user',
        id: c.sub,
        sessionId: c.sid ?? null,
        agencyId: c.agency,
        teamIds: c.teams ?? [],
        programIds: c.programs ?? [],
        roles: c.roles,
        grants: decodeGrants(c.scope),
        amr: c.amr ?? [],
      };
      return { principal, expiresAt: c.exp * 1000 };
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw Problems.unauthenticated('The access token has expired.');
      if (err instanceof errors.JOSEError) throw Problems.unauthenticated('The access token is not valid.');
      throw err;
    }
  }
}
