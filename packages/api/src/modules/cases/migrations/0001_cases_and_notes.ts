import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Cases, their assignment history, case notes (with the signed-note lock) and the record of
 * which cases each client merge moved. Plans, tasks, closure approval and referrals come later.
 */
export const casesAndNotesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE cases.cases (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        client_id uuid NOT NULL,
        program_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('intake', 'ongoing', 'crisis', 'protective', 'ltc')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending_closure', 'closed')),
        risk_level text NOT NULL CHECK (risk_level IN ('low', 'moderate', 'high', 'critical')),
        opened_on date NOT NULL,
        closed_on date,
        assigned_worker_id uuid,
        team_id uuid NOT NULL,
        part2 boolean NOT NULL DEFAULT false,
        created_by uuid NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
        CHECK (closed_on IS NULL OR closed_on >= opened_on)
      )`);
    // Caseload views: by team, by worker, by program, newest first; and a client's cases.
    await run(sql`CREATE INDEX cases_team ON cases.cases (agency_id, team_id, opened_on DESC, id DESC)`);
    await run(sql`CREATE INDEX cases_worker ON cases.cases (assigned_worker_id, opened_on DESC, id DESC)`);
    await run(
      sql`CREATE INDEX cases_program ON cases.cases (agency_id, program_id, opened_on DESC, id DESC)`,
    );
    await run(sql`CREATE INDEX cases_client ON cases.cases (client_id)`);

    await run(sql`
      CREATE TABLE cases.case_assignments (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases.cases (id),
        kind text NOT NULL CHECK (kind IN ('opened', 'reassigned', 'transferred')),
        from_worker_id uuid,
        to_worker_id uuid,
        from_team_id uuid,
        to_team_id uuid NOT NULL,
        from_program_id uuid,
        to_program_id uuid NOT NULL,
        reason text NOT NULL,
        assigned_by uuid NOT NULL,
        assigned_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`CREATE INDEX case_assignments_case ON cases.case_assignments (case_id, assigned_at)`);
    await run(sql`
      CREATE FUNCTION cases.refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'cases.case_assignments is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await run(sql`
      CREATE TRIGGER case_assignments_append_only BEFORE UPDATE OR DELETE ON cases.case_assignments
      FOR EACH ROW EXECUTE FUNCTION cases.refuse_history_change()`);

    await run(sql`
      CREATE TABLE cases.case_notes (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases.cases (id),
        author_id uuid NOT NULL,
        note_type text NOT NULL CHECK (note_type IN ('contact', 'progress', 'phone', 'collateral', 'supervision')),
        contact_at timestamptz NOT NULL,
        duration_minutes integer CHECK (duration_minutes BETWEEN 0 AND 1440),
        body text NOT NULL,
        part2 boolean NOT NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
        signed_at timestamptz,
        signed_by uuid,
        content_hash text,
        cosign_required boolean NOT NULL DEFAULT false,
        cosigned_at timestamptz,
        cosigned_by uuid,
        late_entry boolean NOT NULL DEFAULT false,
        parent_note_id uuid REFERENCES cases.case_notes (id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL AND content_hash IS NOT NULL)),
        CHECK ((cosigned_at IS NULL) = (cosigned_by IS NULL)),
        CHECK (cosigned_at IS NULL OR (cosign_required AND status = 'signed')),
        -- Co-signature is a second person's attestation.
        CHECK (cosigned_by IS NULL OR cosigned_by <> author_id),
        CHECK (parent_note_id IS NULL OR parent_note_id <> id)
      )`);
    await run(sql`CREATE INDEX case_notes_case ON cases.case_notes (case_id, contact_at DESC, id DESC)`);
    await run(
      sql`CREATE INDEX case_notes_parent ON cases.case_notes (parent_note_id) WHERE parent_note_id IS NOT NULL`,
    );
    // A signed note is a legal record: its content, signature and late-entry mark never change
    // and it is never deleted, whoever connects (corrections are addenda). Only the one-time
    // co-signature (and the version that counts it) may still be written.
    await run(sql`
      CREATE FUNCTION cases.guard_signed_note() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status = 'signed' THEN
            RAISE EXCEPTION 'case note % is signed and cannot be deleted; add an addendum', OLD.id
              USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status = 'signed' AND (
          (NEW.id, NEW.case_id, NEW.author_id, NEW.note_type, NEW.contact_at, NEW.duration_minutes,
           NEW.body, NEW.part2, NEW.status, NEW.signed_at, NEW.signed_by, NEW.content_hash,
           NEW.cosign_required, NEW.late_entry, NEW.parent_note_id, NEW.created_at)
          IS DISTINCT FROM
          (OLD.id, OLD.case_id, OLD.author_id, OLD.note_type, OLD.contact_at, OLD.duration_minutes,
           OLD.body, OLD.part2, OLD.status, OLD.signed_at, OLD.signed_by, OLD.content_hash,
           OLD.cosign_required, OLD.late_entry, OLD.parent_note_id, OLD.created_at)
        ) THEN
          RAISE EXCEPTION 'case note % is signed: its content cannot change; add an addendum', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.cosigned_at IS NOT NULL
          AND (NEW.cosigned_at, NEW.cosigned_by) IS DISTINCT FROM (OLD.cosigned_at, OLD.cosigned_by) THEN
          RAISE EXCEPTION 'case note % is already co-signed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await run(sql`
      CREATE TRIGGER case_notes_signed_lock BEFORE UPDATE OR DELETE ON cases.case_notes
      FOR EACH ROW EXECUTE FUNCTION cases.guard_signed_note()`);
    await run(sql`
      CREATE FUNCTION cases.refuse_notes_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'cases.case_notes holds signed records and cannot be truncated'
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await run(sql`
      CREATE TRIGGER case_notes_no_truncate BEFORE TRUNCATE ON cases.case_notes
      FOR EACH STATEMENT EXECUTE FUNCTION cases.refuse_notes_truncate()`);

    await run(sql`
      CREATE TABLE cases.merge_moves (
        merge_id uuid NOT NULL,
        case_id uuid NOT NULL REFERENCES cases.cases (id),
        from_client_id uuid NOT NULL,
        to_client_id uuid NOT NULL,
        moved_at timestamptz NOT NULL DEFAULT now(),
        restored_at timestamptz,
        PRIMARY KEY (merge_id, case_id)
      )`);
  },
};
