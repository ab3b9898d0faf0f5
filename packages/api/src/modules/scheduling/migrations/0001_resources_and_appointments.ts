import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Resources, working hours, exceptions, appointment types and appointments. Double booking is
 * refused by the database: `appointment_resources` carries each booked resource's blocked range
 * (the appointment plus its buffers) under an exclusion constraint while `blocking` is true.
 */
export const resourcesAndAppointmentsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE scheduling.resources (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('provider', 'room', 'vehicle', 'equipment')),
        provider_id uuid,
        name text NOT NULL,
        program_id uuid,
        location text,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'provider') = (provider_id IS NOT NULL))
      )`);
    await run(sql`CREATE INDEX resources_agency_name ON scheduling.resources (agency_id, name, id)`);
    await run(sql`
      CREATE UNIQUE INDEX resources_provider ON scheduling.resources (agency_id, provider_id)
        WHERE provider_id IS NOT NULL`);

    await run(sql`
      CREATE TABLE scheduling.working_hours (
        id uuid PRIMARY KEY,
        resource_id uuid NOT NULL REFERENCES scheduling.resources (id),
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        starts_at time NOT NULL,
        ends_at time NOT NULL,
        effective_from date,
        effective_to date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (starts_at < ends_at),
        CHECK (effective_from IS NULL OR effective_to IS NULL OR effective_from <= effective_to)
      )`);
    await run(sql`CREATE INDEX working_hours_resource ON scheduling.working_hours (resource_id, weekday)`);

    await run(sql`
      CREATE TABLE scheduling.resource_exceptions (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        resource_id uuid REFERENCES scheduling.resources (id),
        during tstzrange NOT NULL CHECK (NOT isempty(during)),
        kind text NOT NULL CHECK (kind IN ('leave', 'holiday', 'closure')),
        reason text NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`
      CREATE INDEX resource_exceptions_during ON scheduling.resource_exceptions
        USING gist (agency_id, resource_id, during)`);

    await run(sql`
      CREATE TABLE scheduling.appointment_types (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
        buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
        buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
        allowed_resource_kinds text[] NOT NULL,
        telehealth_allowed boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, code)
      )`);

    await run(sql`
      CREATE TABLE scheduling.appointments (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        client_id uuid NOT NULL,
        appointment_type_id uuid NOT NULL REFERENCES scheduling.appointment_types (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'booked'
          CHECK (status IN ('booked', 'checked_in', 'completed', 'no_show', 'cancelled', 'rescheduled')),
        status_reason text,
        checked_in_at timestamptz,
        completed_at timestamptz,
        rescheduled_from_id uuid REFERENCES scheduling.appointments (id),
        rescheduled_to_id uuid REFERENCES scheduling.appointments (id),
        series_id uuid,
        telehealth boolean NOT NULL DEFAULT false,
        join_url text,
        notes text,
        version integer NOT NULL DEFAULT 1,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (starts_at < ends_at),
        CHECK (status <> 'cancelled' OR status_reason IS NOT NULL),
        CHECK ((status = 'rescheduled') = (rescheduled_to_id IS NOT NULL))
      )`);
    await run(sql`CREATE INDEX appointments_client ON scheduling.appointments (client_id, starts_at)`);
    await run(sql`CREATE INDEX appointments_agency_day ON scheduling.appointments (agency_id, starts_at)`);
    await run(
      sql`CREATE INDEX appointments_series ON scheduling.appointments (series_id) WHERE series_id IS NOT NULL`,
    );

    await run(sql`
      CREATE TABLE scheduling.appointment_resources (
        appointment_id uuid NOT NULL REFERENCES scheduling.appointments (id),
        resource_id uuid NOT NULL REFERENCES scheduling.resources (id),
        blocked tstzrange NOT NULL CHECK (NOT isempty(blocked)),
        blocking boolean NOT NULL DEFAULT true,
        PRIMARY KEY (appointment_id, resource_id),
        CONSTRAINT appointment_resources_no_double_booking
          EXCLUDE USING gist (resource_id WITH =, blocked WITH &&) WHERE (blocking)
      )`);
    await run(
      sql`CREATE INDEX appointment_resources_resource ON scheduling.appointment_resources (resource_id)`,
    );
  },
};
