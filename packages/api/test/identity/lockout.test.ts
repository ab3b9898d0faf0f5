import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY } from '../../src/modules/identity/demo.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { auditRows, demoUser, login, problemType } from './identity-helpers.js';

describe('password sign-in failures', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await login(t, 'nobody@demo.ehrms.local', 'whatever-password', '198.51.100.1');
    const wrong = await login(t, demoUser('clinician').email, 'not-the-password', '198.51.100.1');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(problemType(unknown)).toBe('invalid-credentials');
    expect(unknown.json<{ detail: string }>().detail).toBe(wrong.json<{ detail: string }>().detail);
    const failures = await auditRows(t, 'identity.login');
    expect(failures.map((r) => r.reason)).toEqual(
      expect.arrayContaining(['unknown_email', 'invalid_password']),
    );
    expect(failures.every((r) => r.outcome === 'denied')).toBe(true);
  });

  it('locks the account after 5 failures, audits the lockout, and refuses even the right password', async () => {
    const cm = demoUser('case_manager');
    const ip = '198.51.100.2';
    for (let i = 0; i < 4; i++) {
      const res = await login(t, cm.email, `wrong-${i}`, ip);
      expect(problemType(res)).toBe('invalid-credentials');
    }
    const fifth = await login(t, cm.email, 'wrong-5', ip);
    expect(fifth.statusCode).toBe(401);
    expect(problemType(fifth)).toBe('account-locked');

    const locked = await auditRows(t, 'identity.account.locked');
    expect(locked).toHaveLength(1);
    // Filed under the account's agency, so that agency's auditors see it.
    expect(locked[0]).toMatchObject({
      actor_id: cm.id,
      actor_agency_id: DEMO_AGENCY.id,
      resource_id: cm.id,
      outcome: 'denied',
    });

    const right = await login(t, cm.email, cm.password, '198.51.100.3');
    expect(right.statusCode).toBe(401);
    expect(problemType(right)).toBe('account-locked');
    expect(right.headers['retry-after']).toBeDefined();
    const refused = (await auditRows(t, 'identity.login')).at(-1);
    expect(refused).toMatchObject({ actor_id: cm.id, outcome: 'denied', reason: 'account_locked' });
  });

  it('slows a single address with a per-IP limit on sign-in attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push(
        (await login(t, `guess-${i}@demo.ehrms.local`, 'password-guess', '203.0.113.9')).statusCode,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await auditRows(t, 'identity.login')).some((r) => r.reason === 'rate_limited')).toBe(true);
    // Another address is unaffected.
    expect((await login(t, demoUser('scheduler').email, undefined, '203.0.113.10')).statusCode).toBe(200);
  });

  it('refuses a malformed sign-in body with field errors', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: '/api/v1/identity/auth/login',
      body: { email: 'a@b.c', password: 'x', remember: true },
    });
    expect(res.statusCode).toBe(400);
    expect(problemType(res)).toBe('validation');
  });
});
