import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  AUTH,
  IDENTITY,
  auditRows,
  demoUser,
  login,
  me,
  problemType,
  refresh,
  signInWithTotp,
  totp,
  type Authenticated,
} from './identity-helpers.js';

describe('multi-factor authentication', () => {
  let t: TestApp;
  let agencyAdmin: Authenticated;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000' });
    agencyAdmin = await signInWithTotp(t, 'agency_admin');
  });
  afterAll(async () => {
    await t.close();
  });

  it('asks an enrolled system admin for a code, then signs them in with OTP in the token', async () => {
    const admin = demoUser('system_admin');
    const first = await login(t, admin.email);
    expect(first.statusCode).toBe(200);
    const step = first.json<{ status: string; mfaToken: string; expiresIn: number }>();
    expect(step).toMatchObject({ status: 'mfa_required', expiresIn: 300 });
    expect(step).not.toHaveProperty('accessToken');

    const wrong = await t.http.request({
      method: 'POST',
      url: `${AUTH}/mfa/verify`,
      body: { mfaToken: step.mfaToken, code: '000000' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(problemType(wrong)).toBe('invalid-mfa-code');

    const code = await totp(admin.totpSecret ?? '');
    const ok = await t.http.request({
      method: 'POST',
      url: `${AUTH}/mfa/verify`,
      body: { mfaToken: step.mfaToken, code },
    });
    expect(ok.statusCode).toBe(200);
    const session = ok.json<Authenticated>();
    expect(decodeJwt(session.accessToken).amr).toEqual(['pwd', 'otp']);
    expect((await me(t, session.accessToken)).json()).toMatchObject({
      roles: ['system_admin'],
      mfaEnabled: true,
      grants: { 'identity.users.write': 'all' },
    });

    // The challenge is spent, and the same code cannot be replayed for a second session.
    const again = await t.http.request({
      method: 'POST',
      url: `${AUTH}/mfa/verify`,
      body: { mfaToken: step.mfaToken, code },
    });
    expect(problemType(again)).toBe('mfa-challenge-invalid');
    const second = (await login(t, admin.email)).json<{ mfaToken: string }>();
    const replay = await t.http.request({
      method: 'POST',
      url: `${AUTH}/mfa/verify`,
      body: { mfaToken: second.mfaToken, code },
    });
    expect(problemType(replay)).toBe('invalid-mfa-code');

    const verified = await auditRows(t, 'identity.mfa.verify');
    expect(verified.filter((r) => r.actor_id === admin.id).map((r) => [r.outcome, r.reason])).toEqual([
      ['denied', 'invalid_mfa_code'],
      ['allowed', 'totp'],
      ['denied', 'invalid_mfa_code'],
    ]);

    // Refresh keeps the second factor in the new token.
    const rotated = await refresh(t, session.refreshToken);
    expect(decodeJwt(rotated.json<Authenticated>().accessToken).amr).toEqual(['pwd', 'otp']);
  });

  it('makes a new agency admin enrol before any token; recovery codes then work exactly once', async () => {
    const email = 'new-admin@demo.ehrms.local';
    const password = 'a long enough password 1';
    const created = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/users`,
      token: agencyAdmin.accessToken,
      body: { email, displayName: 'New Admin', password, roles: ['agency_admin'], teamIds: [] },
    });
    expect(created.statusCode, created.body).toBe(201);

    const first = (await login(t, email, password)).json<{ status: string; mfaToken: string }>();
    expect(first.status).toBe('mfa_enrollment_required');
    // The enrolment token is no way around the second factor.
    const shortcut = await t.http.request({
      method: 'POST',
      url: `${AUTH}/mfa/verify`,
      body: { mfaToken: first.mfaToken, code: '123456' },
    });
    expect(problemType(shortcut)).toBe('mfa-challenge-invalid');

    const enrol = await t.http.request({
      method: 'POST',
      url: `${AUTH}/mfa/enroll`,
      body: { mfaToken: first.mfaToken },
    });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUrl } = enrol.json<{ secret: string; otpauthUrl: string }>();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/EHRMS:/);

    const confirmed = await t.http.request({
      method: 'POST',
      url: `${AUTH}/mfa/enroll/confirm`,
      body: { mfaToken: first.mfaToken, code: await totp(secret) },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const body = confirmed.json<Authenticated & { recoveryCodes: string[] }>();
    expect(body.recoveryCodes).toHaveLength(10);
    expect(new Set(body.recoveryCodes).size).toBe(10);
    expect(decodeJwt(body.accessToken).amr).toEqual(['pwd', 'otp']);

    const stored = await t.database.db
      .withTables<{ 'identity.users': { email: string; mfa_secret: string | null } }>()
      .selectFrom('identity.users')
      .select('mfa_secret')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(stored.mfa_secret).not.toContain(secret);
    expect(stored.mfa_secret).toMatch(/^v\d+\./);

    const recoveryCode = body.recoveryCodes[3] ?? '';
    const withRecovery = async () => {
      const step = (await login(t, email, password)).json<{ status: string; mfaToken: string }>();
      expect(step.status).toBe('mfa_required');
      return t.http.request({
        method: 'POST',
        url: `${AUTH}/mfa/verify`,
        body: { mfaToken: step.mfaToken, recoveryCode },
      });
    };
    const once = await withRecovery();
    expect(once.statusCode).toBe(200);
    expect(decodeJwt(once.json<Authenticated>().accessToken).amr).toContain('otp');
    const twice = await withRecovery();
    expect(twice.statusCode).toBe(401);
    expect(problemType(twice)).toBe('invalid-mfa-code');
  });

  it('refuses to switch off MFA for a role that requires it', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/mfa/disable`,
      token: agencyAdmin.accessToken,
      body: { code: '123456' },
    });
    expect(res.statusCode).toBe(409);
    expect(problemType(res)).toBe('mfa-required-by-role');
  });

  it('lets a clinician turn on MFA from their profile, after which sign-in asks for a code', async () => {
    const clinician = demoUser('clinician');
    const session = (await login(t, clinician.email)).json<Authenticated>();
    const enrol = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/mfa/enroll`,
      token: session.accessToken,
    });
    const { secret } = enrol.json<{ secret: string }>();
    const wrong = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/mfa/confirm`,
      token: session.accessToken,
      body: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    const confirmed = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/mfa/confirm`,
      token: session.accessToken,
      body: { code: await totp(secret) },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
    expect((await login(t, clinician.email)).json()).toMatchObject({ status: 'mfa_required' });

    const disabled = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/mfa/disable`,
      token: session.accessToken,
      body: { code: await totp(secret, 1) },
    });
    expect(disabled.statusCode).toBe(204);
    expect((await login(t, clinician.email)).json()).toMatchObject({ status: 'authenticated' });
  });
});
