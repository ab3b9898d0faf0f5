import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/platform/auth/access-tokens.js';
import { encodeGrants } from '../../src/platform/auth/principal.js';
import { DEMO_AGENCY } from '../../src/modules/identity/demo.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * In the distributed shape, a service without the identity module verifies access tokens
 * against identity's published JWKS and holds no private key of its own.
 */
describe('a service that verifies tokens with identity’s JWKS', () => {
  let identity: TestApp;
  let audit: TestApp;
  const grants = { 'audit.logs.read': 'agency' as const };

  beforeAll(async () => {
    identity = await startTestApp();
    await identity.app.listen({ port: 0, host: '127.0.0.1' });
    const address = identity.app.getHttpServer().address() as { port: number };
    audit = await startTestApp({
      EHRMS_SERVICES: 'audit',
      JWKS_URL: `http://127.0.0.1:${address.port}/.well-known/jwks.json`,
      JWT_SIGNING_KEYS: '',
    });
  });
  afterAll(async () => {
    await audit.close();
    await identity.close();
  });

  it('accepts a token identity signed', async () => {
    const token = await identity.token({ agency: DEMO_AGENCY.id, grants });
    const res = await audit.http.request({ method: 'GET', url: '/api/v1/audit/logs?limit=1', token });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('rejects a token signed by any other key, even under identity’s key id', async () => {
    const jwks = (await identity.http.request({ method: 'GET', url: '/.well-known/jwks.json' })).json<{
      keys: { kid: string }[];
    }>();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      kind: 'user',
      agency: DEMO_AGENCY.id,
      teams: [],
      programs: [],
      roles: [],
      scope: encodeGrants(grants),
      amr: ['pwd'],
    })
      .setProtectedHeader({ alg: 'ES256', kid: jwks.keys[0]?.kid ?? 'k', typ: 'at+jwt' })
      .setSubject('forger')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await audit.http.request({ method: 'GET', url: '/api/v1/audit/logs?limit=1', token: forged });
    expect(res.statusCode).toBe(401);
  });

  it('holds no signing key', async () => {
    await expect(audit.token({ grants })).rejects.toThrow(/no signing key/);
  });
});
