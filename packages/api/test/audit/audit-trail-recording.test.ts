import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { auditEntryFor } from '../../src/platform/audit/audit-sink.js';
import { AuditWriter } from '../../src/platform/audit/audit-writer.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const fakeRequest = { id: 'req-race', ip: '127.0.0.1', headers: {} } as unknown as FastifyRequest;
import { AUDITOR, auditTable, rowsWhere } from './audit-fixtures.js';

describe('every access to a protected route leaves an audit row', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('records one allowed row naming who, what, why, and from where', async () => {
    const token = await t.token({ ...AUDITOR, sid: 'session-ada-1' });
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs?limit=5',
      token,
      headers: {
        'x-request-id': 'req-allowed-1',
        'x-purpose-of-use': 'AUDIT',
        'user-agent': 'ehrms-web/1.0 (staff workspace)',
      },
    });
    expect(res.statusCode).toBe(200);

    const rows = await rowsWhere(t, 'request_id', 'req-allowed-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'allowed',
      actor_id: 'auditor-ada',
      actor_kind: 'user',
      actor_roles: ['auditor'],
      session_id: 'session-ada-1',
      action: 'audit.logs.read',
      resource_type: 'audit.logs',
      purpose_of_use: 'AUDIT',
      request_id: 'req-allowed-1',
      ip: '127.0.0.1',
      user_agent: 'ehrms-web/1.0 (staff workspace)',
      reason: null,
    });
  });

  it('records treatment as the purpose of use when the caller states none', async () => {
    const token = await t.token(AUDITOR);
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/verify',
      token,
      headers: { 'x-request-id': 'req-no-purpose' },
    });
    expect(res.statusCode).toBe(200);
    const rows = await rowsWhere(t, 'request_id', 'req-no-purpose');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'audit.logs.verify', purpose_of_use: 'TREAT' });
  });

  it('the auditor can find their own earlier query in the trail', async () => {
    const token = await t.token(AUDITOR);
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs?userId=auditor-ada&action=audit.logs.read&limit=500',
      token,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { requestId: string; purposeOfUse: string; ip: string }[] }>();
    expect(body.items.find((i) => i.requestId === 'req-allowed-1')).toMatchObject({
      purposeOfUse: 'AUDIT',
      ip: '127.0.0.1',
    });
  });

  it('refuses a call without a token with 401 and records it as denied', async () => {
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs',
      headers: { 'x-request-id': 'req-anonymous' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const rows = await rowsWhere(t, 'request_id', 'req-anonymous');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'denied',
      actor_id: null,
      actor_kind: 'anonymous',
      action: 'audit.logs.read',
      resource_type: 'audit.logs',
      reason: 'unauthenticated',
    });
  });

  it('refuses a caller without the permission with 403 and records the denial against them', async () => {
    const token = await t.token({
      sub: 'clinician-cai',
      roles: ['clinician'],
      grants: { 'identity.users.read': 'team' },
    });
    const res = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/logs/export',
      token,
      headers: { 'x-request-id': 'req-no-permission' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const rows = await rowsWhere(t, 'request_id', 'req-no-permission');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'denied',
      actor_id: 'clinician-cai',
      actor_roles: ['clinician'],
      action: 'audit.logs.export',
      reason: 'forbidden',
    });
  });

  it('refuses audit reads granted below agency scope, since rows cannot be narrowed to a team', async () => {
    for (const scope of ['own', 'team', 'program'] as const) {
      const token = await t.token({ sub: `narrow-${scope}`, grants: { 'audit.logs.read': scope } });
      const res = await t.http.request({ method: 'GET', url: '/api/v1/audit/logs', token });
      expect(res.statusCode).toBe(403);
      const [row] = await rowsWhere(t, 'actor_id', `narrow-${scope}`);
      expect(row).toMatchObject({ outcome: 'denied', action: 'audit.logs.read' });
    }
    const wide = await t.token({ sub: 'auditor-all', grants: { 'audit.logs.read': 'all' } });
    expect((await t.http.request({ method: 'GET', url: '/api/v1/audit/logs', token: wide })).statusCode).toBe(
      200,
    );
  });

  it('commits 50 concurrent accesses as 50 contiguous rows and the chain still verifies', async () => {
    const token = await t.token({ ...AUDITOR, sub: 'burst-auditor' });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http.request({ method: 'GET', url: `/api/v1/audit/logs?limit=${1 + (i % 5)}`, token }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(200));

    const rows = await rowsWhere(t, 'actor_id', 'burst-auditor');
    expect(rows).toHaveLength(50);
    const seqs = rows.map((r) => r.seq);
    const first = seqs[0] ?? 0;
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => first + i));

    const verify = await t.http.request({ method: 'GET', url: '/api/v1/audit/verify', token });
    expect(verify.json()).toMatchObject({ ok: true });
    expect(verify.json<{ lastSeq: number }>().lastSeq).toBeGreaterThanOrEqual(first + 49);
  });

  it('keeps one unbroken chain when two processes write at once', async () => {
    // A second writer on the same database stands in for another service process.
    const other = new AuditWriter(t.database, t.config);
    const mine = t.app.get(AuditWriter);
    const entry = (actorId: string, i: number) => ({
      ...auditEntryFor(fakeRequest, {
        action: 'clients.clients.read',
        resourceType: 'clients.clients',
        outcome: 'allowed' as const,
      }),
      actorId,
      resourceId: `client-${i}`,
    });
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => [
        mine.record(entry('writer-a', i)),
        other.record(entry('writer-b', i)),
      ]).flat(),
    );
    expect(await rowsWhere(t, 'actor_id', 'writer-a')).toHaveLength(60);
    expect(await rowsWhere(t, 'actor_id', 'writer-b')).toHaveLength(60);
    const verify = await t.http.request({
      method: 'GET',
      url: '/api/v1/audit/verify',
      token: await t.token(AUDITOR),
    });
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it("the application's own database role cannot change, delete or truncate audit rows", async () => {
    const db = auditTable(t);
    const [row] = await rowsWhere(t, 'request_id', 'req-allowed-1');
    const seq = row?.seq ?? 0;
    await expect(
      db.updateTable('audit.audit_logs').set({ action: 'nothing.happened' }).where('seq', '=', seq).execute(),
    ).rejects.toThrow(/audit\.audit_logs is append-only \(UPDATE refused\)/);
    await expect(db.deleteFrom('audit.audit_logs').where('seq', '=', seq).execute()).rejects.toThrow(
      /audit\.audit_logs is append-only \(DELETE refused\)/,
    );
    await expect(sql`TRUNCATE audit.audit_logs`.execute(db)).rejects.toThrow(
      /audit\.audit_logs is append-only \(TRUNCATE refused\)/,
    );
    const after = await rowsWhere(t, 'request_id', 'req-allowed-1');
    expect(after).toEqual([row]);
  });
});
