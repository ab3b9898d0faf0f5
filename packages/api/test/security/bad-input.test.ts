import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithTotp } from '../identity/identity-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bad requests get a clear problem+json answer, never a stack trace or an echo of what was
 * sent, and nothing is written.
 */
describe('bad input to a write endpoint', () => {
  let t: TestApp;
  let token: string;
  const url = '/api/v1/identity/users';
  const SECRET = 'Sup3r-Secret-Value-Never-Echoed';

  beforeAll(async () => {
    t = await startTestApp();
    token = (await signInWithTotp(t, 'system_admin')).accessToken;
  });
  afterAll(async () => {
    await t.close();
  });

  const counts = async () => {
    const users = await sql<{ n: number }>`select count(*)::int as n from identity.users`.execute(
      t.database.db,
    );
    const events = await sql<{ n: number }>`select count(*)::int as n from platform.outbox`.execute(
      t.database.db,
    );
    return { users: users.rows[0]?.n, events: events.rows[0]?.n };
  };

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    status: number,
    type: string,
  ) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status, type: `https://ehrms.dev/problems/${type}`, instance: url });
    expect(typeof body.requestId).toBe('string');
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/);
    return body;
  };

  it('answers malformed JSON with 400 malformed-request', async () => {
    const before = await counts();
    const res = await t.http.request({
      method: 'POST',
      url,
      token,
      body: `{"email": "a@b.org", "password": "${SECRET}"`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400, 'malformed-request');
    expect(await counts()).toEqual(before);
  });

  it('answers wrong types with 400 and one field error per field, without echoing values', async () => {
    const before = await counts();
    const res = await t.http.request({
      method: 'POST',
      url,
      token,
      body: { email: 42, displayName: ['x'], password: SECRET, roles: 'case_manager' },
    });
    const body = expectProblem(res, 400, 'validation');
    const fields = (body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['body.displayName', 'body.email', 'body.roles']);
    expect(await counts()).toEqual(before);
  });

  it('refuses unknown fields rather than ignoring them', async () => {
    const before = await counts();
    const res = await t.http.request({
      method: 'POST',
      url,
      token,
      body: {
        email: 'new.person@demo.ehrms.local',
        displayName: 'New Person',
        password: SECRET,
        roles: ['clinician'],
        isAdmin: true,
      },
    });
    const body = expectProblem(res, 400, 'validation');
    expect(JSON.stringify(body.errors)).toContain('isAdmin');
    expect(await counts()).toEqual(before);
  });

  it('answers an oversized body with 413 before reading it all', async () => {
    const before = await counts();
    const huge = JSON.stringify({
      email: 'big@demo.ehrms.local',
      displayName: 'x'.repeat(2 * 1024 * 1024),
      password: SECRET,
      roles: ['clinician'],
    });
    const res = await t.http.request({
      method: 'POST',
      url,
      token,
      body: huge,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 413, 'payload-too-large');
    expect(await counts()).toEqual(before);
  });

  it('answers a body that is not JSON with 415', async () => {
    const before = await counts();
    const res = await t.http.request({
      method: 'POST',
      url,
      token,
      body: `email=${SECRET}`,
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(res, 415, 'unsupported-media-type');
    expect(await counts()).toEqual(before);
  });

  it('answers a bad query parameter with 400 naming it', async () => {
    const res = await t.http.request({ method: 'GET', url: `${url}?limit=lots`, token });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('query.limit');
  });
});
