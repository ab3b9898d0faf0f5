import type { ColumnType, Generated } from 'kysely';

/** Tables owned by the platform itself (schema `platform`): the event outbox, inbox and dead letters. */
export interface OutboxTable {
  id: string;
  topic: string;
  payload: unknown;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  published_at: ColumnType<Date | null, never, Date | string | null>;
  last_error: string | null;
  last_attempt_at: ColumnType<Date | null, never, Date | string | null>;
  seq: ColumnType<string, never, never>;
}

export interface InboxTable {
  consumer: string;
  event_id: string;
  processed_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface DeadLetterTable {
  id: Generated<number>;
  event_id: string;
  topic: string;
  payload: unknown;
  occurred_at: ColumnType<Date, Date | string, never>;
  attempts: number;
  last_error: string | null;
  /** The consumer that gave up (RabbitMQ delivery); null when the in-process delivery gave up. */
  consumer: string | null;
  dead_at: ColumnType<Date, Date | string | undefined, never>;
  replayed_at: ColumnType<Date | null, never, Date | string | null>;
}

export type PlatformTables = {
  'platform.outbox': OutboxTable;
  'platform.inbox': InboxTable;
  'platform.dead_letters': DeadLetterTable;
};
