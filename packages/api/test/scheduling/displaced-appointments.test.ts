import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../../src/modules/clients/demo.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS, DEMO_USERS } from '../../src/modules/identity/demo.js';
import { DEMO_APPOINTMENT_TYPES } from '../../src/modules/scheduling/appointments/appointments.seed.js';
import type { AuditTables } from '../../src/platform/audit/audit.schema.js';
import { BH_PROGRAM, CFS_PROGRAM, registerClient, staff } from '../clients/clients-helpers.js';
import { AppointmentsRepository } from '../../src/modules/scheduling/appointments/appointments.repository.js';
import { ResourcesRepository } from '../../src/modules/scheduling/appointments/resources.repository.js';
import { SchedulingDatabase, type SchedulingDb } from '../../src/modules/scheduling/scheduling.database.js';
import { outboxPayloads } from '../support/outbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { created, problemType, SCHEDULING, type Appointment } from './appointments-helpers.js';

const EXCEPTIONS = `${SCHEDULING}/exceptions`;
const WORKLIST = `${SCHEDULING}/displaced-appointments`;
const DISPLACED = 'scheduling.appointment.displaced';
const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000a7';
const client = DEMO_CLIENTS[0];
const CASE_MANAGEMENT = DEMO_APPOINTMENT_TYPES[2];
if (!client) throw new Error('demo clients missing');

interface Displaced {
  appointment: Appointment;
  exceptions: { exceptionId: string; kind: string; resourceId: string | null; startsAt: string }[];
}

interface ExceptionChange {
  id: string;
  resourceId: string | null;
  startsAt: string;
  endsAt: string;
  kind: string;
  version: number;
  affectedCount: number;
  affectedAppointments: Displaced[];
}

interface DisplacedEvent {
  appointmentId: string;
  exceptionId: string;
  exceptionKind: string;
}

