import { sql, type Kysely } from 'kysely';
import type { ModuleMigrations } from '../migrations.js';

/** Extensions and the event tables every module shares. */
export const platformMigrations: ModuleMigrations = {
  schema: 'platform',
  migrations: {
    '0001_extensions_and_outbox': {
      async up(db: Kysely<unknown>) {
        await sql`CREATE EXTENSION IF NOT EXISTS citext`.execute(db);
        await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
        await sql`CREATE EXTENSION IF NOT EXISTS btree_gist`.execute(db);
        await sql`
          CREATE TABLE platform.outbox (
            id uuid PRIMARY KEY,
            topic text NOT NULL,
            payload jsonb NOT NULL,
            occurred_at timestamptz NOT NULL DEFAULT now(),
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            published_at timestamptz,
            last_error text
          )`.execute(db);
        await sql`CREATE INDEX outbox_pending ON platform.outbox (next_attempt_at) WHERE published_at IS NULL`.execute(
          db,
        );
        await sql`
          CREATE TABLE platform.inbox (
            consumer text NOT NULL,
            event_id uuid NOT NULL,
            processed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id)
          )`.execute(db);
        await sql`
          CREATE TABLE platform.dead_letters (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id uuid NOT NULL,
            topic text NOT NULL,
            payload jsonb NOT NULL,
            occurred_at timestamptz NOT NULL,
            attempts integer NOT NULL,
            last_error text,
            dead_at timestamptz NOT NULL DEFAULT now(),
            replayed_at timestamptz
          )`.execute(db);
      },
    },
    '0002_delivery_bookkeeping': {
      async up(db: Kysely<unknown>) {
        // When the last attempt ran, so an operator (and a test) can see the backoff grow.
        await sql`ALTER TABLE platform.outbox ADD COLUMN last_attempt_at timestamptz`.execute(db);
        // With RabbitMQ each consumer retries on its own queue, so a dead letter names the
        // consumer that gave up; null means the whole in-process delivery gave up.
        await sql`ALTER TABLE platform.dead_letters ADD COLUMN consumer text`.execute(db);
        await sql`CREATE INDEX dead_letters_pending ON platform.dead_letters (id) WHERE replayed_at IS NULL`.execute(
          db,
        );
        await sql`CREATE INDEX outbox_published ON platform.outbox (published_at) WHERE published_at IS NOT NULL`.execute(
          db,
        );
      },
    },
    '0003_outbox_sequence': {
      async up(db: Kysely<unknown>) {
        // occurred_at has millisecond resolution, so two events written in one transaction can
        // tie; the sequence keeps them in the order they were written, for dispatch and readers.
        await sql`ALTER TABLE platform.outbox ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`.execute(db);
      },
    },
  },
};
