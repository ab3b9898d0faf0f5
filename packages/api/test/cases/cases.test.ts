import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { publishEvent } from '../../src/platform/events/events.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import {
  BH_PROGRAM,
  CFS_PROGRAM,
  OTHER_AGENCY,
  registerClient,
  staff,
  type Staff,
} from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CASES, openCase, problemType, type CaseView } from './cases-helpers.js';

interface Assignment {
  kind: string;
  fromWorkerId: string | null;
  toWorkerId: string | null;
  fromTeamId: string | null;
  toTeamId: string;
  reason: string;
  assignedBy: string;
}

describe('cases: opening, caseloads, reassignment and merges', () => {
  let t: TestApp;
  let bhWorker: Staff;
  let bhColleague: Staff;
  let cfsWorker: Staff;
  let supervisor: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    bhColleague = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    supervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (token: string, url: string) => t.http.request({ method: 'GET', url, token });
  const post = (token: string, url: string, body: unknown) =>
    t.http.request({ method: 'POST', url, token, body });
  const ids = (res: { json(): unknown }) =>
    (res.json() as { items: { id: string }[] }).items.map((c) => c.id);
  const outbox = (topic: string) =>
    t.database.db
      .withTables<PlatformTables>()
      .selectFrom('platform.outbox')
      .select(['payload'])
      .where('topic', '=', topic)
      .execute();

  it('opens a case worked by the caller and their team, with the opening in its history', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Opened' });
    const opened = await openCase(t, bhWorker.token, { clientId: client.id, programId: BH_PROGRAM });
    expect(opened).toMatchObject({
      clientId: client.id,
      agencyId: client.agencyId,
      programId: BH_PROGRAM,
      teamId: DEMO_TEAM_IDS.bhOutpatient,
      assignedWorkerId: bhWorker.id,
      status: 'open',
      riskLevel: 'moderate',
      openedOn: agencyToday(),
      version: 1,
    });
    const history = await get(bhWorker.token, `${CASES}/${opened.id}/assignments`);
    expect(history.json<{ items: Assignment[] }>().items).toEqual([
      expect.objectContaining({ kind: 'opened', toWorkerId: bhWorker.id, assignedBy: bhWorker.id }),
    ]);
  });

  it('keeps another team’s case out of a case manager’s list and by-id reads', async () => {
    const mine = await registerClient(t, bhWorker.token, { familyName: 'Scoped' });
    const theirs = await registerClient(t, cfsWorker.token, { familyName: 'Scoped' });
    const myCase = await openCase(t, bhWorker.token, { clientId: mine.id, programId: BH_PROGRAM });
    const theirCase = await openCase(t, cfsWorker.token, { clientId: theirs.id, programId: CFS_PROGRAM });

    const listed = ids(await get(bhWorker.token, `${CASES}?limit=200`));
    expect(listed).toContain(myCase.id);
    expect(listed).not.toContain(theirCase.id);
    expect((await get(bhWorker.token, `${CASES}/${theirCase.id}`)).statusCode).toBe(403);
    expect((await get(bhWorker.token, `${CASES}/${theirCase.id}/assignments`)).statusCode).toBe(403);
    expect((await get(bhWorker.token, `${CASES}/${myCase.id}`)).statusCode).toBe(200);

    // The BH supervisor reaches BH cases through program scope; the CFS case stays out.
    const supervised = ids(await get(supervisor.token, `${CASES}?view=program&limit=200`));
    expect(supervised).toContain(myCase.id);
    expect(supervised).not.toContain(theirCase.id);
    expect((await get(supervisor.token, `${CASES}/${theirCase.id}`)).statusCode).toBe(403);

    // Another agency's staff see neither, and by id the case does not exist for them.
    const elsewhere = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhOutpatient, { agencyId: OTHER_AGENCY });
    expect(ids(await get(elsewhere.token, `${CASES}?limit=200`))).toEqual([]);
    expect((await get(elsewhere.token, `${CASES}/${myCase.id}`)).statusCode).toBe(404);

    // A client's cases are listed only to someone who may see the client.
    expect((await get(bhWorker.token, `${CASES}?clientId=${theirs.id}`)).statusCode).toBe(403);
    expect(ids(await get(bhWorker.token, `${CASES}?clientId=${mine.id}`))).toEqual([myCase.id]);
  });

  it('refuses to open a case for a team or program the caller does not work in', async () => {
    const client = await registerClient(t, bhWorker.token);
    const res = await post(bhWorker.token, CASES, {
      clientId: client.id,
      programId: CFS_PROGRAM,
      teamId: DEMO_TEAM_IDS.cfs,
      type: 'protective',
      riskLevel: 'high',
    });
    expect(res.statusCode).toBe(403);
    const invalid = await post(bhWorker.token, CASES, {
      clientId: client.id,
      programId: BH_PROGRAM,
      type: 'paperwork',
      riskLevel: 'extreme',
    });
    expect(invalid.statusCode).toBe(400);
    const fields = invalid.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.type', 'body.riskLevel']));
  });

  it('announces the assignment, so the assigned worker can then read the client', async () => {
    // A CFS client, later enrolled in BH: the BH supervisor sees them through the enrolment.
    const client = await registerClient(t, cfsWorker.token, { familyName: 'Handoff' });
    const enrol = await post(cfsWorker.token, `/api/v1/clients/${client.id}/enrollments`, {
      programId: BH_PROGRAM,
      startDate: '2026-01-05',
      reason: 'Referred to behavioral health',
    });
    expect(enrol.statusCode, enrol.body).toBe(201);
    const worker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    expect((await get(worker.token, `/api/v1/clients/${client.id}`)).statusCode).toBe(403);

    const opened = await openCase(t, supervisor.token, {
      clientId: client.id,
      programId: BH_PROGRAM,
      teamId: DEMO_TEAM_IDS.bhOutpatient,
      workerId: worker.id,
      type: 'intake',
    });
    const events = await outbox('cases.case.assigned');
    expect(events.map((e) => e.payload)).toContainEqual({
      caseId: opened.id,
      clientId: client.id,
      agencyId: client.agencyId,
      teamId: DEMO_TEAM_IDS.bhOutpatient,
      workerId: worker.id,
    });

    await t.app.get(OutboxDispatcher).flush();
    expect((await get(worker.token, `/api/v1/clients/${client.id}`)).statusCode).toBe(200);
    expect(ids(await get(worker.token, `${CASES}?view=mine`))).toEqual([opened.id]);
  });

  it('reassigns with a reason kept in the history, and transfers within the supervisor’s program', async () => {
    const client = await registerClient(t, bhWorker.token, { familyName: 'Reassigned' });
    const opened = await openCase(t, bhWorker.token, { clientId: client.id, programId: BH_PROGRAM });

    const reassigned = await post(bhWorker.token, `${CASES}/${opened.id}/reassign`, {
      workerId: bhColleague.id,
      reason: 'Caseload balancing',
    });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
    expect(reassigned.json()).toMatchObject({ assignedWorkerId: bhColleague.id, version: 2 });
    expect(reassigned.headers.etag).toBe('"2"');
    expect(ids(await get(bhColleague.token, `${CASES}?view=mine`))).toContain(opened.id);
    expect(ids(await get(bhWorker.token, `${CASES}?view=mine&clientId=${client.id}`))).toEqual([]);

    // A case manager cannot send a case to a team they are not on.
    const away = await post(bhWorker.token, `${CASES}/${opened.id}/transfer`, {
      teamId: DEMO_TEAM_IDS.cfs,
      programId: CFS_PROGRAM,
      reason: 'Child welfare concern',
    });
    expect(away.statusCode).toBe(403);

    const transferred = await post(supervisor.token, `${CASES}/${opened.id}/transfer`, {
      teamId: DEMO_TEAM_IDS.bhCrisis,
      reason: 'Crisis follow-up',
    });
    expect(transferred.statusCode, transferred.body).toBe(200);
    expect(transferred.json()).toMatchObject({ teamId: DEMO_TEAM_IDS.bhCrisis, assignedWorkerId: null });
    // Off the outpatient team, the case left the outpatient workers' scope.
    expect((await get(bhWorker.token, `${CASES}/${opened.id}`)).statusCode).toBe(403);

    const again = await post(supervisor.token, `${CASES}/${opened.id}/transfer`, {
      teamId: DEMO_TEAM_IDS.bhCrisis,
      reason: 'Twice',
    });
    expect(again.statusCode).toBe(409);

    const history = await get(supervisor.token, `${CASES}/${opened.id}/assignments`);
    expect(history.json<{ items: Assignment[] }>().items).toEqual([
      expect.objectContaining({ kind: 'opened', toWorkerId: bhWorker.id }),
      expect.objectContaining({
        kind: 'reassigned',
        fromWorkerId: bhWorker.id,
        toWorkerId: bhColleague.id,
        reason: 'Caseload balancing',
        assignedBy: bhWorker.id,
      }),
      expect.objectContaining({
        kind: 'transferred',
        fromTeamId: DEMO_TEAM_IDS.bhOutpatient,
        toTeamId: DEMO_TEAM_IDS.bhCrisis,
        toWorkerId: null,
        reason: 'Crisis follow-up',
        assignedBy: supervisor.id,
      }),
    ]);
    const assigned = (await outbox('cases.case.assigned')).map((e) => e.payload as { caseId: string });
    expect(assigned.filter((p) => p.caseId === opened.id)).toHaveLength(3);
  });

  it('filters the caseload by risk level and status, and pages with a cursor', async () => {
    const worker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    const client = await registerClient(t, worker.token, { familyName: 'Paged' });
    const opened: CaseView[] = [];
    for (const [openedOn, riskLevel] of [
      ['2026-01-02', 'low'],
      ['2026-01-03', 'high'],
      ['2026-01-04', 'critical'],
    ] as const) {
      opened.push(
        await openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM, openedOn, riskLevel }),
      );
    }
    const high = await get(worker.token, `${CASES}?view=mine&riskLevel=high`);
    expect(ids(high)).toEqual([opened[1]?.id]);
    expect(ids(await get(worker.token, `${CASES}?view=mine&status=closed`))).toEqual([]);

    const seen: string[] = [];
    let url = `${CASES}?view=mine&limit=2`;
    for (;;) {
      const page = await get(worker.token, url);
      const body = page.json<{ items: CaseView[]; nextCursor: string | null }>();
      seen.push(...body.items.map((c) => c.id));
      if (!body.nextCursor) break;
      url = `${CASES}?view=mine&limit=2&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual([opened[2]?.id, opened[1]?.id, opened[0]?.id]);
    expect((await get(worker.token, `${CASES}?cursor=not-a-cursor`)).statusCode).toBe(400);
  });

  it('changes the risk level with If-Match and refuses a stale version', async () => {
    const client = await registerClient(t, bhWorker.token);
    const opened = await openCase(t, bhWorker.token, { clientId: client.id, programId: BH_PROGRAM });
    const patch = (version: number, body: unknown) =>
      t.http.request({
        method: 'PATCH',
        url: `${CASES}/${opened.id}`,
        token: bhWorker.token,
        headers: { 'if-match': `"${version}"` },
        body,
      });
    const changed = await patch(1, { riskLevel: 'critical' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ riskLevel: 'critical', version: 2 });
    const stale = await patch(1, { riskLevel: 'low' });
    expect(stale.statusCode).toBe(412);
    expect(problemType(stale)).toBe('precondition-failed');
  });

  it('moves a merged client’s cases to the survivor, and exactly those back when the merge is undone', async () => {
    const survivor = await registerClient(t, bhWorker.token, { familyName: 'Survivor' });
    const duplicate = await registerClient(t, bhWorker.token, { familyName: 'Duplicate' });
    const survivorCase = await openCase(t, bhWorker.token, { clientId: survivor.id, programId: BH_PROGRAM });
    const duplicateCase = await openCase(t, bhWorker.token, {
      clientId: duplicate.id,
      programId: BH_PROGRAM,
    });
    const dispatcher = t.app.get(OutboxDispatcher);
    const db = t.database.db.withTables<PlatformTables>();
    const merge = {
      mergeId: randomUUID(),
      survivorId: survivor.id,
      mergedId: duplicate.id,
      agencyId: survivor.agencyId,
    };

    await publishEvent(db, 'clients.client.merged', merge);
    await dispatcher.flush();
    const clientOf = async (id: string) =>
      (await get(bhWorker.token, `${CASES}/${id}`)).json<CaseView>().clientId;
    expect(await clientOf(duplicateCase.id)).toBe(survivor.id);
    expect(await clientOf(survivorCase.id)).toBe(survivor.id);
    const onSurvivor = ids(await get(bhWorker.token, `${CASES}?clientId=${survivor.id}`));
    expect(onSurvivor.sort()).toEqual([survivorCase.id, duplicateCase.id].sort());

    // Delivered again (a redelivery after a crash): nothing changes.
    await publishEvent(db, 'clients.client.merged', merge);
    await dispatcher.flush();
    expect(await clientOf(duplicateCase.id)).toBe(survivor.id);

    await publishEvent(db, 'clients.client.unmerged', merge);
    await dispatcher.flush();
    expect(await clientOf(duplicateCase.id)).toBe(duplicate.id);
    expect(await clientOf(survivorCase.id)).toBe(survivor.id);
    const moved = (await outbox('cases.case.moved')).map((e) => e.payload as { caseId: string });
    expect(moved.filter((p) => p.caseId === duplicateCase.id)).toHaveLength(2);
    expect(moved.filter((p) => p.caseId === survivorCase.id)).toHaveLength(0);
  });
});
