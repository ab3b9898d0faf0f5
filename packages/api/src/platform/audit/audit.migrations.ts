import { sql, type Kysely } from 'kysely';
import type { ModuleMigrations } from '../database/migrations.js';

export const auditMigrations: ModuleMigrations = {
  schema: 'audit',
  migrations: {
    '0001_audit_logs': {
      async up(db: Kysely<unknown>) {
        await sql`
          CREATE TABLE audit.audit_logs (
            seq bigint PRIMARY KEY,
            -- The row's public id; random, so not indexed: every index costs each audited request.
            id uuid NOT NULL,
            occurred_at timestamptz NOT NULL,
            actor_id text,
            actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'service', 'anonymous')),
            actor_roles text[] NOT NULL DEFAULT '{}',
            actor_agency_id text,
            on_behalf_of text,
            session_id text,
            action text NOT NULL,
            resource_type text NOT NULL,
            resource_id text,
            fields text[] NOT NULL DEFAULT '{}',
            purpose_of_use text NOT NULL,
            outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied', 'error')),
            reason text,
            request_id text,
            ip text,
            user_agent text,
            prev_hash text NOT NULL,
            hash text NOT NULL
          )`.execute(db);
        // Reads page newest-first by seq within a filter, so each index ends in seq.
        await sql`CREATE INDEX audit_logs_agency ON audit.audit_logs (actor_agency_id, seq)`.execute(db);
        await sql`CREATE INDEX audit_logs_actor ON audit.audit_logs (actor_id, seq)`.execute(db);
        await sql`CREATE INDEX audit_logs_resource ON audit.audit_logs (resource_type, resource_id, seq)`.execute(
          db,
        );
        // occurred_at rises with seq, so a BRIN index serves date ranges at almost no write cost.
        await sql`CREATE INDEX audit_logs_time ON audit.audit_logs USING brin (occurred_at)`.execute(db);
        // Append-only even for the app's own role: where separate DB roles are not available
        // (PGlite, a single owner role) the trigger is the enforcement.
        await sql`
          CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION 'audit.audit_logs is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
          END $$`.execute(db);
        await sql`
          CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit.audit_logs
          FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`.execute(db);
        await sql`
          CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit.audit_logs
          FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`.execute(db);
      },
    },
  },
};
