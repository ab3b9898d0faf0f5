import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/platform/errors/problem.js';
import { RateLimits } from '../../src/platform/rate-limit/rate-limits.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.REDIS_URL;
const LIST = '/api/v1/platform/dead-letters';
const grants = { 'platform.events.manage': 'all' } as const;

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_USER_PER_MINUTE: '3', RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '4' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a user over their per-minute limit with 429 problem+json and Retry-After', async () => {
    const token = await t.token({ sub: 'busy-clerk', grants });
    for (let i = 0; i < 3; i++) {
      expect((await t.http.request({ method: 'GET', url: LIST, token })).statusCode).toBe(200);
    }
    const limited = await t.http.request({ method: 'GET', url: LIST, token });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({
      status: 429,
      type: 'https://ehrms.dev/problems/rate-limited',
      title: 'Too many requests',
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another user is not affected.
    const other = await t.token({ sub: 'calm-clerk', grants });
    expect((await t.http.request({ method: 'GET', url: LIST, token: other })).statusCode).toBe(200);
  });

  it('limits login attempts per IP address strictly, and separately from the per-user limit', async () => {
    const limits = t.app.get(RateLimits);
    for (let i = 0; i < 4; i++) await limits.consumeLoginAttempt('203.0.113.7');
    const refused = await limits.consumeLoginAttempt('203.0.113.7').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused).toMatchObject({
      status: 429,
      headers: { 'retry-after': expect.stringMatching(/^\d+$/) as string },
    });
    // A different address still gets its own attempts, and the same IP's API use is unaffected.
    await expect(limits.consumeLoginAttempt('203.0.113.8')).resolves.toBeUndefined();
    await expect(limits.consumeUser('203.0.113.7')).resolves.toBeUndefined();
  });
});

describe.skipIf(!REDIS_URL)('rate limits shared through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Two processes of the same deployment: same Redis, same key prefix (unique to this test).
    const shared = {
      REDIS_KEY_PREFIX: `ehrms-test:${randomBytes(4).toString('hex')}:`,
      RATE_LIMIT_PER_USER_PER_MINUTE: '4',
      RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '3',
    };
    a = await startTestApp(shared);
    b = await startTestApp(shared);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts a user’s calls to either instance against one limit', async () => {
    const tokenA = await a.token({ sub: 'roaming-clerk', grants });
    const tokenB = await b.token({ sub: 'roaming-clerk', grants });
    expect((await a.http.request({ method: 'GET', url: LIST, token: tokenA })).statusCode).toBe(200);
    expect((await b.http.request({ method: 'GET', url: LIST, token: tokenB })).statusCode).toBe(200);
    expect((await a.http.request({ method: 'GET', url: LIST, token: tokenA })).statusCode).toBe(200);
    expect((await b.http.request({ method: 'GET', url: LIST, token: tokenB })).statusCode).toBe(200);
    const limited = await a.http.request({ method: 'GET', url: LIST, token: tokenA });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await b.http.request({ method: 'GET', url: LIST, token: tokenB })).statusCode).toBe(429);
  });

  it('counts login attempts from one IP at either instance against one limit', async () => {
    await a.app.get(RateLimits).consumeLoginAttempt('198.51.100.20');
    await b.app.get(RateLimits).consumeLoginAttempt('198.51.100.20');
    await a.app.get(RateLimits).consumeLoginAttempt('198.51.100.20');
    await expect(b.app.get(RateLimits).consumeLoginAttempt('198.51.100.20')).rejects.toMatchObject({
      status: 429,
    });
  });
});
