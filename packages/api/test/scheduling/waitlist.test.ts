import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../../src/modules/clients/demo.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { Waitlist } from '../../src/modules/scheduling/appointments/waitlist.service.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import { outboxPayloads } from '../support/outbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { created, SCHEDULING, type Appointment } from './appointments-helpers.js';

const WAITLIST = `${SCHEDULING}/waitlist`;
const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000a7';
const [freeing, first, second] = DEMO_CLIENTS;
if (!freeing || !first || !second) throw new Error('demo clients missing');

interface Entry {
  id: string;
  clientId: string;
  clientName: string | null;
  status: string;
  priority: number;
  offer: { id: string; startsAt: string; resourceIds: string[]; expiresAt: string; expired: boolean } | null;
  bookedAppointmentId: string | null;
}

interface Offered {
  offerId: string;
  entryId: string;
  freedAppointmentId: string;
  startsAt: string;
}

describe('waitlist', () => {
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
      sub: randomUUID(),
      agency: DEMO_AGENCY.id,
      grants: {
        'scheduling.appointments.read': 'agency',
        'scheduling.appointments.write': 'agency',
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

  const flush = () => t.app.get(OutboxDispatcher).flush();
  const room = async (name: string) =>
    (await created<{ id: string }>(t, manager, `${SCHEDULING}/resources`, { kind: 'room', name })).id;
  const type = async (code: string) =>
    (
      await created<{ id: string }>(t, manager, `${SCHEDULING}/appointment-types`, {
        code,
        name: code,
        durationMinutes: 45,
        allowedResourceKinds: ['room'],
      })
    ).id;
  const book = (body: Record<string, unknown>) =>
    t.http.request({ method: 'POST', url: `${SCHEDULING}/appointments`, token: scheduler, body });
  const booked = async (body: Record<string, unknown>) => {
    const res = await book(body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Appointment>();
  };
  const entry = (body: Record<string, unknown>) => created<Entry>(t, scheduler, WAITLIST, body);
  const read = async (id: string, token = scheduler): Promise<Entry> => {
    const res = await t.http.request({ method: 'GET', url: `${WAITLIST}/${id}`, token });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Entry>();
  };
  const cancel = async (id: string) => {
    const res = await t.http.request({
      method: 'POST',
      url: `${SCHEDULING}/appointments/${id}/cancel`,
      token: scheduler,
      body: { reason: 'Client called' },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const offersOf = async (freedAppointmentId: string) =>
    (await outboxPayloads<Offered>(t, 'scheduling.waitlist.offered')).filter(
      (p) => p.freedAppointmentId === freedAppointmentId,
    );

  it('offers a cancelled slot to the most urgent fitting entry, once; on expiry to the next; accepting books it', async () => {
    const typeId = await type('wl-offer');
    const roomA = await room('Waitlist room A');
    const roomB = await room('Waitlist room B');
    // Wednesday 3 March 2027, 09:00 Chicago (morning).
    const slot = await booked({
      clientId: freeing.id,
      appointmentTypeId: typeId,
      startsAt: '2027-03-03T15:00:00Z',
      resourceIds: [roomA],
    });
    const oldest = await entry({ clientId: first.id, appointmentTypeId: typeId, priority: 3 });
    const afternoonOnly = await entry({
      clientId: second.id,
      appointmentTypeId: typeId,
      priority: 1,
      timesOfDay: ['afternoon'],
    });
    const otherRoom = await entry({
      clientId: second.id,
      appointmentTypeId: typeId,
      priority: 1,
      resourceIds: [roomB],
    });
    const tooLate = await entry({
      clientId: second.id,
      appointmentTypeId: typeId,
      priority: 1,
      earliestDate: '2027-03-04',
    });
    const best = await entry({
      clientId: second.id,
      appointmentTypeId: typeId,
      priority: 2,
      earliestDate: '2027-03-01',
      latestDate: '2027-03-05',
      timesOfDay: ['morning'],
      resourceIds: [roomA, roomB],
    });
    const next = await entry({ clientId: first.id, appointmentTypeId: typeId, priority: 2 });

    await cancel(slot.id);
    await flush();
    const offered = await read(best.id);
    expect(offered.status).toBe('offered');
    expect(offered.offer).toMatchObject({
      startsAt: '2027-03-03T15:00:00.000Z',
      resourceIds: [roomA],
      expired: false,
    });
    for (const e of [oldest, afternoonOnly, otherRoom, tooLate, next])
      expect((await read(e.id)).status).toBe('waiting');
    const events = await offersOf(slot.id);
    expect(events).toHaveLength(1);
    expect(Object.keys(events[0] ?? {}).sort()).toEqual(
      [
        'agencyId',
        'appointmentTypeId',
        'clientId',
        'endsAt',
        'entryId',
        'expiresAt',
        'freedAppointmentId',
        'offerId',
        'resourceIds',
        'startsAt',
      ].sort(),
    );

    // Redelivery of the cancellation offers nothing more.
    const waitlist = t.app.get(Waitlist);
    await waitlist.handle({
      id: randomUUID(),
      topic: 'scheduling.appointment.cancelled',
      occurredAt: new Date().toISOString(),
      payload: { appointmentId: slot.id },
    });
    expect(await offersOf(slot.id)).toHaveLength(1);

    // Not yet expired: nothing changes. Past its time: back to waiting, the next in line gets it.
    expect(await waitlist.expireOffers(new Date())).toBe(0);
    expect(await waitlist.expireOffers(new Date(Date.now() + 121 * 60_000))).toBe(1);
    expect((await read(best.id)).status).toBe('waiting');
    const handedOn = await read(next.id);
    expect(handedOn.status).toBe('offered');
    expect(await offersOf(slot.id)).toHaveLength(2);

    const accepted = await booked({
      clientId: first.id,
      appointmentTypeId: typeId,
      startsAt: '2027-03-03T15:00:00Z',
      resourceIds: [roomA],
      waitlistEntryId: next.id,
    });
    expect(await read(next.id)).toMatchObject({
      status: 'booked',
      bookedAppointmentId: accepted.id,
      offer: null,
    });
    // The entry is spent: it cannot book again.
    const twice = await book({
      clientId: first.id,
      appointmentTypeId: typeId,
      startsAt: '2027-03-10T15:00:00Z',
      resourceIds: [roomA],
      waitlistEntryId: next.id,
    });
    expect(twice.statusCode).toBe(400);
    // Once the slot is taken, an expiry has nothing to hand on.
    await waitlist.expireOffers(new Date(Date.now() + 500 * 60_000));
    expect(await offersOf(slot.id)).toHaveLength(2);
  });

  it('an unrelated freed slot offers nothing; entries past their latest date expire', async () => {
    const typeId = await type('wl-unrelated');
    const otherType = await type('wl-unrelated-other');
    const roomId = await room('Unrelated room');
    const waiting = await entry({ clientId: first.id, appointmentTypeId: typeId, timesOfDay: ['evening'] });
    const sameTypeMorning = await booked({
      clientId: freeing.id,
      appointmentTypeId: typeId,
      startsAt: '2027-03-08T15:00:00Z',
      resourceIds: [roomId],
    });
    const otherTypeEvening = await booked({
      clientId: freeing.id,
      appointmentTypeId: otherType,
      startsAt: '2027-03-08T23:30:00Z',
      resourceIds: [roomId],
    });
    await cancel(sameTypeMorning.id);
    await cancel(otherTypeEvening.id);
    await flush();
    expect(await offersOf(sameTypeMorning.id)).toHaveLength(0);
    expect(await offersOf(otherTypeEvening.id)).toHaveLength(0);
    expect((await read(waiting.id)).status).toBe('waiting');
    // An entry whose latest date has passed ends as expired when the job runs.
    const lapsed = await entry({ clientId: first.id, appointmentTypeId: typeId, latestDate: '2026-01-31' });
    await t.app.get(Waitlist).expireOffers();
    expect((await read(lapsed.id)).status).toBe('expired');
    expect((await read(waiting.id)).status).toBe('waiting');
  });

  it('withdraws an entry; scope: another team gets 403 and does not see it, another agency 404', async () => {
    const typeId = await type('wl-scope');
    const e = await entry({ clientId: freeing.id, appointmentTypeId: typeId });
    expect(
      (await t.http.request({ method: 'GET', url: `${WAITLIST}/${e.id}`, token: otherTeam })).statusCode,
    ).toBe(403);
    expect(
      (await t.http.request({ method: 'GET', url: `${WAITLIST}/${e.id}`, token: otherAgency })).statusCode,
    ).toBe(404);
    const add = await t.http.request({
      method: 'POST',
      url: WAITLIST,
      token: otherTeam,
      body: { clientId: freeing.id, appointmentTypeId: typeId },
    });
    expect(add.statusCode).toBe(403);
    const theirs = await t.http.request({
      method: 'GET',
      url: `${WAITLIST}?appointmentTypeId=${typeId}`,
      token: otherTeam,
    });
    expect(theirs.json<{ items: Entry[] }>().items).toEqual([]);
    const ours = await t.http.request({
      method: 'GET',
      url: `${WAITLIST}?appointmentTypeId=${typeId}`,
      token: scheduler,
    });
    expect(ours.json<{ items: Entry[] }>().items.map((x) => x.id)).toEqual([e.id]);
    // The list names the client and says which zone its dates, times of day and offers are in.
    const name = `${freeing.givenName} ${freeing.familyName}`;
    expect(ours.json()).toMatchObject({ timeZone: 'America/Chicago', items: [{ clientName: name }] });
    expect((await read(e.id)).clientName).toBe(name);
    const foreign = await t.http.request({
      method: 'POST',
      url: `${WAITLIST}/${e.id}/withdraw`,
      token: otherAgency,
      body: {},
    });
    expect(foreign.statusCode).toBe(404);
    const res = await t.http.request({
      method: 'POST',
      url: `${WAITLIST}/${e.id}/withdraw`,
      token: scheduler,
      body: { reason: 'Seen elsewhere' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Entry>().status).toBe('withdrawn');
    const again = await t.http.request({
      method: 'POST',
      url: `${WAITLIST}/${e.id}/withdraw`,
      token: scheduler,
      body: {},
    });
    expect(again.statusCode).toBe(409);
    const bad = await t.http.request({
      method: 'POST',
      url: WAITLIST,
      token: scheduler,
      body: {
        clientId: freeing.id,
        appointmentTypeId: typeId,
        earliestDate: '2027-03-05',
        latestDate: '2027-03-01',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('body.latestDate');
  });
});
