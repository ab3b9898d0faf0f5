import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Consents (general and 42 CFR Part 2), break-the-glass grants and the privacy officer's review
 * of each grant.
 */
export const consentsBreakGlassMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE clients.consents (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        kind text NOT NULL CHECK (kind IN ('general', 'part2')),
        recipient_type text NOT NULL
          CHECK (recipient_type IN ('user', 'team', 'program', 'agency', 'organization')),
        recipient_id uuid,
        recipient_name text,
        purposes text[] NOT NULL CHECK (cardinality(purposes) > 0),
        categories text[] NOT NULL CHECK (cardinality(categories) > 0),
        disclosing_program_id uuid,
        effective_from date NOT NULL,
        expires_on date,
        signed_on date NOT NULL,
        signed_by_name text NOT NULL,
        signed_by_relationship text NOT NULL
          CHECK (signed_by_relationship IN ('self', 'parent', 'guardian', 'legal_representative', 'other')),
        document_id uuid,
        revoked_at timestamptz,
        revoked_by uuid,
        revocation_reason text,
        created_by uuid NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (recipient_type = 'organization' OR recipient_id IS NOT NULL),
        CHECK (recipient_type <> 'organization' OR recipient_name IS NOT NULL),
        CHECK (expires_on IS NULL OR expires_on >= effective_from),
        -- 42 CFR 2.31: a Part 2 consent names who may disclose and when it ends.
        CHECK (kind <> 'part2' OR (expires_on IS NOT NULL AND disclosing_program_id IS NOT NULL)),
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
        CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
      )`);
    await run(sql`CREATE INDEX consents_client ON clients.consents (client_id, kind)`);

    await run(sql`
      CREATE TABLE clients.break_glass (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        user_id uuid NOT NULL,
        reason text NOT NULL CHECK (char_length(reason) >= 20),
        purpose_of_use text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CHECK (expires_at > granted_at)
      )`);
    await run(sql`CREATE INDEX break_glass_user ON clients.break_glass (user_id, expires_at)`);

    await run(sql`
      CREATE TABLE clients.privacy_reviews (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        break_glass_id uuid NOT NULL UNIQUE REFERENCES clients.break_glass (id),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reviewed')),
        reviewer_id uuid,
        outcome text CHECK (outcome IN ('appropriate', 'inappropriate')),
        notes text,
        reviewed_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'reviewed') = (reviewer_id IS NOT NULL)),
        CHECK ((status = 'reviewed') = (outcome IS NOT NULL)),
        CHECK ((status = 'reviewed') = (reviewed_at IS NOT NULL))
      )`);
    await run(
      sql`CREATE INDEX privacy_reviews_queue ON clients.privacy_reviews (agency_id, status, created_at, id)`,
    );
  },
};
