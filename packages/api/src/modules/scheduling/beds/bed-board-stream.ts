import { PassThrough, type Readable } from 'node:stream';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Principal } from '../../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import type { DomainEvent } from '../../../platform/events/events.js';
import { OutboxDispatcher } from '../../../platform/events/outbox-dispatcher.js';
import { LOGGER } from '../../../platform/logging/logger.js';
import { BedBoard, noticeFor } from './bed-board.service.js';
import type { BedStreamEventView } from './beds.dto.js';
import { BedsTopics, readBedChanged } from './beds.events.js';
import { FacilitiesRepository } from './facilities.repository.js';
import { BEDS_READ, FacilityAccess } from './facility-access.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

interface Watcher {
  principal: Principal;
  facilityId: string;
  stream: PassThrough;
}

/**
 * Live bed boards: server-sent events to every open board of a facility when one of its beds
 * changes. Fed by the `scheduling.bed.changed` outbox events (so only committed changes are
 * sent); each watcher gets the bed as they may see it, re-checking their facility scope and the
 * client-name rule (42 CFR Part 2 included) at every event. A stream ends when its access token would have expired
 * (ACCESS_TOKEN_TTL_SECONDS), so a revoked session stops receiving; the page reconnects with a
 * fresh token and re-reads the board.
 *
 * One process's subscriber serves the streams opened on that process. With RabbitMQ and several
 * replicas, the consumer queue is shared and each event reaches one replica only: boards open on
 * the others miss it until they reconnect (see README).
 */
@Injectable()
export class BedBoardStream implements OnModuleInit, OnApplicationShutdown {
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly dispatcher: OutboxDispatcher,
    private readonly board: BedBoard,
    private readonly facilities: FacilitiesRepository,
    private readonly access: FacilityAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // Every replica streams to its own browsers, so each needs every change (perProcess).
    this.dispatcher.subscribe(
      'scheduling.bed-board-stream',
      BedsTopics.bedChanged,
      (event) => this.deliver(event),
      {
        perProcess: true,
      },
    );
  }

  onApplicationShutdown(): void {
    for (const watcher of this.watchers) watcher.stream.end();
    this.watchers.clear();
  }

  /** How many streams are open (for tests and metrics). */
  get openStreams(): number {
    return this.watchers.size;
  }

  /**
   * Opens a stream of `bed` events for one facility after checking the caller may read its
   * board. `closed` fires when the client goes away, which ends the watcher.
   */
  async open(
    principal: Principal,
    facilityId: string,
    onClientGone: (stop: () => void) => void,
  ): Promise<Readable> {
    const facility = await this.access.require(principal, facilityId, BEDS_READ);
    const stream = new PassThrough();
    const watcher: Watcher = { principal, facilityId: facility.id, stream };
    this.watchers.add(watcher);
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const lifetime = setTimeout(() => stop(), this.config.ACCESS_TOKEN_TTL_SECONDS * 1000);
    heartbeat.unref();
    lifetime.unref();
    const stop = () => {
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      this.watchers.delete(watcher);
      if (!stream.writableEnded) stream.end();
    };
    stream.once('close', stop);
    onClientGone(stop);
    // `retry` tells EventSource-style readers how soon to reconnect; `ready` says the watch is on.
    stream.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ facilityId: facility.id })}\n\n`);
    return stream;
  }

  /** Sends the changed bed to each watcher of its facility, as that watcher may see it. */
  private async deliver(event: DomainEvent): Promise<void> {
    const changed = readBedChanged(event.payload);
    if (!changed) return;
    const watching = [...this.watchers].filter((w) => w.facilityId === changed.facilityId);
    if (watching.length === 0) return;
    const facility = await this.facilities.findFacility(changed.facilityId);
    if (!facility) return;
    for (const watcher of watching) {
      try {
        const bed = await this.board.bedFor(watcher.principal, facility, changed.bedId);
        if (!bed) {
          // The watcher's grant no longer reaches the board: say so and stop.
          watcher.stream.write('event: revoked\ndata: {}\n\n');
          watcher.stream.end();
          continue;
        }
        // Each event stands alone: one naming a Part 2 client carries the notice itself.
        const data = { ...bed, redisclosureNotice: noticeFor([bed]) } satisfies BedStreamEventView;
        watcher.stream.write(`id: ${event.id}\nevent: bed\ndata: ${JSON.stringify(data)}\n\n`);
      } catch (err) {
        // One watcher failing must not make the event redeliver to everyone.
        this.logger.warn({ err, bedId: changed.bedId }, 'bed board stream delivery failed');
      }
    }
  }
}
