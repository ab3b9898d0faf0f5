import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../logging/logger.js';
import { EventBroker } from './event-broker.js';
import {
  CONSUMER_NAME,
  TOPIC_PATTERN,
  onEventPublished,
  topicMatches,
  type DomainEvent,
  type EventHandler,
  type SubscribeOptions,
  type Subscription,
} from './events.js';
import { OutboxRepository, type OutboxRow } from './outbox.repository.js';
import { retryDelayMs } from './retry-delay.js';

const BATCH = 100;
/** How soon after a publishEvent the dispatcher looks again (the caller's transaction commits first). */
const NUDGE_DELAY_MS = 15;
const PRUNE_EVERY_MS = 60 * 60_000;
const KEEP_DELIVERED_DAYS = 7;
const KEEP_INBOX_DAYS = 30;

/**
 * Delivers what modules wrote to the outbox. Without AMQP_URL it calls the in-process
 * subscribers itself: each delivery is idempotent through the inbox (consumer, event id), a
 * failed delivery is retried with exponential backoff and, after OUTBOX_MAX_ATTEMPTS, moved to
 * platform.dead_letters for an operator to replay. With AMQP_URL it publishes each row to
 * RabbitMQ and marks it published only once the broker confirms; subscribers then consume their
 * own queues through the EventBroker, with the same inbox, retries and dead letters. While the
 * broker is unreachable, rows simply stay in the outbox.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private lastPrune = 0;
  private readonly unlisten: (() => void)[] = [];

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly broker: EventBroker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Registers a subscriber. `consumer` is a stable name (the inbox key, and with RabbitMQ the
   * queue `<ns>.<consumer>`); `pattern` is a topic or an AMQP pattern (`cases.*`, `billing.#`).
   * Handlers must tolerate seeing an event again after a crash; the inbox stops repeats otherwise.
   */
  subscribe(consumer: string, pattern: string, handler: EventHandler, options: SubscribeOptions = {}): void {
    if (!CONSUMER_NAME.test(consumer)) throw new Error(`Invalid event consumer name "${consumer}"`);
    if (!TOPIC_PATTERN.test(pattern)) throw new Error(`Invalid event pattern "${pattern}" for ${consumer}`);
    if (this.subscriptions.some((s) => s.consumer === consumer)) {
      throw new Error(`Event consumer "${consumer}" is subscribed twice`);
    }
    const subscription: Subscription = {
      consumer,
      pattern,
      handler,
      perProcess: options.perProcess === true,
    };
    this.subscriptions.push(subscription);
    if (this.broker.enabled) {
      this.broker.addConsumer({
        consumer,
        pattern,
        perProcess: subscription.perProcess,
        handle: (event) => this.handleOnce(subscription, event),
        giveUp: (event, attempts, error) => this.outbox.addDeadLetter(event, consumer, attempts, error),
      });
    }
  }

  onApplicationBootstrap(): void {
    this.unlisten.push(onEventPublished(() => this.schedule(NUDGE_DELAY_MS)));
    this.unlisten.push(this.broker.onConnected(() => this.schedule(0)));
    this.broker.start();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const stop of this.unlisten) stop();
    if (this.timer) clearTimeout(this.timer);
    await this.chain;
  }

  /** Delivers (or publishes) everything due now; resolves with how many rows the pass took. */
  runOnce(): Promise<number> {
    const pass = this.chain.then(() => this.deliverDue());
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  /**
   * Runs passes until nothing due is left in the outbox and, with RabbitMQ, the subscribers of
   * this process have emptied their queues. For tests and scripts that need "the events so far
   * have been handled"; events waiting for a retry are not waited for.
   */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (Date.now() < deadline) {
      const taken = await this.runOnce();
      const idle = taken === 0 && (await this.broker.idle());
      quiet = idle ? quiet + 1 : 0;
      if (quiet >= 2) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`events still pending after ${timeoutMs} ms`);
  }

  /** Resolves once subscribers can receive (with RabbitMQ: connected and every queue bound). */
  ready(timeoutMs?: number): Promise<void> {
    return this.broker.ready(timeoutMs);
  }

  /** Age in seconds of the oldest undelivered event (the outbox lag metric). */
  lagSeconds(): Promise<number> {
    return this.outbox.lagSeconds();
  }

  /** Runs a pass in `ms` unless one is already due sooner. */
  private schedule(ms: number): void {
    if (this.stopped) return;
    const dueAt = Date.now() + ms;
    if (this.timer && this.timerDueAt <= dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().then(
        (taken) => this.schedule(taken >= BATCH ? 0 : this.config.OUTBOX_POLL_MS),
        (err: unknown) => {
          this.logger.error({ err }, 'outbox pass failed');
          this.schedule(this.config.OUTBOX_POLL_MS);
        },
      );
    }, ms);
    this.timer.unref();
  }

  private async deliverDue(): Promise<number> {
    if (this.stopped) return 0;
    await this.pruneNow();
    if (this.broker.enabled) return this.publishDue();
    const rows = await this.outbox.claimDue(BATCH);
    for (const row of rows) {
      try {
        await this.deliverInProcess(eventOf(row));
        await this.outbox.markPublished([row.id]);
      } catch (err) {
        await this.failed(row, err);
      }
    }
    return rows.length;
  }

  private async publishDue(): Promise<number> {
    if (!this.broker.connected) return 0;
    const rows = await this.outbox.claimDue(BATCH);
    if (rows.length === 0) return 0;
    const confirmed = await this.broker.publish(rows.map(eventOf));
    const ok = rows.filter((_, i) => confirmed[i]).map((r) => r.id);
    const notOk = rows.filter((_, i) => !confirmed[i]).map((r) => r.id);
    await this.outbox.markPublished(ok);
    await this.outbox.release(notOk, 'not confirmed by rabbitmq');
    return rows.length;
  }

  /** Hands the event to every matching subscriber; one failing does not hold the others back. */
  private async deliverInProcess(event: DomainEvent): Promise<void> {
    const failures: string[] = [];
    for (const sub of this.subscriptions) {
      if (!topicMatches(sub.pattern, event.topic)) continue;
      try {
        await this.handleOnce(sub, event);
      } catch (err) {
        failures.push(`${sub.consumer}: ${errorText(err)}`);
      }
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
  }

  /** The inbox: a consumer handles each event id once, however often it is delivered. */
  private async handleOnce(sub: Subscription, event: DomainEvent): Promise<void> {
    if (sub.perProcess) {
      // Best effort, and in every process: the shared inbox would let only the first one through.
      await sub
        .handler(event)
        .catch((err: unknown) =>
          this.logger.warn(
            { eventId: event.id, consumer: sub.consumer, error: errorText(err) },
            'live event dropped',
          ),
        );
      return;
    }
    if (await this.outbox.hasProcessed(sub.consumer, event.id)) return;
    await sub.handler(event);
    await this.outbox.markProcessed(sub.consumer, event.id);
  }

  private async failed(row: OutboxRow, err: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const error = errorText(err);
    this.logger.warn({ eventId: row.id, topic: row.topic, attempts, error }, 'event delivery failed');
    if (attempts >= this.config.OUTBOX_MAX_ATTEMPTS) {
      await this.outbox.moveToDeadLetters(row.id, attempts, error);
      this.logger.error({ eventId: row.id, topic: row.topic, attempts }, 'event dead-lettered');
      return;
    }
    await this.outbox.scheduleRetry(
      row.id,
      attempts,
      error,
      retryDelayMs(this.config.OUTBOX_RETRY_BASE_MS, attempts),
    );
  }

  private async pruneNow(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.outbox.prune(KEEP_DELIVERED_DAYS, KEEP_INBOX_DAYS);
  }
}

function eventOf(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    topic: row.topic,
    occurredAt: new Date(row.occurred_at).toISOString(),
    payload: row.payload,
  };
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
