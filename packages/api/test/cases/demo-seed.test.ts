import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureIntact } from '../../src/modules/cases/case-note-signature.js';
import { CaseNotesRepository } from '../../src/modules/cases/case-notes.repository.js';
import { CasesSeeder, seedCasesDemo } from '../../src/modules/cases/cases.seed.js';
import { addDays, DEFAULT_CONTACT_POLICY } from '../../src/modules/cases/contact-policy.js';
import {
  DEMO_CASE_IDS,
  DEMO_CASE_MANAGER,
  DEMO_CASES,
  DEMO_NOTE_IDS,
  DEMO_NOTES,
  DEMO_PLAN_IDS,
  DEMO_TASKS,
} from '../../src/modules/cases/demo.js';
import { seedClientsDemo } from '../../src/modules/clients/clients.seed.js';
import { DEMO_ADDRESS_IDS, DEMO_CLIENT_DETAILS } from '../../src/modules/clients/demo-details.js';
import { DEMO_CLIENTS } from '../../src/modules/clients/demo.js';
import { ClientDetailsSeeder } from '../../src/modules/clients/details.seed.js';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { AgencyClock } from '../../src/platform/time/agency-clock.js';
import { staff, type Staff } from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CASES, problemType, type CaseView, type NoteView } from './cases-helpers.js';
import type { PlanView, TaskView } from './casework-helpers.js';

const [maria, james, lee] = DEMO_CLIENTS.map((c) => c.id);

/** Tables the demo seeds write (cases and client details). */
const SEEDED_TABLES = [
  'cases.cases',
  'cases.case_assignments',
  'cases.case_notes',
  'cases.service_plans',
  'cases.plan_goals',
  'cases.plan_objectives',
  'cases.plan_interventions',
  'cases.plan_reviews',
  'cases.plan_review_goals',
  'cases.tasks',
  'clients.clients',
  'clients.enrollments',
  'clients.care_team',
  'clients.addresses',
  'clients.phones',
  'clients.emails',
  'clients.contacts',
  'clients.coverages',
  'clients.consents',
] as const;

