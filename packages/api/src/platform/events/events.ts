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
}

/**
 * Writes an event into the outbox inside the caller's transaction, so the change and its event
 * commit or roll back together. Payloads carry ids and codes, never PHI.
 */
export async function publishEvent<DB, T>(
  trx: Kysely<DB>,
  topic: string,
  payload: T,
): Promise<DomainEvent<T>> {
  const event: DomainEvent<T> = { id: randomUUID(), topic, occurredAt: new Date().toISOString(), payload };
  await (trx as unknown as Kysely<PlatformTables>)
    .insertInto('platform.outbox')
    .values({ id: event.id, topic, payload: JSON.stringify(payload), occurred_at: event.occurredAt })
    .execute();
  return event;
}

export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === '#' || pattern === topic) return true;
  if (pattern.endsWith('.#')) return topic.startsWith(pattern.slice(0, -1));
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return topic.startsWith(prefix) && !topic.slice(prefix.length).includes('.');
  }
  return false;
}
