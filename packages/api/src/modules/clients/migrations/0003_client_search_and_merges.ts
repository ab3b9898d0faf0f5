import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Typo-tolerant name search and record merges.
 *
 * Search: each client and alias carries `search_name`, a generated lower-case name ('given
 * family [preferred]'), under a GIN trigram index, so `$q <% search_name` (pg_trgm word
 * similarity) finds 'Hernandes' for Hernandez without reading the table.
 *
 * Merges: `merges` records who merged which duplicate into which survivor and why, and
 * `merge_moves` every row that moved with it, so an un-merge puts exactly those rows back.
 */
export const clientSearchAndMergesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      ALTER TABLE clients.clients ADD COLUMN search_name text NOT NULL
        GENERATED ALWAYS AS (lower(given_name || ' ' || family_name || coalesce(' ' || preferred_name, ''))) STORED`);
    await run(sql`CREATE INDEX clients_search_name ON clients.clients USING gin (search_name gin_trgm_ops)`);
    await run(sql`
      ALTER TABLE clients.aliases ADD COLUMN search_name text NOT NULL
        GENERATED ALWAYS AS (lower(name)) STORED`);
    await run(
      sql`CREATE INDEX aliases_search_name ON clients.aliases USING gin (search_name gin_trgm_ops) WHERE ended_at IS NULL`,
    );

    await run(sql`
      CREATE TABLE clients.merges (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        survivor_id uuid NOT NULL REFERENCES clients.clients (id),
        merged_id uuid NOT NULL REFERENCES clients.clients (id),
        reason text NOT NULL,
        merged_prior_status text NOT NULL CHECK (merged_prior_status IN ('active', 'inactive', 'deceased')),
        merged_by uuid NOT NULL,
        merged_at timestamptz NOT NULL DEFAULT now(),
        unmerged_at timestamptz,
        unmerged_by uuid,
        unmerge_reason text,
        CHECK (survivor_id <> merged_id),
        CHECK ((unmerged_at IS NULL) = (unmerged_by IS NULL) AND (unmerged_at IS NULL) = (unmerge_reason IS NULL))
      )`);
    await run(sql`CREATE INDEX merges_survivor ON clients.merges (survivor_id, merged_at)`);
    // A record is merged into at most one other at a time.
    await run(
      sql`CREATE UNIQUE INDEX merges_merged_once ON clients.merges (merged_id) WHERE unmerged_at IS NULL`,
    );
    await run(sql`CREATE INDEX merges_merged ON clients.merges (merged_id, merged_at)`);

    // A merge moves every care-team row of the duplicate, ended ones too (care_team_client covers only active rows).
    await run(sql`CREATE INDEX care_team_client_all ON clients.care_team (client_id)`);
    await run(sql`
      CREATE TABLE clients.merge_moves (
        merge_id uuid NOT NULL REFERENCES clients.merges (id),
        table_name text NOT NULL CHECK (table_name IN ('aliases', 'addresses', 'phones', 'emails', 'contacts',
          'coverages', 'enrollments', 'care_team', 'consents')),
        row_id uuid NOT NULL,
        was_primary boolean NOT NULL DEFAULT false,
        PRIMARY KEY (merge_id, table_name, row_id)
      )`);
  },
};
