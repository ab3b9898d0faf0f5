import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Agencies and their structure, roles, users, and every credential and session they hold. */
export const identityTablesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE identity.agencies (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`
      CREATE TABLE identity.programs (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES identity.agencies (id),
        code text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, code)
      )`);
    await run(sql`
      CREATE TABLE identity.teams (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES identity.agencies (id),
        program_id uuid NOT NULL REFERENCES identity.programs (id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, name)
      )`);
    await run(sql`CREATE INDEX teams_program ON identity.teams (program_id)`);

    await run(sql`
      CREATE TABLE identity.roles (
        name text PRIMARY KEY,
        description text NOT NULL,
        requires_mfa boolean NOT NULL DEFAULT false
      )`);
    await run(sql`
      CREATE TABLE identity.role_permissions (
        role text NOT NULL REFERENCES identity.roles (name) ON DELETE CASCADE,
        permission text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('own', 'team', 'program', 'agency', 'all')),
        PRIMARY KEY (role, permission)
      )`);

    await run(sql`
      CREATE TABLE identity.users (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES identity.agencies (id),
        email citext NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
        mfa_secret text,
        mfa_enabled_at timestamptz,
        mfa_pending_secret text,
        mfa_last_time_step bigint,
        locked_until timestamptz,
        failures_counted_from timestamptz,
        last_login_at timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`CREATE INDEX users_listing ON identity.users (agency_id, display_name, id)`);
    await run(sql`
      CREATE TABLE identity.user_roles (
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        role text NOT NULL REFERENCES identity.roles (name),
        PRIMARY KEY (user_id, role)
      )`);
    await run(sql`CREATE INDEX user_roles_role ON identity.user_roles (role)`);
    await run(sql`
      CREATE TABLE identity.user_teams (
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        team_id uuid NOT NULL REFERENCES identity.teams (id),
        PRIMARY KEY (user_id, team_id)
      )`);
    await run(sql`CREATE INDEX user_teams_team ON identity.user_teams (team_id)`);

    await run(sql`
      CREATE TABLE identity.login_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid REFERENCES identity.users (id) ON DELETE CASCADE,
        ip text,
        succeeded boolean NOT NULL,
        reason text,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`CREATE INDEX login_attempts_user ON identity.login_attempts (user_id, attempted_at)`);

    await run(sql`
      CREATE TABLE identity.sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        ip text,
        user_agent text,
        amr text[] NOT NULL,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await run(sql`CREATE INDEX sessions_user ON identity.sessions (user_id, created_at)`);
    await run(
      sql`CREATE INDEX sessions_revoked ON identity.sessions (revoked_at) WHERE revoked_at IS NOT NULL`,
    );
    await run(sql`
      CREATE TABLE identity.refresh_tokens (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES identity.sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await run(sql`CREATE INDEX refresh_tokens_session ON identity.refresh_tokens (session_id)`);

    await run(sql`
      CREATE TABLE identity.mfa_challenges (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify', 'enroll')),
        pending_secret text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await run(sql`
      CREATE TABLE identity.recovery_codes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        UNIQUE (user_id, code_hash)
      )`);
    await run(sql`
      CREATE TABLE identity.password_reset_tokens (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);

    await run(sql`
      CREATE TABLE identity.service_accounts (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES identity.agencies (id),
        name text NOT NULL,
        client_id text NOT NULL UNIQUE,
        secret_hash text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz,
        last_used_at timestamptz
      )`);
    await run(sql`
      CREATE TABLE identity.service_account_roles (
        service_account_id uuid NOT NULL REFERENCES identity.service_accounts (id) ON DELETE CASCADE,
        role text NOT NULL REFERENCES identity.roles (name),
        PRIMARY KEY (service_account_id, role)
      )`);
  },
};
