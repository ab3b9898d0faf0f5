import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LOGGER } from '../logging/logger.js';
import type { DomainEvent } from './events.js';
import { retryDelayMs } from './retry-delay.js';

/** A subscriber as the broker sees it: where its messages go and what to do with them. */
export interface BrokerConsumer {
  consumer: string;
  pattern: string;
  /** A queue of this process's own (exclusive, deleted with the connection), not shared with replicas. */
  perProcess?: boolean | undefined;
  /** Handles one event (the inbox check included); throws to have it retried. */
  handle(event: DomainEvent): Promise<void>;
  /** Records that the consumer gave up on the event after `attempts` tries. */
  giveUp(event: DomainEvent, attempts: number, error: string): Promise<void>;
}

const ATTEMPTS_HEADER = 'x-ehrms-attempts';
const PREFETCH = 16;
const CONFIRM_TIMEOUT_MS = 30_000;

/**
 * The RabbitMQ side of event delivery, used when AMQP_URL is set: a durable topic exchange
 * `<ns>.events`; the dispatcher publishes outbox rows to it with publisher confirms, and each
 * subscriber consumes its own durable queue `<ns>.<consumer>` bound with its pattern. A failed
 * delivery goes to `<ns>.<consumer>.retry`, whose per-message TTL returns it to the main queue
 * after a growing delay; after OUTBOX_MAX_ATTEMPTS the consumer gives up (a dead letter).
 * When the connection drops it reconnects with backoff; meanwhile events wait in the outbox.
 * Without AMQP_URL none of this runs and events are delivered in-process.
 */
@Injectable()
export class EventBroker implements OnApplicationShutdown {
  readonly enabled: boolean;
  /** True while connected with the exchange, queues and consumers in place (feeds /health/ready). */
  connected = false;

