import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../src/platform/crypto/field-cipher.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
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
  signIn,
} from './identity-helpers.js';

describe('changing and resetting passwords', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('changing my password signs out my other sessions but keeps this one', async () => {
    const user = demoUser('supervisor');
    const laptop = await signIn(t, user.email);
    const phone = await signIn(t, user.email);

    const wrong = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/password`,
      token: laptop.accessToken,
      body: { currentPassword: 'not it', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.statusCode).toBe(400);

    const short = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/password`,
      token: laptop.accessToken,
      body: { currentPassword: user.password, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('body.newPassword');

    const changed = await t.http.request({
      method: 'POST',
      url: `${IDENTITY}/me/password`,
      token: laptop.accessToken,
      body: { currentPassword: user.password, newPassword: 'a brand new passphrase' },
    });
    expect(changed.statusCode).toBe(204);

    expect((await me(t, laptop.accessToken)).statusCode).toBe(200);
    expect((await me(t, phone.accessToken)).statusCode).toBe(401);
    expect((await refresh(t, phone.refreshToken)).statusCode).toBe(401);
    expect((await login(t, user.email)).statusCode).toBe(401);
    expect((await login(t, user.email, 'a brand new passphrase')).statusCode).toBe(200);

    const sessions = await t.http.request({
      method: 'GET',
      url: `${IDENTITY}/me/sessions`,
      token: laptop.accessToken,
    });
    const items = sessions.json<{ items: { id: string; current: boolean }[] }>().items;
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.map((s) => s.id)).not.toContain(undefined);
  });

  it('resets a forgotten password through a one-time token sent via the outbox, ending all sessions', async () => {
    const user = demoUser('billing_specialist');
    const before = await signIn(t, user.email);

    const request = await t.http.request({
      method: 'POST',
      url: `${AUTH}/password-reset/request`,
      body: { email: user.email },
    });
    expect(request.statusCode).toBe(202);
    const unknown = await t.http.request({
      method: 'POST',
      url: `${AUTH}/password-reset/request`,
      body: { email: 'nobody@demo.ehrms.local' },
    });
    expect(unknown.statusCode).toBe(202);

    const events = await t.database.db
      .withTables<PlatformTables>()
      .selectFrom('platform.outbox')
      .selectAll()
      .where('topic', '=', 'identity.password_reset.requested')
      .execute();
    expect(events).toHaveLength(1);
    const payload = (
      typeof events[0]?.payload === 'string' ? JSON.parse(events[0].payload) : events[0]?.payload
    ) as {
      userId: string;
      tokenCiphertext: string;
    };
    expect(payload.userId).toBe(user.id);
    const token = t.app.get(FieldCipher).decrypt(payload.tokenCiphertext);
    expect(JSON.stringify(events[0])).not.toContain(token);

    const confirm = (newPassword: string) =>
      t.http.request({ method: 'POST', url: `${AUTH}/password-reset/confirm`, body: { token, newPassword } });
    expect((await confirm('my reset passphrase 1')).statusCode).toBe(204);
    const reused = await confirm('another passphrase 22');
    expect(reused.statusCode).toBe(400);
    expect(problemType(reused)).toBe('reset-token-invalid');

    expect((await me(t, before.accessToken)).statusCode).toBe(401);
    expect((await login(t, user.email, 'my reset passphrase 1')).statusCode).toBe(200);
    expect((await auditRows(t, 'identity.password.reset')).map((r) => r.outcome)).toEqual([
      'allowed',
      'denied',
    ]);
  });
});