describe('the demo agency’s casework and client details', () => {
  let t: TestApp;
  let casey: Staff;
  let cfsWorker: Staff;
  let today: string;

  beforeAll(async () => {
    // A second start with demo data on, over the database the first start seeded.
    t = await startTestApp({ SEED_DEMO_DATA: 'true' });
    casey = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient, { id: DEMO_CASE_MANAGER });
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    today = t.app.get(AgencyClock).today();
  });
  afterAll(async () => {
    await t.close();
  });

  const get = async <T>(token: string, url: string): Promise<T> => {
    const res = await t.http.request({ method: 'GET', url, token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const table of SEEDED_TABLES) {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
        t.database.db,
      );
      out[table] = rows[0]?.n ?? -1;
    }
    return out;
  };

  it('loads each demo record once: a second start and a third run of the seeds add nothing', async () => {
    const demoCaseIds = DEMO_CASES.map((c) => c.id);
    const ofDemoCases = async (table: 'cases.case_notes' | 'cases.tasks' | 'cases.case_assignments') =>
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}
          WHERE case_id IN (${sql.join(demoCaseIds)})`.execute(t.database.db)
      ).rows[0]?.n;
    expect(await ofDemoCases('cases.case_notes')).toBe(DEMO_NOTES.length);
    expect(await ofDemoCases('cases.case_assignments')).toBe(DEMO_CASES.length);
    // The tasks people made, and one contact task per case from the policy.
    expect(await ofDemoCases('cases.tasks')).toBe(DEMO_TASKS.length + DEMO_CASES.length);
    const addresses = DEMO_CLIENT_DETAILS.flatMap((d) => d.addresses).length;
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM clients.addresses
      WHERE client_id IN (${sql.join(DEMO_CLIENTS.map((c) => c.id))})`.execute(t.database.db);
    expect(rows[0]?.n).toBe(addresses);

    const before = await counts();
    const config = { ...t.config, SEED_DEMO_DATA: true };
    await seedClientsDemo(t.app, config);
    await seedCasesDemo(t.app, config);
    await t.app.get(ClientDetailsSeeder).run();
    await t.app.get(CasesSeeder).run();
    expect(await counts()).toEqual(before);
  });

  it('the demo case manager’s caseload holds her demo cases, with program, type, risk and team', async () => {
    const mine = await get<{ items: CaseView[] }>(casey.token, `${CASES}?view=mine`);
    expect(mine.items.map((c) => c.id)).toEqual([DEMO_CASE_IDS.james, DEMO_CASE_IDS.maria]);
    expect(mine.items.find((c) => c.id === DEMO_CASE_IDS.maria)).toMatchObject({
      clientId: maria,
      type: 'ongoing',
      riskLevel: 'moderate',
      status: 'open',
      teamId: DEMO_TEAM_IDS.bhOutpatient,
      assignedWorkerId: DEMO_CASE_MANAGER,
    });
    // Lee Vang's case waits in the CFS team's queue, out of her reach.
    const cfs = await get<{ items: CaseView[] }>(cfsWorker.token, `${CASES}?view=team`);
    expect(cfs.items.find((c) => c.id === DEMO_CASE_IDS.lee)).toMatchObject({
      clientId: lee,
      type: 'protective',
      assignedWorkerId: null,
    });
    const outside = await t.http.request({
      method: 'GET',
      url: `${CASES}/${DEMO_CASE_IDS.lee}`,
      token: casey.token,
    });
    expect(outside.statusCode).toBe(403);
    // Her cases made her part of her clients' care teams, as an assignment does.
    const team = await get<{ items: { userId: string | null; source: string }[] }>(
      casey.token,
      `/api/v1/clients/${james}/care-team`,
    );
    expect(team.items).toContainEqual(expect.objectContaining({ userId: DEMO_CASE_MANAGER, source: 'case' }));
  });

  it('a demo chart has addresses (with the one before), phones, email, contacts, a guardian and coverage', async () => {
    interface Chart {
      addresses: { id: string; line1: string }[];
      phones: { number: string; primary: boolean }[];
      emails: { address: string }[];
      contacts: { name: string; isGuardian: boolean; legalAuthority: string }[];
      coverages: { payer: string; payerName: string; memberIdLast4: string; endDate: string | null }[];
    }
    const chart = await get<Chart>(casey.token, `/api/v1/clients/${maria}/chart`);
    expect(chart.addresses.map((a) => a.id)).toEqual([DEMO_ADDRESS_IDS.mariaHome]);
    expect(chart.phones).toEqual([expect.objectContaining({ number: '+16085550141', primary: true })]);
    expect(chart.emails.map((e) => e.address)).toEqual(['maria.hernandez@example.org']);
    expect(chart.contacts.map((c) => c.name)).toEqual(['Rosa Hernandez']);
    expect(chart.coverages).toEqual([
      expect.objectContaining({ payer: 'medicaid', payerName: 'Wisconsin Medicaid', memberIdLast4: '0001' }),
    ]);
    const history = await get<{ items: { id: string; validTo: string | null; current: boolean }[] }>(
      casey.token,
      `/api/v1/clients/${maria}/addresses`,
    );
    expect(history.items).toContainEqual(
      expect.objectContaining({ id: DEMO_ADDRESS_IDS.mariaFormer, validTo: '2025-08-31', current: false }),
    );
    // The member id is sealed as any coverage's: revealed whole to those who may.
    const reveal = await t.http.request({
      method: 'GET',
      url: `/api/v1/clients/${maria}/coverages/${DEMO_CLIENT_DETAILS[0]?.coverages[0]?.id}/member-id`,
      token: casey.token,
    });
    expect(reveal.statusCode, reveal.body).toBe(200);
    expect(reveal.json<{ memberId: string }>().memberId).toBe('4000000001');

    const minor = await get<Chart>(cfsWorker.token, `/api/v1/clients/${lee}/chart`);
    expect(minor.contacts).toContainEqual(
      expect.objectContaining({ name: 'Mai Vang', isGuardian: true, legalAuthority: 'parent_of_minor' }),
    );
    const consents = await get<{ items: { kind: string; recipient: { name: string | null } }[] }>(
      cfsWorker.token,
      `/api/v1/clients/${lee}/consents`,
    );
    expect(consents.items).toEqual([expect.objectContaining({ kind: 'general' })]);
  });

  it('shows signed notes with an addendum, a late entry and the author’s own draft', async () => {
    const notes = await get<{ items: NoteView[] }>(casey.token, `${CASES}/${DEMO_CASE_IDS.maria}/notes`);
    const byId = new Map(notes.items.map((n) => [n.id, n]));
    expect(byId.get(DEMO_NOTE_IDS.mariaDraft)).toMatchObject({ status: 'draft', noteType: 'phone' });
    expect(byId.get(DEMO_NOTE_IDS.mariaHomeVisitAddendum)).toMatchObject({
      status: 'signed',
      parentNoteId: DEMO_NOTE_IDS.mariaHomeVisit,
      lateEntry: false,
    });
    expect(byId.get(DEMO_NOTE_IDS.mariaClinic)).toMatchObject({ status: 'signed', lateEntry: true });
    expect(byId.get(DEMO_NOTE_IDS.mariaIntake)).toMatchObject({ status: 'signed', lateEntry: false });
    // A colleague on the team sees the signed notes, never someone else's draft.
    const colleague = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    const theirs = await get<{ items: NoteView[] }>(colleague.token, `${CASES}/${DEMO_CASE_IDS.maria}/notes`);
    expect(theirs.items.map((n) => n.id)).not.toContain(DEMO_NOTE_IDS.mariaDraft);
    expect(theirs.items.map((n) => n.id)).toContain(DEMO_NOTE_IDS.mariaClinic);
  });

  it('a signed demo note is locked like any other: intact signature, 409 through the API, refused in SQL', async () => {
    const id = DEMO_NOTE_IDS.mariaHomeVisit;
    const row = await t.app.get(CaseNotesRepository).findById(id);
    expect(row && signatureIntact(row)).toBe(true);
    const edit = await t.http.request({
      method: 'PATCH',
      url: `${CASES}/${DEMO_CASE_IDS.maria}/notes/${id}`,
      token: casey.token,
      headers: { 'if-match': `"${row?.version ?? 0}"` },
      body: { body: 'Rewritten history' },
    });
    expect(edit.statusCode).toBe(409);
    expect(problemType(edit)).toBe('note-signed');
    await expect(
      sql`UPDATE cases.case_notes SET body = 'Rewritten history' WHERE id = ${id}`.execute(t.database.db),
    ).rejects.toThrow(/signed/);
  });

  it('has a service plan in force with goals, objectives and a progress review, and a draft for another case', async () => {
    const plan = await get<PlanView>(
      casey.token,
      `${CASES}/${DEMO_CASE_IDS.maria}/plans/${DEMO_PLAN_IDS.maria}`,
    );
    expect(plan).toMatchObject({ status: 'active', locked: true, planNumber: 1 });
    expect(plan.clientSignature).toMatchObject({ signerName: 'Maria Hernandez', signedOn: '2026-01-19' });
    expect(plan.goals).toHaveLength(2);
    expect(plan.goals.every((g) => g.objectives.every((o) => o.interventions.length > 0))).toBe(true);
    expect(plan.goals[0]?.objectives[0]?.status).toBe('achieved');
    const reviews = await get<{ items: { goals: unknown[] }[] }>(
      casey.token,
      `${CASES}/${DEMO_CASE_IDS.maria}/plans/${DEMO_PLAN_IDS.maria}/reviews`,
    );
    expect(reviews.items).toHaveLength(1);
    expect(reviews.items[0]?.goals).toHaveLength(2);
    const draft = await get<PlanView>(
      casey.token,
      `${CASES}/${DEMO_CASE_IDS.james}/plans/${DEMO_PLAN_IDS.james}`,
    );
    expect(draft).toMatchObject({ status: 'draft', locked: false });
  });

  it('gives each case the contact task the policy derives from its last contact; the overdue one shows', async () => {
    const lastContact = (caseId: string) =>
      DEMO_NOTES.filter((n) => n.caseId === caseId && n.type === 'contact' && n.signedAt && !n.parentNoteId)
        .map((n) => n.contactDay)
        .sort()
        .at(-1) ?? '';
    const mariaDue = addDays(lastContact(DEMO_CASE_IDS.maria), DEFAULT_CONTACT_POLICY.moderate);
    const jamesDue = addDays(lastContact(DEMO_CASE_IDS.james), DEFAULT_CONTACT_POLICY.high);

    const mine = await get<{ items: (TaskView & { clientId: string })[] }>(
      casey.token,
      `${CASES}/tasks?queue=mine`,
    );
    const contact = (caseId: string) => mine.items.find((i) => i.caseId === caseId && i.source === 'policy');
    expect(contact(DEMO_CASE_IDS.maria)).toMatchObject({ dueOn: mariaDue, overdue: mariaDue < today });
    expect(contact(DEMO_CASE_IDS.james)).toMatchObject({ dueOn: jamesDue, overdue: jamesDue < today });
    expect(mine.items.filter((i) => i.source === 'manual').map((i) => i.id)).toEqual(
      expect.arrayContaining(DEMO_TASKS.map((task) => task.id)),
    );
    // The high-risk case's contact is overdue, so the overdue worklist is not empty.
    expect(jamesDue < today).toBe(true);
    const overdue = await get<{ items: TaskView[] }>(casey.token, `${CASES}/tasks?queue=overdue`);
    expect(overdue.items.map((i) => i.caseId)).toContain(DEMO_CASE_IDS.james);

    // The queued CFS case's task is the team's, unassigned.
    const cfs = await get<{ items: TaskView[] }>(cfsWorker.token, `${CASES}/tasks?queue=team`);
    expect(cfs.items.find((i) => i.caseId === DEMO_CASE_IDS.lee)).toMatchObject({
      source: 'policy',
      assignedTo: null,
      dueOn: addDays(DEMO_CASES[2]?.openedOn ?? '', DEFAULT_CONTACT_POLICY.low),
    });
  });
});
