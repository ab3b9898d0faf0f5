import { connect } from 'amqplib';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { EventBroker } from '../../src/platform/events/event-broker.js';
import { publishEvent, type DomainEvent } from '../../src/platform/events/events.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from './eventually.js';
import { TcpProxy, targetOf, viaProxy } from './tcp-proxy.js';

const AMQP_URL = process.env.AMQP_URL;
const MAX_ATTEMPTS = 3;

/**
 * The same outbox, with RabbitMQ in between (runs when AMQP_URL is set). The app reaches the
 * broker through a relay the test can cut, to see what happens when the connection drops.
 */
describe.skipIf(!AMQP_URL)('events through RabbitMQ', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let db: Kysely<PlatformTables>;
  let dispatcher: OutboxDispatcher;
  let broker: EventBroker;

  beforeAll(async () => {
    const url = AMQP_URL ?? '';
    const target = targetOf(url, 5672);
    proxy = new TcpProxy(target.host, target.port);
    await proxy.start();
    t = await startTestApp({
      AMQP_URL: viaProxy(url, proxy),
      OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      OUTBOX_RETRY_BASE_MS: '100',
      HEALTH_CHECK_TIMEOUT_MS: '1000',
    });
    db = t.database.db;
    dispatcher = t.app.get(OutboxDispatcher);
    broker = t.app.get(EventBroker);
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  const publish = (topic: string, payload: unknown) =>
    db.transaction().execute((trx) => publishEvent(trx, topic, payload));

  const publishedAt = async (id: string) =>
    (await db.selectFrom('platform.outbox').select('published_at').where('id', '=', id).executeTakeFirst())
      ?.published_at;

  it('carries an event through the exchange to a subscriber’s queue', async () => {
    const received: DomainEvent[] = [];
    dispatcher.subscribe('test.amqp-round', 'amqp.round.#', async (e) => {
      received.push(e);
    });
    await dispatcher.ready();

    // A listener of our own on the exchange sees what the broker routed.
    const watcher = await connect(AMQP_URL ?? '');
    const channel = await watcher.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, `${t.config.AMQP_NAMESPACE}.events`, 'amqp.round.#');
    const onTheWire: unknown[] = [];
    await channel.consume(queue, (msg) => msg && onTheWire.push(JSON.parse(msg.content.toString())), {
      noAck: true,
    });

    const event = await publish('amqp.round.trip', { caseId: 'case-5' });
    await eventually('delivery', () => received.length === 1);
    expect(received).toEqual([event]);
    await eventually('the broker’s copy', () => onTheWire.length === 1);
    expect(onTheWire).toEqual([event]);
    // The row is marked published after the broker confirms, which can be after a consumer already has it.
    expect(
      await eventually('the row marked published', async () => (await publishedAt(event.id)) ?? undefined),
    ).toBeInstanceOf(Date);
    await watcher.close();
  });

  it('gives every replica its own copy for a per-process subscriber, while replicas share ordinary work', async () => {
    // A second process of the same service: its own app on the same exchange.
    const replica = await startTestApp({ AMQP_URL: AMQP_URL ?? '', AMQP_NAMESPACE: t.config.AMQP_NAMESPACE });
    try {
      const live: Record<string, string[]> = { first: [], second: [] };
      const work: Record<string, string[]> = { first: [], second: [] };
      for (const [name, app] of [
        ['first', t],
        ['second', replica],
      ] as const) {
        const d = app.app.get(OutboxDispatcher);
        d.subscribe('test.live-view', 'fanout.#', async (e) => void live[name]?.push(e.id), {
          perProcess: true,
        });
        d.subscribe('test.shared-work', 'fanout.#', async (e) => void work[name]?.push(e.id));
        await d.ready();
      }
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await publish('fanout.bed.changed', { n: i })).id);
      await eventually('both replicas see every live event', () =>
        Object.values(live).every((seen) => seen.length === ids.length),
      );
      expect(live.first?.sort()).toEqual([...ids].sort());
      expect(live.second?.sort()).toEqual([...ids].sort());
      await eventually(
        'the shared work is done once',
        () => (work.first?.length ?? 0) + (work.second?.length ?? 0) === 6,
      );
      expect([...(work.first ?? []), ...(work.second ?? [])].sort()).toEqual([...ids].sort());
      // A per-process subscriber leaves no inbox rows (the inbox is shared by the replicas).
      const inbox = await db
        .selectFrom('platform.inbox')
        .select('consumer')
        .where('consumer', '=', 'test.live-view')
        .execute();
      expect(inbox).toEqual([]);
    } finally {
      await replica.close();
    }
  });

  it('has each consumer act once on an event the broker delivers twice', async () => {
    const seen: string[] = [];
    dispatcher.subscribe('test.amqp-once', 'amqp.once.#', async (e) => {
      seen.push(e.id);
    });
    await dispatcher.ready();
    const first = await publish('amqp.once.case.opened', { caseId: 'case-6' });
    await eventually('first delivery', () => seen.length === 1);
    // Publish the same row again, as after a crash between the confirm and marking it published.
    await db
      .updateTable('platform.outbox')
      .set({ published_at: null, next_attempt_at: new Date() })
      .where('id', '=', first.id)
      .execute();
    await eventually('the row sent again', async () => !!(await publishedAt(first.id)));
    // Messages of one consumer are handled in queue order, so once this one is seen the repeat was too.
    const second = await publish('amqp.once.case.closed', { caseId: 'case-6' });
    await eventually('the next event', () => seen.includes(second.id));
    expect(seen).toEqual([first.id, second.id]);
  });

  it('retries a failing consumer through its retry queue, dead-letters it, and replays it to that consumer', async () => {
    let failing = true;
    let calls = 0;
    const flaky: string[] = [];
    const steady: string[] = [];
    dispatcher.subscribe('test.amqp-flaky', 'amqp.flaky.#', async (e) => {
      calls++;
      if (failing) throw new Error('the payer endpoint is down');
      flaky.push(e.id);
    });
    dispatcher.subscribe('test.amqp-steady', 'amqp.flaky.#', async (e) => {
      steady.push(e.id);
    });
    await dispatcher.ready();

    const event = await publish('amqp.flaky.claim.submitted', { claimId: 'claim-9' });
    const letter = await eventually('the dead letter', () =>
      db.selectFrom('platform.dead_letters').selectAll().where('event_id', '=', event.id).executeTakeFirst(),
    );
    expect(letter).toMatchObject({
      consumer: 'test.amqp-flaky',
      attempts: MAX_ATTEMPTS,
      topic: 'amqp.flaky.claim.submitted',
      payload: { claimId: 'claim-9' },
      last_error: 'the payer endpoint is down',
    });
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(steady).toEqual([event.id]);

    failing = false;
    const operator = await t.token({ sub: 'ops-1', grants: { 'platform.events.manage': 'all' } });
    const replay = await t.http.request({
      method: 'POST',
      url: `/api/v1/platform/dead-letters/${letter.id}/replay`,
      token: operator,
    });
    expect(replay.statusCode).toBe(200);
    await eventually('the replayed delivery', () => flaky.includes(event.id));
    const next = await publish('amqp.flaky.claim.paid', { claimId: 'claim-9' });
    await eventually('the next event', () => steady.includes(next.id));
    // The consumer that had it already skipped the replay.
    expect(steady).toEqual([event.id, next.id]);
  });

  it('keeps events in the outbox while the broker is unreachable and delivers them after reconnecting', async () => {
    const received: string[] = [];
    dispatcher.subscribe('test.amqp-outage', 'amqp.outage.#', async (e) => {
      received.push(e.id);
    });
    await dispatcher.ready();

    await proxy.cut();
    await eventually('the app to notice', () => !broker.connected);
    const down = await t.http.request({ method: 'GET', url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unavailable', checks: { rabbitmq: { status: 'down' } } });

    const during = [
      await publish('amqp.outage.note.signed', { noteId: 'n-1' }),
      await publish('amqp.outage.note.signed', { noteId: 'n-2' }),
    ];
    await new Promise((r) => setTimeout(r, 300));
    for (const e of during) expect(await publishedAt(e.id)).toBeNull();
    expect(received).toEqual([]);

    await proxy.start();
    await eventually('both events after reconnecting', () => received.length === 2, 30_000);
    expect(received.sort()).toEqual(during.map((e) => e.id).sort());
    const up = await t.http.request({ method: 'GET', url: '/health/ready' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ checks: { rabbitmq: { status: 'up' } } });
  });
});
