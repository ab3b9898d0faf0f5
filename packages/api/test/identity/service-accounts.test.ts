import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY } from '../../src/modules/identity/demo.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  IDENTITY,
  auditRows,
  problemType,
  signIn,
  signInWithTotp,
  demoUser,
  type Authenticated,
} from './identity-helpers.js';

describe('service accounts and the OAuth token endpoint', () => {
  let t: TestApp;
  let admin: Authenticated;
  let client: { id: string; clientId: string; clientSecret: string };
  const tokenUrl = `${IDENTITY}/oauth2/token`;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000' });
    admin = await signInWithTotp(t, 'agency_admin');
    const res = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/service-accounts`,
      token: admin.accessToken,
      body: { name: 'State reporting feed', roles: ['auditor'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    client = res.json();
  });
  afterAll(async () => {
    await t.close();
  });

  it('issues a service token for client credentials sent as a form', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ access_token: string; token_type: string; expires_in: number; scope: string }>();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body.scope).toContain('audit.logs.read:agency');
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      sub: client.id,
      kind: 'service',
      agency: DEMO_AGENCY.id,
      roles: ['auditor'],
    });
    expect(claims.sid).toBeUndefined();

    const users = await t.http.request({
      method: 'GET',
      url: `${IDENTITY}/users?limit=5`,
      token: body.access_token,
    });
    expect(users.statusCode).toBe(200);
    const allowed = await auditRows(t, 'identity.oauth2.client_credentials');
    expect(allowed.at(-1)).toMatchObject({ actor_id: client.id, actor_kind: 'service', outcome: 'allowed' });
  });

  it('accepts HTTP Basic client authentication and JSON bodies', async () => {
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    const res = await t.http.request({
      method: 'POST',
      url: tokenUrl,
      headers: { authorization: `Basic ${basic}` },
      body: { grant_type: 'client_credentials' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a wrong secret with the OAuth invalid_client error', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: tokenUrl,
      body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_client' });
    expect(problemType(res)).toBe('invalid-client');
  });

  it('rotates a user refresh token through the OAuth refresh_token grant', async () => {
    const session = await signIn(t, demoUser('case_manager').email);
    const res = await t.http.request({
      method: 'POST',
      url: tokenUrl,
      body: { grant_type: 'refresh_token', refresh_token: session.refreshToken },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ refresh_token: string; scope: string }>();
    expect(body.refresh_token).not.toBe(session.refreshToken);
    expect(body.scope).toContain('identity.users.read:team');
    const reused = await t.http.request({
      method: 'POST',
      url: tokenUrl,
      body: { grant_type: 'refresh_token', refresh_token: session.refreshToken },
    });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lists the agency’s service accounts without secrets, and a disabled one gets no tokens', async () => {
    const list = await t.http.request({
      method: 'GET',
      url: `${IDENTITY}/service-accounts`,
      token: admin.accessToken,
    });
    expect(list.json<{ items: { clientId: string }[] }>().items.map((a) => a.clientId)).toContain(
      client.clientId,
    );
    expect(list.body).not.toContain(client.clientSecret);

    const disabled = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/service-accounts/${client.id}/disable`,
      token: admin.accessToken,
    });
    expect(disabled.json()).toMatchObject({ status: 'disabled' });
    const res = await t.http.request({
      method: 'POST',
      url: tokenUrl,
      body: {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      },
    });
    expect(res.statusCode).toBe(401);
  });

  it('an agency admin cannot create a service account with system-wide reach', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/service-accounts`,
      token: admin.accessToken,
      body: { name: 'Too powerful', roles: ['system_admin'] },
    });
    expect(res.statusCode).toBe(403);
  });

  it('never gives a service account a role that requires MFA', async () => {
    const sysadmin = await signInWithTotp(t, 'system_admin');
    const res = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/service-accounts`,
      token: sysadmin.accessToken,
      body: { name: 'Admin robot', roles: ['agency_admin'] },
    });
    expect(res.statusCode).toBe(400);
  });
});
