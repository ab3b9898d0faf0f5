import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTACT_POLICY, addDays, nextContactDue } from '../../src/modules/cases/contact-policy.js';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { AgencyClock } from '../../src/platform/time/agency-clock.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { BH_PROGRAM, OTHER_AGENCY, registerClient, staff, type Staff } from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CASES, draftNote, openCase, problemType, signNote, type CaseView } from './cases-helpers.js';
import { contactTask, daysFromToday, flush, tasksOf, type TaskView } from './casework-helpers.js';

interface PolicyEntry {
  riskLevel: string;
  intervalDays: number;
  source: 'default' | 'agency';
  version: number;
}

describe('nextContactDue: the next contact is due the policy’s interval after the last one', () => {
  it('counts calendar days from the last contact by risk level', () => {
    expect(nextContactDue('high', '2026-01-05', DEFAULT_CONTACT_POLICY)).toBe('2026-01-12');
    expect(nextContactDue('critical', '2026-02-27', DEFAULT_CONTACT_POLICY)).toBe('2026-03-01');
    expect(nextContactDue('low', '2026-12-15', DEFAULT_CONTACT_POLICY)).toBe('2027-01-14');
    const weekly = { ...DEFAULT_CONTACT_POLICY, moderate: 7 };
    expect(nextContactDue('moderate', '2026-03-07', weekly)).toBe('2026-03-14');
    expect(nextContactDue('moderate', '2026-03-07', DEFAULT_CONTACT_POLICY)).toBe('2026-03-21');
  });
});

