import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../../src/modules/clients/demo.js';
import { DEMO_AGENCY, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { DEMO_PROVIDERS } from '../../src/modules/providers/demo.js';
import type { ProviderCreatedEvent } from '../../src/modules/providers/providers.events.js';
import {
  DEMO_APPOINTMENT_TYPES,
  DEMO_PROVIDER_RESOURCES,
} from '../../src/modules/scheduling/appointments/appointments.seed.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { publishEvent } from '../../src/platform/events/events.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  created,
  nextNpi,
  problemType,
  putHours,
  resourceOfProvider,
  SCHEDULING,
  weekdays,
  type ProviderAvailability,
} from './appointments-helpers.js';

const CONSUMER = 'scheduling.provider-resources';
const client = DEMO_CLIENTS[0];
const CASE_MANAGEMENT = DEMO_APPOINTMENT_TYPES[2];
const demoProvider = DEMO_PROVIDERS[0];
const demoResource = DEMO_PROVIDER_RESOURCES[0];
if (!client || !demoProvider || !demoResource) throw new Error('demo data missing');

interface Resource {
  id: string;
  kind: string;
  providerId: string | null;
  name: string;
  active: boolean;
  version: number;
}

describe('a provider added to the agency gets a resource to book', () => {
  let t: TestApp;
  let manager: string;
  let scheduler: string;

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
      agency: DEMO_AGENCY.id,
      teams: [DEMO_TEAM_IDS.bhOutpatient],
      grants: {
        'scheduling.appointments.read': 'team',
        'scheduling.appointments.write': 'team',
        'scheduling.resources.read': 'agency',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const flush = () => t.app.get(OutboxDispatcher).flush();
  const db = () => t.database.db.withTables<PlatformTables>();

  const addProvider = (name: string, kind = 'individual') =>
    created<{ id: string; version: number }>(t, manager, '/api/v1/providers', { kind, name, npi: nextNpi() });

  const resourcesOf = async (providerId: string): Promise<Resource[]> => {
    const res = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/resources?providerId=${providerId}`,
      token: manager,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Resource[] }>().items;
  };

  /** The provider's event on `topic`, as the outbox holds it. */
  const eventOf = async (topic: string, providerId: string) => {
    const row = await db()
      .selectFrom('platform.outbox')
      .select(['id', 'topic', 'payload'])
      .where('topic', '=', topic)
      .where(sql<boolean>`payload->>'providerId' = ${providerId}`)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    return row;
  };

  /**
   * Delivers an event to this subscriber again, as after a crash between handling it and
   * recording it: the inbox row goes, the outbox row is due again, the dispatcher runs.
   */
  const redeliver = async (eventId: string) => {
    await db()
      .deleteFrom('platform.inbox')
      .where('consumer', '=', CONSUMER)
      .where('event_id', '=', eventId)
      .execute();
    await db()
      .updateTable('platform.outbox')
      .set({ published_at: null, next_attempt_at: sql<Date>`now()` })
      .where('id', '=', eventId)
      .execute();
    await flush();
    expect(await handledBy(eventId), 'handled again').toBe(true);
  };

  /** Whether this subscriber has handled the event (its inbox row). */
  const handledBy = async (eventId: string) =>
    (
      await db()
        .selectFrom('platform.inbox')
        .select('event_id')
        .where('consumer', '=', CONSUMER)
        .where('event_id', '=', eventId)
        .execute()
    ).length === 1;

  it('an individual provider gets an active provider resource with no hours, not bookable until hours are set', async () => {
    const provider = await addProvider('Jordan Blake, LPC');
    const resource = await resourceOfProvider(t, manager, provider.id);
    const [full] = await resourcesOf(provider.id);
    expect(full).toMatchObject({
      id: resource.id,
      kind: 'provider',
      providerId: provider.id,
      name: 'Jordan Blake, LPC',
      active: true,
    });
    const hours = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/resources/${resource.id}/hours`,
      token: manager,
    });
    expect(hours.json<{ hours: unknown[] }>().hours).toEqual([]);

    // A licence in date, but no hours: neither availability nor a direct booking finds a time.
    await created(t, manager, `/api/v1/providers/${provider.id}/credentials`, {
      type: 'license',
      number: 'LPC-1',
      issuer: 'Wisconsin DSPS',
      expiresOn: '2030-01-01',
    });
    const search = await t.http.request({
      method: 'GET',
      url: `${SCHEDULING}/availability?providerIds=${provider.id}&from=2027-04-05&to=2027-04-05&appointmentTypeId=${CASE_MANAGEMENT.id}`,
      token: scheduler,
    });
    const [found] = search.json<{ providers: ProviderAvailability[] }>().providers;
    expect(found).toMatchObject({ resourceId: resource.id, slots: [] });
    expect(found?.reasons.map((r) => r.code)).toContain('no-working-hours');
    const book = () =>
      t.http.request({
        method: 'POST',
        url: `${SCHEDULING}/appointments`,
        token: scheduler,
        body: {
          clientId: client.id,
          appointmentTypeId: CASE_MANAGEMENT.id,
          startsAt: '2027-04-05T15:00:00Z',
          resourceIds: [resource.id],
        },
      });
    const refused = await book();
    expect(refused.statusCode).toBe(409);
    expect(problemType(refused)).toBe('outside-working-hours');
    expect(refused.json<{ detail: string }>().detail).toContain('no working hours yet');

    await putHours(t, manager, resource.id, resource.version, weekdays('08:00', '17:00'));
    expect((await book()).statusCode).toBe(201);
  });

  it('an organisation gets no resource', async () => {
    const agency = await addProvider('Lakeside Counseling Group', 'organization');
    await flush();
    expect(await resourcesOf(agency.id)).toEqual([]);
  });

  it('redelivering the event adds no second resource', async () => {
    const provider = await addProvider('Riley Chen, LMFT');
    const resource = await resourceOfProvider(t, manager, provider.id);
    const event = await eventOf('providers.provider.created', provider.id);
    await redeliver(event.id);
    expect(await resourcesOf(provider.id)).toEqual([
      expect.objectContaining({ id: resource.id, version: 1 }),
    ]);
  });

  it('a provider that already has a resource (the demo seed’s) keeps that one', async () => {
    const before = await resourcesOf(demoProvider.id);
    expect(before.map((r) => r.id)).toEqual([demoResource.id]);
    // The demo providers are seeded without events: publish the created event now, as if it had been.
    const event = await publishEvent(db(), 'providers.provider.created', {
      providerId: demoProvider.id,
      agencyId: DEMO_AGENCY.id,
    } satisfies ProviderCreatedEvent);
    await flush();
    expect(await handledBy(event.id)).toBe(true);
    expect(await resourcesOf(demoProvider.id)).toEqual(before);
  });

  it('renaming the provider renames the resource, once', async () => {
    const provider = await addProvider('Sam Okafor');
    const resource = await resourceOfProvider(t, manager, provider.id);
    const renamed = await t.http.request({
      method: 'PATCH',
      url: `/api/v1/providers/${provider.id}`,
      token: manager,
      headers: { 'if-match': `"${provider.version}"` },
      body: { name: 'Sam Okafor, MD' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await flush();
    expect(await resourcesOf(provider.id)).toEqual([
      expect.objectContaining({ id: resource.id, name: 'Sam Okafor, MD', version: resource.version + 1 }),
    ]);

    // Redelivered, the rename finds the name already current and changes nothing.
    await redeliver((await eventOf('providers.provider.updated', provider.id)).id);
    expect(await resourcesOf(provider.id)).toEqual([
      expect.objectContaining({ name: 'Sam Okafor, MD', version: resource.version + 1 }),
    ]);
  });
});
