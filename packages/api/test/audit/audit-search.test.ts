import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLogItem, AuditLogPage } from '../../src/modules/audit/audit.dto.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { AUDITOR, recordAccesses, recordInOrder, rowsWhere } from './audit-fixtures.js';

describe('auditors search and export the trail', () => {
  let t: TestApp;
  let token: string;

  const list = async (query: string): Promise<AuditLogPage> => {
    const res = await t.http.request({ method: 'GET', url: `/api/v1/audit/logs?${query}`, token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AuditLogPage>();
  };

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token(AUDITOR);
    await recordInOrder(t, [
      {
        actorId: 'cm-ana',
        resourceId: 'client-1',
        occurredAt: new Date('2025-03-01T10:00:00Z'),
        fields: ['name', 'dateOfBirth'],
      },
      { actorId: 'cm-ana', resourceId: 'client-2', occurredAt: new Date('2025-03-02T10:00:00Z') },
      {
        actorId: 'cm-ana',
        resourceId: 'client-3',
        occurredAt: new Date('2025-03-03T10:00:00Z'),
        outcome: 'denied',
        reason: 'forbidden',
      },
      { actorId: 'cm-ben', resourceId: 'client-1', occurredAt: new Date('2025-03-05T09:00:00Z') },
      {
        actorId: 'cm-ben',
        action: 'cases.cases.write',
        resourceType: 'cases.cases',
        resourceId: 'case-9',
        occurredAt: new Date('2025-04-01T08:30:00Z'),
        outcome: 'error',
        purposeOfUse: 'OPERATIONS',
      },
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds everything one person did, newest first, in camelCase', async () => {
    const page = await list('userId=cm-ana');
    expect(page.items.map((i) => i.resourceId)).toEqual(['client-3', 'client-2', 'client-1']);
    expect(page.nextCursor).toBeNull();
    expect(page.items[2]).toMatchObject({
      actorId: 'cm-ana',
      actorKind: 'user',
      actorRoles: ['case_manager'],
      action: 'clients.clients.read',
      resourceType: 'clients.clients',
      fields: ['name', 'dateOfBirth'],
      purposeOfUse: 'TREAT',
      outcome: 'allowed',
      occurredAt: '2025-03-01T10:00:00.000Z',
      ip: '10.0.0.7',
    });
    expect(page.items[2]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds everyone who touched one record', async () => {
    const page = await list('resourceType=clients.clients&resourceId=client-1');
    expect(page.items.map((i) => i.actorId)).toEqual(['cm-ben', 'cm-ana']);
  });

  it('narrows by time (from inclusive, to exclusive), outcome and action', async () => {
    const byTime = await list('from=2025-03-02T10:00:00Z&to=2025-03-05T09:00:00Z');
    expect(byTime.items.map((i) => i.resourceId)).toEqual(['client-3', 'client-2']);
    const withOffset = await list('from=2025-03-05T03:00:00-06:00&to=2025-03-05T03:00:01-06:00');
    expect(withOffset.items.map((i) => i.actorId)).toEqual(['cm-ben']);
    const denied = await list('userId=cm-ana&outcome=denied');
    expect(denied.items).toHaveLength(1);
    expect(denied.items[0]).toMatchObject({ resourceId: 'client-3', reason: 'forbidden' });
    const writes = await list('action=cases.cases.write');
    expect(writes.items.map((i) => [i.resourceId, i.outcome, i.purposeOfUse])).toEqual([
      ['case-9', 'error', 'OPERATIONS'],
    ]);
  });

  it('pages with an opaque cursor, without repeats or gaps', async () => {
    await recordInOrder(
      t,
      Array.from({ length: 7 }, (_, i) => ({ actorId: 'pager', resourceId: `client-p${i}` })),
    );
    const seen: AuditLogItem[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditLogPage = await list(
        `userId=pager&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      pageSizes.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen.map((i) => i.resourceId)).toEqual([6, 5, 4, 3, 2, 1, 0].map((n) => `client-p${n}`));
    const seqs = seen.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });

  it('exports matching rows as NDJSON, one parseable row per line, identical to the search', async () => {
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs/export?userId=cm-ana',
      token,
      headers: { 'x-request-id': 'req-export-ana' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    expect(res.headers['content-disposition']).toContain('audit-logs.ndjson');
    const lines = res.body.split('\n');
    expect(lines.pop()).toBe('');
    const exported = lines.map((l) => JSON.parse(l) as AuditLogItem);
    expect(exported).toEqual((await list('userId=cm-ana')).items);

    const [audited, ...more] = await rowsWhere(t, 'request_id', 'req-export-ana');
    expect(more).toEqual([]);
    expect(audited).toMatchObject({
      actor_id: 'auditor-ada',
      action: 'audit.logs.export',
      resource_type: 'audit.logs',
      outcome: 'allowed',
      fields: [],
    });
  });

  it('exports an empty body when nothing matches', async () => {
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs/export?userId=nobody-at-all',
      token,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('exports thousands of rows across many batches, each exactly once, and the chain verifies', async () => {
    await recordAccesses(
      t,
      Array.from({ length: 2345 }, (_, i) => ({ actorId: 'bulk-reader', resourceId: `client-b${i}` })),
    );
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs/export?userId=bulk-reader',
      token,
    });
    expect(res.statusCode).toBe(200);
    const rows = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditLogItem);
    expect(rows).toHaveLength(2345);
    expect(new Set(rows.map((r) => r.resourceId)).size).toBe(2345);
    const seqs = rows.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const verify = await t.http.request({ method: 'GET', url: '/api/v1/audit/verify', token });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true });
    expect(verify.json<{ rowsChecked: number }>().rowsChecked).toBeGreaterThan(2345);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=501', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['outcome=maybe', 'query.outcome'],
    ['from=yesterday', 'query.from'],
    ['to=2025-03-01', 'query.to'],
    ['from=2025-04-01T00:00:00Z&to=2025-03-01T00:00:00Z', 'query.from'],
    ['cursor=not-a-cursor', 'query.cursor'],
    ['userId=a&userId=b', 'query.userId'],
    ['user=cm-ana', 'query'],
  ])('refuses %s with a problem+json 400 naming %s', async (query, field) => {
    for (const path of ['/api/v1/audit/logs', '/api/v1/audit/logs/export']) {
      if (path.endsWith('export') && (query.startsWith('limit') || query.startsWith('cursor'))) continue;
      const res = await t.http.request({ method: 'GET', url: `${path}?${query}`, token });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<{ type: string; errors: { field: string }[] }>();
      expect(problem.type).toBe('https://ehrms.dev/problems/validation');
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
  });

  it("shows an agency's auditor only that agency's rows; an all-agency auditor sees every agency", async () => {
    await recordInOrder(t, [
      { actorId: 'cm-other', actorAgencyId: 'agency-b', resourceId: 'client-b1' },
      { actorId: null, actorKind: 'anonymous', actorAgencyId: null, resourceId: 'client-x' },
    ]);
    const mine = await list('resourceType=clients.clients&limit=500');
    expect(mine.items.every((i) => i.actorAgencyId === 'agency-a')).toBe(true);
    expect(mine.items.map((i) => i.resourceId)).not.toContain('client-b1');

    const everything = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs?resourceType=clients.clients&limit=500',
      token: await t.token({ ...AUDITOR, grants: { 'audit.logs.read': 'all' } }),
    });
    const ids = everything.json<AuditLogPage>().items.map((i) => i.resourceId);
    expect(ids).toEqual(expect.arrayContaining(['client-b1', 'client-x']));
  });
});
