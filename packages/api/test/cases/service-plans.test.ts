import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { BH_PROGRAM, OTHER_AGENCY, registerClient, staff, type Staff } from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CASES, openCase, problemType, type CaseView } from './cases-helpers.js';
import { planDocument, type PlanView } from './casework-helpers.js';

describe('service plans: drafted, signed by client and worker, locked, revised, reviewed', () => {
  let t: TestApp;
  let worker: Staff;
  let cfsWorker: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
  });
  afterAll(async () => {
    await t.close();
  });

  const plansUrl = (caseId: string) => `${CASES}/${caseId}/plans`;
  const planUrl = (plan: PlanView) => `${plansUrl(plan.caseId)}/${plan.id}`;
  const request = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    version?: number,
    token = worker.token,
  ) =>
    t.http.request({
      method,
      url,
      token,
      body,
      ...(version !== undefined ? { headers: { 'if-match': `"${version}"` } } : {}),
    });
  const newCase = async (familyName: string): Promise<CaseView> => {
    const client = await registerClient(t, worker.token, { familyName });
    return openCase(t, worker.token, { clientId: client.id, programId: BH_PROGRAM });
  };
  const draft = async (kase: CaseView, body = planDocument()): Promise<PlanView> => {
    const res = await request('POST', plansUrl(kase.id), body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<PlanView>();
  };
  const signByClient = async (plan: PlanView, body: Record<string, unknown> = {}) => {
    const res = await request(
      'POST',
      `${planUrl(plan)}/client-signature`,
      { signerName: 'Ana Garcia', signedOn: agencyToday(), method: 'wet', ...body },
      plan.version,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PlanView>();
  };
  const signByWorker = async (plan: PlanView) => {
    const res = await request('POST', `${planUrl(plan)}/worker-signature`, undefined, plan.version);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PlanView>();
  };
  const activePlan = async (kase: CaseView) => signByWorker(await signByClient(await draft(kase)));

  it('locks the plan at the first signature and puts it in force once client and worker have signed', async () => {
    const kase = await newCase('Planned');
    const created = await draft(
      kase,
      planDocument({ goals: [{ description: 'Employment', objectives: [] }] }),
    );
    expect(created).toMatchObject({ planNumber: 1, status: 'draft', locked: false, version: 1 });

    // Only a complete plan is signed: every goal an objective, every objective an intervention.
    const early = await request('POST', `${planUrl(created)}/worker-signature`, undefined, 1);
    expect(early.statusCode).toBe(409);
    expect(problemType(early)).toBe('plan-incomplete');

    const edited = await request('PUT', planUrl(created), planDocument({ effectiveTo: '2099-12-31' }), 1);
    expect(edited.statusCode, edited.body).toBe(200);
    const plan = edited.json<PlanView>();
    expect(plan).toMatchObject({ version: 2, effectiveTo: '2099-12-31' });
    expect(plan.goals[0]?.objectives[0]?.interventions[0]).toMatchObject({
      responsibleParty: 'Case manager',
      frequency: 'Weekly',
      status: 'planned',
    });

    const unwitnessed = await request(
      'POST',
      `${planUrl(plan)}/client-signature`,
      { signerName: 'Ana Garcia', signedOn: agencyToday(), method: 'verbal_witnessed' },
      plan.version,
    );
    expect(unwitnessed.statusCode).toBe(400);

    const clientSigned = await signByClient(plan, {
      signerName: 'Maria Garcia (guardian)',
      method: 'verbal_witnessed',
      witnessName: 'Pat Witness',
    });
    expect(clientSigned).toMatchObject({
      status: 'draft',
      locked: true,
      clientSignature: {
        signerName: 'Maria Garcia (guardian)',
        method: 'verbal_witnessed',
        witnessName: 'Pat Witness',
      },
      workerSignature: null,
    });

    // From the first signature on, the content no longer changes.
    const change = await request('PUT', planUrl(clientSigned), planDocument(), clientSigned.version);
    expect(change.statusCode).toBe(409);
    expect(problemType(change)).toBe('plan-locked');
    const discard = await request('DELETE', planUrl(clientSigned), undefined, clientSigned.version);
    expect(problemType(discard)).toBe('plan-locked');

    const active = await signByWorker(clientSigned);
    expect(active).toMatchObject({ status: 'active', locked: true, workerSignature: { userId: worker.id } });
    expect(active.activatedAt).not.toBeNull();
    expect(
      (await request('POST', `${planUrl(active)}/worker-signature`, undefined, active.version)).statusCode,
    ).toBe(409);

    // The database holds the lock too, whoever connects.
    const db = t.database.db;
    const goalId = active.goals[0]?.id ?? '';
    await expect(
      sql`UPDATE cases.plan_goals SET description = 'Rewritten' WHERE id = ${goalId}`.execute(db),
    ).rejects.toThrow(/signed/);
    await expect(
      sql`UPDATE cases.service_plans SET effective_from = '2020-01-01' WHERE id = ${active.id}`.execute(db),
    ).rejects.toThrow(/signed/);
    await expect(
      sql`UPDATE cases.service_plans SET client_signer_name = 'Someone else' WHERE id = ${active.id}`.execute(
        db,
      ),
    ).rejects.toThrow(/signature/);
    await expect(sql`DELETE FROM cases.plan_goals WHERE id = ${goalId}`.execute(db)).rejects.toThrow(
      /signed/,
    );
    await expect(
      sql`INSERT INTO cases.plan_goals (id, plan_id, position, description, status)
          VALUES (gen_random_uuid(), ${active.id}, 9, 'Sneaked in', 'not_started')`.execute(db),
    ).rejects.toThrow(/signed/);
  });

  it('starts one draft when the same plan is begun several times at once; the others get 409, not 500', async () => {
    const kase = await newCase('Raced');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => request('POST', plansUrl(kase.id), planDocument())),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.statusCode === 409)) {
      expect(problemType(refused)).toBe('plan-draft-exists');
    }
    const plans = await request('GET', plansUrl(kase.id));
    expect(plans.json<{ items: PlanView[] }>().items.map((p) => [p.planNumber, p.status])).toEqual([
      [1, 'draft'],
    ]);
  });

  it('changes a plan in force only as a new version, which supersedes it once signed', async () => {
    const kase = await newCase('Revised');
    const first = await activePlan(kase);

    const revised = await request('POST', `${planUrl(first)}/revisions`, {});
    expect(revised.statusCode, revised.body).toBe(201);
    const second = revised.json<PlanView>();
    expect(second).toMatchObject({
      planNumber: 2,
      status: 'draft',
      locked: false,
      supersedesPlanId: first.id,
    });
    expect(second.goals.map((g) => g.description)).toEqual(first.goals.map((g) => g.description));
    expect(second.goals[0]?.id).not.toBe(first.goals[0]?.id);

    const again = await request('POST', `${planUrl(first)}/revisions`, {});
    expect(problemType(again)).toBe('plan-draft-exists');
    // The first version stays in force while the second is drafted.
    expect((await request('GET', planUrl(first))).json<PlanView>().status).toBe('active');

    const changed = await request(
      'PUT',
      planUrl(second),
      planDocument({
        goals: [...(planDocument().goals as unknown[]), ...(planDocument().goals as unknown[])],
      }),
      second.version,
    );
    expect(changed.statusCode, changed.body).toBe(200);
    const inForce = await signByWorker(await signByClient(changed.json<PlanView>()));
    expect(inForce).toMatchObject({ status: 'active', planNumber: 2 });
    expect(inForce.goals).toHaveLength(2);

    const list = await request('GET', plansUrl(kase.id));
    expect(list.json<{ items: PlanView[] }>().items.map((p) => [p.planNumber, p.status, p.endedOn])).toEqual([
      [2, 'active', null],
      [1, 'superseded', agencyToday()],
    ]);
    const stale = await request('POST', `${planUrl(first)}/revisions`, {});
    expect(stale.statusCode).toBe(409);
  });

  it('records progress reviews on the plan in force, a rating per goal, moving item statuses', async () => {
    const kase = await newCase('Reviewed');
    const unsigned = await draft(kase);
    const goal = unsigned.goals[0];
    const early = await request('POST', `${planUrl(unsigned)}/reviews`, {
      reviewedOn: agencyToday(),
      goals: [{ goalId: goal?.id, rating: 'some_progress' }],
    });
    expect(early.statusCode).toBe(409);
    await request('DELETE', planUrl(unsigned), undefined, unsigned.version);

    const plan = await activePlan(kase);
    const goalId = plan.goals[0]?.id ?? '';
    const interventionId = plan.goals[0]?.objectives[0]?.interventions[0]?.id ?? '';
    const unknown = await request('POST', `${planUrl(plan)}/reviews`, {
      reviewedOn: agencyToday(),
      goals: [{ goalId: unsigned.id, rating: 'achieved' }],
    });
    expect(unknown.statusCode).toBe(400);

    const reviewed = await request('POST', `${planUrl(plan)}/reviews`, {
      reviewedOn: agencyToday(),
      summary: 'Applications submitted to two programs.',
      goals: [
        { goalId, rating: 'significant_progress', note: 'Waiting on decisions.', status: 'in_progress' },
      ],
      interventions: [{ interventionId, status: 'completed' }],
    });
    expect(reviewed.statusCode, reviewed.body).toBe(201);
    expect(reviewed.json()).toMatchObject({
      reviewerId: worker.id,
      reviewedOn: agencyToday(),
      goals: [{ goalId, rating: 'significant_progress', note: 'Waiting on decisions.' }],
    });

    const after = (await request('GET', planUrl(plan))).json<PlanView>();
    expect(after.goals[0]?.status).toBe('in_progress');
    expect(after.goals[0]?.objectives[0]?.interventions[0]?.status).toBe('completed');
    expect(after.goals[0]?.description).toBe(plan.goals[0]?.description);
    const reviews = await request('GET', `${planUrl(plan)}/reviews`);
    expect(reviews.json<{ items: unknown[] }>().items).toHaveLength(1);

    const reviewId = reviewed.json<{ id: string }>().id;
    await expect(
      sql`UPDATE cases.plan_reviews SET summary = 'Edited' WHERE id = ${reviewId}`.execute(t.database.db),
    ).rejects.toThrow(/append-only/);
  });

  it('keeps another team’s case’s plans out of reach', async () => {
    const kase = await newCase('Private plan');
    const plan = await draft(kase);
    expect((await request('GET', plansUrl(kase.id), undefined, undefined, cfsWorker.token)).statusCode).toBe(
      403,
    );
    expect((await request('GET', planUrl(plan), undefined, undefined, cfsWorker.token)).statusCode).toBe(403);
    expect(
      (await request('POST', plansUrl(kase.id), planDocument(), undefined, cfsWorker.token)).statusCode,
    ).toBe(403);
    expect(
      (await request('POST', `${planUrl(plan)}/worker-signature`, undefined, plan.version, cfsWorker.token))
        .statusCode,
    ).toBe(403);
    const elsewhere = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhOutpatient, { agencyId: OTHER_AGENCY });
    expect((await request('GET', planUrl(plan), undefined, undefined, elsewhere.token)).statusCode).toBe(404);
    // A plan id under another case is not found.
    const other = await newCase('Other plan');
    expect((await request('GET', `${plansUrl(other.id)}/${plan.id}`)).statusCode).toBe(404);
  });
});
