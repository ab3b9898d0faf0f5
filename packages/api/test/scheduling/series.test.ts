import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../../src/modules/clients/demo.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS, DEMO_USERS } from '../../src/modules/identity/demo.js';
import { DEMO_APPOINTMENT_TYPES } from '../../src/modules/scheduling/appointments/appointments.seed.js';
import { outboxPayloads } from '../support/outbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { created, problemType, SCHEDULING, type Appointment } from './appointments-helpers.js';

const SERIES = `${SCHEDULING}/series`;
const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000a7';
const client = DEMO_CLIENTS[0];
const CASE_MANAGEMENT = DEMO_APPOINTMENT_TYPES[2];
if (!client) throw new Error('demo clients missing');

interface Occurrence extends Appointment {
  seriesId: string | null;
  occurrenceStart: string | null;
  seriesException: boolean;
}

interface Series {
  id: string;
  clientId: string;
  recurrence: string;
  firstStart: string;
  wallTime: string;
  timeZone: string;
  resourceIds: string[];
  status: string;
  splitFromId: string | null;
  newSeriesId: string | null;
  occurrences: Occurrence[];
  version: number;
}

interface Conflict {
  occurrenceStart: string;
  startsAt: string;
  type: string;
  resourceId: string | null;
}

describe('recurring series', () => {
  let t: TestApp;
  let manager: string;
  let scheduler: string;
  let otherTeam: string;
  let otherAgency: string;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'scheduling.resources.read': 'agency', 'scheduling.resources.manage': 'agency' },
    });
    scheduler = await t.token({
      sub: DEMO_USERS.find((u) => u.role === 'scheduler')?.id,
      agency: DEMO_AGENCY.id,
      teams: [DEMO_TEAM_IDS.bhOutpatient],
      grants: {
        'scheduling.appointments.read': 'team',
        'scheduling.appointments.write': 'team',
        'scheduling.resources.read': 'agency',
      },
    });
    otherTeam = await t.token({
      sub: randomUUID(),
      agency: DEMO_AGENCY.id,
      teams: [DEMO_TEAM_IDS.ltc],
      grants: { 'scheduling.appointments.read': 'team', 'scheduling.appointments.write': 'team' },
    });
    otherAgency = await t.token({
      agency: OTHER_AGENCY,
      grants: { 'scheduling.appointments.read': 'agency', 'scheduling.appointments.write': 'agency' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A room without working hours (bookable at any time). */
  const room = async (name: string) =>
    (await created<{ id: string }>(t, manager, `${SCHEDULING}/resources`, { kind: 'room', name })).id;

  const post = (body: Record<string, unknown>, token = scheduler) =>
    t.http.request({
      method: 'POST',
      url: SERIES,
      token,
      body: { clientId: client.id, appointmentTypeId: CASE_MANAGEMENT.id, ...body },
    });

  const book = async (body: Record<string, unknown>): Promise<Series> => {
    const res = await post(body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe(`"${res.json<Series>().version}"`);
    return res.json<Series>();
  };

  const patch = (id: string, version: number, body: Record<string, unknown>, token = scheduler) =>
    t.http.request({
      method: 'PATCH',
      url: `${SERIES}/${id}`,
      token,
      headers: { 'if-match': `"${version}"` },
      body,
    });

  const get = async (id: string): Promise<Series> => {
    const res = await t.http.request({ method: 'GET', url: `${SERIES}/${id}`, token: scheduler });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Series>();
  };

  const appointment = async (id: string): Promise<Occurrence> => {
    const res = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/appointments/${id}`,
      token: scheduler,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Occurrence>();
  };

  const act = (id: string, action: string, body?: unknown) =>
    t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments/${id}/${action}`,
      token: scheduler,
      body,
    });

  const starts = (s: Series) => s.occurrences.map((o) => o.startsAt);

  it('a weekly 09:00 series keeps 09:00 Chicago across both DST changes, at the exact UTC instants', async () => {
    const roomId = await room('DST room');
    // Fall back on Sunday 7 November 2027: 09:00 CDT is 14:00Z, 09:00 CST is 15:00Z.
    const fall = await book({
      startsAt: '2027-10-25T14:00:00Z',
      recurrence: 'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4',
      resourceIds: [roomId],
    });
    expect(fall).toMatchObject({
      recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
      timeZone: 'America/Chicago',
      wallTime: '09:00:00',
      status: 'active',
    });
    expect(starts(fall)).toEqual([
      '2027-10-25T14:00:00.000Z',
      '2027-11-01T14:00:00.000Z',
      '2027-11-08T15:00:00.000Z',
      '2027-11-15T15:00:00.000Z',
    ]);
    for (const o of fall.occurrences) {
      expect(o).toMatchObject({ seriesId: fall.id, status: 'booked', seriesException: false });
      expect(o.occurrenceStart).toBe(o.startsAt);
      expect(Date.parse(o.endsAt) - Date.parse(o.startsAt)).toBe(30 * 60_000);
    }
    // Spring forward on Sunday 14 March 2027: 15:00Z before, 14:00Z after.
    const spring = await book({
      startsAt: '2027-03-01T15:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=4',
      resourceIds: [roomId],
    });
    expect(starts(spring)).toEqual([
      '2027-03-01T15:00:00.000Z',
      '2027-03-08T15:00:00.000Z',
      '2027-03-15T14:00:00.000Z',
      '2027-03-22T14:00:00.000Z',
    ]);
    expect((await get(spring.id)).occurrences.map((o) => o.id)).toEqual(spring.occurrences.map((o) => o.id));
    const booked = await outboxPayloads<{ appointmentId: string; seriesId: string }>(
      t,
      'scheduling.appointment.booked',
    );
    expect(booked.filter((p) => p.seriesId === spring.id)).toHaveLength(4);
    const createdEvents = await outboxPayloads(t, 'scheduling.series.created');
    expect(createdEvents).toContainEqual({
      seriesId: spring.id,
      agencyId: DEMO_AGENCY.id,
      clientId: client.id,
    });
  });

  it('refuses a series when any occurrence is taken or unavailable: 409 lists them, nothing is booked', async () => {
    const roomId = await room('Collision room');
    const single = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments`,
      token: scheduler,
      body: {
        clientId: client.id,
        appointmentTypeId: CASE_MANAGEMENT.id,
        startsAt: '2027-02-17T15:15:00Z',
        resourceIds: [roomId],
      },
    });
    expect(single.statusCode, single.body).toBe(201);
    const res = await post({
      startsAt: '2027-02-03T15:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=5',
      resourceIds: [roomId],
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(problemType(res)).toBe('series-conflicts');
    const conflicts = res.json<{ conflicts: Conflict[] }>().conflicts;
    expect(conflicts).toEqual([
      expect.objectContaining({
        startsAt: '2027-02-17T15:00:00.000Z',
        occurrenceStart: '2027-02-17T15:00:00.000Z',
        type: 'slot-unavailable',
        resourceId: roomId,
      }),
    ]);
    const calendar = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/appointments?resourceId=${roomId}&from=2027-02-01T00:00:00Z&to=2027-03-03T00:00:00Z`,
      token: scheduler,
    });
    expect(calendar.json<{ items: Appointment[] }>().items.map((a) => a.id)).toEqual([
      single.json<Appointment>().id,
    ]);

    // A booking-rule refusal (leave) and a taken slot are reported together.
    await created(t, manager, `${SCHEDULING}/exceptions`, {
      resourceId: roomId,
      startsAt: '2027-02-24T00:00:00Z',
      endsAt: '2027-02-25T00:00:00Z',
      kind: 'leave',
      reason: 'Painting',
    });
    const both = await post({
      startsAt: '2027-02-03T15:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=5',
      resourceIds: [roomId],
    });
    expect(both.statusCode).toBe(409);
    // The booking rules (leave) and the database (the taken slot) are reported together.
    const listed = both.json<{ conflicts: Conflict[] }>().conflicts.map((c) => [c.startsAt, c.type]);
    expect(listed).toEqual([
      ['2027-02-17T15:00:00.000Z', 'slot-unavailable'],
      ['2027-02-24T15:00:00.000Z', 'resource-unavailable'],
    ]);

    const bad = await post({
      startsAt: '2027-02-03T15:00:00Z',
      recurrence: 'FREQ=YEARLY',
      resourceIds: [roomId],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('body.recurrence');
  });

  it('edit this occurrence: only it moves, as a series exception; a stale If-Match is 412', async () => {
    const roomId = await room('Edit-this room');
    const s = await book({
      startsAt: '2027-04-05T14:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=4',
      resourceIds: [roomId],
    });
    const [first, second, third, fourth] = s.occurrences;
    const res = await patch(s.id, s.version, {
      scope: 'this',
      occurrenceId: second?.id,
      startsAt: '2027-04-13T19:00:00Z',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json<Series>();
    expect(after.version).toBe(s.version + 1);
    expect(starts(after)).toEqual([
      '2027-04-05T14:00:00.000Z',
      '2027-04-13T19:00:00.000Z',
      '2027-04-19T14:00:00.000Z',
      '2027-04-26T14:00:00.000Z',
    ]);
    const ids = after.occurrences.map((o) => o.id);
    expect([ids[0], ids[2], ids[3]]).toEqual([first?.id, third?.id, fourth?.id]);
    const moved = after.occurrences[1] as Occurrence;
    expect(moved).toMatchObject({
      seriesException: true,
      occurrenceStart: '2027-04-12T14:00:00.000Z',
      rescheduledFromId: second?.id,
    });
    expect(await appointment(second?.id as string)).toMatchObject({
      status: 'rescheduled',
      rescheduledToId: moved.id,
    });
    const stale = await patch(s.id, s.version, {
      scope: 'this',
      occurrenceId: third?.id,
      startsAt: '2027-04-20T19:00:00Z',
    });
    expect(stale.statusCode).toBe(412);
    expect((await get(s.id)).occurrences.map((o) => o.id)).toEqual(ids);
  });

  it('edit this and following splits the series; checked-in occurrences never move; counts add up', async () => {
    const roomId = await room('Split room');
    const s = await book({
      startsAt: '2027-05-03T14:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=6',
      resourceIds: [roomId],
    });
    const o = s.occurrences;
    expect((await act(o[4]?.id as string, 'check-in')).statusCode).toBe(200);
    const res = await patch(s.id, s.version, {
      scope: 'following',
      occurrenceId: o[2]?.id,
      timeOfDay: '10:30',
    });
    expect(res.statusCode, res.body).toBe(200);
    const old = res.json<Series>();
    expect(old.recurrence).toBe('FREQ=WEEKLY;COUNT=2');
    expect(old.occurrences.map((x) => x.id)).toEqual([o[0]?.id, o[1]?.id]);
    expect(old.newSeriesId).not.toBeNull();
    const tail = await get(old.newSeriesId as string);
    expect(tail).toMatchObject({
      splitFromId: s.id,
      recurrence: 'FREQ=WEEKLY;COUNT=4',
      wallTime: '10:30:00',
    });
    expect(tail.occurrences.map((x) => [x.startsAt, x.status])).toEqual([
      ['2027-05-17T15:30:00.000Z', 'booked'],
      ['2027-05-24T15:30:00.000Z', 'booked'],
      ['2027-05-31T14:00:00.000Z', 'checked_in'],
      ['2027-06-07T15:30:00.000Z', 'booked'],
    ]);
    // The checked-in one is the same appointment, now counted in the new series.
    expect(tail.occurrences[2]?.id).toBe(o[4]?.id);
    expect(old.occurrences.length + tail.occurrences.length).toBe(6);
    expect(await appointment(o[2]?.id as string)).toMatchObject({ status: 'rescheduled' });
    // The checked-in occurrence cannot be moved on its own either.
    const pinned = await patch(tail.id, tail.version, {
      scope: 'this',
      occurrenceId: o[4]?.id,
      startsAt: '2027-06-01T15:00:00Z',
    });
    expect(pinned.statusCode).toBe(409);
    expect(problemType(pinned)).toBe('occurrence-not-movable');
  });

  it('edit all moves every future booked occurrence, leaves checked-in, cancelled and moved ones, and adds new ones', async () => {
    const roomId = await room('All room A');
    const otherRoom = await room('All room B');
    const s = await book({
      startsAt: '2027-06-01T14:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=5',
      resourceIds: [roomId],
    });
    const o = s.occurrences;
    expect((await act(o[1]?.id as string, 'check-in')).statusCode).toBe(200);
    expect((await act(o[2]?.id as string, 'cancel', { reason: 'Client away' })).statusCode).toBe(200);
    const moveOne = await patch(s.id, s.version, {
      scope: 'this',
      occurrenceId: o[3]?.id,
      startsAt: '2027-06-23T20:00:00Z',
    });
    expect(moveOne.statusCode, moveOne.body).toBe(200);
    const exception = moveOne.json<Series>().occurrences[3] as Occurrence;
    const res = await patch(s.id, s.version + 1, {
      scope: 'all',
      timeOfDay: '11:00',
      resourceIds: [otherRoom],
      recurrence: 'FREQ=WEEKLY;COUNT=6',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json<Series>();
    expect(after).toMatchObject({
      recurrence: 'FREQ=WEEKLY;COUNT=6',
      wallTime: '11:00:00',
      resourceIds: [otherRoom],
    });
    expect(after.occurrences.map((x) => [x.startsAt, x.status, x.resources[0]?.resourceId])).toEqual([
      ['2027-06-01T16:00:00.000Z', 'booked', otherRoom],
      ['2027-06-08T14:00:00.000Z', 'checked_in', roomId],
      ['2027-06-15T14:00:00.000Z', 'cancelled', roomId],
      ['2027-06-23T20:00:00.000Z', 'booked', roomId],
      ['2027-06-29T16:00:00.000Z', 'booked', otherRoom],
      ['2027-07-06T16:00:00.000Z', 'booked', otherRoom],
    ]);
    expect(after.occurrences.map((x) => x.id).slice(1, 4)).toEqual([o[1]?.id, o[2]?.id, exception.id]);
    expect(after.occurrences[0]?.rescheduledFromId).toBe(o[0]?.id);
    // The first room is free again where occurrences left it.
    const reuse = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments`,
      token: scheduler,
      body: {
        clientId: client.id,
        appointmentTypeId: CASE_MANAGEMENT.id,
        startsAt: '2027-06-29T14:00:00Z',
        resourceIds: [roomId],
      },
    });
    expect(reuse.statusCode).toBe(201);
  });

  it('an edit that would collide changes nothing and lists the collisions', async () => {
    const roomId = await room('Edit collision room');
    const s = await book({
      startsAt: '2027-07-05T14:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=3',
      resourceIds: [roomId],
    });
    const blocker = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments`,
      token: scheduler,
      body: {
        clientId: client.id,
        appointmentTypeId: CASE_MANAGEMENT.id,
        startsAt: '2027-07-12T16:00:00Z',
        resourceIds: [roomId],
      },
    });
    expect(blocker.statusCode).toBe(201);
    const res = await patch(s.id, s.version, { scope: 'all', timeOfDay: '11:00' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ conflicts: Conflict[] }>().conflicts.map((c) => c.startsAt)).toEqual([
      '2027-07-12T16:00:00.000Z',
    ]);
    const unchanged = await get(s.id);
    expect(unchanged.version).toBe(s.version);
    expect(unchanged.occurrences.map((x) => x.id)).toEqual(s.occurrences.map((x) => x.id));
    expect(starts(unchanged)).toEqual(starts(s));
  });

  it('cancels this and following (the series ends before it), then the whole series', async () => {
    const roomId = await room('Cancel room');
    const s = await book({
      startsAt: '2027-08-02T14:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=5',
      resourceIds: [roomId],
    });
    const o = s.occurrences;
    const res = await t.http.request({
      method: 'POST',
      url: `${SERIES}/${s.id}/cancel`,
      token: scheduler,
      body: { scope: 'following', occurrenceId: o[3]?.id, reason: 'Discharged from the program' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json<Series>();
    expect(after.recurrence).toBe('FREQ=WEEKLY;COUNT=3');
    expect(after.occurrences.map((x) => x.status)).toEqual([
      'booked',
      'booked',
      'booked',
      'cancelled',
      'cancelled',
    ]);
    const all = await t.http.request({
      method: 'POST',
      url: `${SERIES}/${s.id}/cancel`,
      token: scheduler,
      body: { scope: 'all', reason: 'Moved away' },
    });
    expect(all.statusCode).toBe(200);
    expect(all.json<Series>().status).toBe('cancelled');
    expect(all.json<Series>().occurrences.every((x) => x.status === 'cancelled')).toBe(true);
    const again = await patch(s.id, all.json<Series>().version, { scope: 'all', timeOfDay: '10:00' });
    expect(again.statusCode).toBe(409);
  });

  it('another team cannot book or edit a series for a client outside its scope; another agency gets 404', async () => {
    const roomId = await room('Scope room');
    const body = {
      startsAt: '2027-09-06T14:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=2',
      resourceIds: [roomId],
    };
    expect((await post(body, otherTeam)).statusCode).toBe(403);
    const s = await book(body);
    expect((await patch(s.id, s.version, { scope: 'all', timeOfDay: '10:00' }, otherTeam)).statusCode).toBe(
      403,
    );
    expect(
      (await t.http.request({ method: 'GET', url: `${SERIES}/${s.id}`, token: otherTeam })).statusCode,
    ).toBe(403);
    expect(
      (await t.http.request({ method: 'GET', url: `${SERIES}/${s.id}`, token: otherAgency })).statusCode,
    ).toBe(404);
    expect((await patch(s.id, s.version, { scope: 'all', timeOfDay: '10:00' }, otherAgency)).statusCode).toBe(
      404,
    );
    const cancel = await t.http.request({
      method: 'POST',
      url: `${SERIES}/${s.id}/cancel`,
      token: otherAgency,
      body: { scope: 'all', reason: 'x' },
    });
    expect(cancel.statusCode).toBe(404);
    expect((await get(s.id)).occurrences.every((x) => x.status === 'booked')).toBe(true);
  });
});
