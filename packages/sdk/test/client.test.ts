import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { createEhrmsClient, isProblem, type EhrmsClient } from '../src/index.js';

describe('the SDK client against a running API', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await t.app.getUrl();
  });
  afterAll(async () => {
    await t.close();
  });

  const signedOut = (): EhrmsClient => createEhrmsClient({ baseUrl, getAccessToken: () => null });

  it('calls public routes without a token', async () => {
    const client = signedOut();
    const live = await client.GET('/health/live');
    expect(live.response.status).toBe(200);
    expect(live.data).toEqual({ status: 'ok' });

    const jwks = await client.GET('/.well-known/jwks.json');
    expect(jwks.response.status).toBe(200);
    expect(jwks.data).toMatchObject({ keys: [expect.objectContaining({ kty: 'EC', crv: 'P-256' })] });
  });

  it('sends the access token and the stated purpose of use on protected routes', async () => {
    const token = await t.token({
      sub: 'sdk-auditor',
      roles: ['auditor'],
      grants: { 'audit.logs.read': 'all', 'audit.logs.verify': 'all' },
    });
    const client = createEhrmsClient({ baseUrl, getAccessToken: async () => token, purposeOfUse: 'AUDIT' });

    const verified = await client.GET('/api/v1/audit/verify');
    expect(verified.error).toBeUndefined();
    expect(verified.response.status).toBe(200);
    expect(verified.data?.ok).toBe(true);

    // The audit trail recorded the call as this caller, for the purpose the client stated.
    const trail = await client.GET('/api/v1/audit/logs', {
      params: { query: { userId: 'sdk-auditor', action: 'audit.logs.verify' } },
    });
    expect(trail.response.status).toBe(200);
    expect(trail.data?.items[0]).toMatchObject({
      actorId: 'sdk-auditor',
      action: 'audit.logs.verify',
      outcome: 'allowed',
      purposeOfUse: 'AUDIT',
    });
  });

  it('surfaces a refused call as a problem the isProblem guard recognises', async () => {
    const anonymous = await signedOut().GET('/api/v1/audit/verify');
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.response.headers.get('content-type')).toContain('application/problem+json');
    expect(isProblem(anonymous.error)).toBe(true);
    expect(anonymous.error).toMatchObject({
      status: 401,
      type: 'https://ehrms.dev/problems/unauthenticated',
    });
    expect(anonymous.data).toBeUndefined();

    const noGrant = await t.token({ sub: 'sdk-nobody', grants: {} });
    const forbidden = await createEhrmsClient({ baseUrl, getAccessToken: () => noGrant }).GET(
      '/api/v1/audit/verify',
    );
    expect(forbidden.response.status).toBe(403);
    expect(isProblem(forbidden.error) && forbidden.error.type).toBe('https://ehrms.dev/problems/forbidden');

    expect(isProblem({ status: 401 })).toBe(false);
    expect(isProblem(null)).toBe(false);
  });

  it('tells the app when a token it sent is no longer accepted, but not when none was sent', async () => {
    const lost: number[] = [];
    const expired = createEhrmsClient({
      baseUrl,
      getAccessToken: () => 'not.a.valid-token',
      onUnauthorized: (response) => {
        lost.push(response.status);
      },
    });
    const res = await expired.GET('/api/v1/audit/verify');
    expect(isProblem(res.error)).toBe(true);
    expect(lost).toEqual([401]);

    const quiet: number[] = [];
    await createEhrmsClient({
      baseUrl,
      getAccessToken: () => undefined,
      onUnauthorized: (response) => {
        quiet.push(response.status);
      },
    }).GET('/api/v1/audit/verify');
    expect(quiet).toEqual([]);
  });
});
