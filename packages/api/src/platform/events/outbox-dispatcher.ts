import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { sql, type Kysely } from 'kysely';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DATABASE, type DatabaseHandle } from '../database/database.js';
import type { PlatformTables } from '../database/platform.schema.js';
import { LOGGER } from '../logging/logger.js';
import { topicMatches, type DomainEvent, type EventHandler, type Subscription } from './events.js';

/**
 * Delivers outbox rows to subscribers. Each delivery is idempotent through the inbox table
 * (consumer, event id); a failed delivery is retried with exponential backoff and, after
 * OUTBOX_MAX_ATTEMPTS, moved to platform.dead_letters for an operator to replay.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subscriptions: Subscription[] = [];
  private readonly db: Kysely<PlatformTables>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(DATABASE) database: DatabaseHandle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.db = database.db;
  }

  subscribe(consumer: string, pattern: string, handler: EventHandler): void {
    this.subscriptions.push({ consumer, pattern, handler });
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Delivers everything due now; resolves when the pass is done. Tests and the nudge use it. */
  async runOnce(): Promise<number> {
    if (this.running) await this.running;
    const pass = this.deliverDue();
    this.running = pass.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await pass;
    } finally {
      this.running = null;
    }
  }

  /** Age in seconds of the oldest undelivered event (the outbox lag metric). */
  async lagSeconds(): Promise<number> {
    const row = await this.db
      .selectFrom('platform.outbox')
      .select(sql<number>`coalesce(extract(epoch from now() - min(occurred_at)), 0)`.as('lag'))
      .where('published_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.lag ?? 0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce()
        .catch((err: unknown) => this.logger.error({ err }, 'outbox pass failed'))
        .finally(() => this.schedule(this.config.OUTBOX_POLL_MS));
    }, ms);
    this.timer.unref();
  }

  private async deliverDue(): Promise<number> {
    const due = await this.db
      .selectFrom('platform.outbox')
      .selectAll()
      .where('published_at', 'is', null)
      .where('next_attempt_at', '<=', new Date())
      .orderBy('occurred_at')
      .limit(100)
      .execute();
    for (const row of due) {
      const event: DomainEvent = {
        id: row.id,
        topic: row.topic,
        occurredAt: new Date(row.occurred_at).toISOString(),
        payload: row.payload,
      };
      try {
        await this.deliver(event);
        await this.db
          .updateTable('platform.outbox')
          .set({ published_at: new Date() })
          .where('id', '=', row.id)
          .execute();
      } catch (err) {
        await this.failed(row.id, row.attempts + 1, err);
      }
    }
    return due.length;
  }

  private async deliver(event: DomainEvent): Promise<void> {
    for (const sub of this.subscriptions) {
      if (!topicMatches(sub.pattern, event.topic)) continue;
      const seen = await this.db
        .selectFrom('platform.inbox')
        .select('event_id')
        .where('consumer', '=', sub.consumer)
        .where('event_id', '=', event.id)
        .executeTakeFirst();
      if (seen) continue;
      await sub.handler(event);
      await this.db
        .insertInto('platform.inbox')
        .values({ consumer: sub.consumer, event_id: event.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  private async failed(id: string, attempts: number, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message.slice(0, 1000) : String(err).slice(0, 1000);
    this.logger.warn({ eventId: id, attempts, error: message }, 'event delivery failed');
    if (attempts >= this.config.OUTBOX_MAX_ATTEMPTS) {
      await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('platform.outbox')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('platform.dead_letters')
          .values({
            event_id: row.id,
            topic: row.topic,
            payload: JSON.stringify(row.payload),
            occurred_at: row.occurred_at,
            attempts,
            last_error: message,
          })
          .execute();
        await trx.deleteFrom('platform.outbox').where('id', '=', id).execute();
      });
      return;
    }
    const backoffMs = Math.min(60_000 * 10, 500 * 2 ** attempts);
    await this.db
      .updateTable('platform.outbox')
      .set({ attempts, last_error: message, next_attempt_at: new Date(Date.now() + backoffMs) })
      .where('id', '=', id)
      .execute();
  }
}
