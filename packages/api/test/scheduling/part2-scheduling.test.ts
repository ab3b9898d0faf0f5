import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PART2_REDISCLOSURE_NOTICE } from '../../src/modules/clients/part2.js';
import type { AuditTables } from '../../src/platform/audit/audit.schema.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { DEMO_APPOINTMENT_TYPES } from '../../src/modules/scheduling/appointments/appointments.seed.js';
import {
  BH_PROGRAM,
  CFS_PROGRAM,
  registerClient,
  staff,
  type ClientView,
  type Staff,
} from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { created, problemType, SCHEDULING, type Appointment } from './appointments-helpers.js';
import { act, BEDS, board, buildFacility, FACILITIES, type Bed, type Layout } from './bed-board-helpers.js';

const APPOINTMENTS = `${SCHEDULING}/appointments`;
const CASE_MANAGEMENT = DEMO_APPOINTMENT_TYPES[2];
const NOTICE_HEADER = 'x-redisclosure-notice';

interface AppointmentList {
  items: (Appointment & { part2: boolean })[];
  withheld: number;
  redisclosureNotice: string | null;
}

type AppointmentDetail = Appointment & { part2: boolean; redisclosureNotice: string | null };
type PartTwoBed = Bed & { part2: boolean; redisclosureNotice?: string | null };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The client is in child and family services (CFS) and in substance use treatment in the BH
 * program, which is a 42 CFR Part 2 program for them (a Part 2 enrolment). Their appointments on
 * BH resources, and their stay in a BH facility, are Part 2 information: withheld from a CFS
 * scheduler whose scope reaches the client, shown (with the redisclosure notice) to BH staff, to
 * someone a Part 2 consent names, and under break-the-glass.
 */
