import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { BH_PROGRAM, registerClient, staff, type ClientView, type Staff } from './clients-helpers.js';

const CLIENTS = '/api/v1/clients';

interface Merge {
  id: string;
  survivorId: string;
  mergedId: string;
  unmergedAt: string | null;
  moved: Record<string, number>;
}

describe('clients: merging duplicate records', () => {
  let t: TestApp;
  let bhWorker: Staff;
  let supervisor: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    bhWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    supervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhOutpatient);
  });
  afterAll(async () => {
    await t.close();
  });

  const request = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    t.http.request({ method, url, token, body });
  const post = async (clientId: string, path: string, body: unknown) => {
    const res = await request('POST', `${CLIENTS}/${clientId}${path}`, bhWorker.token, body);
    expect(res.statusCode, res.body).toBe(201);
  };
  const merge = (survivorId: string, duplicateId: string, token = supervisor.token) =>
    request('POST', `${CLIENTS}/${survivorId}/merge`, token, {
      duplicateId,
      reason: 'Registered twice at intake',
    });

  /** A survivor with a primary phone, and a duplicate with one of everything. */
  async function pair(familyName: string): Promise<{ survivor: ClientView; duplicate: ClientView }> {
    const survivor = await registerClient(t, bhWorker.token, { givenName: 'Casimir', familyName });
    const duplicate = await registerClient(t, bhWorker.token, {
      givenName: 'Casimir',
      familyName: `${familyName}e`,
    });
    await post(survivor.id, '/phones', { type: 'mobile', number: '608-555-0101', primary: true });
    await post(duplicate.id, '/phones', { type: 'home', number: '608-555-0102', primary: true });
    await post(duplicate.id, '/aliases', { name: `Cas ${familyName}`, type: 'nickname' });
    await post(duplicate.id, '/addresses', {
      type: 'home',
      line1: '3 Birch Ln',
      city: 'Madison',
      state: 'WI',
      postalCode: '53704',
      validFrom: '2025-01-01',
    });
    await post(duplicate.id, '/emails', { address: `${familyName}@example.org`, primary: true });
    await post(duplicate.id, '/contacts', { name: 'Jan Doe', relationship: 'sibling' });
    await post(duplicate.id, '/coverages', {
      payer: 'medicaid',
      memberId: '4100000999',
      priority: 'primary',
      startDate: '2026-01-01',
    });
    await post(duplicate.id, '/enrollments', {
      programId: BH_PROGRAM,
      startDate: '2026-02-01',
      reason: 'Intake',
    });
    return { survivor, duplicate };
  }

  const chartOf = async (id: string) => {
    const res = await request('GET', `${CLIENTS}/${id}/chart`, bhWorker.token);
    expect(res.statusCode, res.body).toBe(200);
    // What a merge and un-merge may legitimately change: the record's version.
    const { client, ...details } = res.json<{ client: Record<string, unknown> } & Record<string, unknown>>();
    const { version: _version, updatedAt: _updatedAt, ...record } = client;
    return { record, details };
  };

  const outbox = async (topic: string) => {
    const rows = await sql<{ payload: unknown }>`
      SELECT payload FROM platform.outbox WHERE topic = ${topic} ORDER BY occurred_at`.execute(t.database.db);
    return rows.rows.map((r) =>
      typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload,
    );
  };

  it('moves everything to the survivor; both ids answer with the survivor', async () => {
    const { survivor, duplicate } = await pair('Wisniewski');
    const res = await merge(survivor.id, duplicate.id);
    expect(res.statusCode, res.body).toBe(201);
    const merged = res.json<Merge>();
    expect(merged).toMatchObject({ survivorId: survivor.id, mergedId: duplicate.id, unmergedAt: null });
    expect(merged.moved).toMatchObject({
      aliases: 1,
      addresses: 1,
      phones: 1,
      emails: 1,
      contacts: 1,
      coverages: 1,
      enrollments: 1,
      care_team: 1,
    });

    const viaDuplicate = await request('GET', `${CLIENTS}/${duplicate.id}`, bhWorker.token);
    expect(viaDuplicate.json()).toMatchObject({ id: survivor.id, status: 'active' });
    const phones = await request('GET', `${CLIENTS}/${duplicate.id}/phones`, bhWorker.token);
    expect(phones.json<{ items: { number: string; primary: boolean }[] }>().items).toEqual([
      expect.objectContaining({ number: '+16085550101', primary: true }),
      expect.objectContaining({ number: '+16085550102', primary: false }),
    ]);
    const chart = await chartOf(survivor.id);
    expect(chart.details).toMatchObject({
      aliases: [expect.objectContaining({ name: 'Cas Wisniewski' })],
      addresses: [expect.objectContaining({ line1: '3 Birch Ln' })],
      enrollments: expect.objectContaining({ items: [expect.objectContaining({ programId: BH_PROGRAM })] }),
    });

    const stored = await sql<{ status: string; merged_into_id: string }>`
      SELECT status, merged_into_id FROM clients.clients WHERE id = ${duplicate.id}`.execute(t.database.db);
    expect(stored.rows).toEqual([{ status: 'merged', merged_into_id: survivor.id }]);
    expect(await outbox('clients.client.merged')).toContainEqual({
      mergeId: merged.id,
      survivorId: survivor.id,
      mergedId: duplicate.id,
      agencyId: survivor.agencyId,
    });

    for (const id of [survivor.id, duplicate.id]) {
      const history = await request('GET', `${CLIENTS}/${id}/merges`, bhWorker.token);
      expect(history.json<{ items: Merge[] }>().items.map((m) => m.id)).toEqual([merged.id]);
    }
    // A merged record is not found by search; its survivor is.
    const found = await request('GET', `${CLIENTS}/search?q=Casimir%20Wisniewskie`, bhWorker.token);
    expect(found.json<{ items: ClientView[] }>().items.map((c) => c.id)).not.toContain(duplicate.id);
  });

  it('is for those with the merge permission who reach both records', async () => {
    const { survivor, duplicate } = await pair('Zielinski');
    expect((await merge(survivor.id, duplicate.id, bhWorker.token)).statusCode).toBe(403);

    const cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    const elsewhere = await registerClient(t, cfsWorker.token, {
      givenName: 'Casimir',
      familyName: 'Zielinsky',
    });
    expect((await merge(survivor.id, elsewhere.id)).statusCode).toBe(403);
    expect((await merge(survivor.id, survivor.id)).statusCode).toBe(400);

    expect((await merge(survivor.id, duplicate.id)).statusCode).toBe(201);
    expect((await merge(survivor.id, duplicate.id)).statusCode).toBe(409);
    expect((await merge(duplicate.id, survivor.id)).statusCode).toBe(409);
  });

  it('un-merges: both records exactly as they were before', async () => {
    const { survivor, duplicate } = await pair('Lewandowski');
    const before = { survivor: await chartOf(survivor.id), duplicate: await chartOf(duplicate.id) };

    const merged = (await merge(survivor.id, duplicate.id)).json<Merge>();
    const undo = await request('POST', `${CLIENTS}/merges/${merged.id}/unmerge`, supervisor.token, {
      reason: 'Different people: cousins',
    });
    expect(undo.statusCode, undo.body).toBe(201);
    expect(undo.json()).toMatchObject({ id: merged.id, unmergeReason: 'Different people: cousins' });
    expect(undo.json<Merge>().unmergedAt).not.toBeNull();

    expect(await chartOf(survivor.id)).toEqual(before.survivor);
    expect(await chartOf(duplicate.id)).toEqual(before.duplicate);
    expect((await request('GET', `${CLIENTS}/${duplicate.id}`, bhWorker.token)).json()).toMatchObject({
      id: duplicate.id,
      status: 'active',
      mergedIntoId: null,
    });
    expect(await outbox('clients.client.unmerged')).toContainEqual(
      expect.objectContaining({ mergeId: merged.id, survivorId: survivor.id, mergedId: duplicate.id }),
    );

    const again = await request('POST', `${CLIENTS}/merges/${merged.id}/unmerge`, supervisor.token, {
      reason: 'Twice',
    });
    expect(again.statusCode).toBe(409);
    // And the records can be merged again later.
    expect((await merge(survivor.id, duplicate.id)).statusCode).toBe(201);
  });

  it('refuses to un-merge once the window has passed', async () => {
    const { survivor, duplicate } = await pair('Kozlowski');
    const merged = (await merge(survivor.id, duplicate.id)).json<Merge>();
    const windowDays = t.config.CLIENT_UNMERGE_WINDOW_DAYS;
    await sql`UPDATE clients.merges SET merged_at = now() - make_interval(days => ${windowDays + 1})
              WHERE id = ${merged.id}`.execute(t.database.db);
    const late = await request('POST', `${CLIENTS}/merges/${merged.id}/unmerge`, supervisor.token, {
      reason: 'Too late',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json<{ type: string }>().type).toMatch(/unmerge-window-passed$/);
    expect((await request('GET', `${CLIENTS}/${duplicate.id}`, bhWorker.token)).json()).toMatchObject({
      id: survivor.id,
    });
  });

  it('lets one of two concurrent merges of the same record through, never both', async () => {
    const a = await registerClient(t, bhWorker.token, { givenName: 'Ada', familyName: 'Jankowska' });
    const b = await registerClient(t, bhWorker.token, { givenName: 'Ada', familyName: 'Jankowski' });
    const c = await registerClient(t, bhWorker.token, { givenName: 'Ada', familyName: 'Jankowsky' });
    const intoDifferent = await Promise.all([merge(a.id, b.id), merge(c.id, b.id)]);
    expect(intoDifferent.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const intoEachOther = await Promise.all([merge(a.id, c.id), merge(c.id, a.id)]);
    expect(intoEachOther.map((r) => r.statusCode).sort()).toEqual([201, 409]);

    const rows = await sql<{ status: string }>`
      SELECT status FROM clients.clients WHERE id IN (${a.id}, ${b.id}, ${c.id})`.execute(t.database.db);
    expect(rows.rows.filter((r) => r.status === 'merged')).toHaveLength(2);
    const open = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM clients.merges WHERE merged_id IN (${a.id}, ${b.id}, ${c.id})`.execute(
      t.database.db,
    );
    expect(open.rows[0]?.n).toBe(2);
  });
});
