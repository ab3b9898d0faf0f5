import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports liveness, and readiness of the database, the blob store, and Redis and RabbitMQ when configured', async () => {
    const live = await t.http.request({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    const ready = await t.http.request({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const body = ready.json() as { status: string; checks: Record<string, { status: string }> };
    expect(body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
    const expected = [
      'database',
      ...(t.config.REDIS_URL ? ['redis'] : []),
      ...(t.config.AMQP_URL ? ['rabbitmq'] : []),
      ...(t.config.EHRMS_SERVICES.includes('documents') ? ['blobStore'] : []),
    ];
    expect(Object.keys(body.checks).sort()).toEqual(expected.sort());
    for (const name of expected) expect(body.checks[name]?.status, name).toBe('up');
  });

  it('exposes Prometheus metrics including request durations by route and outbox lag', async () => {
    await t.http.request({ method: 'GET', url: '/health/live' });
    const res = await t.http.request({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/,
    );
    expect(res.body).toContain('event_outbox_lag_seconds');
    expect(res.body).toContain('db_pool_connections{state="total"}');
  });

  it('answers unknown API routes with problem+json 404 and a request id', async () => {
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/nowhere',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 404,
      type: 'https://ehrms.dev/problems/not-found',
      requestId: 'abc-123',
    });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});

describe('readiness when a dependency is down', () => {
  it('is 503 naming Redis when Redis does not answer, while requests still get through', async () => {
    const t = await startTestApp({
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      HEALTH_CHECK_TIMEOUT_MS: '500',
    });
    try {
      const ready = await t.http.request({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'unavailable',
        checks: { database: { status: 'up' }, redis: { status: 'down' } },
      });
      // Rate limits fall back to this process's memory rather than refusing everyone.
      const token = await t.token({ grants: { 'platform.events.manage': 'all' } });
      const res = await t.http.request({ method: 'GET', url: '/api/v1/platform/dead-letters', token });
      expect(res.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('is 503 naming RabbitMQ when the broker cannot be reached', async () => {
    const t = await startTestApp(
      { AMQP_URL: `amqp://guest:guest@127.0.0.1:${await closedPort()}`, HEALTH_CHECK_TIMEOUT_MS: '500' },
      { waitForBroker: false },
    );
    try {
      const ready = await t.http.request({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'unavailable',
        checks: { database: { status: 'up' }, rabbitmq: { status: 'down' } },
      });
    } finally {
      await t.close();
    }
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}
