import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { BedBoard } from '../../src/modules/scheduling/beds/bed-board.service.js';
import { DEMO_FACILITY_ID } from '../../src/modules/scheduling/beds/beds.seed.js';
import { auditRows, problemType } from '../identity/identity-helpers.js';
import { OTHER_AGENCY, registerClient, staff, type Staff } from '../clients/clients-helpers.js';
import { outboxPayloads } from '../support/outbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  act,
  bedOf,
  board,
  buildFacility,
  FACILITIES,
  schedulingDb,
  type Layout,
} from './bed-board-helpers.js';

const BED_CHANGED = 'scheduling.bed.changed';

describe('bed board', () => {
  let t: TestApp;
  let layout: Layout;
  let scheduler: Staff;
  let caseManager: Staff;
  /** Admits anyone in the agency: beds and clients at agency scope. */
  let charge: string;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp();
    layout = await buildFacility(t, 'Bed Board Test Center');
    scheduler = await staff(t, 'scheduler');
    caseManager = await staff(t, 'case_manager');
    charge = await t.token({
      sub: 'charge-nurse',
      agency: DEMO_AGENCY.id,
      grants: {
        'scheduling.beds.read': 'agency',
        'scheduling.beds.manage': 'agency',
        'clients.clients.read': 'agency',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A client on the BH outpatient team's care team (so the scheduler and case manager see them). */
  const client = async (sexAtBirth = 'female', familyName = `Bedtest${++seq}`) =>
    registerClient(t, caseManager.token, { familyName, givenName: 'Rae', sexAtBirth });

  const openAssignments = (bedId: string) =>
    schedulingDb(t)
      .selectFrom('scheduling.bed_assignments')
      .select([
        'client_id',
        sql<Date>`lower(period)`.as('starts'),
        sql<Date | null>`upper(period)`.as('ends'),
      ])
      .where('bed_id', '=', bedId)
      .where(sql<boolean>`upper_inf(period)`)
      .execute();

  const stateOf = async (bedId: string) =>
    (
      await schedulingDb(t)
        .selectFrom('scheduling.beds')
        .selectAll()
        .where('id', '=', bedId)
        .executeTakeFirstOrThrow()
    ).state;

  it('admits a client to an available bed: the board names them, history and a PHI-free event are recorded', async () => {
    const maria = await client();
    const bedId = layout.beds['C1-A'] ?? '';
    const res = await act(t, scheduler.token, bedId, 'admit', {
      clientId: maria.id,
      reason: 'Crisis walk-in',
    });
    expect(res.statusCode, res.body).toBe(200);

    const bed = await bedOf(t, scheduler.token, layout.facilityId, bedId);
    expect(bed.state).toBe('occupied');
    expect(bed.occupant).toMatchObject({
      clientId: maria.id,
      name: 'Rae ' + maria.familyName,
      nameWithheld: false,
    });

    const history = await t.http.request({
      method: 'GET',
      url: `/api/v1/scheduling/beds/${bedId}/history`,
      token: scheduler.token,
    });
    expect(history.json<{ items: { action: string; toState: string }[] }>().items[0]).toMatchObject({
      action: 'admit',
      toState: 'occupied',
    });
    const events = await outboxPayloads(t, BED_CHANGED);
    const admitted = events.find((e) => e.bedId === bedId && e.action === 'admit');
    expect(Object.keys(admitted ?? {}).sort()).toEqual([
      'action',
      'agencyId',
      'bedId',
      'facilityId',
      'state',
      'version',
    ]);
    expect(admitted).toMatchObject({ facilityId: layout.facilityId, state: 'occupied' });

    // Reading the board is audited as a PHI read of the facility.
    const audit = await auditRows(t, 'scheduling.beds.read');
    expect(
      audit.some((r) => r.resource_type === 'scheduling.facilities' && r.resource_id === layout.facilityId),
    ).toBe(true);

    // Clean up for the tests below.
    await act(t, scheduler.token, bedId, 'discharge', { disposition: 'Home' });
    await act(t, scheduler.token, bedId, 'clean');
  });

  it('never puts two clients in one bed: of concurrent admits to one bed exactly one succeeds', async () => {
    const clients = await Promise.all([client(), client(), client()]);
    const bedId = layout.beds['C1-B'] ?? '';
    const results = await Promise.all(clients.map((c) => act(t, charge, bedId, 'admit', { clientId: c.id })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await openAssignments(bedId)).toHaveLength(1);
    await act(t, charge, bedId, 'discharge', { disposition: 'Home' });
    await act(t, charge, bedId, 'clean');
  });

  it('never puts one client in two beds: of concurrent admits of one client exactly one succeeds', async () => {
    const rae = await client();
    const beds = [layout.beds['D1-A'] ?? '', layout.beds['D1-B'] ?? ''];
    const results = await Promise.all(beds.map((b) => act(t, charge, b, 'admit', { clientId: rae.id })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const refused = results.find((r) => r.statusCode === 409);
    expect(problemType(refused ?? { json: () => ({ type: '' }) })).toMatch(
      /client-already-admitted|bed-state/,
    );
    const occupied = beds.filter((b) => results[beds.indexOf(b)]?.statusCode === 200)[0] ?? '';
    await act(t, charge, occupied, 'discharge', { disposition: 'Home' });
    await act(t, charge, occupied, 'clean');
  });

  it('the database itself refuses overlapping stays in one bed, and one client in two beds', async () => {
    const [a, b] = [await client(), await client()];
    const db = schedulingDb(t);
    const admission = async (clientId: string) => {
      const id = randomUUID();
      await db
        .insertInto('scheduling.admissions')
        .values({
          id,
          agency_id: DEMO_AGENCY.id,
          facility_id: layout.facilityId,
          client_id: clientId,
          admitted_by: 'test',
        })
        .execute();
      return id;
    };
    const stay = (bedId: string, clientId: string, admissionId: string, from: string, to: string) =>
      sql`INSERT INTO scheduling.bed_assignments (id, bed_id, client_id, admission_id, period, started_by)
          VALUES (${randomUUID()}, ${bedId}, ${clientId}, ${admissionId}, tstzrange(${from}::timestamptz, ${to}::timestamptz), 'test')`.execute(
        db,
      );
    const bedA = layout.beds['F1-A'] ?? '';
    const bedB = layout.beds['F1-B'] ?? '';
    const admA = await admission(a.id);
    const admB = await admission(b.id);
    await stay(bedA, a.id, admA, '2020-01-01T00:00Z', '2020-01-05T00:00Z');
    await expect(stay(bedA, b.id, admB, '2020-01-04T00:00Z', '2020-01-06T00:00Z')).rejects.toMatchObject({
      code: '23P01',
    });
    await expect(stay(bedB, a.id, admA, '2020-01-03T00:00Z', '2020-01-04T00:00Z')).rejects.toMatchObject({
      code: '23P01',
    });
    // Back to back is fine: the first stay ends the instant the next begins.
    await stay(bedA, b.id, admB, '2020-01-05T00:00Z', '2020-01-06T00:00Z');
    // And a client has one open admission at a time.
    await expect(admission(a.id)).rejects.toMatchObject({ code: '23505' });
  });

  it('transfers atomically: the stays meet at one instant, the old bed goes to cleaning', async () => {
    const rae = await client();
    const from = layout.beds['C1-A'] ?? '';
    const to = layout.beds['D1-A'] ?? '';
    expect((await act(t, scheduler.token, from, 'admit', { clientId: rae.id })).statusCode).toBe(200);
    const res = await act(t, scheduler.token, from, 'transfer', { toBedId: to, reason: 'Needs detox' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ beds: { id: string; state: string }[] }>().beds.map((b) => [b.id, b.state])).toEqual([
      [from, 'cleaning'],
      [to, 'occupied'],
    ]);
    const stays = await schedulingDb(t)
      .selectFrom('scheduling.bed_assignments')
      .select([
        'bed_id',
        'end_reason',
        sql<string>`lower(period)::text`.as('starts'),
        sql<string | null>`upper(period)::text`.as('ends'),
      ])
      .where('client_id', '=', rae.id)
      .orderBy(sql`lower(period)`)
      .execute();
    expect(stays).toHaveLength(2);
    expect(stays[0]).toMatchObject({ bed_id: from, end_reason: 'transfer' });
    expect(stays[0]?.ends).toBe(stays[1]?.starts);
    expect(stays[1]).toMatchObject({ bed_id: to, ends: null });
    await act(t, scheduler.token, to, 'discharge', { disposition: 'Home' });
    await act(t, scheduler.token, to, 'clean');
    await act(t, scheduler.token, from, 'clean');
  });

  it('a transfer that fails midway leaves the client in the old bed and changes nothing', async () => {
    const rae = await client();
    const other = await client();
    const from = layout.beds['C1-A'] ?? '';
    const taken = layout.beds['C1-B'] ?? '';
    const target = layout.beds['D1-B'] ?? '';
    expect((await act(t, charge, from, 'admit', { clientId: rae.id })).statusCode).toBe(200);
    expect((await act(t, charge, taken, 'admit', { clientId: other.id })).statusCode).toBe(200);
    const before = await bedOf(t, charge, layout.facilityId, from);
    const eventsBefore = (await outboxPayloads(t, BED_CHANGED)).length;
    const historyOf = async () =>
      (
        await schedulingDb(t)
          .selectFrom('scheduling.bed_events')
          .select('id')
          .where('bed_id', 'in', [from, target])
          .execute()
      ).length;
    const historyBefore = await historyOf();

    // The target is occupied: refused before anything is written.
    const occupied = await act(t, charge, from, 'transfer', { toBedId: taken });
    expect(occupied.statusCode).toBe(409);

    // The target looks available, but the database holds a stay in it (as if another transaction
    // had just committed one): the old stay is closed and the old bed set to cleaning, then opening
    // the new stay fails on the exclusion constraint — and all of it rolls back.
    const adm = randomUUID();
    const db = schedulingDb(t);
    const ghost = await client();
    await db
      .insertInto('scheduling.admissions')
      .values({
        id: adm,
        agency_id: DEMO_AGENCY.id,
        facility_id: layout.facilityId,
        client_id: ghost.id,
        admitted_by: 'test',
      })
      .execute();
    await sql`INSERT INTO scheduling.bed_assignments (id, bed_id, client_id, admission_id, period, started_by)
      VALUES (${randomUUID()}, ${target}, ${ghost.id}, ${adm}, tstzrange(now(), NULL), 'test')`.execute(db);
    expect(await stateOf(target)).toBe('available');
    const midway = await act(t, charge, from, 'transfer', { toBedId: target });
    expect(midway.statusCode, midway.body).toBe(409);
    expect(problemType(midway)).toBe('bed-occupied');

    const after = await bedOf(t, charge, layout.facilityId, from);
    expect(after).toEqual(before);
    expect(await stateOf(from)).toBe('occupied');
    expect((await openAssignments(from)).map((a) => a.client_id)).toEqual([rae.id]);
    expect((await outboxPayloads(t, BED_CHANGED)).length).toBe(eventsBefore);
    expect(await historyOf()).toBe(historyBefore);

    await sql`DELETE FROM scheduling.bed_assignments WHERE bed_id = ${target}`.execute(db);
    for (const bed of [from, taken]) {
      await act(t, charge, bed, 'discharge', { disposition: 'Home' });
      await act(t, charge, bed, 'clean');
    }
  });

  it('discharge leaves the bed in cleaning until marked clean; out of service is refused while occupied', async () => {
    const rae = await client();
    const bedId = layout.beds['C1-A'] ?? '';
    expect((await act(t, scheduler.token, bedId, 'admit', { clientId: rae.id })).statusCode).toBe(200);
    const busy = await act(t, scheduler.token, bedId, 'out-of-service', { reason: 'Leak' });
    expect(busy.statusCode).toBe(409);
    expect(problemType(busy)).toBe('bed-state');
    // A second admission of the same client, anywhere, is refused while the first is open.
    expect(
      (await act(t, scheduler.token, layout.beds['D1-A'] ?? '', 'admit', { clientId: rae.id })).statusCode,
    ).toBe(409);

    expect(
      (await act(t, scheduler.token, bedId, 'discharge', { disposition: 'Home with family' })).statusCode,
    ).toBe(200);
    expect((await bedOf(t, scheduler.token, layout.facilityId, bedId)).state).toBe('cleaning');
    expect((await act(t, scheduler.token, bedId, 'admit', { clientId: rae.id })).statusCode).toBe(409);
    const admission = await schedulingDb(t)
      .selectFrom('scheduling.admissions')
      .select(['discharged_at', 'disposition'])
      .where('client_id', '=', rae.id)
      .executeTakeFirstOrThrow();
    expect(admission.disposition).toBe('Home with family');
    expect(admission.discharged_at).not.toBeNull();

    expect((await act(t, scheduler.token, bedId, 'clean')).statusCode).toBe(200);
    expect((await act(t, scheduler.token, bedId, 'out-of-service', { reason: 'Leak' })).statusCode).toBe(200);
    const out = await bedOf(t, scheduler.token, layout.facilityId, bedId);
    expect(out).toMatchObject({ state: 'out_of_service', stateReason: 'Leak' });
    expect((await act(t, scheduler.token, bedId, 'admit', { clientId: rae.id })).statusCode).toBe(409);
    expect((await act(t, scheduler.token, bedId, 'in-service')).statusCode).toBe(200);
    expect((await bedOf(t, scheduler.token, layout.facilityId, bedId)).state).toBe('available');
  });

  it('a hold keeps the bed for its client; an expired hold reads as free at once and the job ends it', async () => {
    const held = await client();
    const other = await client();
    const bedId = layout.beds['D1-A'] ?? '';
    const res = await act(t, scheduler.token, bedId, 'hold', { clientId: held.id, minutes: 30 });
    expect(res.statusCode, res.body).toBe(200);
    const bed = await bedOf(t, scheduler.token, layout.facilityId, bedId);
    expect(bed.state).toBe('held');
    expect(bed.hold).toMatchObject({ clientId: held.id });
    expect(Date.parse(bed.hold?.expiresAt ?? '') - Date.now()).toBeGreaterThan(29 * 60_000);
    expect((await act(t, scheduler.token, bedId, 'admit', { clientId: other.id })).statusCode).toBe(409);
    expect((await act(t, scheduler.token, bedId, 'hold', { clientId: other.id })).statusCode).toBe(409);

    // Time passes: the hold ran out a minute ago and the job has not run yet.
    const db = schedulingDb(t);
    await db
      .updateTable('scheduling.bed_holds')
      .set({ expires_at: sql`now() - interval '1 minute'` })
      .where('bed_id', '=', bedId)
      .where('released_at', 'is', null)
      .execute();
    const expired = await bedOf(t, scheduler.token, layout.facilityId, bedId);
    expect(expired).toMatchObject({ state: 'available', hold: null });

    const eventsBefore = (await outboxPayloads(t, BED_CHANGED)).length;
    expect(await t.app.get(BedBoard).expireDueHolds()).toBe(1);
    expect(await stateOf(bedId)).toBe('available');
    const hold = await db
      .selectFrom('scheduling.bed_holds')
      .selectAll()
      .where('bed_id', '=', bedId)
      .executeTakeFirstOrThrow();
    expect(hold.release_reason).toBe('expired');
    const events = await outboxPayloads(t, BED_CHANGED);
    expect(events.slice(eventsBefore)).toEqual([
      expect.objectContaining({ bedId, action: 'expire', state: 'available' }),
    ]);
    expect(await t.app.get(BedBoard).expireDueHolds()).toBe(0);

    // A hold admitted from: the held client takes the bed and the hold ends as admitted.
    expect((await act(t, scheduler.token, bedId, 'hold', { clientId: held.id })).statusCode).toBe(200);
    expect((await act(t, scheduler.token, bedId, 'admit', { clientId: held.id })).statusCode).toBe(200);
    const reasons = await db
      .selectFrom('scheduling.bed_holds')
      .select('release_reason')
      .where('bed_id', '=', bedId)
      .orderBy('created_at')
      .execute();
    expect(reasons.map((r) => r.release_reason)).toEqual(['expired', 'admitted']);
    await act(t, scheduler.token, bedId, 'discharge', { disposition: 'Home' });
    await act(t, scheduler.token, bedId, 'clean');
  });

  it('a move on a bed whose hold ran out (job not run yet) expires it first, in the same transaction', async () => {
    const held = await client();
    const other = await client();
    const bedId = layout.beds['D1-B'] ?? '';
    expect((await act(t, scheduler.token, bedId, 'hold', { clientId: held.id })).statusCode).toBe(200);
    await schedulingDb(t)
      .updateTable('scheduling.bed_holds')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('bed_id', '=', bedId)
      .where('released_at', 'is', null)
      .execute();
    expect((await act(t, scheduler.token, bedId, 'admit', { clientId: other.id })).statusCode).toBe(200);
    const history = await t.http.request({
      method: 'GET',
      url: `/api/v1/scheduling/beds/${bedId}/history`,
      token: scheduler.token,
    });
    expect(
      history
        .json<{ items: { action: string }[] }>()
        .items.slice(0, 3)
        .map((e) => e.action),
    ).toEqual(['admit', 'expire', 'hold']);
    await act(t, scheduler.token, bedId, 'discharge', { disposition: 'Home' });
    await act(t, scheduler.token, bedId, 'clean');
  });

  it('a hold with the default length lasts BED_HOLD_DEFAULT_MINUTES and can be released', async () => {
    const bedId = layout.beds['C1-B'] ?? '';
    const res = await act(t, scheduler.token, bedId, 'hold', {
      referralId: randomUUID(),
      note: 'Referral from ER',
    });
    expect(res.statusCode, res.body).toBe(200);
    const expiresAt = Date.parse(
      res.json<{ beds: { hold: { expiresAt: string } }[] }>().beds[0]?.hold.expiresAt ?? '',
    );
    expect(Math.round((expiresAt - Date.now()) / 60_000)).toBe(t.config.BED_HOLD_DEFAULT_MINUTES);
    expect((await act(t, scheduler.token, bedId, 'release-hold')).statusCode).toBe(200);
    expect((await bedOf(t, scheduler.token, layout.facilityId, bedId)).state).toBe('available');
    const empty = await act(t, scheduler.token, bedId, 'hold', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(
      'body.clientId',
    );
  });

  it('a gender-restricted room and another level of care are warnings the admitting staff must acknowledge', async () => {
    const sam = await client('male');
    const bedId = layout.beds['F1-A'] ?? '';
    const warned = await act(t, scheduler.token, bedId, 'admit', { clientId: sam.id, levelOfCare: 'detox' });
    expect(warned.statusCode).toBe(409);
    expect(problemType(warned)).toBe('bed-placement-warnings');
    expect(warned.json<{ warnings: { code: string }[] }>().warnings.map((w) => w.code)).toEqual([
      'gender-restriction',
      'level-of-care',
    ]);
    expect(await stateOf(bedId)).toBe('available');
    const ok = await act(t, scheduler.token, bedId, 'admit', {
      clientId: sam.id,
      levelOfCare: 'detox',
      acknowledgeWarnings: true,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ warnings: unknown[] }>().warnings).toHaveLength(2);
    await act(t, scheduler.token, bedId, 'discharge', { disposition: 'Home' });
    await act(t, scheduler.token, bedId, 'clean');
  });

  it('shows an occupied bed with the name withheld to a board reader who may not see that client', async () => {
    const cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    const outsider = await registerClient(t, cfsWorker.token, { familyName: 'Hidden', givenName: 'Ivy' });
    const bedId = layout.beds['D1-A'] ?? '';
    expect((await act(t, charge, bedId, 'admit', { clientId: outsider.id })).statusCode).toBe(200);

    const seen = await bedOf(t, caseManager.token, layout.facilityId, bedId);
    expect(seen.state).toBe('occupied');
    expect(seen.occupant).toMatchObject({ clientId: null, name: null, nameWithheld: true });
    expect(
      JSON.stringify(await board(t, caseManager.token, layout.facilityId).then((b) => [...b.values()])),
    ).not.toContain('Hidden');
    const history = await t.http.request({
      method: 'GET',
      url: `/api/v1/scheduling/beds/${bedId}/history`,
      token: caseManager.token,
    });
    expect(history.body).not.toContain(outsider.id);
    // The charge nurse, whose client grant reaches the agency, sees the name.
    expect((await bedOf(t, charge, layout.facilityId, bedId)).occupant?.name).toBe('Ivy Hidden');
    // A case manager may read the board but not change it; a scheduler may not move a client they cannot reach.
    expect((await act(t, caseManager.token, bedId, 'discharge', { disposition: 'Home' })).statusCode).toBe(
      403,
    );
    expect((await act(t, scheduler.token, bedId, 'discharge', { disposition: 'Home' })).statusCode).toBe(403);
    expect(
      (await act(t, scheduler.token, layout.beds['D1-B'] ?? '', 'admit', { clientId: outsider.id }))
        .statusCode,
    ).toBe(403);
    await act(t, charge, bedId, 'discharge', { disposition: 'Home' });
    await act(t, charge, bedId, 'clean');
  });

  it('scopes facilities by program and agency', async () => {
    const ltc = await buildFacility(t, 'LTC Residence', DEMO_PROGRAM_IDS.ltc);
    const elsewhere = await buildFacility(t, 'Elsewhere Center', DEMO_PROGRAM_IDS.bh, OTHER_AGENCY);
    const get = (url: string, token: string) => t.http.request({ method: 'GET', url, token });
    expect((await get(`${FACILITIES}/${layout.facilityId}/board`, scheduler.token)).statusCode).toBe(200);
    expect((await get(`${FACILITIES}/${ltc.facilityId}/board`, scheduler.token)).statusCode).toBe(403);
    expect((await get(`${FACILITIES}/${elsewhere.facilityId}/board`, scheduler.token)).statusCode).toBe(404);
    expect((await act(t, scheduler.token, elsewhere.beds['C1-A'] ?? '', 'clean')).statusCode).toBe(404);
    expect(
      (await act(t, scheduler.token, ltc.beds['C1-A'] ?? '', 'out-of-service', { reason: 'x' })).statusCode,
    ).toBe(403);
    const list = await get(FACILITIES, scheduler.token);
    const names = list.json<{ items: { name: string }[] }>().items.map((f) => f.name);
    expect(names).toContain('Bed Board Test Center');
    expect(names).not.toContain('LTC Residence');
    expect(names).not.toContain('Elsewhere Center');
    // Only facility managers lay out beds.
    const denied = await t.http.request({
      method: 'POST',
      url: `${FACILITIES}/${layout.facilityId}/units`,
      token: scheduler.token,
      body: { name: 'X', levelOfCare: 'detox' },
    });
    expect(denied.statusCode).toBe(403);
    // A transfer stays within the facility.
    const cross = await act(t, charge, layout.beds['C1-A'] ?? '', 'transfer', { toBedId: ltc.beds['C1-A'] });
    expect(cross.statusCode).toBe(400);
  });

  it('refuses bad input with field names', async () => {
    const bad = await act(t, scheduler.token, layout.beds['C1-A'] ?? '', 'admit', {
      clientId: 'nope',
      extra: 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('body.clientId');
    const census = await t.http.request({
      method: 'GET',
      url: `${FACILITIES}/${layout.facilityId}/census?from=2026-03-10&to=2026-03-01`,
      token: scheduler.token,
    });
    expect(census.statusCode).toBe(400);
    expect(census.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('query.to');
  });

  it('counts census and occupancy by unit and agency day', async () => {
    const census = await buildFacility(t, 'Census Center');
    const [a, b] = [await client(), await client()];
    await act(t, charge, census.beds['C1-A'] ?? '', 'admit', { clientId: a.id });
    await act(t, charge, census.beds['D1-A'] ?? '', 'admit', { clientId: b.id });
    await act(t, charge, census.beds['D1-A'] ?? '', 'discharge', { disposition: 'Home' });
    await act(t, charge, census.beds['C1-B'] ?? '', 'out-of-service', { reason: 'Repair' });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: t.config.AGENCY_TIME_ZONE }).format(
      new Date(),
    );
    const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: t.config.AGENCY_TIME_ZONE }).format(
      new Date(Date.now() - 86_400_000),
    );
    const res = await t.http.request({
      method: 'GET',
      url: `${FACILITIES}/${census.facilityId}/census?from=${yesterday}&to=${today}`,
      token: scheduler.token,
    });
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json<{ days: { date: string; unitName: string }[] }>().days;
    const row = (date: string, unit: string) => days.find((d) => d.date === date && d.unitName === unit);
    expect(row(today, 'Crisis')).toMatchObject({
      bedsInService: 3,
      occupied: 1,
      occupancyPercent: 33.3,
      admissions: 1,
      discharges: 0,
    });
    expect(row(today, 'Detox')).toMatchObject({
      bedsInService: 2,
      occupied: 0,
      occupancyPercent: 0,
      admissions: 1,
      discharges: 1,
    });
    // Beds added today did not exist yesterday.
    expect(row(yesterday, 'Crisis')).toMatchObject({ bedsInService: 0, occupied: 0, occupancyPercent: null });
  });
});

describe('bed board background work and demo data', () => {
  it('the expiry job started at start-up frees a bed whose hold ran out, on its own', async () => {
    const t = await startTestApp({ BED_HOLD_EXPIRY_INTERVAL_SECONDS: '1' });
    try {
      const layout = await buildFacility(t, 'Expiry Center');
      const scheduler = await staff(t, 'scheduler');
      const bedId = layout.beds['C1-A'] ?? '';
      expect((await act(t, scheduler.token, bedId, 'hold', { referralId: randomUUID() })).statusCode).toBe(
        200,
      );
      await schedulingDb(t)
        .updateTable('scheduling.bed_holds')
        .set({ expires_at: sql`now() - interval '1 second'` })
        .where('bed_id', '=', bedId)
        .execute();
      const deadline = Date.now() + 10_000;
      let state = 'held';
      while (state !== 'available' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        state = (
          await schedulingDb(t)
            .selectFrom('scheduling.beds')
            .select('state')
            .where('id', '=', bedId)
            .executeTakeFirstOrThrow()
        ).state;
      }
      expect(state).toBe('available');
    } finally {
      await t.close();
    }
  });

  it('seeds the demo Crisis Stabilization Center with beds in every state but held', async () => {
    const t = await startTestApp();
    try {
      const supervisor = await staff(t, 'supervisor');
      const beds = [...(await board(t, supervisor.token, DEMO_FACILITY_ID)).values()];
      expect(beds).toHaveLength(8);
      const byName = Object.fromEntries(beds.map((b) => [`${b.roomName} ${b.label}`, b]));
      expect(byName['N-101 A']?.occupant?.name).toBe('Maria Hernandez');
      expect(byName['S-201 A']?.occupant?.name).toBe('James Thompson');
      expect(byName['N-102 A']?.state).toBe('cleaning');
      expect(byName['S-202 A']).toMatchObject({ state: 'out_of_service', stateReason: 'Bed frame repair' });
      expect(beds.filter((b) => b.state === 'available')).toHaveLength(4);
    } finally {
      await t.close();
    }
  });
});
