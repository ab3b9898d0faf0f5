import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Facilities, units, rooms, beds, holds, admissions, bed assignments and the bed history. The
 * database itself refuses a bed holding two clients, or a client holding two beds, at any
 * instant (exclusion constraints on `bed_assignments.period`), and a client admitted twice at once
 * (one open admission per client).
 */
export const bedBoardMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE scheduling.facilities (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        program_id uuid NOT NULL,
        name text NOT NULL,
        address text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, name)
      )`);

    await run(sql`
      CREATE TABLE scheduling.units (
        id uuid PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES scheduling.facilities (id),
        name text NOT NULL,
        level_of_care text NOT NULL CHECK (level_of_care IN
          ('crisis_stabilization', 'detox', 'residential', 'inpatient', 'respite')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (facility_id, name)
      )`);

    await run(sql`
      CREATE TABLE scheduling.rooms (
        id uuid PRIMARY KEY,
        unit_id uuid NOT NULL REFERENCES scheduling.units (id),
        name text NOT NULL,
        gender_restriction text NOT NULL DEFAULT 'none' CHECK (gender_restriction IN ('none', 'female', 'male')),
        accessible boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (unit_id, name)
      )`);

    // unit_id and facility_id follow from room_id (rooms never move); kept here for the board query.
    await run(sql`
      CREATE TABLE scheduling.beds (
        id uuid PRIMARY KEY,
        room_id uuid NOT NULL REFERENCES scheduling.rooms (id),
        unit_id uuid NOT NULL REFERENCES scheduling.units (id),
        facility_id uuid NOT NULL REFERENCES scheduling.facilities (id),
        label text NOT NULL,
        attributes text[] NOT NULL DEFAULT '{}',
        state text NOT NULL DEFAULT 'available' CHECK (state IN
          ('available', 'held', 'occupied', 'cleaning', 'out_of_service')),
        state_reason text,
        state_changed_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (room_id, label)
      )`);
    await run(sql`CREATE INDEX beds_facility ON scheduling.beds (facility_id, unit_id, label)`);

    await run(sql`
      CREATE TABLE scheduling.bed_holds (
        id uuid PRIMARY KEY,
        bed_id uuid NOT NULL REFERENCES scheduling.beds (id),
        client_id uuid,
        referral_id uuid,
        note text,
        held_by text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        release_reason text CHECK (release_reason IN ('admitted', 'released', 'expired')),
        CHECK ((released_at IS NULL) = (release_reason IS NULL))
      )`);
    // One live hold per bed; the expiry job walks the live ones by expiry.
    await run(
      sql`CREATE UNIQUE INDEX bed_holds_live ON scheduling.bed_holds (bed_id) WHERE released_at IS NULL`,
    );
    await run(sql`CREATE INDEX bed_holds_due ON scheduling.bed_holds (expires_at) WHERE released_at IS NULL`);

    await run(sql`
      CREATE TABLE scheduling.admissions (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        facility_id uuid NOT NULL REFERENCES scheduling.facilities (id),
        client_id uuid NOT NULL,
        admitted_at timestamptz NOT NULL DEFAULT now(),
        admitted_by text NOT NULL,
        reason text,
        discharged_at timestamptz,
        discharged_by text,
        disposition text,
        CHECK (discharged_at IS NULL OR discharged_at >= admitted_at)
      )`);
    await run(
      sql`CREATE UNIQUE INDEX admissions_one_open ON scheduling.admissions (client_id) WHERE discharged_at IS NULL`,
    );
    await run(sql`CREATE INDEX admissions_facility ON scheduling.admissions (facility_id, admitted_at)`);

    await run(sql`
      CREATE TABLE scheduling.bed_assignments (
        id uuid PRIMARY KEY,
        bed_id uuid NOT NULL REFERENCES scheduling.beds (id),
        client_id uuid NOT NULL,
        admission_id uuid NOT NULL REFERENCES scheduling.admissions (id),
        period tstzrange NOT NULL,
        started_by text NOT NULL,
        ended_by text,
        end_reason text CHECK (end_reason IN ('transfer', 'discharge')),
        CONSTRAINT bed_assignments_one_client_per_bed EXCLUDE USING gist (bed_id WITH =, period WITH &&),
        CONSTRAINT bed_assignments_one_bed_per_client EXCLUDE USING gist (client_id WITH =, period WITH &&)
      )`);
    await run(sql`CREATE INDEX bed_assignments_admission ON scheduling.bed_assignments (admission_id)`);

    await run(sql`
      CREATE TABLE scheduling.bed_events (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        bed_id uuid NOT NULL REFERENCES scheduling.beds (id),
        facility_id uuid NOT NULL,
        action text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        client_id uuid,
        admission_id uuid,
        actor_id text NOT NULL,
        reason text,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`CREATE INDEX bed_events_bed ON scheduling.bed_events (bed_id, occurred_at, seq)`);
    await run(sql`CREATE INDEX bed_events_facility ON scheduling.bed_events (facility_id, occurred_at)`);
  },
};
