import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PlatformTables } from '../database/platform.schema.js';

/** An event as every consumer sees it. `topic` is `module.thing.happened`, e.g. `identity.user.created`. */
export interface DomainEvent<T = unknown> {
  id: string;
  topic: string;
  occurredAt: string;
  payload: T;
}

export type EventHandler = (event: DomainEvent) => Promise<void>;

export interface Subscription {
  /** Stable consumer name; the inbox dedupes per consumer. */
  consumer: string;
  /** Topic, or a prefix ending in `.*` / `#` for all (AMQP-style). */
  pattern: string;
  handler: EventHandler;
  /** See SubscribeOptions.perProcess. */
  perProcess?: boolean;
}

export interface SubscribeOptions {
  /**
   * Every process running this subscriber gets every event (with RabbitMQ: a queue of its own
   * that goes away with the process), instead of the processes sharing the work. For what lives
   * in one process's memory — live streams to browsers connected to it. Best effort: no inbox,
   * no retries, no dead letters; a failure is logged and the event passed by.
   */
  perProcess?: boolean;
}

/**
 * Any Kysely handle or transaction whose tables include the platform's (every module's typed
 * handle does). Typed by what publishEvent uses, because Kysely<DB> with a generic DB does not
 * accept a Transaction<PlatformTables & ModuleTables>.
 */
export type OutboxWriter = Pick<Kysely<PlatformTables>, 'insertInto'>;

/**
 * Writes an event into the outbox inside the caller's transaction, so the change and its event
 * commit or roll back together. Payloads carry ids and codes, never PHI.
 */
export async function publishEvent<T>(trx: OutboxWriter, topic: string, payload: T): Promise<DomainEvent<T>> {
  const event: DomainEvent<T> = { id: randomUUID(), topic, occurredAt: new Date().toISOString(), payload };
  await trx
    .insertInto('platform.outbox')
    .values({ id: event.id, topic, payload: JSON.stringify(payload), occurred_at: event.occurredAt })
    .execute();
  for (const listener of outboxListeners) listener();
  return event;
}

const outboxListeners = new Set<() => void>();

/**
 * Called after every publishEvent in this process (before the caller's transaction commits), so
 * a dispatcher can look at the outbox again shortly instead of waiting for its next poll.
 * Returns the function that stops listening.
 */
export function onEventPublished(listener: () => void): () => void {
  outboxListeners.add(listener);
  return () => outboxListeners.delete(listener);
}

/**
 * AMQP topic matching, so in-process delivery and RabbitMQ bindings agree: words are separated
 * by `.`, `*` stands for exactly one word and `#` for zero or more.
 */
export function topicMatches(pattern: string, topic: string): boolean {
  return matchWords(pattern.split('.'), topic.split('.'));
}

function matchWords(pattern: readonly string[], words: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return words.length === 0;
  if (head === '#') {
    for (let skip = 0; skip <= words.length; skip++) if (matchWords(rest, words.slice(skip))) return true;
    return false;
  }
  const [word, ...others] = words;
  if (word === undefined) return false;
  return (head === '*' || head === word) && matchWords(rest, others);
}

/** A consumer name usable as a queue name suffix and inbox key. */
export const CONSUMER_NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

/** A subscription pattern: dot-separated words, each a name, `*` or `#`. */
export const TOPIC_PATTERN = /^([a-z0-9_-]+|\*|#)(\.([a-z0-9_-]+|\*|#))*$/i;
