import { createHmac, createPublicKey } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/platform/auth/access-tokens.js';
import { JwtKeyRing } from '../../src/platform/auth/key-ring.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { auditRows, demoUser, me, problemType, refresh, signIn, AUTH } from './identity-helpers.js';

describe('access and refresh tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in a case manager with an ES256 access token carrying their roles, teams and grants', async () => {
    const cm = demoUser('case_manager');
    const session = await signIn(t, cm.email);
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(session.user).toMatchObject({
      email: cm.email,
      roles: ['case_manager'],
      teamIds: [...cm.teamIds],
    });
    expect(decodeProtectedHeader(session.accessToken)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = decodeJwt(session.accessToken);
    expect(claims).toMatchObject({
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      sub: cm.id,
      kind: 'user',
      teams: [...cm.teamIds],
      roles: ['case_manager'],
      amr: ['pwd'],
    });
    expect(typeof claims.sid).toBe('string');
    expect(claims.scope).toContain('identity.users.read:team');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);

    const res = await me(t, session.accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: cm.id, grants: { 'identity.users.read': 'team' } });
  });

  it('rotates the refresh token; reusing the old one ends the whole session and is audited as theft', async () => {
    const clinician = demoUser('clinician');
    const first = await signIn(t, clinician.email);

    const rotated = await refresh(t, first.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json<{ accessToken: string; refreshToken: string }>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await me(t, second.accessToken)).statusCode).toBe(200);

    const reuse = await refresh(t, first.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(problemType(reuse)).toBe('refresh-token-reused');

    // The thief's copy and the rightful holder's both stop working, at once.
    const afterReuse = await refresh(t, second.refreshToken);
    expect(afterReuse.statusCode).toBe(401);
    expect((await me(t, second.accessToken)).statusCode).toBe(401);
    expect((await me(t, first.accessToken)).statusCode).toBe(401);

    const audited = await auditRows(t, 'identity.refresh.reuse');
    expect(audited.at(-1)).toMatchObject({
      outcome: 'denied',
      actor_id: clinician.id,
      resource_id: clinician.id,
    });
    expect(audited.at(-1)?.session_id).toBe(decodeJwt(first.accessToken).sid);
  });

  it('refuses an unknown refresh token', async () => {
    const res = await refresh(t, 'x'.repeat(43));
    expect(res.statusCode).toBe(401);
    expect(problemType(res)).toBe('refresh-token-invalid');
  });

  it('logout ends the session: its access and refresh tokens stop working', async () => {
    const session = await signIn(t, demoUser('scheduler').email);
    const out = await t.http.request({ method: 'POST', url: `${AUTH}/logout`, token: session.accessToken });
    expect(out.statusCode).toBe(204);
    expect((await me(t, session.accessToken)).statusCode).toBe(401);
    expect((await refresh(t, session.refreshToken)).statusCode).toBe(401);
    expect((await auditRows(t, 'identity.logout')).length).toBeGreaterThan(0);
  });

  describe('forged and stale access tokens', () => {
    let genuine: string;
    beforeAll(async () => {
      genuine = (await signIn(t, demoUser('auditor').email)).accessToken;
    });

    it('rejects an expired token', async () => {
      const { kid, key } = t.app.get(JwtKeyRing).signingKey();
      const claims = decodeJwt(genuine);
      const past = Math.floor(Date.now() / 1000) - 3600;
      const expired = await new SignJWT({ ...claims, iat: past, exp: past + 900 })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .sign(key);
      const res = await me(t, expired);
      expect(res.statusCode).toBe(401);
      expect(res.json<{ detail: string }>().detail).toContain('expired');
    });

    it('rejects a token whose payload was altered (an auditor making themselves system admin)', async () => {
      const [header, payload, signature] = genuine.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const forged = Buffer.from(
        JSON.stringify({
          ...claims,
          roles: ['system_admin'],
          scope: `${String(claims.scope)} identity.users.write:all`,
        }),
      ).toString('base64url');
      const res = await me(t, `${header}.${forged}.${signature}`);
      expect(res.statusCode).toBe(401);
    });

    it('rejects an unsigned token (alg: none)', async () => {
      const [, payload] = genuine.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
      expect((await me(t, `${header}.${payload}.`)).statusCode).toBe(401);
    });

    it('rejects an HS256 token signed with the public key as the HMAC secret (key confusion)', async () => {
      const jwks = (await t.http.request({ method: 'GET', url: '/.well-known/jwks.json' })).json<{
        keys: { kid: string; kty: string; crv: string; x: string; y: string }[];
      }>();
      const jwk = jwks.keys[0];
      if (!jwk) throw new Error('no published key');
      const pem = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
      const [, payload] = genuine.split('.');
      for (const secret of [pem, JSON.stringify(jwk), `${jwk.x}${jwk.y}`]) {
        const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: jwk.kid, typ: 'at+jwt' })).toString(
          'base64url',
        );
        const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
        expect((await me(t, `${header}.${payload}.${signature}`)).statusCode).toBe(401);
      }
    });

    it('still accepts the genuine token', async () => {
      expect((await me(t, genuine)).statusCode).toBe(200);
    });
  });

  it('publishes OpenID discovery metadata pointing at the token endpoint and keys', async () => {
    const res = await t.http.request({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<Record<string, unknown>>();
    expect(doc).toMatchObject({
      issuer: TOKEN_ISSUER,
      grant_types_supported: expect.arrayContaining(['client_credentials', 'refresh_token']),
      code_challenge_methods_supported: ['S256'],
    });
    expect(String(doc.token_endpoint)).toMatch(/\/api\/v1\/identity\/oauth2\/token$/);
    expect(String(doc.jwks_uri)).toMatch(/\/\.well-known\/jwks\.json$/);
    expect(doc.scopes_supported).toContain('identity.users.read');
  });
});
