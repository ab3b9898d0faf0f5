import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Where a provider serves, what it offers, and its contracts with the agency: contract lines
 * carry the rate per unit (integer cents) that billing and scheduling look up by date.
 */
export const providerLocationsServicesContractsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    await run(sql`
      CREATE TABLE providers.locations (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES providers.providers (id),
        name text NOT NULL,
        address_line1 text NOT NULL,
        address_line2 text,
        city text NOT NULL,
        state char(2) NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
        postal_code text NOT NULL CHECK (postal_code ~ '^[0-9]{5}(-[0-9]{4})?$'),
        phone text CHECK (phone ~ '^[0-9]{3}-[0-9]{3}-[0-9]{4}$'),
        county text,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(sql`CREATE INDEX locations_provider ON providers.locations (provider_id, name, id)`);

    await run(sql`
      CREATE TABLE providers.service_offerings (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES providers.providers (id),
        service_code text NOT NULL CHECK (service_code ~ '^([A-Z][0-9]{4}|[0-9]{4}[0-9FTU])$'),
        modifiers text[] NOT NULL DEFAULT '{}' CHECK (cardinality(modifiers) <= 4),
        description text NOT NULL,
        program_id uuid,
        unit_type text NOT NULL CHECK (unit_type IN ('15min', 'hour', 'day', 'session', 'unit')),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (provider_id, service_code, modifiers)
      )`);

    // agency_id is the provider's (which never changes): contract numbers are the agency's own.
    await run(sql`
      CREATE TABLE providers.contracts (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES providers.providers (id),
        agency_id uuid NOT NULL,
        number text NOT NULL,
        starts_on date NOT NULL,
        ends_on date CHECK (ends_on >= starts_on),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'terminated')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, number),
        CHECK (status <> 'terminated' OR ends_on IS NOT NULL)
      )`);
    await run(sql`CREATE INDEX contracts_provider ON providers.contracts (provider_id, starts_on)`);

    // A line's own dates are optional: null means the contract's start (or end).
    await run(sql`
      CREATE TABLE providers.contract_lines (
        id uuid PRIMARY KEY,
        contract_id uuid NOT NULL REFERENCES providers.contracts (id) ON DELETE CASCADE,
        service_code text NOT NULL CHECK (service_code ~ '^([A-Z][0-9]{4}|[0-9]{4}[0-9FTU])$'),
        rate_cents integer NOT NULL CHECK (rate_cents >= 0),
        unit_type text NOT NULL CHECK (unit_type IN ('15min', 'hour', 'day', 'session', 'unit')),
        cap_units integer CHECK (cap_units > 0),
        cap_amount_cents bigint CHECK (cap_amount_cents > 0),
        starts_on date,
        ends_on date CHECK (ends_on >= starts_on),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await run(
      sql`CREATE INDEX contract_lines_contract ON providers.contract_lines (contract_id, service_code)`,
    );
  },
};
