import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Providers (people and organisations the agency contracts with) and their credentials. */
export const providersTablesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE providers.providers (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('individual', 'organization')),
        name text NOT NULL,
        npi char(10) NOT NULL,
        taxonomy_code text,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, npi)
      )`);
    await run(sql`CREATE INDEX providers_agency_name ON providers.providers (agency_id, name, id)`);
    await run(sql`
      CREATE TABLE providers.credentials (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES providers.providers (id),
        type text NOT NULL CHECK (type IN ('license', 'certification', 'dea', 'board')),
        number text NOT NULL,
        issuer text NOT NULL,
        issued_on date,
        expires_on date NOT NULL,
        verification_status text NOT NULL DEFAULT 'unverified'
          CHECK (verification_status IN ('unverified', 'verified', 'rejected')),
        last_flagged_threshold text CHECK (last_flagged_threshold IN ('90', '60', '30', 'expired')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`CREATE INDEX credentials_provider ON providers.credentials (provider_id)`);
    await run(sql`CREATE INDEX credentials_expires_on ON providers.credentials (expires_on)`);
  },
};
