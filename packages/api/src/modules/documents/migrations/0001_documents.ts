import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Document metadata (the bytes are in the blob store), the versions of each document, and which
 * documents each client merge moved.
 */
export const documentsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE documents.documents (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        category text NOT NULL CHECK (category IN ('assessment', 'consent_form', 'id_card',
          'insurance_card', 'court_order', 'correspondence', 'clinical_report', 'other')),
        client_id uuid,
        case_id uuid,
        provider_id uuid,
        part2 boolean NOT NULL,
        owning_program_id uuid,
        document_date date NOT NULL,
        retention_class text NOT NULL
          CHECK (retention_class IN ('clinical_7y', 'minor_until_25', 'billing_10y', 'permanent')),
        destroy_after date,
        legal_hold boolean NOT NULL DEFAULT false,
        legal_hold_reason text,
        legal_hold_set_by uuid,
        legal_hold_set_at timestamptz,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
        deleted_at timestamptz,
        deleted_by uuid,
        deletion_reason text,
        current_version integer NOT NULL CHECK (current_version >= 1),
        created_by uuid NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (client_id IS NOT NULL OR case_id IS NOT NULL OR provider_id IS NOT NULL),
        -- A case's documents are also its client's.
        CHECK (case_id IS NULL OR client_id IS NOT NULL),
        -- Part 2 information is about a client and is held by a Part 2 program.
        CHECK (NOT part2 OR (client_id IS NOT NULL AND owning_program_id IS NOT NULL)),
        CHECK ((retention_class = 'permanent') = (destroy_after IS NULL)),
        CHECK (legal_hold = (legal_hold_reason IS NOT NULL)),
        CHECK (legal_hold = (legal_hold_set_at IS NOT NULL)),
        CHECK ((status = 'deleted') = (deleted_at IS NOT NULL)),
        CHECK ((status = 'deleted') = (deletion_reason IS NOT NULL))
      )`);
    await run(
      sql`CREATE INDEX documents_client ON documents.documents (client_id, created_at DESC, id DESC)`,
    );
    await run(sql`CREATE INDEX documents_case ON documents.documents (case_id, created_at DESC, id DESC)`);
    await run(
      sql`CREATE INDEX documents_provider ON documents.documents (provider_id, created_at DESC, id DESC)`,
    );

    await run(sql`
      CREATE TABLE documents.document_versions (
        document_id uuid NOT NULL REFERENCES documents.documents (id),
        version_number integer NOT NULL CHECK (version_number >= 1),
        blob_key text NOT NULL UNIQUE,
        size_bytes integer NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content_type text NOT NULL,
        original_filename text NOT NULL,
        uploaded_by uuid NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_id, version_number)
      )`);
    // The current version always exists; checked at commit, as the two rows go in together.
    await run(sql`
      ALTER TABLE documents.documents ADD CONSTRAINT documents_current_version_exists
        FOREIGN KEY (id, current_version) REFERENCES documents.document_versions (document_id, version_number)
        DEFERRABLE INITIALLY DEFERRED`);
    await run(sql`
      CREATE FUNCTION documents.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% of %.% refused: versions never change and documents are deleted softly',
          TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await run(sql`
      CREATE TRIGGER document_versions_append_only BEFORE UPDATE OR DELETE ON documents.document_versions
      FOR EACH ROW EXECUTE FUNCTION documents.refuse_change()`);
    // A legal hold stops deletion here too, whatever the code above does.
    await run(sql`
      CREATE FUNCTION documents.guard_legal_hold() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.legal_hold AND OLD.status = 'active' AND NEW.status = 'deleted' THEN
          RAISE EXCEPTION 'document % is under legal hold and cannot be deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await run(sql`
      CREATE TRIGGER documents_legal_hold BEFORE UPDATE ON documents.documents
      FOR EACH ROW EXECUTE FUNCTION documents.guard_legal_hold()`);
    await run(sql`
      CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents.documents
      FOR EACH ROW EXECUTE FUNCTION documents.refuse_change()`);

    await run(sql`
      CREATE TABLE documents.merge_moves (
        merge_id uuid NOT NULL,
        document_id uuid NOT NULL REFERENCES documents.documents (id),
        from_client_id uuid NOT NULL,
        to_client_id uuid NOT NULL,
        moved_at timestamptz NOT NULL DEFAULT now(),
        restored_at timestamptz,
        PRIMARY KEY (merge_id, document_id)
      )`);
  },
};
