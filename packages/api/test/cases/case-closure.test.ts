import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RequestClosureBody } from '../../src/modules/cases/case-closure.dto.js';
import { OpenCaseBody } from '../../src/modules/cases/cases.dto.js';
import { CompletePlanBody } from '../../src/modules/cases/service-plans.dto.js';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { BH_PROGRAM, registerClient, staff, type Staff } from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CASES, openCase, problemType, type CaseView } from './cases-helpers.js';
import { contactTask, flush, tasksOf } from './casework-helpers.js';

interface ClosureRequest {
  id: string;
  caseId: string;
  status: string;
  requestedBy: string;
  decidedBy: string | null;
  decisionNote: string | null;
  closedOn: string;
}

interface StatusChange {
  kind: string;
  fromStatus: string;
  toStatus: string;
  reason: string;
  changedBy: string;
  closureRequestId: string | null;
}

// Request bodies are checked as they are parsed, against the agency's today (AGENCY_TIME_ZONE,
// America/Chicago by default): at 01:00 UTC on 1 December it is 19:00 on 30 November there.
describe('case dates may not be after the agency’s today, not UTC’s', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const at = (instant: string) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(instant));
  };
  const body = { clientId: randomUUID(), programId: randomUUID(), type: 'ongoing', riskLevel: 'low' };

  it('closes, opens and completes a plan on 30 November at 19:00 in Chicago, not on 1 December', () => {
    at('2026-12-01T01:00:00Z');
    expect(RequestClosureBody.safeParse({ reason: 'Goals met', closedOn: '2026-11-30' }).success).toBe(true);
    expect(RequestClosureBody.safeParse({ reason: 'Goals met', closedOn: '2026-12-01' }).success).toBe(false);
    expect(OpenCaseBody.safeParse({ ...body, openedOn: '2026-11-30' }).success).toBe(true);
    expect(OpenCaseBody.safeParse({ ...body, openedOn: '2026-12-01' }).success).toBe(false);
    expect(CompletePlanBody.safeParse({ endedOn: '2026-11-30' }).success).toBe(true);
    expect(CompletePlanBody.safeParse({ endedOn: '2026-12-01' }).success).toBe(false);
  });

  it('takes 1 December from local midnight (06:00 UTC)', () => {
    at('2026-12-01T06:00:00Z');
    expect(RequestClosureBody.safeParse({ reason: 'Goals met', closedOn: '2026-12-01' }).success).toBe(true);
  });
});

