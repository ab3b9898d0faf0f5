import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import { publishEvent, type DomainEvent } from '../../src/platform/events/events.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from './eventually.js';

const MAX_ATTEMPTS = 4;
const RETRY_BASE_MS = 30_000;

describe('events through the transactional outbox (in-process delivery)', () => {
  let t: TestApp;
  let db: Kysely<PlatformTables>;
  let dispatcher: OutboxDispatcher;

  beforeAll(async () => {
    // No polling: the dispatcher runs right after each publish (the nudge) and when a test asks,
    // so retries happen when the test says, not on a clock.
    t = await startTestApp({
      AMQP_URL: '',
      OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      OUTBOX_RETRY_BASE_MS: String(RETRY_BASE_MS),
      OUTBOX_POLL_MS: '3600000',
    });
    db = t.database.db;
    dispatcher = t.app.get(OutboxDispatcher);
  });
  afterAll(async () => {
    await t.close();
  });

  const publish = (topic: string, payload: unknown) =>
    db.transaction().execute((trx) => publishEvent(trx, topic, payload));

  const pending = (id: string) =>
    db
      .selectFrom('platform.outbox')
      .select(['attempts', 'next_attempt_at', 'last_attempt_at'])
      .where('id', '=', id)
      .where('published_at', 'is', null)
      .executeTakeFirst();

  /** Lets the clock run out on the event's retry delay, and has the dispatcher try again. */
  async function retryNow(id: string) {
    await db
      .updateTable('platform.outbox')
      .set({ next_attempt_at: new Date() })
      .where('id', '=', id)
      .execute();
    await dispatcher.flush();
  }

  /** An event whose only subscriber keeps failing, retried until it lands in the dead letters. */
  async function deadLetter(topic: string, handler: (e: DomainEvent) => Promise<void>, consumer: string) {
    dispatcher.subscribe(consumer, topic, handler);
    const event = await publish(topic, { claimId: 'claim-77' });
    await dispatcher.flush();
    while (await pending(event.id)) await retryNow(event.id);
    return event;
  }

  it('delivers an event published in a committed transaction once per consumer, even when delivered twice', async () => {
    const seenByReporting: string[] = [];
    const seenByNotifications: string[] = [];
    dispatcher.subscribe('test.once-reporting', 'once.#', async (e) => {
      seenByReporting.push(e.id);
    });
    dispatcher.subscribe('test.once-notifications', 'once.case.*', async (e) => {
      seenByNotifications.push(e.id);
    });

    const opened = await publish('once.case.opened', { caseId: 'case-1' });
    await dispatcher.flush();
    expect(seenByReporting).toEqual([opened.id]);
    expect(seenByNotifications).toEqual([opened.id]);

    // The process died after the handlers ran but before the row was marked published: the
    // dispatcher sends it again, and the inbox keeps each consumer from acting twice.
    await db
      .updateTable('platform.outbox')
      .set({ published_at: null, next_attempt_at: new Date() })
      .where('id', '=', opened.id)
      .execute();
    const closed = await publish('once.case.closed', { caseId: 'case-1' });
    await dispatcher.flush();
    expect(seenByReporting).toEqual([opened.id, closed.id]);
    expect(seenByNotifications).toEqual([opened.id, closed.id]);
  });

  it('delivers soon after the transaction commits, without waiting for the next poll', async () => {
    const seen: string[] = [];
    dispatcher.subscribe('test.prompt', 'prompt.#', async (e) => {
      seen.push(e.id);
    });
    // This app polls once an hour; the publish itself wakes the dispatcher.
    const event = await publish('prompt.referral.received', { referralId: 'r-1' });
    await eventually('delivery', () => seen.length > 0, 5000);
    expect(seen).toEqual([event.id]);
  });

  it('hands subscribers the event as published', async () => {
    const seen: DomainEvent[] = [];
    dispatcher.subscribe('test.shape', 'shape.thing.happened', async (e) => {
      seen.push(e);
    });
    const event = await publish('shape.thing.happened', { thingId: 't-9', count: 3 });
    await dispatcher.flush();
    expect(seen).toEqual([event]);
  });

  it('never delivers an event whose transaction rolled back', async () => {
    const seen: string[] = [];
    dispatcher.subscribe('test.rollback', 'rollback.#', async (e) => {
      seen.push(e.id);
    });
    let eventId = '';
    await expect(
      db.transaction().execute(async (trx) => {
        eventId = (await publishEvent(trx, 'rollback.case.opened', { caseId: 'case-2' })).id;
        throw new Error('the change was refused');
      }),
    ).rejects.toThrow('the change was refused');
    await dispatcher.flush();
    expect(seen).toEqual([]);
    const row = await db
      .selectFrom('platform.outbox')
      .select('id')
      .where('id', '=', eventId)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('retries a failing consumer with growing delays, then moves the event to the dead letters', async () => {
    let calls = 0;
    const steady: string[] = [];
    dispatcher.subscribe('test.flaky-steady', 'flaky.#', async (e) => {
      steady.push(e.id);
    });
    dispatcher.subscribe('test.flaky', 'flaky.#', async () => {
      calls++;
      throw new Error('the clearinghouse is unavailable');
    });
    const event = await publish('flaky.claim.submitted', { claimId: 'claim-1' });
    await dispatcher.flush();

    // After each failure: how long the dispatcher waits before the next attempt.
    const delays: [number, number][] = [];
    for (let row = await pending(event.id); row; row = await pending(event.id)) {
      const waited = new Date(row.next_attempt_at).getTime() - new Date(row.last_attempt_at ?? 0).getTime();
      delays.push([row.attempts, waited]);
      // Not due yet: a pass now leaves it alone.
      await dispatcher.flush();
      expect(calls).toBe(row.attempts);
      await retryNow(event.id);
    }
    const letter = await db
      .selectFrom('platform.dead_letters')
      .selectAll()
      .where('event_id', '=', event.id)
      .executeTakeFirstOrThrow();

    expect(delays).toEqual([
      [1, RETRY_BASE_MS],
      [2, RETRY_BASE_MS * 2],
      [3, RETRY_BASE_MS * 4],
    ]);
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(letter).toMatchObject({
      topic: 'flaky.claim.submitted',
      payload: { claimId: 'claim-1' },
      attempts: MAX_ATTEMPTS,
      consumer: null,
      replayed_at: null,
    });
    expect(letter.last_error).toContain('test.flaky: the clearinghouse is unavailable');
    // The consumer that worked was not called again on every retry.
    expect(steady).toEqual([event.id]);
    const row = await db
      .selectFrom('platform.outbox')
      .select('id')
      .where('id', '=', event.id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('lets an operator list dead letters and replay one, which delivers it again', async () => {
    let failing = true;
    const delivered: string[] = [];
    const event = await deadLetter(
      'replay.claim.submitted',
      async (e) => {
        if (failing) throw new Error('payer endpoint down');
        delivered.push(e.id);
      },
      'test.replay',
    );
    const operator = await t.token({ sub: 'ops-1', grants: { 'platform.events.manage': 'all' } });

    const list = await t.http.request({
      method: 'GET',
      url: '/api/v1/platform/dead-letters',
      token: operator,
    });
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: { id: string; eventId: string }[] }).items;
    const item = items.find((i) => i.eventId === event.id);
    expect(item).toMatchObject({
      eventId: event.id,
      topic: 'replay.claim.submitted',
      payload: { claimId: 'claim-77' },
      attempts: MAX_ATTEMPTS,
      consumer: null,
      lastError: 'test.replay: payer endpoint down',
      replayedAt: null,
    });
    const id = item?.id ?? '';

    failing = false;
    const replay = await t.http.request({
      method: 'POST',
      url: `/api/v1/platform/dead-letters/${id}/replay`,
      token: operator,
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ id, eventId: event.id, replayedAt: expect.any(String) as string });
    await dispatcher.flush();
    expect(delivered).toEqual([event.id]);

    const pending = await t.http.request({
      method: 'GET',
      url: '/api/v1/platform/dead-letters',
      token: operator,
    });
    expect((pending.json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(id);
    const replayed = await t.http.request({
      method: 'GET',
      url: '/api/v1/platform/dead-letters?status=replayed',
      token: operator,
    });
    expect((replayed.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(id);

    const again = await t.http.request({
      method: 'POST',
      url: `/api/v1/platform/dead-letters/${id}/replay`,
      token: operator,
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
  });

  it('pages through dead letters with a cursor', async () => {
    await Promise.all(
      [1, 2, 3].map((n) =>
        deadLetter(`paging${n}.thing.failed`, () => Promise.reject(new Error('no')), `test.paging-${n}`),
      ),
    );
    const operator = await t.token({ sub: 'ops-2', grants: { 'platform.events.manage': 'all' } });
    const seen: string[] = [];
    let url = '/api/v1/platform/dead-letters?status=all&limit=2';
    for (let page = 0; page < 20; page++) {
      const res = await t.http.request({ method: 'GET', url, token: operator });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((i) => i.id));
      if (!body.nextCursor) break;
      url = `/api/v1/platform/dead-letters?status=all&limit=2&cursor=${body.nextCursor}`;
    }
    const all = await db.selectFrom('platform.dead_letters').select('id').orderBy('id', 'desc').execute();
    expect(seen).toEqual(all.map((r) => String(r.id)));
  });

  it('refuses dead-letter operations to a caller without system-wide scope, and unknown letters', async () => {
    const agencyOnly = await t.token({ sub: 'ops-3', grants: { 'platform.events.manage': 'agency' } });
    const list = await t.http.request({
      method: 'GET',
      url: '/api/v1/platform/dead-letters',
      token: agencyOnly,
    });
    expect(list.statusCode).toBe(403);
    const operator = await t.token({ sub: 'ops-4', grants: { 'platform.events.manage': 'all' } });
    const missing = await t.http.request({
      method: 'POST',
      url: '/api/v1/platform/dead-letters/999999/replay',
      token: operator,
    });
    expect(missing.statusCode).toBe(404);
    const bad = await t.http.request({
      method: 'POST',
      url: '/api/v1/platform/dead-letters/abc/replay',
      token: operator,
    });
    expect(bad.statusCode).toBe(400);
    const badCursor = await t.http.request({
      method: 'GET',
      url: '/api/v1/platform/dead-letters?cursor=nonsense!',
      token: operator,
    });
    expect(badCursor.statusCode).toBe(400);
  });

  it('reports the age of the oldest undelivered event as the outbox lag metric', async () => {
    await db.transaction().execute(async (trx) => {
      const event = await publishEvent(trx, 'lagging.thing.happened', { thingId: 't-1' });
      // Ten minutes old and not due for another hour (say, waiting out a retry).
      await sql`UPDATE platform.outbox
                SET occurred_at = now() - interval '10 minutes', next_attempt_at = now() + interval '1 hour'
                WHERE id = ${event.id}`.execute(trx);
    });
    const res = await t.http.request({ method: 'GET', url: '/metrics' });
    const lag = Number(/^event_outbox_lag_seconds (\S+)$/m.exec(res.body)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(600);
    expect(lag).toBeLessThan(700);
  });
});