describe('leave, holidays and closures over booked appointments', () => {
  let t: TestApp;
  /** Manages every resource and the agency's closures; may not see appointments (an agency admin). */
  let admin: string;
  /** Books for the outpatient team and manages resources. */
  let scheduler: string;
  const schedulerId = DEMO_USERS.find((u) => u.role === 'scheduler')?.id ?? randomUUID();
  /** Reads appointments of another team only. */
  let otherTeam: string;
  const otherTeamId = randomUUID();

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'scheduling.resources.read': 'agency', 'scheduling.resources.manage': 'agency' },
    });
    scheduler = await t.token({
      sub: schedulerId,
      agency: DEMO_AGENCY.id,
      teams: [DEMO_TEAM_IDS.bhOutpatient],
      grants: {
        'scheduling.appointments.read': 'team',
        'scheduling.appointments.write': 'team',
        'scheduling.resources.read': 'agency',
        'scheduling.resources.manage': 'agency',
      },
    });
    otherTeam = await t.token({
      sub: otherTeamId,
      agency: DEMO_AGENCY.id,
      teams: [DEMO_TEAM_IDS.ltc],
      grants: { 'scheduling.appointments.read': 'team', 'scheduling.resources.read': 'agency' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const room = async (name: string) =>
    (await created<{ id: string }>(t, admin, `${SCHEDULING}/resources`, { kind: 'room', name })).id;

  const book = (startsAt: string, resourceIds: string[]) =>
    created<Appointment>(t, scheduler, `${SCHEDULING}/appointments`, {
      clientId: client.id,
      appointmentTypeId: CASE_MANAGEMENT.id,
      startsAt,
      resourceIds,
    });

  const addException = (token: string, body: Record<string, unknown>) =>
    t.http.request({ method: 'POST', url: EXCEPTIONS, token, body });

  const worklist = async (query: string, token = scheduler) => {
    const res = await t.http.request({ method: 'GET', url: `${WORKLIST}?${query}`, token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ timeZone: string; items: Displaced[]; nextCursor: string | null }>();
  };

  const displacedEvents = async (exceptionId: string) =>
    (await outboxPayloads<DisplacedEvent>(t, DISPLACED)).filter((e) => e.exceptionId === exceptionId);

  it('leave over a booked appointment answers 409 listing it, and adds nothing', async () => {
    const roomId = await room('Leave room');
    const a = await book('2027-02-01T15:00:00Z', [roomId]);
    const before = (await outboxPayloads(t, DISPLACED)).length;

    const res = await addException(scheduler, {
      resourceId: roomId,
      startsAt: '2027-02-01T14:00:00Z',
      endsAt: '2027-02-01T18:00:00Z',
      kind: 'leave',
      reason: 'Training',
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(problemType(res)).toBe('appointments-affected');
    const problem = res.json<{ affectedCount: number; appointments: Appointment[] }>();
    expect(problem.affectedCount).toBe(1);
    // The scheduler may see the client: named, as on their calendar.
    expect(problem.appointments).toEqual([
      expect.objectContaining({
        id: a.id,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        status: 'booked',
        clientId: client.id,
        clientName: `${client.givenName} ${client.familyName}`,
        clientWithheld: false,
      }),
    ]);

    // Nothing was added and nothing announced; the room still takes bookings that day.
    const list = await t.http.request({
      method: 'GET',
      url: `${EXCEPTIONS}?resourceId=${roomId}&from=2027-02-01T00:00:00Z&to=2027-02-02T00:00:00Z`,
      token: scheduler,
    });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    expect(await outboxPayloads(t, DISPLACED)).toHaveLength(before);
    await book('2027-02-01T16:00:00Z', [roomId]);
  });

  it('acknowledged, the leave is added, bookings stay booked and each is announced once and listed to work', async () => {
    const roomId = await room('Acknowledged room');
    const first = await book('2027-02-02T15:00:00Z', [roomId]);
    const second = await book('2027-02-02T16:00:00Z', [roomId]);
    const outside = await book('2027-02-02T19:00:00Z', [roomId]);
    const checkedIn = await book('2027-02-02T17:00:00Z', [roomId]);
    const arrived = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments/${checkedIn.id}/check-in`,
      token: scheduler,
    });
    expect(arrived.statusCode, arrived.body).toBe(200);

    const res = await addException(scheduler, {
      resourceId: roomId,
      startsAt: '2027-02-02T14:00:00Z',
      endsAt: '2027-02-02T18:00:00Z',
      kind: 'leave',
      reason: 'Sick',
      acknowledgeConflicts: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const leave = res.json<ExceptionChange>();
    expect(leave).toMatchObject({ resourceId: roomId, kind: 'leave', version: 1, affectedCount: 2 });
    // Only booked appointments still to come: not the one already checked in, not the one after it.
    expect(leave.affectedAppointments.map((d) => d.appointment.id)).toEqual([first.id, second.id]);
    expect(leave.affectedAppointments[0]).toMatchObject({
      appointment: { status: 'booked', clientName: `${client.givenName} ${client.familyName}` },
      exceptions: [{ exceptionId: leave.id, kind: 'leave', resourceId: roomId }],
    });

    // One event per affected appointment, ids only.
    const events = await displacedEvents(leave.id);
    expect(events.map((e) => e.appointmentId).sort()).toEqual([first.id, second.id].sort());
    expect(events[0]).toEqual({
      appointmentId: expect.any(String) as string,
      agencyId: DEMO_AGENCY.id,
      clientId: client.id,
      appointmentTypeId: CASE_MANAGEMENT.id,
      resourceIds: [roomId],
      seriesId: null,
      exceptionId: leave.id,
      exceptionKind: 'leave',
    });

    // Nothing was cancelled.
    const still = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/appointments/${first.id}`,
      token: scheduler,
    });
    expect(still.json<Appointment>().status).toBe('booked');

    // The worklist has them, by start, until someone moves or cancels them.
    const work = await worklist(`resourceId=${roomId}`);
    expect(work.timeZone).toBe('America/Chicago');
    expect(work.items.map((d) => d.appointment.id)).toEqual([first.id, second.id]);
    expect(work.items.map((d) => d.appointment.id)).not.toContain(outside.id);
    expect((await worklist(`exceptionId=${leave.id}`)).items).toHaveLength(2);
    const cancel = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments/${first.id}/cancel`,
      token: scheduler,
      body: { reason: 'Provider on leave' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await worklist(`resourceId=${roomId}`)).items.map((d) => d.appointment.id)).toEqual([second.id]);
  });

  it('a caller who may not see the client sees the affected appointment withheld', async () => {
    const roomId = await room('Withheld room');
    const a = await book('2027-02-03T15:00:00Z', [roomId]);
    const withheld = {
      id: a.id,
      startsAt: a.startsAt,
      status: 'booked',
      clientId: null,
      clientName: null,
      clientWithheld: true,
      notes: null,
    };

    // The admin manages the room but reads no appointments: the 409 and the answer withhold the client.
    const refused = await addException(admin, {
      resourceId: roomId,
      startsAt: '2027-02-03T00:00:00Z',
      endsAt: '2027-02-04T00:00:00Z',
      kind: 'leave',
      reason: 'Repairs',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ appointments: Appointment[] }>().appointments).toEqual([
      expect.objectContaining(withheld),
    ]);
    expect(refused.body).not.toContain(client.id);
    const res = await addException(admin, {
      resourceId: roomId,
      startsAt: '2027-02-03T00:00:00Z',
      endsAt: '2027-02-04T00:00:00Z',
      kind: 'leave',
      reason: 'Repairs',
      acknowledgeConflicts: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<ExceptionChange>().affectedAppointments[0]?.appointment).toMatchObject(withheld);

    // Another team's reader: the worklist shows the time as taken, not by whom.
    const theirs = await worklist(`resourceId=${roomId}`, otherTeam);
    expect(theirs.items.map((d) => d.appointment)).toEqual([expect.objectContaining(withheld)]);
    const mine = await worklist(`resourceId=${roomId}`, scheduler);
    expect(mine.items[0]?.appointment).toMatchObject({ clientId: client.id, clientWithheld: false });

    // The worklist is PHI: every read is audited under the appointments permission.
    const audited = await t.database.db
      .withTables<AuditTables>()
      .selectFrom('audit.audit_logs')
      .select(['action', 'resource_type', 'outcome'])
      .where('actor_id', '=', otherTeamId)
      .execute();
    expect(audited).toContainEqual({
      action: 'scheduling.appointments.read',
      resource_type: 'scheduling.appointments',
      outcome: 'allowed',
    });
  });

  it('a 42 CFR Part 2 appointment is withheld from whoever may not see it, as on calendars', async () => {
    // In child and family services and, as Part 2 information, in substance use treatment (BH).
    const cfsWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.cfs);
    const cfsScheduler = await staff(t, 'scheduler', DEMO_TEAM_IDS.cfs);
    const bhScheduler = await staff(t, 'scheduler', DEMO_TEAM_IDS.bhOutpatient);
    const rosa = await registerClient(t, cfsWorker.token, { givenName: 'Rosa', familyName: 'Displaced' });
    for (const [programId, part2] of [
      [CFS_PROGRAM, false],
      [BH_PROGRAM, true],
    ] as const) {
      await created(t, cfsWorker.token, `/api/v1/clients/${rosa.id}/enrollments`, {
        programId,
        startDate: '2026-01-05',
        reason: 'Referral',
        part2,
      });
    }
    const bhRoom = (
      await created<{ id: string }>(t, admin, `${SCHEDULING}/resources`, {
        kind: 'room',
        name: 'SUD counselling room',
        programId: BH_PROGRAM,
      })
    ).id;
    const sud = await created<Appointment>(t, bhScheduler.token, `${SCHEDULING}/appointments`, {
      clientId: rosa.id,
      appointmentTypeId: CASE_MANAGEMENT.id,
      startsAt: '2027-02-10T15:00:00Z',
      resourceIds: [bhRoom],
    });
    const res = await addException(admin, {
      resourceId: bhRoom,
      startsAt: '2027-02-10T06:00:00Z',
      endsAt: '2027-02-11T06:00:00Z',
      kind: 'leave',
      reason: 'Counsellor away',
      acknowledgeConflicts: true,
    });
    expect(res.statusCode, res.body).toBe(201);

    // The CFS scheduler's scope reaches Rosa, but not her Part 2 information.
    const cfs = await t.http.request({
      method: 'GET',
      url: `${WORKLIST}?resourceId=${bhRoom}`,
      token: cfsScheduler.token,
    });
    expect(cfs.json<{ items: Displaced[]; withheld: number }>()).toMatchObject({
      items: [
        { appointment: { id: sud.id, clientId: null, clientName: null, clientWithheld: true, part2: false } },
      ],
      withheld: 1,
      redisclosureNotice: null,
    });
    expect(cfs.headers['x-redisclosure-notice']).toBeUndefined();
    // BH staff see it, marked Part 2, with the redisclosure notice.
    const bh = await t.http.request({
      method: 'GET',
      url: `${WORKLIST}?resourceId=${bhRoom}`,
      token: bhScheduler.token,
    });
    expect(bh.json<{ items: Displaced[]; withheld: number }>()).toMatchObject({
      items: [{ appointment: { id: sud.id, clientId: rosa.id, clientWithheld: false, part2: true } }],
      withheld: 0,
      redisclosureNotice: expect.stringContaining('42 CFR part 2') as string,
    });
    expect(bh.headers['x-redisclosure-notice']).toBe('42-CFR-2.32');
  });

  it("an agency closure covers every resource's bookings", async () => {
    const north = await room('North room');
    const south = await room('South room');
    const a = await book('2027-02-04T15:00:00Z', [north]);
    const b = await book('2027-02-04T20:00:00Z', [south]);
    const nextDay = await book('2027-02-05T15:00:00Z', [south]);
    const closure = {
      startsAt: '2027-02-04T06:00:00Z',
      endsAt: '2027-02-05T06:00:00Z',
      kind: 'closure',
      reason: 'Snow day',
    };

    const refused = await addException(admin, closure);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ appointments: Appointment[] }>().appointments.map((x) => x.id)).toEqual([
      a.id,
      b.id,
    ]);

    // A program-scoped scheduler cannot close the agency.
    const programScheduler = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'scheduling.resources.manage': 'program' },
    });
    expect(
      (await addException(programScheduler, { ...closure, acknowledgeConflicts: true })).statusCode,
    ).toBe(403);

    const res = await addException(admin, { ...closure, acknowledgeConflicts: true });
    expect(res.statusCode, res.body).toBe(201);
    const closed = res.json<ExceptionChange>();
    expect(closed).toMatchObject({ resourceId: null, affectedCount: 2 });
    const events = await displacedEvents(closed.id);
    expect(events.map((e) => e.appointmentId).sort()).toEqual([a.id, b.id].sort());
    expect(events.every((e) => e.exceptionKind === 'closure')).toBe(true);

    const work = await worklist(`exceptionId=${closed.id}`);
    expect(work.items.map((d) => d.appointment.id)).toEqual([a.id, b.id]);
    expect(work.items[1]?.exceptions).toEqual([
      expect.objectContaining({ exceptionId: closed.id, kind: 'closure', resourceId: null }),
    ]);
    expect(work.items.map((d) => d.appointment.id)).not.toContain(nextDay.id);
  });

  it('widening leave asks about, and announces, only the bookings it newly covers', async () => {
    const roomId = await room('Widened room');
    const a = await book('2027-02-08T15:00:00Z', [roomId]);
    const b = await book('2027-02-09T15:00:00Z', [roomId]);
    const added = await addException(scheduler, {
      resourceId: roomId,
      startsAt: '2027-02-08T06:00:00Z',
      endsAt: '2027-02-09T06:00:00Z',
      kind: 'leave',
      reason: 'Conference',
      acknowledgeConflicts: true,
    });
    expect(added.statusCode, added.body).toBe(201);
    const leave = added.json<ExceptionChange>();
    const widen = (body: Record<string, unknown>, version = leave.version) =>
      t.http.request({
        method: 'PATCH',
        url: `${EXCEPTIONS}/${leave.id}`,
        token: scheduler,
        headers: { 'if-match': `"${version}"` },
        body,
      });

    const refused = await widen({ endsAt: '2027-02-10T06:00:00Z' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ appointments: Appointment[] }>().appointments.map((x) => x.id)).toEqual([b.id]);
    expect((await widen({ endsAt: '2027-02-10T06:00:00Z', acknowledgeConflicts: true }, 7)).statusCode).toBe(
      412,
    );
    expect((await widen({ endsAt: '2027-02-07T06:00:00Z' })).statusCode).toBe(400);

    const res = await widen({ endsAt: '2027-02-10T06:00:00Z', acknowledgeConflicts: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    const widened = res.json<ExceptionChange>();
    expect(widened).toMatchObject({ endsAt: '2027-02-10T06:00:00.000Z', version: 2, affectedCount: 1 });
    expect(widened.affectedAppointments.map((d) => d.appointment.id)).toEqual([b.id]);
    // Each appointment announced once for this leave: a when it was added, b when it was widened.
    expect((await displacedEvents(leave.id)).map((e) => e.appointmentId)).toEqual([a.id, b.id]);

    // Narrowing again covers nothing new: no question, no event.
    const narrowed = await widen({ startsAt: '2027-02-09T06:00:00Z', reason: 'Shorter' }, 2);
    expect(narrowed.statusCode, narrowed.body).toBe(200);
    expect(narrowed.json<ExceptionChange>()).toMatchObject({
      affectedCount: 0,
      reason: 'Shorter',
      version: 3,
    });
    expect(await displacedEvents(leave.id)).toHaveLength(2);
    expect((await worklist(`resourceId=${roomId}`)).items.map((d) => d.appointment.id)).toEqual([b.id]);
  });

  it('adding an exception over no bookings needs no acknowledgement', async () => {
    const roomId = await room('Empty room');
    const res = await addException(scheduler, {
      resourceId: roomId,
      startsAt: '2027-03-01T06:00:00Z',
      endsAt: '2027-03-02T06:00:00Z',
      kind: 'leave',
      reason: 'Painting',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<ExceptionChange>()).toMatchObject({ affectedCount: 0, affectedAppointments: [] });
  });

  it('the worklist pages by start, and refuses what is not the caller’s', async () => {
    const roomId = await room('Paged room');
    const booked = [
      await book('2027-02-15T15:00:00Z', [roomId]),
      await book('2027-02-15T16:00:00Z', [roomId]),
      await book('2027-02-15T17:00:00Z', [roomId]),
    ];
    const res = await addException(scheduler, {
      resourceId: roomId,
      startsAt: '2027-02-15T06:00:00Z',
      endsAt: '2027-02-16T06:00:00Z',
      kind: 'leave',
      reason: 'Away',
      acknowledgeConflicts: true,
    });
    const leaveId = res.json<ExceptionChange>().id;
    const first = await worklist(`exceptionId=${leaveId}&limit=2`);
    expect(first.items.map((d) => d.appointment.id)).toEqual([booked[0]?.id, booked[1]?.id]);
    expect(first.nextCursor).not.toBeNull();
    const second = await worklist(`exceptionId=${leaveId}&limit=2&cursor=${first.nextCursor ?? ''}`);
    expect(second.items.map((d) => d.appointment.id)).toEqual([booked[2]?.id]);
    expect(second.nextCursor).toBeNull();
    const ranged = await worklist(`resourceId=${roomId}&from=2027-02-15T15:30:00Z&to=2027-02-15T16:30:00Z`);
    expect(ranged.items.map((d) => d.appointment.id)).toEqual([booked[1]?.id]);

    const bad = await t.http.request({ method: 'GET', url: `${WORKLIST}?cursor=nonsense`, token: scheduler });
    expect(bad.statusCode).toBe(400);
    const outsider = await t.token({
      agency: OTHER_AGENCY,
      grants: { 'scheduling.appointments.read': 'agency', 'scheduling.resources.read': 'agency' },
    });
    const foreign = async (query: string) =>
      (await t.http.request({ method: 'GET', url: `${WORKLIST}?${query}`, token: outsider })).statusCode;
    expect(await foreign(`exceptionId=${leaveId}`)).toBe(404);
    expect(await foreign(`resourceId=${roomId}`)).toBe(404);
    // Another agency's own worklist does not include this agency's bookings.
    const theirs = await t.http.request({ method: 'GET', url: WORKLIST, token: outsider });
    expect(theirs.json<{ items: unknown[] }>().items).toEqual([]);
  });

  // A booking and an exception written at the same moment: two connections, so PostgreSQL only.
  describe.skipIf(!process.env.DATABASE_URL)(
    'a booking and an exception at the same moment (PostgreSQL)',
    () => {
      /** Holds a transaction open until `commit()`; `done` settles when it has committed. */
      const openTransaction = (work: (trx: SchedulingDb) => Promise<void>) => {
        let commit: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (commit = resolve));
        let ready: () => void = () => undefined;
        const started = new Promise<void>((resolve) => (ready = resolve));
        const done = t.app
          .get(SchedulingDatabase)
          .db.transaction()
          .execute(async (trx) => {
            await work(trx);
            ready();
            await gate;
          });
        return { started, commit, done };
      };
      /** Until some statement of this database waits for a lock (the request under test is blocked). */
      const someoneWaits = async () => {
        for (let i = 0; i < 250; i++) {
          const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database()`.execute(t.database.db);
          if ((rows[0]?.n ?? 0) > 0) return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error('nothing waited for a lock: the request did not meet the open transaction');
      };

      it('leave added while a booking is being written waits for it, and names it', async () => {
        const roomId = await room('Race room A');
        const id = randomUUID();
        const booking = openTransaction(async (trx) => {
          const appointments = t.app.get(AppointmentsRepository);
          await appointments.insert(
            {
              id,
              agency_id: DEMO_AGENCY.id,
              client_id: client.id,
              appointment_type_id: CASE_MANAGEMENT.id,
              starts_at: '2027-03-01T15:00:00Z',
              ends_at: '2027-03-01T16:00:00Z',
              telehealth: false,
              join_url: null,
              notes: null,
              created_by: schedulerId,
            },
            trx,
          );
          await appointments.insertResources(
            [
              {
                appointment_id: id,
                resource_id: roomId,
                blocked_from: '2027-03-01T15:00:00Z',
                blocked_to: '2027-03-01T16:00:00Z',
              },
            ],
            trx,
          );
        });
        await booking.started;
        const leave = addException(scheduler, {
          resourceId: roomId,
          startsAt: '2027-03-01T14:00:00Z',
          endsAt: '2027-03-01T18:00:00Z',
          kind: 'leave',
          reason: 'Training',
          acknowledgeConflicts: true,
        });
        await someoneWaits();
        booking.commit();
        await booking.done;
        const res = await leave;
        expect(res.statusCode, res.body).toBe(201);
        const change = res.json<ExceptionChange>();
        expect(change.affectedCount).toBe(1);
        expect(change.affectedAppointments.map((d) => d.appointment.id)).toEqual([id]);
        expect((await displacedEvents(change.id)).map((e) => e.appointmentId)).toEqual([id]);
      });

      it('a booking written while leave is being added waits for it, and is refused', async () => {
        const roomId = await room('Race room B');
        const leave = openTransaction(async (trx) => {
          const resources = t.app.get(ResourcesRepository);
          await resources.lockResources(DEMO_AGENCY.id, roomId, trx);
          await resources.insertException(
            {
              id: randomUUID(),
              agency_id: DEMO_AGENCY.id,
              resource_id: roomId,
              starts_at: '2027-03-02T14:00:00Z',
              ends_at: '2027-03-02T18:00:00Z',
              kind: 'leave',
              reason: 'Training',
              created_by: null,
            },
            trx,
          );
        });
        await leave.started;
        // The booking's own checks run before its transaction and see no leave yet.
        const booking = t.http.request({
          method: 'POST',
          url: `${SCHEDULING}/appointments`,
          token: scheduler,
          body: {
            clientId: client.id,
            appointmentTypeId: CASE_MANAGEMENT.id,
            startsAt: '2027-03-02T15:00:00Z',
            resourceIds: [roomId],
          },
        });
        await someoneWaits();
        leave.commit();
        await leave.done;
        const res = await booking;
        expect(res.statusCode, res.body).toBe(409);
        expect(problemType(res)).toBe('resource-unavailable');
      });
    },
  );
});
