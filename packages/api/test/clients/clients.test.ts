import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateClientBody } from '../../src/modules/clients/clients.dto.js';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { publishEvent } from '../../src/platform/events/events.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  BH_PROGRAM,
  OTHER_AGENCY,
  registerClient,
  staff,
  type ClientView,
  type Staff,
} from './clients-helpers.js';

const CLIENTS = '/api/v1/clients';

describe('a birth date may not be after the agency’s today, not UTC’s', () => {
  it('takes a baby born on 30 November at 19:00 in Chicago (01:00 UTC on 1 December), not 1 December', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-12-01T01:00:00Z'));
      expect(CreateClientBody.shape.birthDate.safeParse('2026-11-30').success).toBe(true);
      expect(CreateClientBody.shape.birthDate.safeParse('2026-12-01').success).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('clients: registration, scope and identifiers', () => {
  let t: TestApp;
  let bhWorker: Staff;
  let cfsWorker: Staff;
  let supervisor: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    supervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (token: string, url: string) => t.http.request({ method: 'GET', url, token });

  it('registers a client served by the caller’s team, with identifiers encrypted at rest', async () => {
    const client = await registerClient(t, bhWorker.token, { ssn: '123-45-6789', medicaidId: '1234567890' });
    expect(client).toMatchObject({
      familyName: 'Garcia',
      ssnLast4: '6789',
      status: 'active',
      access: 'scope',
    });
    expect(JSON.stringify(client)).not.toContain('123456789');

    const stored = await sql<{ ssn_ciphertext: string; medicaid_id_ciphertext: string }>`
      SELECT ssn_ciphertext, medicaid_id_ciphertext FROM clients.clients WHERE id = ${client.id}`.execute(
      t.database.db,
    );
    const row = stored.rows[0];
    expect(row?.ssn_ciphertext).toBeTruthy();
    expect(row?.ssn_ciphertext).not.toContain('6789');
    expect(row?.medicaid_id_ciphertext).not.toContain('1234567890');

    const careTeam = await get(bhWorker.token, `${CLIENTS}/${client.id}/care-team`);
    expect(careTeam.json<{ items: { teamId: string }[] }>().items).toEqual([
      expect.objectContaining({ teamId: DEMO_TEAM_IDS.bhOutpatient, source: 'registration' }),
    ]);
  });

  it('reveals the full identifiers only to a role allowed to, and audits the reveal', async () => {
    const client = await registerClient(t, bhWorker.token, { ssn: '219-09-9999' });
    const revealed = await get(bhWorker.token, `${CLIENTS}/${client.id}/identifiers`);
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json()).toEqual({ clientId: client.id, ssn: '219099999', medicaidId: null });

    const clinician = await staff(t, 'clinician', DEMO_TEAM_IDS.bhOutpatient);
    expect((await get(clinician.token, `${CLIENTS}/${client.id}/identifiers`)).statusCode).toBe(403);

    const audit = await sql<{ action: string; outcome: string }>`
      SELECT action, outcome FROM audit.audit_logs
      WHERE resource_id = ${client.id} AND action = 'clients.identifiers.reveal' ORDER BY seq`.execute(
      t.database.db,
    );
    expect(audit.rows.map((r) => r.outcome)).toEqual(['allowed', 'denied']);
  });

  it('keeps another team’s client out of list and by-id reads, and another agency’s out entirely', async () => {
    const mine = await registerClient(t, bhWorker.token, { familyName: 'Scopetest', givenName: 'Mine' });
    const theirs = await registerClient(t, cfsWorker.token, { familyName: 'Scopetest', givenName: 'Theirs' });
    const elsewhere = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient, { agencyId: OTHER_AGENCY });

    const listed = await get(bhWorker.token, `${CLIENTS}?familyName=scopetest`);
    expect(listed.json<{ items: ClientView[] }>().items.map((c) => c.id)).toEqual([mine.id]);
    const listedByOther = await get(elsewhere.token, `${CLIENTS}?familyName=scopetest`);
    expect(listedByOther.json<{ items: ClientView[] }>().items).toEqual([]);

    // Asked for by id (as a caseload page names its clients), only those in scope come back.
    const byIds = await get(bhWorker.token, `${CLIENTS}?ids=${theirs.id},${mine.id},${mine.id}`);
    expect(byIds.json<{ items: ClientView[] }>().items.map((c) => c.id)).toEqual([mine.id]);
    expect(
      (await get(elsewhere.token, `${CLIENTS}?ids=${mine.id}`)).json<{ items: ClientView[] }>().items,
    ).toEqual([]);
    const badIds = await get(bhWorker.token, `${CLIENTS}?ids=${mine.id},not-an-id`);
    expect(badIds.statusCode).toBe(400);
    expect(badIds.body).toContain('query.ids');

    const outOfScope = await get(bhWorker.token, `${CLIENTS}/${theirs.id}`);
    expect(outOfScope.statusCode).toBe(403);
    expect(outOfScope.body).toContain('break-the-glass');
    expect((await get(elsewhere.token, `${CLIENTS}/${mine.id}`)).statusCode).toBe(404);

    // The BH supervisor reaches BH-team clients through program scope, not CFS ones.
    const supervisorList = await get(supervisor.token, `${CLIENTS}?familyName=scopetest`);
    expect(supervisorList.json<{ items: ClientView[] }>().items.map((c) => c.id)).toEqual([]);
    await t.http.request({
      method: 'POST',
      url: `${CLIENTS}/${mine.id}/enrollments`,
      token: bhWorker.token,
      body: { programId: BH_PROGRAM, startDate: '2026-01-05', reason: 'Referred by primary care' },
    });
    const afterEnrolment = await get(supervisor.token, `${CLIENTS}?familyName=scopetest`);
    expect(afterEnrolment.json<{ items: ClientView[] }>().items.map((c) => c.id)).toEqual([mine.id]);
  });

  it('refuses to register a client for a team the caller is not on', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: CLIENTS,
      token: bhWorker.token,
      body: {
        givenName: 'A',
        familyName: 'B',
        birthDate: '1990-01-01',
        sexAtBirth: 'male',
        teamId: DEMO_TEAM_IDS.cfs,
      },
    });
    expect(res.statusCode).toBe(403);
  });

  it('validates identifiers and dates with field-level problems, storing nothing', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: CLIENTS,
      token: bhWorker.token,
      body: {
        givenName: 'A',
        familyName: 'Invalid',
        birthDate: '2999-01-01',
        sexAtBirth: 'x',
        ssn: '666-12-3456',
      },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.birthDate', 'body.sexAtBirth', 'body.ssn']));
    const count = await sql<{
      n: string;
    }>`SELECT count(*)::text AS n FROM clients.clients WHERE family_name = 'Invalid'`.execute(t.database.db);
    expect(count.rows[0]?.n).toBe('0');
  });

  it('changes demographics with If-Match and refuses a stale version', async () => {
    const client = await registerClient(t, bhWorker.token);
    const patch = (version: number, body: unknown) =>
      t.http.request({
        method: 'PATCH',
        url: `${CLIENTS}/${client.id}`,
        token: bhWorker.token,
        headers: { 'if-match': `"${version}"` },
        body,
      });
    const changed = await patch(client.version, { preferredName: 'Annie', ssn: '123-45-6780' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ preferredName: 'Annie', ssnLast4: '6780', version: 2 });
    expect((await patch(client.version, { preferredName: 'Stale' })).statusCode).toBe(412);
    expect((await patch(2, { status: 'deceased' })).statusCode).toBe(400);
  });

  it('adds a case’s worker and team to the care team, and removes them when the case closes', async () => {
    const client = await registerClient(t, cfsWorker.token, { familyName: 'Caretest' });
    const caseId = '0de70000-0000-4000-8000-0000000ca5e1';
    const dispatcher = t.app.get(OutboxDispatcher);
    const db = t.database.db.withTables<PlatformTables>();
    await publishEvent(db, 'cases.case.assigned', {
      caseId,
      clientId: client.id,
      agencyId: client.agencyId,
      teamId: DEMO_TEAM_IDS.bhOutpatient,
      workerId: bhWorker.id,
    });
    await dispatcher.flush();
    expect((await get(bhWorker.token, `${CLIENTS}/${client.id}`)).statusCode).toBe(200);

    await publishEvent(db, 'cases.case.closed', { caseId, clientId: client.id, agencyId: client.agencyId });
    await dispatcher.flush();
    expect((await get(bhWorker.token, `${CLIENTS}/${client.id}`)).statusCode).toBe(403);
  });
});
