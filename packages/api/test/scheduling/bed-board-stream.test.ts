import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROGRAM_IDS, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { BedBoardStream } from '../../src/modules/scheduling/beds/bed-board-stream.js';
import { OTHER_AGENCY, registerClient, staff, type Staff } from '../clients/clients-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { act, buildFacility, type Bed, type Layout } from './bed-board-helpers.js';

interface SseEvent {
  event: string;
  data: string;
}

/** An open event stream: what has arrived so far, and a way to hang up. */
interface Watch {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  close(): void;
}

describe('live bed board stream (server-sent events)', () => {
  let t: TestApp;
  let base: string;
  let layout: Layout;
  let scheduler: Staff;
  let crisisWorker: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    layout = await buildFacility(t, 'Stream Center');
    scheduler = await staff(t, 'scheduler');
    // Reads the program's boards, but only clients of the crisis team by name.
    crisisWorker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhCrisis);
  });
  afterAll(async () => {
    // fetch keeps connections alive; the server would wait out their keep-alive timeout.
    (t.app.getHttpServer() as import('node:http').Server).closeAllConnections();
    await t.close();
  });

  async function watch(token: string | null, facilityId: string): Promise<Watch> {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/scheduling/facilities/${facilityId}/board/stream`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: abort.signal,
    });
    const events: SseEvent[] = [];
    if (res.ok && res.body) {
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
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const field = (name: string) =>
                block
                  .split('\n')
                  .find((l) => l.startsWith(`${name}: `))
                  ?.slice(name.length + 2);
              const event = field('event');
              if (event) events.push({ event, data: field('data') ?? '' });
            }
          }
        } catch {
          // aborted
        }
      })();
    }
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      events,
      close: () => abort.abort(),
    };
  }

  const beds = (w: Watch) => w.events.filter((e) => e.event === 'bed').map((e) => JSON.parse(e.data) as Bed);

  it('sends every watcher the changed bed as they may see it, and nothing after they hang up', async () => {
    const caseManager = await staff(t, 'case_manager');
    const rae = await registerClient(t, caseManager.token, { givenName: 'Rae', familyName: 'Streamer' });
    const named = await watch(scheduler.token, layout.facilityId);
    const unnamed = await watch(crisisWorker.token, layout.facilityId);
    expect(named.status).toBe(200);
    expect(named.contentType).toContain('text/event-stream');
    await until(() => expect(named.events.map((e) => e.event)).toContain('ready'));
    await until(() => expect(unnamed.events.map((e) => e.event)).toContain('ready'));

    const bedId = layout.beds['C1-A'] ?? '';
    expect((await act(t, scheduler.token, bedId, 'admit', { clientId: rae.id })).statusCode).toBe(200);
    await until(() => expect(beds(named).map((b) => [b.id, b.state])).toContainEqual([bedId, 'occupied']));
    expect(beds(named).find((b) => b.id === bedId)?.occupant).toMatchObject({
      name: 'Rae Streamer',
      clientId: rae.id,
    });
    await until(() => expect(beds(unnamed).map((b) => b.id)).toContain(bedId));
    const withheld = beds(unnamed).find((b) => b.id === bedId);
    expect(withheld?.occupant).toMatchObject({ name: null, clientId: null, nameWithheld: true });
    expect(JSON.stringify(unnamed.events)).not.toContain('Streamer');

    // A transfer arrives as both of its beds.
    const to = layout.beds['D1-A'] ?? '';
    expect((await act(t, scheduler.token, bedId, 'transfer', { toBedId: to })).statusCode).toBe(200);
    await until(() =>
      expect(
        beds(named)
          .slice(-2)
          .map((b) => [b.id, b.state]),
      ).toEqual([
        [bedId, 'cleaning'],
        [to, 'occupied'],
      ]),
    );

    const live = t.app.get(BedBoardStream);
    expect(live.openStreams).toBe(2);
    named.close();
    unnamed.close();
    await until(() => expect(live.openStreams).toBe(0));
  });

  it('only opens for a caller who may read that board', async () => {
    expect((await watch(null, layout.facilityId)).status).toBe(401);
    const ltc = await buildFacility(t, 'Stream LTC', DEMO_PROGRAM_IDS.ltc);
    expect((await watch(scheduler.token, ltc.facilityId)).status).toBe(403);
    const foreign = await buildFacility(t, 'Stream Elsewhere', DEMO_PROGRAM_IDS.bh, OTHER_AGENCY);
    expect((await watch(scheduler.token, foreign.facilityId)).status).toBe(404);
    const noGrant = await t.token({ grants: { 'clients.clients.read': 'agency' } });
    expect((await watch(noGrant, layout.facilityId)).status).toBe(403);
    expect(t.app.get(BedBoardStream).openStreams).toBe(0);
  });

  it('ends the stream when the access token would have expired', async () => {
    const short = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '1' });
    try {
      await short.app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(short.app.getHttpServer().address() as AddressInfo).port}`;
      const facility = await buildFacility(short, 'Short Center');
      const token = (await staff(short, 'scheduler')).token;
      const res = await fetch(`${url}/api/v1/scheduling/facilities/${facility.facilityId}/board/stream`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const started = Date.now();
      const body = await res.text();
      expect(body).toContain('event: ready');
      expect(Date.now() - started).toBeLessThan(5000);
      await until(() => expect(short.app.get(BedBoardStream).openStreams).toBe(0));
    } finally {
      (short.app.getHttpServer() as import('node:http').Server).closeAllConnections();
      await short.close();
    }
  });
});

/** Retries an assertion until it passes (or fails with its last error after `timeoutMs`). */
async function until(assertion: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
