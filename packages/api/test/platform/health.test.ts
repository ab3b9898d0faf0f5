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

  it('reports liveness and database readiness', async () => {
    const live = await t.http.request({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    const ready = await t.http.request({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
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