describe('case closure: asked by the worker, approved by someone else, reopened with a reason', () => {
  let t: TestApp;
  let worker: Staff;
  let supervisor: Staff;
  let otherSupervisor: Staff;
  let cfsWorker: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    supervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
    otherSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhOutpatient, { programIds: [BH_PROGRAM] });
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (token: string, url: string) => t.http.request({ method: 'GET', url, token });
  const post = (token: string, url: string, body: unknown = {}) =>
    t.http.request({ method: 'POST', url, token, body });
  const requestClosure = async (token: string, caseId: string, reason = 'Goals met.') => {
    const res = await post(token, `${CASES}/${caseId}/closure-requests`, { reason, closedOn: agencyToday() });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ClosureRequest>();
  };
  const decide = (token: string, request: ClosureRequest, verb: 'approve' | 'reject', body: unknown = {}) =>
    post(token, `${CASES}/${request.caseId}/closure-requests/${request.id}/${verb}`, body);
  const caseOf = async (id: string) => (await get(supervisor.token, `${CASES}/${id}`)).json<CaseView>();
  const history = async (caseId: string) =>
    (await get(worker.token, `${CASES}/${caseId}/status-changes`)).json<{ items: StatusChange[] }>().items;
  const outbox = (topic: string) =>
    t.database.db
      .withTables<PlatformTables>()
      .selectFrom('platform.outbox')
      .select(['payload'])
      .where('topic', '=', topic)
      .execute();

  /**
   * A client the worker reaches only through the case: registered by CFS, enrolled in BH, the
   * case opened by the BH supervisor and assigned to the worker.
   */
  const caseReachedOnlyThroughCase = async (familyName: string) => {
    const client = await registerClient(t, cfsWorker.token, { familyName });
    const enrol = await post(cfsWorker.token, `/api/v1/clients/${client.id}/enrollments`, {
      programId: BH_PROGRAM,
      startDate: '2026-01-05',
      reason: 'Referred to behavioral health',
    });
    expect(enrol.statusCode, enrol.body).toBe(201);
    const kase = await openCase(t, supervisor.token, {
      clientId: client.id,
      programId: BH_PROGRAM,
      teamId: DEMO_TEAM_IDS.bhOutpatient,
      workerId: worker.id,
    });
    await flush(t);
    return { client, kase };
  };

  it('closes a case only on another person’s approval, and the worker then loses access to the client', async () => {
    const { client, kase } = await caseReachedOnlyThroughCase('Closing');
    expect((await get(worker.token, `/api/v1/clients/${client.id}`)).statusCode).toBe(200);
    await contactTask(t, worker.token, kase.id);

    const request = await requestClosure(worker.token, kase.id, 'Client moved out of county.');
    expect(request).toMatchObject({ status: 'pending', requestedBy: worker.id, closedOn: agencyToday() });
    expect((await caseOf(kase.id)).status).toBe('pending_closure');
    const twice = await post(worker.token, `${CASES}/${kase.id}/closure-requests`, {
      reason: 'Again',
      closedOn: agencyToday(),
    });
    expect(problemType(twice)).toBe('closure-pending');

    // A case manager cannot approve (no cases.closure.approve); the worker stays on the case.
    expect((await decide(worker.token, request, 'approve')).statusCode).toBe(403);
    expect((await caseOf(kase.id)).status).toBe('pending_closure');

    const approved = await decide(supervisor.token, request, 'approve', { note: 'Agreed.' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: supervisor.id,
      decisionNote: 'Agreed.',
    });
    expect(await caseOf(kase.id)).toMatchObject({ status: 'closed', closedOn: agencyToday() });
    expect((await decide(otherSupervisor.token, request, 'approve')).statusCode).toBe(409);

    const closed = await outbox('cases.case.closed');
    expect(closed.map((e) => e.payload)).toContainEqual({
      caseId: kase.id,
      clientId: client.id,
      agencyId: client.agencyId,
    });
    // Its open tasks are cancelled with it.
    expect((await tasksOf(t, supervisor.token, kase.id)).every((task) => task.status !== 'open')).toBe(true);

    await flush(t);
    expect((await get(worker.token, `/api/v1/clients/${client.id}`)).statusCode).toBe(403);
  });

  it('refuses self-approval: whoever asked for the closure cannot approve or reject it', async () => {
    const client = await registerClient(t, worker.token, { familyName: 'Self' });
    const kase = await openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM });
    const request = await requestClosure(supervisor.token, kase.id);

    const own = await decide(supervisor.token, request, 'approve');
    expect(own.statusCode).toBe(403);
    expect(problemType(own)).toBe('self-approval');
    const ownReject = await decide(supervisor.token, request, 'reject', { reason: 'Changed my mind' });
    expect(problemType(ownReject)).toBe('self-approval');
    expect((await caseOf(kase.id)).status).toBe('pending_closure');

    // The database refuses it too, whoever connects.
    await expect(
      sql`UPDATE cases.closure_requests SET status = 'approved', decided_by = requested_by, decided_at = now()
          WHERE id = ${request.id}`.execute(t.database.db),
    ).rejects.toThrow(/check/i);

    const approved = await decide(otherSupervisor.token, request, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await caseOf(kase.id)).status).toBe('closed');
  });

  it('keeps a rejected or withdrawn request’s case open, with every step in its status history', async () => {
    const client = await registerClient(t, worker.token, { familyName: 'Rejected' });
    const kase = await openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM });

    const first = await requestClosure(worker.token, kase.id, 'Goals met.');
    const noReason = await decide(supervisor.token, first, 'reject', {});
    expect(noReason.statusCode).toBe(400);
    const rejected = await decide(supervisor.token, first, 'reject', { reason: 'Plan review is due first.' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: 'Plan review is due first.' });
    expect((await caseOf(kase.id)).status).toBe('open');

    const second = await requestClosure(worker.token, kase.id, 'Client declined services.');
    const notMine = await post(
      supervisor.token,
      `${CASES}/${kase.id}/closure-requests/${second.id}/withdraw`,
    );
    expect(notMine.statusCode).toBe(403);
    const withdrawn = await post(worker.token, `${CASES}/${kase.id}/closure-requests/${second.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((await caseOf(kase.id)).status).toBe('open');

    expect((await history(kase.id)).map((h) => [h.kind, h.fromStatus, h.toStatus, h.reason])).toEqual([
      ['closure_requested', 'open', 'pending_closure', 'Goals met.'],
      ['closure_rejected', 'pending_closure', 'open', 'Plan review is due first.'],
      ['closure_requested', 'open', 'pending_closure', 'Client declined services.'],
      ['closure_withdrawn', 'pending_closure', 'open', 'Withdrawn by the requester'],
    ]);
    const requests = await get(worker.token, `${CASES}/${kase.id}/closure-requests`);
    expect(requests.json<{ items: ClosureRequest[] }>().items.map((r) => r.status)).toEqual([
      'withdrawn',
      'rejected',
    ]);
  });

  it('reopens a closed case with the reason logged; its worker serves the client again', async () => {
    const { client, kase } = await caseReachedOnlyThroughCase('Reopened');
    expect(
      (await post(worker.token, `${CASES}/${kase.id}/reopen`, { reason: 'Not closed' })).statusCode,
    ).toBe(409);
    const request = await requestClosure(worker.token, kase.id);
    expect((await decide(supervisor.token, request, 'approve')).statusCode).toBe(200);
    await flush(t);
    expect((await get(worker.token, `/api/v1/clients/${client.id}`)).statusCode).toBe(403);

    const reopened = await post(worker.token, `${CASES}/${kase.id}/reopen`, {
      reason: 'Client returned in crisis.',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'open', closedOn: null, assignedWorkerId: worker.id });

    const log = await history(kase.id);
    expect(log[log.length - 1]).toMatchObject({
      kind: 'reopened',
      fromStatus: 'closed',
      toStatus: 'open',
      reason: 'Client returned in crisis.',
      changedBy: worker.id,
    });
    const assigned = (await outbox('cases.case.assigned')).map((e) => e.payload as { caseId: string });
    expect(assigned.filter((p) => p.caseId === kase.id)).toHaveLength(2);
    expect((await outbox('cases.case.reopened')).map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ caseId: kase.id, reopenedBy: worker.id }),
    );

    await flush(t);
    expect((await get(worker.token, `/api/v1/clients/${client.id}`)).statusCode).toBe(200);
    // The reopened case carries a contact task again, counted from the reopening.
    expect((await contactTask(t, worker.token, kase.id)).basisOn).toBe(agencyToday());
  });

  it('keeps another team’s case’s closure out of reach', async () => {
    const client = await registerClient(t, worker.token, { familyName: 'Elsewhere' });
    const kase = await openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM });
    const refused = await post(cfsWorker.token, `${CASES}/${kase.id}/closure-requests`, {
      reason: 'Not mine',
      closedOn: agencyToday(),
    });
    expect(refused.statusCode).toBe(403);
    expect((await get(cfsWorker.token, `${CASES}/${kase.id}/status-changes`)).statusCode).toBe(403);
    const request = await requestClosure(worker.token, kase.id);
    const cfsSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.cfs);
    expect((await decide(cfsSupervisor.token, request, 'approve')).statusCode).toBe(403);
  });
});
