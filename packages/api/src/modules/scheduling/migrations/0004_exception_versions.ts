import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Exceptions (leave, holidays, closures) can be widened or moved (`PATCH …/exceptions/:id`,
 * If-Match), so they carry a version like every other record that changes.
 */
export const exceptionVersionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      ALTER TABLE scheduling.resource_exceptions
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`.execute(db);
  },
};
