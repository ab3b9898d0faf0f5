import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Recurring series, the waitlist and appointment reminders. A series' occurrences are ordinary
 * appointments (`series_id`), so the exclusion constraint guards them like any booking;
 * `occurrence_start` remembers which occurrence of the rule an appointment is (its original
 * instant), and `series_exception` marks one moved on its own ("edit this occurrence").
 */
export const seriesWaitlistRemindersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE scheduling.appointment_series (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        client_id uuid NOT NULL,
        appointment_type_id uuid NOT NULL REFERENCES scheduling.appointment_types (id),
        resource_ids uuid[] NOT NULL,
        rrule text NOT NULL,
        first_start timestamptz NOT NULL,
        wall_time text NOT NULL,
        time_zone text NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
        telehealth boolean NOT NULL DEFAULT false,
        join_url text,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
        split_from_id uuid REFERENCES scheduling.appointment_series (id),
        created_by uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`CREATE INDEX appointment_series_client ON scheduling.appointment_series (client_id)`);

    await run(sql`ALTER TABLE scheduling.appointments ADD COLUMN occurrence_start timestamptz`);
    await run(
      sql`ALTER TABLE scheduling.appointments ADD COLUMN series_exception boolean NOT NULL DEFAULT false`,
    );

    await run(sql`
      CREATE TABLE scheduling.waitlist_entries (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        client_id uuid NOT NULL,
        appointment_type_id uuid NOT NULL REFERENCES scheduling.appointment_types (id),
        resource_ids uuid[] NOT NULL DEFAULT '{}',
        earliest_date date,
        latest_date date,
        times_of_day text[] NOT NULL DEFAULT '{}',
        priority smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
        status text NOT NULL DEFAULT 'waiting'
          CHECK (status IN ('waiting', 'offered', 'booked', 'expired', 'withdrawn')),
        offer_expires_at timestamptz,
        booked_appointment_id uuid REFERENCES scheduling.appointments (id),
        status_reason text,
        created_by uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (earliest_date IS NULL OR latest_date IS NULL OR earliest_date <= latest_date),
        CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL))
      )`);
    await run(sql`
      CREATE INDEX waitlist_entries_queue ON scheduling.waitlist_entries
        (agency_id, appointment_type_id, priority, created_at, id) WHERE status IN ('waiting', 'offered')`);
    await run(sql`CREATE INDEX waitlist_entries_client ON scheduling.waitlist_entries (client_id)`);

    await run(sql`
      CREATE TABLE scheduling.waitlist_offers (
        id uuid PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES scheduling.waitlist_entries (id),
        agency_id uuid NOT NULL,
        freed_appointment_id uuid NOT NULL REFERENCES scheduling.appointments (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        resource_ids uuid[] NOT NULL,
        expires_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'offered'
          CHECK (status IN ('offered', 'accepted', 'expired', 'withdrawn')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (freed_appointment_id, entry_id)
      )`);
    await run(sql`
      CREATE INDEX waitlist_offers_due ON scheduling.waitlist_offers (expires_at) WHERE status = 'offered'`);

    await run(sql`
      CREATE TABLE scheduling.reminder_policies (
        agency_id uuid PRIMARY KEY,
        leads jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await run(sql`
      CREATE TABLE scheduling.appointment_reminders (
        id uuid PRIMARY KEY,
        appointment_id uuid NOT NULL REFERENCES scheduling.appointments (id),
        agency_id uuid NOT NULL,
        lead_key text NOT NULL,
        lead jsonb NOT NULL,
        due_at timestamptz NOT NULL,
        outcome text CHECK (outcome IN ('published', 'skipped')),
        processed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (appointment_id, lead_key),
        CHECK ((outcome IS NULL) = (processed_at IS NULL))
      )`);
    await run(sql`
      CREATE INDEX appointment_reminders_due ON scheduling.appointment_reminders (due_at)
        WHERE processed_at IS NULL`);
  },
};
