import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The client record's core, its care team and its program enrolments: everything record-level
 * scope is decided from. Details (aliases, addresses, contacts, coverages), consents and merges
 * live in later migrations.
 */
export const clientsCoreMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE clients.clients (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        given_name text NOT NULL,
        middle_name text,
        family_name text NOT NULL,
        preferred_name text,
        birth_date date NOT NULL,
        sex_at_birth text NOT NULL CHECK (sex_at_birth IN ('female', 'male', 'intersex', 'unknown')),
        gender_identity text,
        pronouns text,
        race text[] NOT NULL DEFAULT '{}',
        ethnicity text CHECK (ethnicity IN ('hispanic_or_latino', 'not_hispanic_or_latino', 'unknown', 'declined')),
        primary_language text,
        interpreter_needed boolean NOT NULL DEFAULT false,
        ssn_ciphertext text,
        ssn_index text,
        ssn_last4 char(4),
        medicaid_id_ciphertext text,
        medicaid_id_index text,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'deceased', 'merged')),
        merged_into_id uuid REFERENCES clients.clients (id),
        deceased_on date,
        created_by uuid NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'merged') = (merged_into_id IS NOT NULL))
      )`);
    await run(
      sql`CREATE INDEX clients_agency_name ON clients.clients (agency_id, family_name, given_name, id)`,
    );
    await run(sql`CREATE INDEX clients_ssn_index ON clients.clients (ssn_index) WHERE ssn_index IS NOT NULL`);
    await run(
      sql`CREATE INDEX clients_medicaid_index ON clients.clients (medicaid_id_index) WHERE medicaid_id_index IS NOT NULL`,
    );
    await run(sql`CREATE INDEX clients_birth_date ON clients.clients (agency_id, birth_date)`);

    // Who serves the client: teams and workers. Team/own scope on a client is decided from the
    // active rows here; cases add and end rows through events (source = 'case', source_id = case).
    await run(sql`
      CREATE TABLE clients.care_team (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        team_id uuid,
        user_id uuid,
        source text NOT NULL CHECK (source IN ('registration', 'case', 'manual')),
        source_id uuid,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CHECK (team_id IS NOT NULL OR user_id IS NOT NULL)
      )`);
    await run(sql`CREATE INDEX care_team_client ON clients.care_team (client_id) WHERE ended_at IS NULL`);
    await run(
      sql`CREATE INDEX care_team_team ON clients.care_team (team_id, client_id) WHERE ended_at IS NULL`,
    );
    await run(
      sql`CREATE INDEX care_team_user ON clients.care_team (user_id, client_id) WHERE ended_at IS NULL`,
    );
    await run(
      sql`CREATE INDEX care_team_source ON clients.care_team (source_id) WHERE source_id IS NOT NULL`,
    );

    await run(sql`
      CREATE TABLE clients.enrollments (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        program_id uuid NOT NULL,
        start_date date NOT NULL,
        end_date date,
        reason text NOT NULL,
        end_reason text,
        part2 boolean NOT NULL DEFAULT false,
        created_by uuid NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_date IS NULL OR end_date >= start_date),
        CHECK ((end_date IS NULL) = (end_reason IS NULL))
      )`);
    await run(sql`CREATE INDEX enrollments_client ON clients.enrollments (client_id, start_date)`);
    await run(sql`CREATE INDEX enrollments_program ON clients.enrollments (program_id, client_id)`);
  },
};
