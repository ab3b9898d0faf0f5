import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { annotateAudit } from '../../src/platform/audit/annotate-audit.js';
import { auditEntryFor } from '../../src/platform/audit/audit-sink.js';
import { currentRequest, runInRequest } from '../../src/platform/http/request-context.js';

const request = (id: string) => ({ id, ip: '127.0.0.1', headers: {} }) as unknown as FastifyRequest;
const allowed = {
  action: 'clients.clients.read',
  resourceType: 'clients.clients',
  outcome: 'allowed',
} as const;

describe('a service annotating the audit row of the request it serves', () => {
  it('adds a reason and purpose of use, field by field, that the row then carries', async () => {
    const req = request('req-note');
    await runInRequest(req, async () => {
      await Promise.resolve();
      annotateAudit({ reason: 'break-the-glass: unresponsive at the crisis unit' });
      annotateAudit({ purposeOfUse: 'ETREAT' });
    });
    expect(auditEntryFor(req, allowed)).toMatchObject({
      reason: 'break-the-glass: unresponsive at the crisis unit',
      purposeOfUse: 'ETREAT',
    });
    // What the writer states itself (a denial's cause) still wins.
    expect(auditEntryFor(req, { ...allowed, outcome: 'denied', reason: 'forbidden' })).toMatchObject({
      reason: 'forbidden',
      purposeOfUse: 'ETREAT',
    });
  });

  it('keeps concurrent requests apart', async () => {
    const a = request('req-a');
    const b = request('req-b');
    const later = () => new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([
      runInRequest(a, async () => {
        await later();
        annotateAudit({ reason: 'only a' });
      }),
      runInRequest(b, async () => {
        await later();
        expect(currentRequest()).toBe(b);
      }),
    ]);
    expect(auditEntryFor(a, allowed).reason).toBe('only a');
    expect(auditEntryFor(b, allowed)).toMatchObject({ reason: null, purposeOfUse: 'TREAT' });
  });

  it('does nothing outside a request (jobs, event consumers)', () => {
    expect(currentRequest()).toBeUndefined();
    expect(() => annotateAudit({ reason: 'nowhere' })).not.toThrow();
  });
});