  private readonly exchange: string;
  private readonly consumers: BrokerConsumer[] = [];
  /** Names this process's own queues (per-process consumers); unique even for two apps in one process. */
  private readonly processId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly connectedListeners = new Set<() => void>();
  /** Per consumer, the promise of its last message: messages are handled one at a time. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Messages received and not yet settled. */
  private busy = 0;
  /** Consumers added after connecting whose queues are still being declared. */
  private readonly setups = new Set<Promise<void>>();
  private model: ChannelModel | null = null;
  private publisher: ConfirmChannel | null = null;
  private subscriber: Channel | null = null;
  private consumerTags: string[] = [];
  private started = false;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.enabled = !!config.AMQP_URL;
    this.exchange = `${config.AMQP_NAMESPACE}.events`;
  }

  /** Connects in the background and keeps reconnecting until shutdown. Idempotent. */
  start(): void {
    if (!this.enabled || this.started) return;
    this.started = true;
    void this.connectLoop();
  }

  /** Called every time a connection is (re-)established, e.g. to publish what waited in the outbox. */
  onConnected(listener: () => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  addConsumer(consumer: BrokerConsumer): void {
    this.consumers.push(consumer);
    const channel = this.subscriber;
    if (this.connected && channel) {
      const setup = this.setUpConsumer(channel, consumer).catch((err: unknown) => this.dropConnection(err));
      this.setups.add(setup);
      void setup.finally(() => this.setups.delete(setup));
    }
  }

  /**
   * Resolves once connected with every consumer's queue bound (at once without AMQP_URL);
   * rejects after `timeoutMs`. Start-up does not wait for this — events queue in the outbox.
   */
  async ready(timeoutMs = 10_000): Promise<void> {
    if (!this.enabled) return;
    const deadline = Date.now() + timeoutMs;
    while (!this.connected || this.setups.size > 0) {
      if (Date.now() > deadline) throw new Error('rabbitmq not ready');
      await Promise.race([...this.setups, new Promise((r) => setTimeout(r, 20))]);
    }
  }

  /**
   * Publishes events to the exchange and waits for the broker's confirms. Returns, per event,
   * whether the broker confirmed it (false when not connected, nacked, or the channel closed).
   */
  async publish(events: readonly DomainEvent[]): Promise<boolean[]> {
    const channel = this.publisher;
    if (!this.connected || !channel) return events.map(() => false);
    return Promise.all(events.map((event) => this.publishOne(channel, event)));
  }

  /**
   * True when no consumer of this process is handling a message and every consumer queue is
   * empty — for tests and shutdown, not a guarantee against a message on the wire.
   */
  async idle(): Promise<boolean> {
    if (!this.enabled) return true;
    if (this.busy > 0) return false;
    const model = this.model;
    if (!this.connected || !model) return this.consumers.length === 0;
    try {
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      try {
        for (const c of this.consumers) {
          const { messageCount } = await channel.checkQueue(this.queueName(c));
          if (messageCount > 0) return false;
        }
      } finally {
        await channel.close().catch(() => undefined);
      }
    } catch {
      return false; // the connection is going away; ask again
    }
    return this.busy === 0;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const channel = this.subscriber;
    if (channel) {
      for (const tag of this.consumerTags) await channel.cancel(tag).catch(() => undefined);
    }
    await Promise.allSettled([...this.tails.values()]);
    this.connected = false;
    const model = this.model;
    this.model = null;
    this.publisher = null;
    this.subscriber = null;
    await model?.close().catch(() => undefined);
  }

  // ---- connection lifecycle ----

  private async connectLoop(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.open();
        return;
      } catch (err) {
        if (this.stopping) return;
        const delay = reconnectDelayMs(attempt);
        if (attempt === 0 || attempt % 10 === 0) {
          this.logger.warn(
            { error: errorText(err), retryInMs: delay },
            'rabbitmq unavailable; events wait in the outbox',
          );
        }
        await this.sleep(delay);
      }
    }
  }

  private async open(): Promise<void> {
    const url = this.config.AMQP_URL;
    if (!url) return;
    const model = await connect(url, {
      timeout: 5000,
      clientProperties: { connection_name: `ehrms ${hostname()} ${process.pid}` },
    });
    model.on('error', (err: Error) => this.logger.warn({ error: err.message }, 'rabbitmq connection error'));
    model.on('close', () => this.lost(model));
    try {
      if (this.stopping) throw new Error('stopping');
      const publisher = await model.createConfirmChannel();
      publisher.on('error', (err: Error) =>
        this.logger.warn({ error: err.message }, 'rabbitmq channel error'),
      );
      publisher.on('close', () => this.channelClosed(model));
      // With expiring queues (test and preview brokers) the exchange goes once its last queue has.
      await publisher.assertExchange(this.exchange, 'topic', {
        durable: true,
        autoDelete: this.config.AMQP_QUEUE_EXPIRES_SECONDS !== undefined,
      });
      const subscriber = await model.createChannel();
      subscriber.on('error', (err: Error) =>
        this.logger.warn({ error: err.message }, 'rabbitmq channel error'),
      );
      subscriber.on('close', () => this.channelClosed(model));
      await subscriber.prefetch(PREFETCH);
      this.consumerTags = [];
      // Consumers added while this runs are picked up too: the length is read on every turn.
      for (let i = 0; i < this.consumers.length; i++) {
        const consumer = this.consumers[i];
        if (consumer) await this.setUpConsumer(subscriber, consumer);
      }
      if (this.stopping) throw new Error('stopping');
      this.model = model;
      this.publisher = publisher;
      this.subscriber = subscriber;
      this.connected = true;
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
    this.logger.info({ exchange: this.exchange, consumers: this.consumers.length }, 'rabbitmq connected');
    for (const listener of this.connectedListeners) listener();
  }

  private lost(model: ChannelModel): void {
    if (this.model !== model) return;
    this.connected = false;
    this.model = null;
    this.publisher = null;
    this.subscriber = null;
    if (this.stopping) return;
    this.logger.warn('rabbitmq connection lost; reconnecting');
    void this.connectLoop();
  }

  /** A channel closed under a live connection (e.g. a precondition failed): start afresh. */
  private channelClosed(model: ChannelModel): void {
    if (this.model !== model || this.stopping) return;
    void model.close().catch(() => undefined);
  }

  private dropConnection(err: unknown): void {
    this.logger.warn({ error: errorText(err) }, 'rabbitmq consumer set-up failed; reconnecting');
    const model = this.model;
    if (model) void model.close().catch(() => undefined);
  }

  /** Waits `ms`, or less if stop() wakes it. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  // ---- consuming ----

  private queueName(consumer: BrokerConsumer): string {
    const shared = `${this.config.AMQP_NAMESPACE}.${consumer.consumer}`;
    return consumer.perProcess ? `${shared}.${this.processId}` : shared;
  }

  private queueArguments(): Record<string, unknown> {
    const expires = this.config.AMQP_QUEUE_EXPIRES_SECONDS;
    return expires ? { 'x-expires': expires * 1000 } : {};
  }

  private async setUpConsumer(channel: Channel, consumer: BrokerConsumer): Promise<void> {
    const queue = this.queueName(consumer);
    if (consumer.perProcess) {
      // Only what happens while this process is connected: nothing to keep, retry or replay.
      await channel.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
      await channel.bindQueue(queue, this.exchange, consumer.pattern);
      const { consumerTag } = await channel.consume(
        queue,
        (msg) => {
          if (msg) this.enqueue(channel, consumer, msg);
        },
        { noAck: false },
      );
      this.consumerTags.push(consumerTag);
      return;
    }
    await channel.assertQueue(queue, { durable: true, arguments: this.queueArguments() });
    await channel.assertQueue(`${queue}.retry`, {
      durable: true,
      arguments: {
        ...this.queueArguments(),
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue,
      },
    });
    await channel.bindQueue(queue, this.exchange, consumer.pattern);
    const { consumerTag } = await channel.consume(
      queue,
      (msg) => {
        if (msg) this.enqueue(channel, consumer, msg);
      },
      { noAck: false },
    );
    this.consumerTags.push(consumerTag);
  }

  /** Messages of one consumer are handled one at a time, in the order the queue delivers them. */
  private enqueue(channel: Channel, consumer: BrokerConsumer, msg: ConsumeMessage): void {
    this.busy++;
    const previous = this.tails.get(consumer.consumer) ?? Promise.resolve();
    const next = previous
      .then(() => this.process(channel, consumer, msg))
      .catch((err: unknown) =>
        this.logger.error({ err, consumer: consumer.consumer }, 'event consumer failed'),
      )
      .finally(() => {
        this.busy--;
      });
    this.tails.set(consumer.consumer, next);
  }

  private async process(channel: Channel, consumer: BrokerConsumer, msg: ConsumeMessage): Promise<void> {
    if (this.stopping) return settle(() => channel.nack(msg, false, true));
    const event = parseEvent(msg.content);
    if (!event) {
      this.logger.error(
        { consumer: consumer.consumer, messageId: msg.properties.messageId as unknown },
        'unreadable event dropped',
      );
      return settle(() => channel.nack(msg, false, false));
    }
    const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
    const attempts = Number(headers[ATTEMPTS_HEADER] ?? 0) || 0;
    try {
      await consumer.handle(event);
      settle(() => channel.ack(msg));
      return;
    } catch (err) {
      const tried = attempts + 1;
      const error = errorText(err);
      this.logger.warn(
        { eventId: event.id, consumer: consumer.consumer, attempts: tried, error },
        'event delivery failed',
      );
      try {
        if (tried >= this.config.OUTBOX_MAX_ATTEMPTS) await consumer.giveUp(event, tried, error);
        else await this.retryLater(consumer, msg, tried);
        settle(() => channel.ack(msg));
      } catch (inner) {
        // Neither retry nor dead letter could be recorded: leave the message with the broker.
        this.logger.error(
          { eventId: event.id, error: errorText(inner) },
          'event retry could not be scheduled',
        );
        await new Promise((r) =>
          setTimeout(r, retryDelayMs(this.config.OUTBOX_RETRY_BASE_MS, tried)).unref(),
        );
        settle(() => channel.nack(msg, false, true));
      }
    }
  }

  private async retryLater(consumer: BrokerConsumer, msg: ConsumeMessage, attempts: number): Promise<void> {
    const channel = this.publisher;
    if (!channel) throw new Error('rabbitmq not connected');
    const delay = retryDelayMs(this.config.OUTBOX_RETRY_BASE_MS, attempts);
    await new Promise<void>((resolve, reject) => {
      channel.sendToQueue(
        `${this.queueName(consumer)}.retry`,
        msg.content,
        {
          persistent: true,
          contentType: 'application/json',
          messageId: msg.properties.messageId as string | undefined,
          type: msg.properties.type as string | undefined,
          expiration: String(delay),
          headers: { [ATTEMPTS_HEADER]: attempts },
        },
        (err: unknown) => (err ? reject(new Error('retry not confirmed')) : resolve()),
      );
    });
  }

  // ---- publishing ----

  private publishOne(channel: ConfirmChannel, event: DomainEvent): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), CONFIRM_TIMEOUT_MS);
      timer.unref();
      const done = (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      };
      try {
        channel.publish(
          this.exchange,
          event.topic,
          Buffer.from(JSON.stringify(event)),
          {
            persistent: true,
            contentType: 'application/json',
            messageId: event.id,
            type: event.topic,
            timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
          },
          (err: unknown) => done(!err),
        );
      } catch {
        done(false);
      }
    });
  }
}

function parseEvent(content: Buffer): DomainEvent | null {
  try {
    const value = JSON.parse(content.toString('utf8')) as Partial<DomainEvent> | null;
    if (
      value &&
      typeof value.id === 'string' &&
      typeof value.topic === 'string' &&
      typeof value.occurredAt === 'string'
    ) {
      return { id: value.id, topic: value.topic, occurredAt: value.occurredAt, payload: value.payload };
    }
  } catch {
    // fall through
  }
  return null;
}

/** Ack/nack on a channel that may have closed meanwhile; the broker then redelivers and the inbox dedupes. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // channel closed
  }
}

function reconnectDelayMs(attempt: number): number {
  const base = Math.min(250 * 2 ** attempt, 30_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
