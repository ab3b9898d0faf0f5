import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../../src/modules/clients/demo.js';
import { DEMO_AGENCY } from '../../src/modules/identity/demo.js';
import { DEMO_APPOINTMENT_TYPES } from '../../src/modules/scheduling/appointments/appointments.seed.js';
import { ReminderSchedule } from '../../src/modules/scheduling/appointments/reminder-policy.js';
import { RemindersRepository } from '../../src/modules/scheduling/appointments/reminders.repository.js';
import { outboxPayloads } from '../support/outbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { created, SCHEDULING, type Appointment } from './appointments-helpers.js';

const POLICY = `${SCHEDULING}/reminder-policy`;
const client = DEMO_CLIENTS[0];
const CASE_MANAGEMENT = DEMO_APPOINTMENT_TYPES[2];
if (!client) throw new Error('demo clients missing');

interface ReminderDue {
  reminderId: string;
  appointmentId: string;
  lead: unknown;
  dueAt: string;
  startsAt: string;
}

describe('appointment reminders', () => {
  let t: TestApp;
  let manager: string;
  let scheduler: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.token({
      agency: DEMO_AGENCY.id,
      grants: { 'scheduling.resources.read': 'agency', 'scheduling.resources.manage': 'agency' },
    });
    scheduler = await t.token({
      sub: randomUUID(),
      agency: DEMO_AGENCY.id,
      grants: {
        'scheduling.appointments.read': 'agency',
        'scheduling.appointments.write': 'agency',
        'scheduling.resources.read': 'agency',
      },
    });
    admin = await t.token({
      sub: randomUUID(),
      agency: DEMO_AGENCY.id,
      grants: { 'scheduling.policy.manage': 'agency' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const room = async (name: string) =>
    (await created<{ id: string }>(t, manager, `${SCHEDULING}/resources`, { kind: 'room', name })).id;
  const book = async (startsAt: string, resourceId: string): Promise<Appointment> =>
    created<Appointment>(t, scheduler, `${SCHEDULING}/appointments`, {
      clientId: client.id,
      appointmentTypeId: CASE_MANAGEMENT.id,
      startsAt,
      resourceIds: [resourceId],
    });
  const pending = async (appointmentId: string) =>
    (await t.app.get(RemindersRepository).ofAppointment(appointmentId))
      .filter((r) => r.processed_at === null)
      .map((r) => [r.due_at.toISOString(), r.lead]);
  const dueEvents = async (appointmentId: string) =>
    (await outboxPayloads<ReminderDue>(t, 'scheduling.appointment.reminder_due')).filter(
      (p) => p.appointmentId === appointmentId,
    );

  it('computes reminders on booking, recomputes them on reschedule and drops them on cancel', async () => {
    const roomId = await room('Reminder room');
    // Wednesday 3 March 2027, 09:00 CST: 72 h before, and 10:00 on Tuesday.
    const a = await book('2027-03-03T15:00:00Z', roomId);
    expect(await pending(a.id)).toEqual([
      ['2027-02-28T15:00:00.000Z', { hoursBefore: 72 }],
      ['2027-03-02T16:00:00.000Z', { businessDaysBefore: 1, atLocalTime: '10:00' }],
    ]);
    // Monday 15 March, 09:00 CDT (after the spring change): the business day before is Friday, CST.
    const res = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments/${a.id}/reschedule`,
      token: scheduler,
      body: { startsAt: '2027-03-15T14:00:00Z' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const moved = res.json<Appointment>();
    expect(await pending(a.id)).toEqual([]);
    expect(await pending(moved.id)).toEqual([
      ['2027-03-12T14:00:00.000Z', { hoursBefore: 72 }],
      ['2027-03-12T16:00:00.000Z', { businessDaysBefore: 1, atLocalTime: '10:00' }],
    ]);
    const cancel = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments/${moved.id}/cancel`,
      token: scheduler,
      body: { reason: 'Client called' },
    });
    expect(cancel.statusCode).toBe(200);
    expect(await pending(moved.id)).toEqual([]);
    await t.app.get(ReminderSchedule).publishDue(new Date('2027-03-15T00:00:00Z'));
    expect(await dueEvents(moved.id)).toEqual([]);
  });

  it('the business day before skips an agency holiday', async () => {
    await created(t, manager, `${SCHEDULING}/exceptions`, {
      startsAt: '2027-03-23T05:00:00Z',
      endsAt: '2027-03-24T05:00:00Z',
      kind: 'holiday',
      reason: 'County holiday',
    });
    // Wednesday 24 March 09:00 CDT; Tuesday is a holiday, so Monday 10:00 CDT.
    const a = await book('2027-03-24T14:00:00Z', await room('Holiday reminder room'));
    expect(await pending(a.id)).toEqual([
      ['2027-03-21T14:00:00.000Z', { hoursBefore: 72 }],
      ['2027-03-22T15:00:00.000Z', { businessDaysBefore: 1, atLocalTime: '10:00' }],
    ]);
  });

  it('publishes each reminder once when due, never one already past at booking', async () => {
    const roomId = await room('Due room');
    const a = await book('2027-04-07T14:00:00Z', roomId);
    const job = t.app.get(ReminderSchedule);
    await job.publishDue(new Date('2027-04-04T13:59:00Z'));
    expect(await dueEvents(a.id)).toEqual([]);
    await job.publishDue(new Date('2027-04-04T14:00:00Z'));
    await job.publishDue(new Date('2027-04-04T14:30:00Z'));
    const first = await dueEvents(a.id);
    expect(first).toEqual([
      expect.objectContaining({
        lead: { hoursBefore: 72 },
        dueAt: '2027-04-04T14:00:00.000Z',
        startsAt: '2027-04-07T14:00:00.000Z',
      }),
    ]);
    expect(Object.keys(first[0] ?? {}).sort()).toEqual(
      [
        'agencyId',
        'appointmentId',
        'appointmentTypeId',
        'clientId',
        'dueAt',
        'lead',
        'reminderId',
        'seriesId',
        'startsAt',
      ].sort(),
    );
    await job.publishDue(new Date('2027-04-06T15:00:00Z'));
    expect((await dueEvents(a.id)).map((e) => e.lead)).toEqual([
      { hoursBefore: 72 },
      { businessDaysBefore: 1, atLocalTime: '10:00' },
    ]);
    // Booked two hours ahead: both leads are already past, so there is nothing to send.
    const soon = await book(new Date(Date.now() + 2 * 3_600_000).toISOString(), roomId);
    expect(await pending(soon.id)).toEqual([]);
  });

  it('two job runs at once publish every due reminder exactly once', async () => {
    const occurrences: Appointment[] = [];
    for (let n = 0; n < 5; n++) {
      const series = await created<{ occurrences: Appointment[] }>(t, scheduler, `${SCHEDULING}/series`, {
        clientId: client.id,
        appointmentTypeId: CASE_MANAGEMENT.id,
        resourceIds: [await room(`Concurrent reminders room ${n}`)],
        startsAt: '2027-05-03T14:00:00Z',
        recurrence: 'FREQ=DAILY;COUNT=30',
      });
      occurrences.push(...series.occurrences);
    }
    const ids = new Set(occurrences.map((o) => o.id));
    const job = t.app.get(ReminderSchedule);
    // Mid-series: reminders of occurrences still ahead that have come due.
    const now = new Date('2027-05-20T00:00:00Z');
    let due = 0;
    for (const o of occurrences) {
      if (Date.parse(o.startsAt) <= now.getTime()) continue;
      due += (await pending(o.id)).filter(([at]) => Date.parse(at as string) <= now.getTime()).length;
    }
    expect(due).toBeGreaterThanOrEqual(20);
    const [x, y] = await Promise.all([job.publishDue(now), job.publishDue(now)]);
    const events = (await outboxPayloads<ReminderDue>(t, 'scheduling.appointment.reminder_due')).filter((p) =>
      ids.has(p.appointmentId),
    );
    expect(events).toHaveLength(due);
    expect(new Set(events.map((e) => e.reminderId)).size).toBe(due);
    expect(x + y).toBe(due);
    expect(await job.publishDue(now)).toBe(0);
  });

  it('agency admins read and replace the policy (If-Match); new bookings follow it', async () => {
    const read = await t.http.request({ method: 'GET', url: POLICY, token: admin });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({
      isDefault: true,
      version: 0,
      leads: [{ hoursBefore: 72 }, { businessDaysBefore: 1, atLocalTime: '10:00' }],
    });
    expect((await t.http.request({ method: 'GET', url: POLICY, token: scheduler })).statusCode).toBe(403);
    const bad = await t.http.request({
      method: 'PUT',
      url: POLICY,
      token: admin,
      headers: { 'if-match': '"0"' },
      body: { leads: [{ businessDaysBefore: 1, atLocalTime: '25:00' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toMatch(/^body\.leads\.0/);
    const put = await t.http.request({
      method: 'PUT',
      url: POLICY,
      token: admin,
      headers: { 'if-match': '"0"' },
      body: { leads: [{ hoursBefore: 24 }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ isDefault: false, version: 1, leads: [{ hoursBefore: 24 }] });
    const stale = await t.http.request({
      method: 'PUT',
      url: POLICY,
      token: admin,
      headers: { 'if-match': '"0"' },
      body: { leads: [] },
    });
    expect(stale.statusCode).toBe(412);
    const a = await book('2027-08-04T14:00:00Z', await room('Policy room'));
    expect(await pending(a.id)).toEqual([['2027-08-03T14:00:00.000Z', { hoursBefore: 24 }]]);
  });
});