describe('case tasks: the contact task follows the policy; worklists for workers and supervisors', () => {
  let t: TestApp;
  let worker: Staff;
  let colleague: Staff;
  let supervisor: Staff;
  let cfsWorker: Staff;
  let cfsSupervisor: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    colleague = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    supervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    cfsSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.cfs);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (token: string, url: string) => t.http.request({ method: 'GET', url, token });
  const send = (
    method: 'POST' | 'PATCH' | 'PUT',
    token: string,
    url: string,
    body: unknown,
    version?: number,
  ) =>
    t.http.request({
      method,
      url,
      token,
      body,
      ...(version !== undefined ? { headers: { 'if-match': `"${version}"` } } : {}),
    });
  const caseOpenedOn = async (
    openedOn: string,
    riskLevel: string,
    familyName = 'Tasked',
  ): Promise<CaseView> => {
    const client = await registerClient(t, worker.token, { familyName });
    const kase = await openCase(t, worker.token, {
      clientId: client.id,
      programId: BH_PROGRAM,
      openedOn,
      riskLevel,
    });
    await flush(t);
    return kase;
  };
  const queue = async (token: string, name: string) => {
    const res = await get(token, `${CASES}/tasks?queue=${name}&limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: (TaskView & { clientId: string; riskLevel: string })[] }>().items;
  };
  const policy = async (token = worker.token) =>
    (await get(token, `${CASES}/contact-policy`)).json<{ items: PolicyEntry[] }>().items;

  it('gives a new case a contact task due the policy’s interval for its risk level after opening', async () => {
    const openedOn = daysFromToday(-3);
    const kase = await caseOpenedOn(openedOn, 'high');
    const task = await contactTask(t, worker.token, kase.id);
    expect(task).toMatchObject({
      type: 'contact',
      source: 'policy',
      basisOn: openedOn,
      dueOn: addDays(openedOn, 7),
      assignedTo: worker.id,
      status: 'open',
      overdue: false,
    });
    expect(task.title).toContain('every 7 days');
  });

  it('completes the contact task when a contact note is signed, and dates the next one from that contact', async () => {
    const kase = await caseOpenedOn(daysFromToday(-10), 'high', 'Contacted');
    const first = await contactTask(t, worker.token, kase.id);
    expect(first.overdue).toBe(true);

    // A phone note is not a contact in the policy's sense; an addendum neither.
    await signNote(t, worker.token, await draftNote(t, worker.token, kase.id, { noteType: 'phone' }));
    await flush(t);
    expect((await contactTask(t, worker.token, kase.id)).id).toBe(first.id);

    const contactAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await signNote(t, worker.token, await draftNote(t, worker.token, kase.id, { contactAt }));
    await flush(t);
    const contactDay = t.app.get(AgencyClock).dayOf(new Date(contactAt));
    const next = await contactTask(t, worker.token, kase.id);
    expect(next).toMatchObject({ basisOn: contactDay, dueOn: addDays(contactDay, 7), overdue: false });
    const done = (await tasksOf(t, worker.token, kase.id)).find((task) => task.id === first.id);
    expect(done).toMatchObject({ status: 'done', completedBy: null });
    expect(done?.completedAt).not.toBeNull();

    // A lower risk level stretches the interval; the task is re-dated, not replaced.
    const patched = await send(
      'PATCH',
      worker.token,
      `${CASES}/${kase.id}`,
      { riskLevel: 'moderate' },
      kase.version,
    );
    expect(patched.statusCode, patched.body).toBe(200);
    await flush(t);
    const moderate = await contactTask(t, worker.token, kase.id);
    expect(moderate).toMatchObject({ id: next.id, dueOn: addDays(contactDay, 14) });
    expect(moderate.title).toContain('every 14 days');
  });

  it('counts a contact on the agency’s day: 19:00 in Chicago on 30 November is 30 November, not UTC’s 1 December', async () => {
    const kase = await caseOpenedOn('2025-11-01', 'high', 'Evening');
    // 01:00 UTC on 1 December is 19:00 the evening before in Chicago (CST, UTC−6).
    await signNote(
      t,
      worker.token,
      await draftNote(t, worker.token, kase.id, { contactAt: '2025-12-01T01:00:00.000Z' }),
    );
    await flush(t);
    expect(await contactTask(t, worker.token, kase.id)).toMatchObject({
      basisOn: '2025-11-30',
      dueOn: '2025-12-07',
    });
    // 06:30 UTC is 00:30 on 1 December in Chicago: the next day, a newer contact.
    await signNote(
      t,
      worker.token,
      await draftNote(t, worker.token, kase.id, { contactAt: '2025-12-01T06:30:00.000Z' }),
    );
    await flush(t);
    expect(await contactTask(t, worker.token, kase.id)).toMatchObject({
      basisOn: '2025-12-01',
      dueOn: '2025-12-08',
    });
  });

  it('re-dates open contact tasks when the agency changes the policy value', async () => {
    const kase = await caseOpenedOn(daysFromToday(-1), 'critical', 'Policy');
    const before = await contactTask(t, worker.token, kase.id);
    expect(before.dueOn).toBe(addDays(kase.openedOn, 2));
    expect((await policy()).find((p) => p.riskLevel === 'critical')).toMatchObject({
      intervalDays: 2,
      source: 'default',
      version: 0,
    });

    const body = { intervalDays: 1, reason: 'State audit: critical-risk clients are seen daily.' };
    const byWorker = await send('PUT', worker.token, `${CASES}/contact-policy/critical`, body, 0);
    expect(byWorker.statusCode).toBe(403);
    const changed = await send('PUT', supervisor.token, `${CASES}/contact-policy/critical`, body, 0);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      riskLevel: 'critical',
      intervalDays: 1,
      source: 'agency',
      version: 1,
    });
    expect(changed.headers.etag).toBe('"1"');
    const stale = await send('PUT', supervisor.token, `${CASES}/contact-policy/critical`, body, 0);
    expect(stale.statusCode).toBe(412);

    // The open task follows the new value at once, and so do cases opened from now on.
    const after = await contactTask(t, worker.token, kase.id);
    expect(after).toMatchObject({ id: before.id, dueOn: addDays(kase.openedOn, 1) });
    expect(after.dueOn).not.toBe(before.dueOn);
    const later = await caseOpenedOn(agencyToday(), 'critical', 'Policy later');
    expect((await contactTask(t, worker.token, later.id)).dueOn).toBe(addDays(agencyToday(), 1));

    const changes = await get(supervisor.token, `${CASES}/contact-policy/changes`);
    expect(changes.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({
        riskLevel: 'critical',
        fromDays: 2,
        toDays: 1,
        reason: body.reason,
        changedBy: supervisor.id,
      }),
    ]);
    expect((await get(worker.token, `${CASES}/contact-policy/changes`)).statusCode).toBe(403);

    // Another agency keeps its own policy.
    const elsewhere = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhOutpatient, { agencyId: OTHER_AGENCY });
    expect((await policy(elsewhere.token)).find((p) => p.riskLevel === 'critical')?.intervalDays).toBe(2);

    // Back to the default value, as a second recorded change.
    const restored = await send(
      'PUT',
      supervisor.token,
      `${CASES}/contact-policy/critical`,
      { ...body, intervalDays: 2 },
      1,
    );
    expect(restored.statusCode, restored.body).toBe(200);
    expect((await contactTask(t, worker.token, kase.id)).dueOn).toBe(before.dueOn);
  });

  it('shows an overdue task in its worker’s queue and in the program supervisor’s, not in another program’s', async () => {
    const kase = await caseOpenedOn(daysFromToday(-20), 'high', 'Overdue');
    const task = await contactTask(t, worker.token, kase.id);
    expect(task).toMatchObject({ overdue: true, dueOn: daysFromToday(-13) });

    const mine = await queue(worker.token, 'mine');
    expect(mine.find((q) => q.id === task.id)).toMatchObject({
      overdue: true,
      clientId: kase.clientId,
      riskLevel: 'high',
    });
    expect((await queue(worker.token, 'overdue')).map((q) => q.id)).toContain(task.id);
    expect((await queue(colleague.token, 'team')).map((q) => q.id)).toContain(task.id);
    expect((await queue(colleague.token, 'mine')).map((q) => q.id)).not.toContain(task.id);
    expect((await queue(supervisor.token, 'overdue')).map((q) => q.id)).toContain(task.id);

    expect((await queue(cfsSupervisor.token, 'overdue')).map((q) => q.id)).not.toContain(task.id);
    expect((await queue(cfsWorker.token, 'overdue')).map((q) => q.id)).not.toContain(task.id);

    // Earliest due first, whatever the page size.
    const paged: string[] = [];
    let url = `${CASES}/tasks?queue=overdue&limit=1`;
    for (;;) {
      const page = (await get(supervisor.token, url)).json<{
        items: TaskView[];
        nextCursor: string | null;
      }>();
      paged.push(...page.items.map((i) => i.dueOn));
      if (!page.nextCursor) break;
      url = `${CASES}/tasks?queue=overdue&limit=1&cursor=${page.nextCursor}`;
    }
    expect(paged.length).toBeGreaterThan(0);
    expect([...paged].sort()).toEqual(paged);
  });

  it('lets a worker add and complete tasks; the contact task’s date is the policy’s, not editable', async () => {
    const kase = await caseOpenedOn(agencyToday(), 'low', 'Manual');
    const created = await send('POST', worker.token, `${CASES}/${kase.id}/tasks`, {
      title: 'Request school records',
      type: 'document',
      dueOn: daysFromToday(5),
    });
    expect(created.statusCode, created.body).toBe(201);
    const task = created.json<TaskView>();
    expect(task).toMatchObject({ source: 'manual', assignedTo: worker.id, status: 'open' });

    const url = `${CASES}/${kase.id}/tasks/${task.id}`;
    expect((await send('PATCH', worker.token, url, { status: 'done' })).statusCode).toBe(428);
    const done = await send('PATCH', worker.token, url, { status: 'done' }, task.version);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', completedBy: worker.id });
    const again = await send('PATCH', worker.token, url, { title: 'Changed' }, task.version + 1);
    expect(problemType(again)).toBe('task-closed');

    const contact = await contactTask(t, worker.token, kase.id);
    const byHand = await send(
      'PATCH',
      worker.token,
      `${CASES}/${kase.id}/tasks/${contact.id}`,
      { dueOn: daysFromToday(60) },
      contact.version,
    );
    expect(problemType(byHand)).toBe('policy-task');
    const handedOver = await send(
      'PATCH',
      worker.token,
      `${CASES}/${kase.id}/tasks/${contact.id}`,
      { assignedTo: colleague.id },
      contact.version,
    );
    expect(handedOver.statusCode, handedOver.body).toBe(200);
    expect((await queue(colleague.token, 'mine')).map((q) => q.id)).toContain(contact.id);
  });

  it('keeps another team’s case’s tasks out of reach', async () => {
    const kase = await caseOpenedOn(agencyToday(), 'moderate', 'Private tasks');
    const contact = await contactTask(t, worker.token, kase.id);
    expect((await get(cfsWorker.token, `${CASES}/${kase.id}/tasks`)).statusCode).toBe(403);
    const add = await send('POST', cfsWorker.token, `${CASES}/${kase.id}/tasks`, {
      title: 'Not mine',
      type: 'other',
      dueOn: agencyToday(),
    });
    expect(add.statusCode).toBe(403);
    const change = await send(
      'PATCH',
      cfsWorker.token,
      `${CASES}/${kase.id}/tasks/${contact.id}`,
      { status: 'cancelled' },
      contact.version,
    );
    expect(change.statusCode).toBe(403);
    expect((await queue(cfsWorker.token, 'mine')).map((q) => q.id)).not.toContain(contact.id);
    // A task id under another case is not found.
    const other = await caseOpenedOn(agencyToday(), 'moderate', 'Other tasks');
    const wrongCase = await send(
      'PATCH',
      worker.token,
      `${CASES}/${other.id}/tasks/${contact.id}`,
      { status: 'cancelled' },
      contact.version,
    );
    expect(wrongCase.statusCode).toBe(404);
  });
});
