import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { registerClient, staff, type ClientView, type Staff } from './clients-helpers.js';

const CLIENTS = '/api/v1/clients';

interface SearchHit extends ClientView {
  score: number;
}
interface Candidate {
  clientId: string;
  score: number;
  reasons: string[];
  visible: boolean;
  givenName?: string;
  familyName?: string;
}

describe('clients: search', () => {
  let t: TestApp;
  let bhWorker: Staff;
  let cfsWorker: Staff;
  let billing: Staff;
  let rosalinda: ClientView;

  beforeAll(async () => {
    t = await startTestApp();
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    billing = await staff(t, 'billing_specialist', DEMO_TEAM_IDS.bhOutpatient);
    rosalinda = await registerClient(t, bhWorker.token, {
      givenName: 'Rosalinda',
      familyName: 'Hernandez',
      birthDate: '1975-05-05',
      ssn: '123-45-6700',
      medicaidId: '4100000077',
    });
    await registerClient(t, bhWorker.token, {
      givenName: 'Rosalind',
      familyName: 'Henderson',
      birthDate: '1975-05-05',
    });
    await registerClient(t, bhWorker.token, {
      givenName: 'Peter',
      familyName: 'Kowalski',
      birthDate: '1975-05-05',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const search = async (token: string, query: Record<string, string>) => {
    const res = await t.http.request({
      method: 'GET',
      url: `${CLIENTS}/search?${new URLSearchParams(query).toString()}`,
      token,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: SearchHit[] }>().items;
  };

  it('finds Hernandez when the name is typed Hernandes, best match first', async () => {
    const byFamily = await search(bhWorker.token, { q: 'Hernandes' });
    expect(byFamily.map((c) => c.id)).toContain(rosalinda.id);
    expect(byFamily.map((c) => c.familyName)).not.toContain('Kowalski');

    const byFullName = await search(bhWorker.token, { q: 'rosalinda hernandes' });
    expect(byFullName[0]).toMatchObject({ id: rosalinda.id, familyName: 'Hernandez' });
    expect(byFullName[0]?.score).toBeGreaterThan(0.6);
    // In either order, and with punctuation.
    expect((await search(bhWorker.token, { q: 'Hernandez, Rosalinda' }))[0]?.id).toBe(rosalinda.id);
    // Nothing like it, or only the first name alike: nothing found.
    expect(await search(bhWorker.token, { q: 'Xylophone' })).toEqual([]);
    expect(await search(bhWorker.token, { q: 'Rosalinda Xylophone' })).toEqual([]);
  });

  it('finds a client by another name they were known by', async () => {
    const alias = await t.http.request({
      method: 'POST',
      url: `${CLIENTS}/${rosalinda.id}/aliases`,
      token: bhWorker.token,
      body: { name: 'Rosalinda Quintanilla', type: 'maiden' },
    });
    expect(alias.statusCode, alias.body).toBe(201);
    const found = await search(bhWorker.token, { q: 'Quintanila' });
    expect(found.map((c) => c.id)).toEqual([rosalinda.id]);
  });

  it('never finds another team’s client for a case manager; agency-wide staff find them', async () => {
    const theirs = await registerClient(t, cfsWorker.token, {
      givenName: 'Zebulon',
      familyName: 'Quackenbush',
      birthDate: '1990-10-10',
      ssn: '219-09-1111',
    });
    expect(await search(bhWorker.token, { q: 'Quackenbush' })).toEqual([]);
    expect(await search(bhWorker.token, { q: 'Zebulon Quackenbusch' })).toEqual([]);
    expect(await search(bhWorker.token, { ssn: '219091111' })).toEqual([]);
    expect(await search(bhWorker.token, { birthDate: '1990-10-10' })).toEqual([]);

    expect((await search(cfsWorker.token, { q: 'Quackenbusch' })).map((c) => c.id)).toEqual([theirs.id]);
    expect((await search(billing.token, { q: 'Quackenbusch' })).map((c) => c.id)).toEqual([theirs.id]);

    const elsewhere = await staff(t, 'billing_specialist', DEMO_TEAM_IDS.bhOutpatient, {
      agencyId: '0de70000-0000-4000-8000-0000000000c7',
    });
    expect(await search(elsewhere.token, { q: 'Quackenbush' })).toEqual([]);
  });

  it('finds by SSN and Medicaid id through their blind index, on the record or a coverage', async () => {
    expect((await search(bhWorker.token, { ssn: '123-45-6700' })).map((c) => c.id)).toEqual([rosalinda.id]);
    expect((await search(bhWorker.token, { medicaidId: '4100000077' })).map((c) => c.id)).toEqual([
      rosalinda.id,
    ]);
    expect(await search(bhWorker.token, { ssn: '123-45-6701' })).toEqual([]);

    const covered = await registerClient(t, bhWorker.token, {
      givenName: 'Imogen',
      familyName: 'Castellanos',
    });
    const coverage = await t.http.request({
      method: 'POST',
      url: `${CLIENTS}/${covered.id}/coverages`,
      token: bhWorker.token,
      body: { payer: 'medicaid', memberId: '4100000123', priority: 'primary', startDate: '2026-01-01' },
    });
    expect(coverage.statusCode, coverage.body).toBe(201);
    expect((await search(bhWorker.token, { medicaidId: '4100000123' })).map((c) => c.id)).toEqual([
      covered.id,
    ]);

    // Only a whole identifier is a search key.
    const partial = await t.http.request({
      method: 'GET',
      url: `${CLIENTS}/search?ssn=6700`,
      token: bhWorker.token,
    });
    expect(partial.statusCode).toBe(400);
  });

  it('finds by phone however the number is written', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: `${CLIENTS}/${rosalinda.id}/phones`,
      token: bhWorker.token,
      body: { type: 'mobile', number: '(608) 555-0147', smsOk: true, primary: true },
    });
    expect(res.json()).toMatchObject({ number: '+16085550147' });
    for (const phone of ['608-555-0147', '+1 608 555 0147', '16085550147']) {
      expect((await search(bhWorker.token, { phone })).map((c) => c.id)).toEqual([rosalinda.id]);
    }
  });

  it('requires every criterion given: a name and a birth date must both match', async () => {
    const both = await search(bhWorker.token, { q: 'hernandes', birthDate: '1975-05-05' });
    expect(both.map((c) => c.id)).toEqual([rosalinda.id]);
    expect(await search(bhWorker.token, { q: 'hernandes', birthDate: '1975-05-06' })).toEqual([]);
    // Same birth date, ranked by the name searched for.
    const sameDay = await search(bhWorker.token, { birthDate: '1975-05-05', q: 'rosalind henderson' });
    expect(sameDay[0]?.familyName).toBe('Henderson');
    expect(sameDay.map((c) => c.familyName)).not.toContain('Kowalski');

    const nothing = await t.http.request({ method: 'GET', url: `${CLIENTS}/search`, token: bhWorker.token });
    expect(nothing.statusCode).toBe(400);
  });
});

describe('clients: duplicates', () => {
  let t: TestApp;
  let bhWorker: Staff;
  let cfsWorker: Staff;
  let theodora: ClientView;

  beforeAll(async () => {
    t = await startTestApp();
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    theodora = await registerClient(t, cfsWorker.token, {
      givenName: 'Theodora',
      familyName: 'Wojcik',
      birthDate: '1961-07-21',
      ssn: '219-55-1234',
      acknowledgeDuplicates: false,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (token: string, body: Record<string, unknown>) =>
    t.http.request({
      method: 'POST',
      url: CLIENTS,
      token,
      body: {
        givenName: 'Theodora',
        familyName: 'Wojcick',
        birthDate: '1961-07-21',
        sexAtBirth: 'female',
        ...body,
      },
    });

  it('stops a registration that looks like a record of the agency, naming it only to those who may see it', async () => {
    const outsideScope = await register(bhWorker.token, {});
    expect(outsideScope.statusCode).toBe(409);
    expect(outsideScope.headers['content-type']).toContain('application/problem+json');
    const problem = outsideScope.json<{ type: string; candidates: Candidate[] }>();
    expect(problem.type).toMatch(/possible-duplicate$/);
    expect(problem.candidates).toEqual([
      {
        clientId: theodora.id,
        score: expect.any(Number) as number,
        reasons: expect.any(Array) as string[],
        visible: false,
      },
    ]);
    expect(problem.candidates[0]?.reasons).toEqual(
      expect.arrayContaining(['same birth date', expect.stringMatching(/^name 0\.\d\d similar$/)]),
    );
    expect(outsideScope.body).not.toContain('Wojcik');

    const inScope = await register(cfsWorker.token, {});
    expect(inScope.statusCode).toBe(409);
    expect(inScope.json<{ candidates: Candidate[] }>().candidates[0]).toMatchObject({
      clientId: theodora.id,
      visible: true,
      givenName: 'Theodora',
      familyName: 'Wojcik',
    });
  });

  it('flags the same SSN under another name, and a birth date one typo away', async () => {
    const sameSsn = await register(cfsWorker.token, {
      givenName: 'Dorothy',
      familyName: 'Nowak',
      birthDate: '1970-01-01',
      ssn: '219551234',
    });
    expect(sameSsn.statusCode).toBe(409);
    expect(sameSsn.json<{ candidates: Candidate[] }>().candidates[0]?.reasons).toContain('same SSN');

    const swapped = await register(cfsWorker.token, { familyName: 'Wojcik', birthDate: '1961-07-12' });
    expect(swapped.statusCode).toBe(409);
    expect(swapped.json<{ candidates: Candidate[] }>().candidates[0]?.reasons).toContain(
      'birth date one typo apart',
    );
  });

  it('lets different people through, and registers anyway when the duplicates are acknowledged', async () => {
    // Same name and birthday but a different SSN on both: different people.
    const namesake = await register(cfsWorker.token, { familyName: 'Wojcik', ssn: '219-55-9999' });
    expect(namesake.statusCode, namesake.body).toBe(201);
    // Same birthday, nothing else alike: not a duplicate.
    const stranger = await register(bhWorker.token, {
      givenName: 'Marcus',
      familyName: 'Oyelaran',
      sexAtBirth: 'male',
    });
    expect(stranger.statusCode, stranger.body).toBe(201);

    const twin = await register(bhWorker.token, { acknowledgeDuplicates: true });
    expect(twin.statusCode, twin.body).toBe(201);
  });

  it('lists the likely duplicates of a record on demand, with scores and reasons', async () => {
    const twin = await registerClient(t, bhWorker.token, {
      givenName: 'Theodora',
      familyName: 'Wojcick',
      birthDate: '1961-07-21',
      sexAtBirth: 'female',
    });
    const res = await t.http.request({
      method: 'GET',
      url: `${CLIENTS}/${twin.id}/duplicates`,
      token: bhWorker.token,
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: Candidate[] }>().items;
    const original = items.find((c) => c.clientId === theodora.id);
    expect(original).toMatchObject({ visible: false });
    expect(original?.score).toBeGreaterThanOrEqual(0.7);
    expect(items.map((c) => c.clientId)).not.toContain(twin.id);
  });

  it('checks again when a correction turns a record into one the agency already has', async () => {
    const other = await registerClient(t, cfsWorker.token, {
      givenName: 'Theo',
      familyName: 'Kowalski',
      birthDate: '1961-07-21',
      sexAtBirth: 'female',
    });
    const patch = (version: number, body: Record<string, unknown>) =>
      t.http.request({
        method: 'PATCH',
        url: `${CLIENTS}/${other.id}`,
        token: cfsWorker.token,
        headers: { 'if-match': `"${version}"` },
        body,
      });
    // Changes that do not touch who the person is are not checked, and the record is not its own duplicate.
    const pronouns = await patch(other.version, { pronouns: 'she/her' });
    expect(pronouns.statusCode, pronouns.body).toBe(200);
    const renamed = await patch(pronouns.json<ClientView>().version, {
      givenName: 'Theodora',
      familyName: 'Wojcik',
    });
    expect(renamed.statusCode).toBe(409);
    const problem = renamed.json<{ type: string; detail: string; candidates: Candidate[] }>();
    expect(problem.type).toMatch(/possible-duplicate$/);
    expect(problem.detail).toContain('save the change anyway');
    expect(problem.candidates.map((c) => c.clientId)).toContain(theodora.id);
    expect(problem.candidates.map((c) => c.clientId)).not.toContain(other.id);
    // Nothing was changed by the refused request.
    const current = await t.http.request({
      method: 'GET',
      url: `${CLIENTS}/${other.id}`,
      token: cfsWorker.token,
    });
    expect(current.json<ClientView>()).toMatchObject({ givenName: 'Theo', familyName: 'Kowalski' });

    const sameSsn = await patch(current.json<ClientView>().version, { ssn: '219551234' });
    expect(sameSsn.statusCode).toBe(409);
    expect(sameSsn.json<{ candidates: Candidate[] }>().candidates[0]?.reasons).toContain('same SSN');

    const acknowledged = await patch(current.json<ClientView>().version, {
      givenName: 'Theodora',
      familyName: 'Wojcik',
      acknowledgeDuplicates: true,
    });
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    expect(acknowledged.json<ClientView>()).toMatchObject({ givenName: 'Theodora', familyName: 'Wojcik' });
    const onlyFlag = await patch(acknowledged.json<ClientView>().version, { acknowledgeDuplicates: true });
    expect(onlyFlag.statusCode).toBe(400);
  });
});
