import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * A client's details: other names, addresses with their history, phones and emails, contacts and
 * guardians, and insurance coverage. Rows are never deleted: addresses, contacts and coverages
 * end on a date, the others are marked removed (`ended_at`), so history stays readable and a
 * merge can be undone row for row.
 */
export const clientDetailsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);
    const audited = sql`
        created_by uuid NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()`;

    await run(sql`
      CREATE TABLE clients.aliases (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        name text NOT NULL,
        type text NOT NULL CHECK (type IN ('maiden', 'nickname', 'legal_prior', 'other')),
        ended_at timestamptz,
        ${audited}
      )`);
    await run(sql`CREATE INDEX aliases_client ON clients.aliases (client_id)`);

    await run(sql`
      CREATE TABLE clients.addresses (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        type text NOT NULL CHECK (type IN ('home', 'mailing', 'shelter')),
        line1 text NOT NULL,
        line2 text,
        city text NOT NULL,
        state char(2) NOT NULL,
        postal_code text NOT NULL,
        county text,
        valid_from date NOT NULL,
        valid_to date,
        ${audited},
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await run(sql`CREATE INDEX addresses_client ON clients.addresses (client_id, type, valid_from)`);

    // One primary phone and one primary email per client, among those not removed.
    await run(sql`
      CREATE TABLE clients.phones (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        type text NOT NULL CHECK (type IN ('mobile', 'home', 'work')),
        number text NOT NULL CHECK (number ~ '^\\+[1-9][0-9]{7,14}$'),
        sms_ok boolean NOT NULL DEFAULT false,
        is_primary boolean NOT NULL DEFAULT false,
        ended_at timestamptz,
        ${audited}
      )`);
    await run(sql`CREATE INDEX phones_client ON clients.phones (client_id)`);
    // Search by phone number.
    await run(sql`CREATE INDEX phones_number ON clients.phones (number) WHERE ended_at IS NULL`);
    await run(
      sql`CREATE UNIQUE INDEX phones_one_primary ON clients.phones (client_id) WHERE is_primary AND ended_at IS NULL`,
    );

    await run(sql`
      CREATE TABLE clients.emails (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        type text NOT NULL CHECK (type IN ('personal', 'work', 'other')),
        address text NOT NULL CHECK (address = lower(address)),
        is_primary boolean NOT NULL DEFAULT false,
        ended_at timestamptz,
        ${audited}
      )`);
    await run(sql`CREATE INDEX emails_client ON clients.emails (client_id)`);
    await run(
      sql`CREATE UNIQUE INDEX emails_one_primary ON clients.emails (client_id) WHERE is_primary AND ended_at IS NULL`,
    );

    await run(sql`
      CREATE TABLE clients.contacts (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        name text NOT NULL,
        relationship text NOT NULL CHECK (relationship IN ('parent', 'spouse', 'partner', 'child', 'sibling',
          'grandparent', 'other_relative', 'foster_parent', 'friend', 'other')),
        phone text CHECK (phone ~ '^\\+[1-9][0-9]{7,14}$'),
        email text,
        is_guardian boolean NOT NULL DEFAULT false,
        legal_authority text NOT NULL DEFAULT 'none' CHECK (legal_authority IN ('none', 'parent_of_minor',
          'guardian_of_person', 'guardian_of_estate', 'health_care_agent', 'financial_agent',
          'representative_payee', 'other')),
        can_receive_info boolean NOT NULL DEFAULT false,
        valid_from date NOT NULL,
        valid_to date,
        ${audited},
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        -- A guardian holds legal authority of some kind.
        CHECK (NOT is_guardian OR legal_authority <> 'none')
      )`);
    await run(sql`CREATE INDEX contacts_client ON clients.contacts (client_id, valid_from)`);

    // Overlapping coverages of one priority are refused by the service (under a lock on the
    // client row), not by an exclusion constraint: a merge brings a duplicate's coverages along,
    // and those often repeat the survivor's.
    await run(sql`
      CREATE TABLE clients.coverages (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES clients.clients (id),
        payer text NOT NULL CHECK (payer IN ('medicaid', 'medicare', 'private', 'other')),
        payer_name text,
        member_id_ciphertext text NOT NULL,
        member_id_index text NOT NULL,
        member_id_last4 text NOT NULL,
        group_number text,
        plan_name text,
        priority text NOT NULL CHECK (priority IN ('primary', 'secondary')),
        start_date date NOT NULL,
        end_date date,
        ${audited},
        CHECK (end_date IS NULL OR end_date >= start_date)
      )`);
    await run(sql`CREATE INDEX coverages_client ON clients.coverages (client_id, priority, start_date)`);
    await run(sql`CREATE INDEX coverages_member ON clients.coverages (member_id_index)`);
  },
};
