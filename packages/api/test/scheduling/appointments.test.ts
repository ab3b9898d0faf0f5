import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../../src/modules/clients/demo.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS, DEMO_USERS } from '../../src/modules/identity/demo.js';
import { AVAILABILITY_MAX_PROVIDERS } from '../../src/modules/scheduling/appointments/appointments.dto.js';
import {
  DEMO_APPOINTMENT_TYPES,
  DEMO_ROOMS,
} from '../../src/modules/scheduling/appointments/appointments.seed.js';
import type { AuditTables } from '../../src/platform/audit/audit.schema.js';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  created,
  problemType,
  providerResource,
  putHours,
  SCHEDULING,
  weekdays,
  type Appointment,
  type ProviderAvailability,
} from './appointments-helpers.js';

const APPOINTMENTS = `${SCHEDULING}/appointments`;
const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000a7';
const client = DEMO_CLIENTS[0];
const CASE_MANAGEMENT = DEMO_APPOINTMENT_TYPES[2];
const INTAKE = DEMO_APPOINTMENT_TYPES[0];
if (!client) throw new Error('demo clients missing');

describe('appointments', () => {
  let t: TestApp;
  let manager: string;
  let scheduler: string;
  let otherTeam: string;
  let otherAgency: string;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.token({
      agency: DEMO_AGENCY.id,
      grants: {
        'scheduling.resources.read': 'agency',
        'scheduling.resources.manage': 'agency',
        'providers.providers.read': 'agency',
        'providers.providers.write': 'agency',
      },
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
      grants: {
        'scheduling.appointments.read': 'team',
        'scheduling.appointments.write': 'team',
        'scheduling.resources.read': 'agency',
      },
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

  const book = (token: string, body: Record<string, unknown>) =>
    t.http.request({
      method: 'POST',
      url: APPOINTMENTS,
      token,
      body: { clientId: client.id, appointmentTypeId: CASE_MANAGEMENT.id, ...body },
    });

  const booked = async (body: Record<string, unknown>): Promise<Appointment> => {
    const res = await book(scheduler, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Appointment>();
  };

  const act = (id: string, action: string, body?: unknown, token = scheduler) =>
    t.http.request({ method: 'POST', url: `${APPOINTMENTS}/${id}/${action}`, token, body });

  const get = (id: string, token = scheduler) =>
    t.http.request({ method: 'GET', url: `${APPOINTMENTS}/${id}`, token });

  const availability = async (query: string, token = scheduler): Promise<ProviderAvailability[]> => {
    const res = await t.http.request({ method: 'GET', url: `${SCHEDULING}/availability?${query}`, token });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ timeZone: string; providers: ProviderAvailability[] }>();
    expect(body.timeZone).toBe('America/Chicago');
    return body.providers;
  };

  it('200 concurrent requests for overlapping slots: exactly one books, the rest get a 409 naming the resource', async () => {
    const roomId = await room('Concurrency room');
    const base = Date.parse('2027-01-04T15:00:00Z');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        book(scheduler, {
          startsAt: new Date(base + (i % 20) * 60_000).toISOString(),
          resourceIds: [roomId],
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    for (const res of responses.filter((r) => r.statusCode === 409)) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(problemType(res)).toBe('slot-unavailable');
      expect(res.json<{ resourceId: string }>().resourceId).toBe(roomId);
    }
    const calendar = await t.http.request({
      method: 'GET',
      url: `${APPOINTMENTS}?resourceId=${roomId}&from=2027-01-04T00:00:00Z&to=2027-01-05T00:00:00Z`,
      token: scheduler,
    });
    expect(calendar.json<{ items: Appointment[] }>().items).toHaveLength(1);
  }, 120_000);

  it('books a client on a room and a provider, publishes ids only, and refuses an overlapping booking of either', async () => {
    const roomId = await room('Booking room');
    const { resourceId } = await providerResource(t, manager, {
      name: 'Dr. Booking',
      licenseExpiresOn: '2030-01-01',
    });
    const appointment = await booked({ startsAt: '2027-01-05T15:00:00Z', resourceIds: [roomId, resourceId] });
    expect(appointment).toMatchObject({
      clientId: client.id,
      status: 'booked',
      startsAt: '2027-01-05T15:00:00.000Z',
      endsAt: '2027-01-05T15:30:00.000Z',
    });
    expect(appointment.resources.map((r) => r.resourceId).sort()).toEqual([roomId, resourceId].sort());
    const events = await t.database.db
      .withTables<PlatformTables>()
      .selectFrom('platform.outbox')
      .select('payload')
      .where('topic', '=', 'scheduling.appointment.booked')
      .execute();
    const payload = events
      .map(
        (e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as Record<string, unknown>,
      )
      .find((p) => p.appointmentId === appointment.id);
    expect(payload && Object.keys(payload).sort()).toEqual(
      ['agencyId', 'appointmentId', 'appointmentTypeId', 'clientId', 'resourceIds', 'seriesId'].sort(),
    );
    const clash = await book(scheduler, { startsAt: '2027-01-05T15:15:00Z', resourceIds: [resourceId] });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<{ resourceId: string }>().resourceId).toBe(resourceId);
    // Back to back is fine: the range is half-open.
    await booked({ startsAt: '2027-01-05T15:30:00Z', resourceIds: [resourceId] });
  });

  it('refuses booking outside working hours, on leave and on an agency closure', async () => {
    const { resourceId } = await providerResource(t, manager, {
      name: 'Dr. Hours',
      licenseExpiresOn: '2030-01-01',
    });
    // 07:30 Chicago (CST) is 13:30Z: before the 08:00 start.
    const early = await book(scheduler, { startsAt: '2027-01-06T13:30:00Z', resourceIds: [resourceId] });
    expect(early.statusCode).toBe(409);
    expect(problemType(early)).toBe('outside-working-hours');
    await created(t, manager, `${SCHEDULING}/exceptions`, {
      resourceId,
      startsAt: '2027-01-06T14:00:00Z',
      endsAt: '2027-01-06T18:00:00Z',
      kind: 'leave',
      reason: 'Training',
    });
    const onLeave = await book(scheduler, { startsAt: '2027-01-06T15:00:00Z', resourceIds: [resourceId] });
    expect(onLeave.statusCode).toBe(409);
    expect(problemType(onLeave)).toBe('resource-unavailable');
    await created(t, manager, `${SCHEDULING}/exceptions`, {
      startsAt: '2027-01-07T06:00:00Z',
      endsAt: '2027-01-08T06:00:00Z',
      kind: 'holiday',
      reason: 'County holiday',
    });
    const closed = await book(scheduler, { startsAt: '2027-01-07T16:00:00Z', resourceIds: [resourceId] });
    expect(closed.statusCode).toBe(409);
    expect(problemType(closed)).toBe('resource-unavailable');
  });

  it('availability leaves out a provider whose license has expired, and booking them is refused', async () => {
    const expired = await providerResource(t, manager, {
      name: 'Dr. Lapsed',
      licenseExpiresOn: '2026-06-01',
    });
    const current = await providerResource(t, manager, {
      name: 'Dr. Current',
      licenseExpiresOn: '2030-01-01',
    });
    const providers = await availability(
      `providerIds=${expired.providerId},${current.providerId}&from=2027-01-11&to=2027-01-11&appointmentTypeId=${CASE_MANAGEMENT.id}`,
    );
    const lapsed = providers.find((p) => p.providerId === expired.providerId);
    const ok = providers.find((p) => p.providerId === current.providerId);
    expect(lapsed).toMatchObject({ bookable: false, slots: [] });
    expect(lapsed?.reasons.map((r) => r.code)).toContain('credential-expired');
    expect(ok?.bookable).toBe(true);
    // 08:00–17:00 CST, 30 minutes every 15: 08:00 … 16:30 is 35 starts, the first at 14:00Z.
    expect(ok?.slots).toHaveLength(35);
    expect(ok?.slots[0]).toEqual({
      startsAt: '2027-01-11T14:00:00.000Z',
      endsAt: '2027-01-11T14:30:00.000Z',
    });
    const refused = await book(scheduler, {
      startsAt: '2027-01-11T15:00:00Z',
      resourceIds: [expired.resourceId],
    });
    expect(refused.statusCode).toBe(409);
    expect(problemType(refused)).toBe('provider-not-bookable');
  });

  it('availability honours hours across a DST change, exceptions, closures, bookings and buffers', async () => {
    const therapy = await created<{ id: string }>(t, manager, `${SCHEDULING}/appointment-types`, {
      code: 'therapy-dst',
      name: 'Therapy',
      durationMinutes: 50,
      bufferAfterMinutes: 10,
      allowedResourceKinds: ['provider', 'room'],
    });
    const { providerId, resourceId } = await providerResource(t, manager, {
      name: 'Dr. Daylight',
      licenseExpiresOn: '2030-01-01',
      // Weekdays 08:00–17:00, and Sunday 01:00–04:00: the night clocks go forward (2027-03-14).
      hours: [...weekdays('08:00', '17:00'), { weekday: 7, startsAt: '01:00', endsAt: '04:00' }],
    });
    const query = (step: number) =>
      `providerIds=${providerId}&from=2027-03-12&to=2027-03-15&appointmentTypeId=${therapy.id}&stepMinutes=${step}`;
    const starts = async (step: number) =>
      (await availability(query(step)))[0]?.slots.map((s) => s.startsAt.slice(0, 16)) ?? [];

    const hourly = await starts(60);
    // Friday in CST: 08:00 is 14:00Z; Monday in CDT: 08:00 is 13:00Z.
    expect(hourly.filter((s) => s.startsWith('2027-03-12'))).toEqual(
      [14, 15, 16, 17, 18, 19, 20, 21, 22].map((h) => `2027-03-12T${h}:00`),
    );
    expect(hourly.filter((s) => s.startsWith('2027-03-15'))).toEqual(
      [13, 14, 15, 16, 17, 18, 19, 20, 21].map((h) => `2027-03-15T${h}:00`),
    );
    // Sunday 01:00 CST (07:00Z) to 04:00 CDT (09:00Z) is two hours, not three.
    expect(hourly.filter((s) => s.startsWith('2027-03-14'))).toEqual([
      '2027-03-14T07:00',
      '2027-03-14T08:00',
    ]);
    expect(hourly.filter((s) => s.startsWith('2027-03-13'))).toEqual([]);

    await created(t, manager, `${SCHEDULING}/exceptions`, {
      resourceId,
      startsAt: '2027-03-15T13:00:00Z',
      endsAt: '2027-03-15T15:00:00Z',
      kind: 'leave',
      reason: 'Appointment',
    });
    await created(t, manager, `${SCHEDULING}/exceptions`, {
      startsAt: '2027-03-12T20:00:00Z',
      endsAt: '2027-03-13T06:00:00Z',
      kind: 'closure',
      reason: 'Staff meeting',
    });
    await booked({
      appointmentTypeId: therapy.id,
      startsAt: '2027-03-15T17:00:00Z',
      resourceIds: [resourceId],
    });

    const after = await starts(60);
    expect(after.filter((s) => s.startsWith('2027-03-12'))).toEqual(
      [14, 15, 16, 17, 18, 19].map((h) => `2027-03-12T${h}:00`),
    );
    expect(after.filter((s) => s.startsWith('2027-03-15'))).toEqual(
      [15, 16, 18, 19, 20, 21].map((h) => `2027-03-15T${h}:00`),
    );
    // The booking holds 17:00–18:00Z (50 minutes and a 10-minute buffer): a 16:15 start would run into it.
    const quarter = (await starts(15)).filter((s) => s.startsWith('2027-03-15T1'));
    expect(quarter).toContain('2027-03-15T16:00');
    expect(quarter).not.toContain('2027-03-15T16:15');
    expect(quarter).not.toContain('2027-03-15T17:30');
    expect(quarter).toContain('2027-03-15T18:00');
  });

  it('moves through its statuses; an illegal change is a 409', async () => {
    const roomId = await room('Status room');
    const a = await booked({ startsAt: '2027-01-12T15:00:00Z', resourceIds: [roomId] });
    const early = await act(a.id, 'complete');
    expect(early.statusCode).toBe(409);
    expect(problemType(early)).toBe('invalid-transition');
    const checkedIn = await act(a.id, 'check-in');
    expect(checkedIn.statusCode, checkedIn.body).toBe(200);
    expect(checkedIn.json<Appointment>().status).toBe('checked_in');
    expect((await act(a.id, 'no-show')).statusCode).toBe(409);
    const done = await act(a.id, 'complete');
    expect(done.json<Appointment>().status).toBe('completed');
    // A completed appointment keeps its time.
    expect(done.json<Appointment>().resources[0]?.blocking).toBe(true);
    expect((await act(a.id, 'cancel', { reason: 'Too late' })).statusCode).toBe(409);
    expect((await act(a.id, 'check-in')).statusCode).toBe(409);

    const b = await booked({ startsAt: '2027-01-12T17:00:00Z', resourceIds: [roomId] });
    const noShow = await act(b.id, 'no-show', {});
    expect(noShow.json<Appointment>()).toMatchObject({ status: 'no_show' });
    expect(noShow.json<Appointment>().resources[0]?.blocking).toBe(false);
    // The no-show's time is free again.
    await booked({ startsAt: '2027-01-12T17:00:00Z', resourceIds: [roomId] });
  });

  it('cancel needs a reason, and frees the slot', async () => {
    const roomId = await room('Cancel room');
    const a = await booked({ startsAt: '2027-01-13T15:00:00Z', resourceIds: [roomId] });
    const bare = await act(a.id, 'cancel', {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('body.reason');
    const cancelled = await act(a.id, 'cancel', { reason: 'Client is ill' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json<Appointment>()).toMatchObject({
      status: 'cancelled',
      statusReason: 'Client is ill',
    });
    await booked({ startsAt: '2027-01-13T15:00:00Z', resourceIds: [roomId] });
  });

  it('reschedule books the new time and links old and new; if the new time is taken nothing changes', async () => {
    const roomId = await room('Reschedule room');
    const old = await booked({ startsAt: '2027-01-14T15:00:00Z', resourceIds: [roomId] });
    // Within its own time: the old booking's hold is released in the same transaction.
    const moved = await act(old.id, 'reschedule', {
      startsAt: '2027-01-14T15:15:00Z',
      reason: 'Client asked',
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const next = moved.json<Appointment>();
    expect(next).toMatchObject({
      status: 'booked',
      rescheduledFromId: old.id,
      startsAt: '2027-01-14T15:15:00.000Z',
    });
    const before = (await get(old.id)).json<Appointment>();
    expect(before).toMatchObject({
      status: 'rescheduled',
      rescheduledToId: next.id,
      statusReason: 'Client asked',
    });
    expect(before.resources[0]?.blocking).toBe(false);

    const blocker = await booked({ startsAt: '2027-01-14T18:00:00Z', resourceIds: [roomId] });
    const taken = await act(next.id, 'reschedule', { startsAt: '2027-01-14T18:00:00Z' });
    expect(taken.statusCode).toBe(409);
    expect(problemType(taken)).toBe('slot-unavailable');
    const still = (await get(next.id)).json<Appointment>();
    expect(still).toMatchObject({ status: 'booked', rescheduledToId: null, version: next.version });
    expect(still.resources[0]?.blocking).toBe(true);
    const list = await t.http.request({
      method: 'GET',
      url: `${APPOINTMENTS}?resourceId=${roomId}&date=2027-01-14`,
      token: scheduler,
    });
    expect(
      list
        .json<{ items: Appointment[] }>()
        .items.map((a) => a.id)
        .sort(),
    ).toEqual([old.id, next.id, blocker.id].sort());
    expect((await act(old.id, 'reschedule', { startsAt: '2027-01-14T20:00:00Z' })).statusCode).toBe(409);
  });

  it('changes notes and the telehealth link with If-Match', async () => {
    const roomId = await room('Patch room');
    const a = await booked({
      appointmentTypeId: INTAKE.id,
      startsAt: '2027-01-15T15:00:00Z',
      resourceIds: [roomId],
      telehealth: true,
      joinUrl: 'https://meet.example.org/abc',
    });
    const patch = (body: unknown, version: number) =>
      t.http.request({
        method: 'PATCH',
        url: `${APPOINTMENTS}/${a.id}`,
        token: scheduler,
        headers: { 'if-match': `"${version}"` },
        body,
      });
    const ok = await patch({ notes: 'Bring insurance card' }, a.version);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Appointment>()).toMatchObject({
      notes: 'Bring insurance card',
      joinUrl: 'https://meet.example.org/abc',
    });
    expect(ok.headers.etag).toBe(`"${a.version + 1}"`);
    expect((await patch({ notes: 'stale' }, a.version)).statusCode).toBe(412);
    const off = await patch({ telehealth: false }, a.version + 1);
    expect(off.json<Appointment>()).toMatchObject({ telehealth: false, joinUrl: null });
    // Case management is not offered by telehealth.
    const cm = await book(scheduler, {
      startsAt: '2027-01-15T18:00:00Z',
      resourceIds: [roomId],
      telehealth: true,
    });
    expect(cm.statusCode).toBe(400);
    expect(cm.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'body.telehealth',
    ]);
  });

  it('keeps appointments within scope: another agency gets 404, another team 403, and calendars withhold the client', async () => {
    const roomId = await room('Scope room');
    const a = await booked({
      startsAt: '2027-01-18T15:00:00Z',
      resourceIds: [roomId],
      notes: 'Wheelchair access',
    });
    expect((await get(a.id, otherAgency)).statusCode).toBe(404);
    expect((await act(a.id, 'cancel', { reason: 'x' }, otherAgency)).statusCode).toBe(404);
    const foreignTeam = await get(a.id, otherTeam);
    expect(foreignTeam.statusCode).toBe(403);
    expect((await act(a.id, 'check-in', undefined, otherTeam)).statusCode).toBe(403);
    const outOfScope = await book(otherTeam, { startsAt: '2027-01-18T18:00:00Z', resourceIds: [roomId] });
    expect(outOfScope.statusCode).toBe(403);
    const byClient = await t.http.request({
      method: 'GET',
      url: `${APPOINTMENTS}?clientId=${client.id}`,
      token: otherTeam,
    });
    expect(byClient.statusCode).toBe(403);

    const calendar = (token: string) =>
      t.http.request({ method: 'GET', url: `${APPOINTMENTS}?resourceId=${roomId}&date=2027-01-18`, token });
    const theirs = (await calendar(otherTeam)).json<{ items: Appointment[] }>().items;
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({
      id: a.id,
      clientId: null,
      clientName: null,
      clientWithheld: true,
      notes: null,
      startsAt: a.startsAt,
      status: 'booked',
    });
    expect((await get(a.id)).statusCode).toBe(200);
    const audited = await t.database.db
      .withTables<AuditTables>()
      .selectFrom('audit.audit_logs')
      .select(['action', 'resource_type', 'outcome'])
      .where('resource_id', '=', a.id)
      .where('action', '=', 'scheduling.appointments.read')
      .execute();
    expect(audited).toEqual(
      expect.arrayContaining([
        {
          action: 'scheduling.appointments.read',
          resource_type: 'scheduling.appointments',
          outcome: 'allowed',
        },
        expect.objectContaining({ outcome: 'denied' }),
      ]),
    );
    const mine = (await calendar(scheduler)).json<{ items: Appointment[] }>().items;
    // Those who may see the client see who it is: the calendar names them (one scoped query).
    expect(mine[0]).toMatchObject({
      clientId: client.id,
      clientName: `${client.givenName} ${client.familyName}`,
      clientWithheld: false,
      notes: 'Wheelchair access',
    });

    // The front desk's check-in list: the day's booked appointments across the agency.
    const checkIn = await t.http.request({
      method: 'GET',
      url: `${APPOINTMENTS}?date=2027-01-18&status=booked`,
      token: otherTeam,
    });
    const day = checkIn.json<{ items: Appointment[] }>().items;
    expect(day.map((x) => x.id)).toContain(a.id);
    expect(day.every((x) => x.clientWithheld && x.clientId === null && x.clientName === null)).toBe(true);
    // Another agency's calendar does not include it at all.
    const elsewhere = await t.http.request({
      method: 'GET',
      url: `${APPOINTMENTS}?date=2027-01-18`,
      token: otherAgency,
    });
    expect(elsewhere.json<{ items: Appointment[] }>().items).toEqual([]);
  });

  it('answers bad input with problem+json naming the fields', async () => {
    const res = await t.http.request({
      method: 'POST',
      url: APPOINTMENTS,
      token: scheduler,
      body: { clientId: 'nobody', startsAt: 'tomorrow at 3', resourceIds: [] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.clientId',
        'body.startsAt',
        'body.resourceIds',
        'body.appointmentTypeId',
      ]),
    );
    const wrongKind = await book(scheduler, {
      startsAt: '2027-01-19T15:00:00Z',
      resourceIds: [randomUUID()],
    });
    expect(wrongKind.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'body.resourceIds.0',
    ]);

    const many = Array.from({ length: AVAILABILITY_MAX_PROVIDERS + 1 }, () => randomUUID()).join(',');
    const tooMany = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/availability?providerIds=${many}&from=2027-01-04&to=2027-01-05&appointmentTypeId=${INTAKE.id}`,
      token: scheduler,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(
      'query.providerIds',
    );
    // As many as the cap in one request: each provider answered, in the order asked.
    const most = Array.from({ length: AVAILABILITY_MAX_PROVIDERS }, () => randomUUID());
    const full = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/availability?providerIds=${most.join(',')}&from=2027-01-04&to=2027-02-03&appointmentTypeId=${INTAKE.id}`,
      token: scheduler,
    });
    expect(full.statusCode).toBe(200);
    expect(full.json<{ providers: ProviderAvailability[] }>().providers.map((p) => p.providerId)).toEqual(
      most,
    );
    const tooLong = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/availability?providerIds=${randomUUID()}&from=2027-01-01&to=2027-03-01&appointmentTypeId=${INTAKE.id}`,
      token: scheduler,
    });
    expect(tooLong.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('query.to');
    const noRange = await t.http.request({ method: 'GET', url: APPOINTMENTS, token: scheduler });
    expect(noRange.statusCode).toBe(400);
  });

  it('manages resources, hours and types with If-Match, and keeps other agencies out', async () => {
    const res = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/resources?kind=room`,
      token: scheduler,
    });
    expect(res.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual(
      expect.arrayContaining(DEMO_ROOMS.map((r) => r.id)),
    );
    const hours = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/resources/${DEMO_ROOMS[0].id}/hours`,
      token: scheduler,
    });
    expect(hours.json<{ timeZone: string; hours: unknown[] }>()).toMatchObject({
      timeZone: 'America/Chicago',
    });
    expect(hours.json<{ hours: unknown[] }>().hours).toHaveLength(5);
    // A scheduler may read but not manage.
    expect(
      (
        await t.http.request({
          method: 'POST',
          url: `${SCHEDULING}/resources`,
          token: scheduler,
          body: { kind: 'room', name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    const foreign = await t.token({
      agency: OTHER_AGENCY,
      grants: { 'scheduling.resources.read': 'agency', 'scheduling.resources.manage': 'agency' },
    });
    expect(
      (
        await t.http.request({
          method: 'GET',
          url: `${SCHEDULING}/resources/${DEMO_ROOMS[0].id}`,
          token: foreign,
        })
      ).statusCode,
    ).toBe(404);
    const resource = await created<{ id: string; version: number }>(t, manager, `${SCHEDULING}/resources`, {
      kind: 'vehicle',
      name: 'Van 1',
    });
    await putHours(t, manager, resource.id, resource.version, weekdays('09:00', '12:00'));
    const stale = await t.http.request({
      method: 'PUT',
      url: `${SCHEDULING}/resources/${resource.id}/hours`,
      token: manager,
      headers: { 'if-match': `"${resource.version}"` },
      body: { hours: [] },
    });
    expect(stale.statusCode).toBe(412);
    const duplicate = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointment-types`,
      token: manager,
      body: { code: 'intake', name: 'Intake again', durationMinutes: 60, allowedResourceKinds: ['room'] },
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it('lets the demo scheduler (role grants, real login) book a demo room for a client of their team', async () => {
    const demo = DEMO_USERS.find((u) => u.role === 'scheduler');
    const login = await t.http.request({
      method: 'POST',
      url: '/api/v1/identity/auth/login',
      body: { email: demo?.email, password: demo?.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const token = login.json<{ accessToken: string }>().accessToken;
    // Room 101 works Mon–Fri 08:00–17:00 Chicago: 2027-01-20 (a Wednesday) 09:00 CST is 15:00Z.
    const res = await book(token, {
      appointmentTypeId: DEMO_APPOINTMENT_TYPES[1].id,
      startsAt: '2027-01-20T15:00:00Z',
      resourceIds: [DEMO_ROOMS[0].id],
    });
    expect(res.statusCode, res.body).toBe(201);
    // Individual therapy: 50 minutes and a 10-minute buffer after.
    expect(res.json<Appointment>().resources[0]).toMatchObject({
      blockedFrom: '2027-01-20T15:00:00.000Z',
      blockedTo: '2027-01-20T16:00:00.000Z',
    });
    const evening = await book(token, { startsAt: '2027-01-20T23:30:00Z', resourceIds: [DEMO_ROOMS[0].id] });
    expect(problemType(evening)).toBe('outside-working-hours');
  });

  it('reads the agency time zone from AGENCY_TIME_ZONE and refuses one that is not an IANA zone', () => {
    expect(loadConfig({}).AGENCY_TIME_ZONE).toBe('America/Chicago');
    expect(loadConfig({ AGENCY_TIME_ZONE: 'America/Denver' }).AGENCY_TIME_ZONE).toBe('America/Denver');
    expect(() => loadConfig({ AGENCY_TIME_ZONE: 'Mars/Olympus' })).toThrow(ConfigError);
    expect(() => loadConfig({ AGENCY_TIME_ZONE: '+05:00' })).toThrow(ConfigError);
  });
});
