import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_PATHS, createLogger } from '../../src/platform/logging/logger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from './eventually.js';

/** A pino destination that keeps each written line. */
function memoryStream() {
  const lines: string[] = [];
  return {
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    write(chunk: string) {
      lines.push(...chunk.split('\n').filter(Boolean));
    },
  };
}

describe('structured logs', () => {
  it('redacts every sensitive path and never writes the raw values', () => {
    const stream = memoryStream();
    const logger = createLogger('info', stream);
    // Each path gets a value that appears nowhere else, so a leak is unmistakable.
    const record: Record<string, Record<string, unknown>> = {};
    const raw = new Map<string, string>();
    for (const [i, path] of REDACTED_PATHS.entries()) {
      const parts = path.split('.').map((p) => (p === '*' ? 'detail' : p));
      const value = `raw-secret-${i}-${path.replace(/\W/g, '')}`;
      raw.set(parts.join('.'), value);
      let node: Record<string, unknown> = record;
      for (const part of parts.slice(0, -1)) {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
      node[parts.at(-1) ?? ''] = value;
    }
    logger.info({ ...record, safe: { caseId: 'case-1' } }, 'something happened');

    expect(stream.lines).toHaveLength(1);
    const line = stream.lines[0] ?? '';
    for (const value of raw.values()) expect(line).not.toContain(value);
    const written = JSON.parse(line) as Record<string, unknown>;
    for (const path of raw.keys()) {
      const value = path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], written);
      expect(value, path).toBe('[REDACTED]');
    }
    expect(written.safe).toEqual({ caseId: 'case-1' });
    expect(written).toMatchObject({ level: 'info', msg: 'something happened', service: 'ehrms' });
  });

  describe('request log', () => {
    const stream = memoryStream();
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({}, { logger: createLogger('info', stream) });
    });
    afterAll(async () => {
      await t.close();
    });

    const requestLines = (reqId: string) =>
      stream.records().filter((r) => r.msg === 'request' && r.reqId === reqId);

    it('writes exactly one line per request with who, what, outcome and duration', async () => {
      const token = await t.token({ sub: 'clerk-7', grants: { 'platform.events.manage': 'all' } });
      const res = await t.http.request({
        method: 'GET',
        url: '/api/v1/platform/dead-letters?status=all',
        token,
        headers: { 'x-request-id': 'req-log-1' },
      });
      expect(res.statusCode).toBe(200);
      await eventually('the request line', () => requestLines('req-log-1').length > 0);
      await new Promise((r) => setTimeout(r, 50));
      const lines = requestLines('req-log-1');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'info',
        reqId: 'req-log-1',
        userId: 'clerk-7',
        method: 'GET',
        route: '/api/v1/platform/dead-letters',
        status: 200,
        durationMs: expect.any(Number) as number,
      });
      // The bearer token is nowhere in the logs.
      expect(stream.lines.join('\n')).not.toContain(token);
    });

    it('logs refused requests too, without a user', async () => {
      const res = await t.http.request({
        method: 'GET',
        url: '/api/v1/platform/dead-letters',
        headers: { 'x-request-id': 'req-log-2' },
      });
      expect(res.statusCode).toBe(401);
      await eventually('the request line', () => requestLines('req-log-2').length > 0);
      await new Promise((r) => setTimeout(r, 50));
      expect(requestLines('req-log-2')).toEqual([
        expect.objectContaining({ reqId: 'req-log-2', userId: null, status: 401 }),
      ]);
    });
  });
});