describe('42 CFR Part 2 in scheduling: appointments and the bed board', () => {
  let t: TestApp;
  let base: string;
  let client: ClientView;
  let cfsScheduler: Staff;
  let bhScheduler: Staff;
  let bhSupervisor: Staff;
  let manager: string;
  let bhRoom: string;
  let cfsRoom: string;
  let sud: AppointmentDetail;
  let ordinary: AppointmentDetail;
  /** Every statement the app sends (to count what a calendar costs). */
  const statements: string[] = [];
  const date = day(40);
  const from = `${date}T00:00:00.000Z`;
  const to = `${day(41)}T12:00:00.000Z`;

  beforeAll(async () => {
    t = await startTestApp({}, { database: { onQuery: (text) => statements.push(text) } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    cfsScheduler = await staff(t, 'scheduler', DEMO_TEAM_IDS.cfs);
    bhScheduler = await staff(t, 'scheduler', DEMO_TEAM_IDS.bhOutpatient);
    bhSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.bhCrisis, { programIds: [BH_PROGRAM] });
    manager = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'scheduling.resources.read': 'agency', 'scheduling.resources.manage': 'agency' },
    });
    client = await registerClient(t, cfsWorker.token, { givenName: 'Rosa', familyName: 'Parttwo' });
    for (const [programId, part2] of [
      [CFS_PROGRAM, false],
      [BH_PROGRAM, true],
    ] as const) {
      await created(t, cfsWorker.token, `/api/v1/clients/${client.id}/enrollments`, {
        programId,
        startDate: day(-60),
        reason: 'Referral',
        part2,
      });
    }
    bhRoom = (
      await created<{ id: string }>(t, manager, `${SCHEDULING}/resources`, {
        kind: 'room',
        name: 'SUD counselling room',
        programId: BH_PROGRAM,
      })
    ).id;
    cfsRoom = (
      await created<{ id: string }>(t, manager, `${SCHEDULING}/resources`, {
        kind: 'room',
        name: 'Family room',
        programId: CFS_PROGRAM,
      })
    ).id;
    sud = await book(bhScheduler, bhRoom, `${date}T15:00:00.000Z`, 'Methadone dose review');
    ordinary = await book(cfsScheduler, cfsRoom, `${date}T17:00:00.000Z`, 'School meeting');
  });
  afterAll(async () => {
    (t.app.getHttpServer() as import('node:http').Server).closeAllConnections();
    await t.close();
  });

  const get = (token: string, url: string) => t.http.request({ method: 'GET', url, token });
  const post = (token: string, url: string, body: unknown = {}) =>
    t.http.request({ method: 'POST', url, token, body });

  async function book(who: Staff, resourceId: string, startsAt: string, notes: string) {
    const res = await post(who.token, APPOINTMENTS, {
      clientId: client.id,
      appointmentTypeId: CASE_MANAGEMENT.id,
      resourceIds: [resourceId],
      startsAt,
      notes,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<AppointmentDetail>();
  }

  async function list(token: string, query: string) {
    const res = await get(token, `${APPOINTMENTS}?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json<AppointmentList>(), header: res.headers[NOTICE_HEADER] };
  }

  const calendar = (token: string) => list(token, `from=${from}&to=${to}`);
  const frontDesk = (token: string) => list(token, `date=${date}&status=booked,checked_in`);
  const clientList = (token: string) => list(token, `clientId=${client.id}`);
  const item = (body: AppointmentList, id: string) => body.items.find((a) => a.id === id);

  async function grantConsent(recipientId: string) {
    const res = await post(bhSupervisor.token, `/api/v1/clients/${client.id}/consents`, {
      kind: 'part2',
      recipient: { type: 'user', id: recipientId },
      purposes: ['TREAT'],
      categories: ['substance_use'],
      disclosingProgramId: BH_PROGRAM,
      effectiveFrom: day(-1),
      expiresOn: day(300),
      signedOn: day(-1),
      signedBy: { name: 'Rosa Parttwo', relationship: 'self' },
    });
    expect(res.statusCode, res.body).toBe(201);
  }

  describe('appointments', () => {
    it('books a Part 2 appointment for the program’s own scheduler, with the redisclosure notice', () => {
      expect(sud).toMatchObject({
        clientId: client.id,
        clientName: 'Rosa Parttwo',
        part2: true,
        redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
      });
      expect(ordinary).toMatchObject({ clientId: client.id, part2: false, redisclosureNotice: null });
    });

    it('withholds it from a scheduler of another program whose scope reaches the client, in every list', async () => {
      for (const { body, header } of [
        await calendar(cfsScheduler.token),
        await frontDesk(cfsScheduler.token),
        await clientList(cfsScheduler.token),
        await list(cfsScheduler.token, `resourceId=${bhRoom}&from=${from}&to=${to}`),
      ]) {
        expect(item(body, sud.id)).toMatchObject({
          clientId: null,
          clientName: null,
          clientWithheld: true,
          part2: false,
          notes: null,
          startsAt: sud.startsAt,
          appointmentTypeId: CASE_MANAGEMENT.id,
          resources: [expect.objectContaining({ resourceId: bhRoom })],
        });
        expect(body.withheld).toBeGreaterThanOrEqual(1);
        expect(body.redisclosureNotice).toBeNull();
        expect(header).toBeUndefined();
        expect(JSON.stringify(body)).not.toContain('Methadone');
      }
      // The same client's appointment in the scheduler's own program is named as before.
      const { body } = await clientList(cfsScheduler.token);
      expect(item(body, ordinary.id)).toMatchObject({ clientName: 'Rosa Parttwo', notes: 'School meeting' });
      expect(body.withheld).toBe(1);
    });

    it('answers 403 part2-consent-required by id and to every change', async () => {
      const byId = await get(cfsScheduler.token, `${APPOINTMENTS}/${sud.id}`);
      expect(byId.statusCode).toBe(403);
      expect(problemType(byId)).toBe('part2-consent-required');
      expect(byId.body).not.toContain('Methadone');
      const plain = await get(cfsScheduler.token, `${APPOINTMENTS}/${ordinary.id}`);
      expect(plain.statusCode).toBe(200);
      expect(plain.json()).toMatchObject({ part2: false, redisclosureNotice: null });
      expect(plain.headers[NOTICE_HEADER]).toBeUndefined();

      for (const res of [
        await post(cfsScheduler.token, `${APPOINTMENTS}/${sud.id}/check-in`),
        await post(cfsScheduler.token, `${APPOINTMENTS}/${sud.id}/cancel`, { reason: 'Client called' }),
        await post(cfsScheduler.token, `${APPOINTMENTS}/${sud.id}/reschedule`, {
          startsAt: `${date}T19:00:00.000Z`,
        }),
        await t.http.request({
          method: 'PATCH',
          url: `${APPOINTMENTS}/${sud.id}`,
          token: cfsScheduler.token,
          headers: { 'if-match': `"${sud.version}"` },
          body: { notes: 'Changed' },
        }),
        // Booking the client at the Part 2 program, or moving their other appointment there.
        await post(cfsScheduler.token, APPOINTMENTS, {
          clientId: client.id,
          appointmentTypeId: CASE_MANAGEMENT.id,
          resourceIds: [bhRoom],
          startsAt: `${date}T20:00:00.000Z`,
        }),
        await post(cfsScheduler.token, `${APPOINTMENTS}/${ordinary.id}/reschedule`, {
          startsAt: `${date}T21:00:00.000Z`,
          resourceIds: [bhRoom],
        }),
      ]) {
        expect(res.statusCode, res.body).toBe(403);
        expect(problemType(res)).toBe('part2-consent-required');
      }
      const unchanged = await get(bhScheduler.token, `${APPOINTMENTS}/${sud.id}`);
      expect(unchanged.json()).toMatchObject({ status: 'booked', notes: 'Methadone dose review' });
      const stillThere = await get(cfsScheduler.token, `${APPOINTMENTS}/${ordinary.id}`);
      expect(stillThere.json()).toMatchObject({ status: 'booked', resources: [{ resourceId: cfsRoom }] });
    });

    it('shows it to the program’s staff, named, with the notice in lists, by id and on check-in', async () => {
      for (const { body, header } of [
        await calendar(bhScheduler.token),
        await frontDesk(bhScheduler.token),
        await clientList(bhScheduler.token),
      ]) {
        expect(item(body, sud.id)).toMatchObject({
          clientId: client.id,
          clientName: 'Rosa Parttwo',
          clientWithheld: false,
          part2: true,
          notes: 'Methadone dose review',
        });
        expect(body.redisclosureNotice).toBe(PART2_REDISCLOSURE_NOTICE);
        expect(header).toBe('42-CFR-2.32');
      }
      const byId = await get(bhScheduler.token, `${APPOINTMENTS}/${sud.id}`);
      expect(byId.statusCode).toBe(200);
      expect(byId.json()).toMatchObject({ part2: true, redisclosureNotice: PART2_REDISCLOSURE_NOTICE });
      expect(byId.headers[NOTICE_HEADER]).toBe('42-CFR-2.32');

      const checkIn = await post(bhScheduler.token, `${APPOINTMENTS}/${sud.id}/check-in`);
      expect(checkIn.statusCode, checkIn.body).toBe(200);
      expect(checkIn.json()).toMatchObject({
        status: 'checked_in',
        redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
      });
      expect(checkIn.headers[NOTICE_HEADER]).toBe('42-CFR-2.32');
    });

    it('shows it to someone a Part 2 consent of the client names', async () => {
      const consentee = await staff(t, 'scheduler', DEMO_TEAM_IDS.cfs);
      expect((await get(consentee.token, `${APPOINTMENTS}/${sud.id}`)).statusCode).toBe(403);
      await grantConsent(consentee.id);

      const { body, header } = await calendar(consentee.token);
      expect(item(body, sud.id)).toMatchObject({ clientName: 'Rosa Parttwo', part2: true });
      expect(body.redisclosureNotice).toBe(PART2_REDISCLOSURE_NOTICE);
      expect(header).toBe('42-CFR-2.32');
      const byId = await get(consentee.token, `${APPOINTMENTS}/${sud.id}`);
      expect(byId.statusCode).toBe(200);
      expect(byId.json()).toMatchObject({ redisclosureNotice: PART2_REDISCLOSURE_NOTICE });
      // The consent names that user only.
      expect((await get(cfsScheduler.token, `${APPOINTMENTS}/${sud.id}`)).statusCode).toBe(403);
    });

    it('shows it under break-the-glass, and the audit row says so', async () => {
      const outsider = await staff(t, 'case_manager', DEMO_TEAM_IDS.ltc);
      const before = await get(outsider.token, `${APPOINTMENTS}/${sud.id}`);
      expect(before.statusCode).toBe(403);
      expect(problemType(before)).not.toBe('part2-consent-required');
      const reason = 'Client collapsed in the lobby; need to know who is treating them today.';
      const glass = await post(outsider.token, `/api/v1/clients/${client.id}/break-glass`, { reason });
      expect(glass.statusCode, glass.body).toBe(201);

      const byId = await get(outsider.token, `${APPOINTMENTS}/${sud.id}`);
      expect(byId.statusCode).toBe(200);
      expect(byId.json()).toMatchObject({
        clientName: 'Rosa Parttwo',
        redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
      });
      const { body } = await clientList(outsider.token);
      expect(item(body, sud.id)).toMatchObject({ clientName: 'Rosa Parttwo', part2: true });
      expect(body.withheld).toBe(0);
      expect(body.redisclosureNotice).toBe(PART2_REDISCLOSURE_NOTICE);

      const rows = await t.database.db
        .withTables<AuditTables>()
        .selectFrom('audit.audit_logs')
        .select(['reason'])
        .where('actor_id', '=', outsider.id)
        .execute();
      expect(rows.map((r) => r.reason)).toContain(`break-the-glass: ${reason}`);
    });
  });

  it('decides a whole calendar in a fixed number of queries, however many Part 2 clients it shows', async () => {
    /** Statements on the clients' records, enrolments, consents and grants that one request sends. */
    const clientQueries = async (request: () => Promise<unknown>) => {
      const start = statements.length;
      await request();
      return statements
        .slice(start)
        .filter((q) => /"clients"\."(clients|enrollments|consents|break_glass)"/.test(q)).length;
    };
    const one = await clientQueries(() => calendar(cfsScheduler.token));
    const cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    for (const [n, hour] of [
      [1, 13],
      [2, 14],
      [3, 16],
    ] as const) {
      const other = await registerClient(t, cfsWorker.token, { givenName: `Sam${n}`, familyName: 'Moretwo' });
      for (const [programId, part2] of [
        [CFS_PROGRAM, false],
        [BH_PROGRAM, true],
      ] as const) {
        await created(t, cfsWorker.token, `/api/v1/clients/${other.id}/enrollments`, {
          programId,
          startDate: day(-10),
          reason: 'Referral',
          part2,
        });
      }
      const res = await post(bhScheduler.token, APPOINTMENTS, {
        clientId: other.id,
        appointmentTypeId: CASE_MANAGEMENT.id,
        resourceIds: [bhRoom],
        startsAt: `${date}T${hour}:00:00.000Z`,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const { body } = await calendar(cfsScheduler.token);
    expect(body.items.filter((a) => a.clientWithheld && a.resources[0]?.resourceId === bhRoom)).toHaveLength(
      4,
    );
    const four = await clientQueries(() => calendar(cfsScheduler.token));
    expect(four).toBe(one);
    // Scope (one), Part 2 enrolments (one), consents and break-the-glass grants (one each).
    expect(four).toBe(4);
  });

  describe('bed board', () => {
    let layout: Layout;
    let outsideReader: string;
    let outsideManager: string;

    beforeAll(async () => {
      layout = await buildFacility(t, 'Recovery House', BH_PROGRAM);
      // Board and client reads agency-wide, but staff of CFS, not of the Part 2 program.
      outsideReader = await t.token({
        sub: randomUUID(),
        agency: DEMO_AGENCY.id,
        programs: [CFS_PROGRAM],
        grants: { 'scheduling.beds.read': 'agency', 'clients.clients.read': 'agency' },
      });
      outsideManager = await t.token({
        sub: randomUUID(),
        agency: DEMO_AGENCY.id,
        programs: [CFS_PROGRAM],
        grants: {
          'scheduling.beds.read': 'agency',
          'scheduling.beds.manage': 'agency',
          'clients.clients.read': 'agency',
        },
      });
    });

    const boardOf = async (token: string) => {
      const res = await get(token, `${FACILITIES}/${layout.facilityId}/board`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ units: { beds: PartTwoBed[] }[]; redisclosureNotice: string | null }>();
      return {
        beds: new Map(body.units.flatMap((u) => u.beds).map((b) => [b.id, b])),
        notice: body.redisclosureNotice,
        header: res.headers[NOTICE_HEADER],
      };
    };

    it('shows an occupied or held bed of the Part 2 program without the client to a reader who may not see it', async () => {
      const occupied = layout.beds['C1-A'] ?? '';
      const held = layout.beds['C1-B'] ?? '';
      const admit = await act(t, bhSupervisor.token, occupied, 'admit', { clientId: client.id });
      expect(admit.statusCode, admit.body).toBe(200);
      expect(admit.json()).toMatchObject({ redisclosureNotice: PART2_REDISCLOSURE_NOTICE });
      expect(admit.headers[NOTICE_HEADER]).toBe('42-CFR-2.32');
      const other = await registerClient(t, bhSupervisor.token, {
        givenName: 'Olga',
        familyName: 'Holdover',
      });
      const hold = await act(t, bhSupervisor.token, held, 'hold', { clientId: client.id, minutes: 60 });
      expect(hold.statusCode, hold.body).toBe(200);

      const outside = await boardOf(outsideReader);
      expect(outside.beds.get(occupied)).toMatchObject({
        state: 'occupied',
        part2: false,
        occupant: { clientId: null, name: null, nameWithheld: true },
      });
      expect(outside.beds.get(held)).toMatchObject({
        state: 'held',
        hold: { clientId: null, name: null, nameWithheld: true },
      });
      expect(outside.notice).toBeNull();
      expect(outside.header).toBeUndefined();
      const text = JSON.stringify([...outside.beds.values()]);
      expect(text).not.toContain('Parttwo');
      expect(text).not.toContain(client.id);
      const history = await get(outsideReader, `${BEDS}/${occupied}/history`);
      expect(history.statusCode).toBe(200);
      expect(history.body).not.toContain(client.id);
      expect(history.json()).toMatchObject({ redisclosureNotice: null });

      // A client of the same facility who is not in Part 2 treatment there is named as before.
      const plainBed = layout.beds['D1-A'] ?? '';
      expect((await act(t, bhSupervisor.token, plainBed, 'admit', { clientId: other.id })).statusCode).toBe(
        200,
      );
      expect((await boardOf(outsideReader)).beds.get(plainBed)?.occupant).toMatchObject({
        name: 'Olga Holdover',
        nameWithheld: false,
      });

      const inside = await boardOf(bhSupervisor.token);
      expect(inside.beds.get(occupied)).toMatchObject({
        part2: true,
        occupant: { clientId: client.id, name: 'Rosa Parttwo', nameWithheld: false },
      });
      expect(inside.beds.get(held)).toMatchObject({ part2: true, hold: { name: 'Rosa Parttwo' } });
      expect(inside.beds.get(plainBed)).toMatchObject({ part2: false });
      expect(inside.notice).toBe(PART2_REDISCLOSURE_NOTICE);
      expect(inside.header).toBe('42-CFR-2.32');
      const insideHistory = await get(bhSupervisor.token, `${BEDS}/${occupied}/history`);
      expect(insideHistory.body).toContain(client.id);
      expect(insideHistory.json()).toMatchObject({ redisclosureNotice: PART2_REDISCLOSURE_NOTICE });

      // Someone who may not see the stay may not move the client either.
      const move = await act(t, outsideManager, occupied, 'discharge', { disposition: 'Home' });
      expect(move.statusCode).toBe(403);
      expect(problemType(move)).toBe('part2-consent-required');
      expect((await act(t, bhSupervisor.token, held, 'release-hold')).statusCode).toBe(200);
    });

    it('names the client to a reader a Part 2 consent names', async () => {
      const consentee = randomUUID();
      const token = await t.token({
        sub: consentee,
        agency: DEMO_AGENCY.id,
        programs: [CFS_PROGRAM],
        grants: { 'scheduling.beds.read': 'agency', 'clients.clients.read': 'agency' },
      });
      await grantConsent(consentee);
      const seen = await boardOf(token);
      expect(seen.beds.get(layout.beds['C1-A'] ?? '')?.occupant).toMatchObject({ name: 'Rosa Parttwo' });
      expect(seen.notice).toBe(PART2_REDISCLOSURE_NOTICE);
    });

    it('keeps naming a bed’s occupant after their record is merged into another', async () => {
      const cfsLayout = await buildFacility(t, 'Family Shelter', CFS_PROGRAM);
      const cfsSupervisor = await staff(t, 'supervisor', DEMO_TEAM_IDS.cfs);
      const survivor = await registerClient(t, cfsSupervisor.token, {
        givenName: 'Mara',
        familyName: 'Merged',
      });
      const duplicate = await registerClient(t, cfsSupervisor.token, {
        givenName: 'Marah',
        familyName: 'Merged',
      });
      const bedId = cfsLayout.beds['C1-A'] ?? '';
      expect((await act(t, cfsSupervisor.token, bedId, 'admit', { clientId: duplicate.id })).statusCode).toBe(
        200,
      );
      const merge = await post(cfsSupervisor.token, `/api/v1/clients/${survivor.id}/merge`, {
        duplicateId: duplicate.id,
        reason: 'Registered twice at intake',
      });
      expect(merge.statusCode, merge.body).toBe(201);
      const seen = (await board(t, outsideReader, cfsLayout.facilityId)).get(bedId);
      // The bed still records the merged-away id; the name is the survivor's.
      expect(seen?.occupant).toMatchObject({
        clientId: duplicate.id,
        name: 'Mara Merged',
        nameWithheld: false,
      });
    });

    it('streams the bed to each watcher as they may see it: no client for one who may not see the stay', async () => {
      const outside = await watch(outsideReader);
      const inside = await watch(bhSupervisor.token);
      await until(() => expect(outside.events.map((e) => e.event)).toContain('ready'));
      await until(() => expect(inside.events.map((e) => e.event)).toContain('ready'));

      const bedId = layout.beds['F1-A'] ?? '';
      const hold = await act(t, bhSupervisor.token, bedId, 'hold', { clientId: client.id, minutes: 30 });
      expect(hold.statusCode, hold.body).toBe(200);
      await until(() => expect(beds(inside).map((b) => b.id)).toContain(bedId));
      await until(() => expect(beds(outside).map((b) => b.id)).toContain(bedId));
      expect(beds(inside).find((b) => b.id === bedId)).toMatchObject({
        state: 'held',
        part2: true,
        hold: { clientId: client.id, name: 'Rosa Parttwo' },
        redisclosureNotice: PART2_REDISCLOSURE_NOTICE,
      });
      expect(beds(outside).find((b) => b.id === bedId)).toMatchObject({
        state: 'held',
        part2: false,
        hold: { clientId: null, name: null, nameWithheld: true },
        redisclosureNotice: null,
      });
      expect(JSON.stringify(outside.events)).not.toContain('Parttwo');
      expect(JSON.stringify(outside.events)).not.toContain(client.id);
      outside.close();
      inside.close();
    });

    interface Watch {
      events: { event: string; data: string }[];
      close(): void;
    }

    async function watch(token: string): Promise<Watch> {
      const abort = new AbortController();
      const res = await fetch(`${base}${FACILITIES}/${layout.facilityId}/board/stream`, {
        headers: { authorization: `Bearer ${token}` },
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      const events: Watch['events'] = [];
      if (res.body) {
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        void (async () => {
          let buffer = '';
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return;
              buffer += value;
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, end).split('\n');
                buffer = buffer.slice(end + 2);
                const field = (name: string) =>
                  block.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
                const event = field('event');
                if (event) events.push({ event, data: field('data') ?? '' });
              }
            }
          } catch {
            // aborted
          }
        })();
      }
      return { events, close: () => abort.abort() };
    }

    const beds = (w: Watch) =>
      w.events.filter((e) => e.event === 'bed').map((e) => JSON.parse(e.data) as PartTwoBed);
  });
});

async function until(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
