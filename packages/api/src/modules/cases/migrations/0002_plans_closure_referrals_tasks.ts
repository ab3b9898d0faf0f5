import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The work hung off a case: service plans (goals → objectives → interventions, progress
 * reviews; a signed plan is locked by trigger), closure requests with supervisor approval and
 * the case's status history, referrals between programs, tasks, and the contact policy (risk
 * level → contact interval) with the record of its changes.
 */
export const plansClosureReferralsTasksMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(db);

    // History and review tables that are records: rows are added, never changed or removed.
    await run(sql`
      CREATE FUNCTION cases.refuse_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%.% is append-only (% refused)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    const appendOnly = async (table: string) => {
      await run(
        sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.raw(
          `cases.${table}`,
        )} FOR EACH ROW EXECUTE FUNCTION cases.refuse_record_change()`,
      );
    };

    await servicePlans(run, appendOnly);
    await closureAndStatusHistory(run, appendOnly);
    await referrals(run);
    await tasksAndContactPolicy(run, appendOnly);
  },
};

type Run = (statement: ReturnType<typeof sql>) => Promise<unknown>;
type AppendOnly = (table: string) => Promise<void>;

async function servicePlans(run: Run, appendOnly: AppendOnly): Promise<void> {
  await run(sql`
    CREATE TABLE cases.service_plans (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases.cases (id),
      plan_number integer NOT NULL CHECK (plan_number > 0),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'completed', 'superseded')),
      effective_from date NOT NULL,
      effective_to date,
      supersedes_plan_id uuid REFERENCES cases.service_plans (id),
      client_signer_name text,
      client_signed_on date,
      client_sign_method text CHECK (client_sign_method IN ('wet', 'electronic', 'verbal_witnessed')),
      client_witness_name text,
      client_signature_recorded_by uuid,
      worker_signed_by uuid,
      worker_signed_at timestamptz,
      activated_at timestamptz,
      ended_on date,
      created_by uuid NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_id, plan_number),
      CHECK (effective_to IS NULL OR effective_to >= effective_from),
      CHECK (num_nulls(client_signer_name, client_signed_on, client_sign_method, client_signature_recorded_by) IN (0, 4)),
      -- A verbal signature is witnessed, and only a verbal one names a witness.
      CHECK ((client_sign_method = 'verbal_witnessed') IS NOT DISTINCT FROM (client_witness_name IS NOT NULL)
             OR (client_sign_method IS NULL AND client_witness_name IS NULL)),
      CHECK ((worker_signed_by IS NULL) = (worker_signed_at IS NULL)),
      -- Activation happens exactly when both have signed.
      CHECK ((activated_at IS NOT NULL) = (client_signed_on IS NOT NULL AND worker_signed_at IS NOT NULL)),
      CHECK (status <> 'active' OR activated_at IS NOT NULL),
      CHECK (status <> 'completed' OR activated_at IS NOT NULL),
      CHECK ((status IN ('completed', 'superseded')) = (ended_on IS NOT NULL)),
      CHECK (supersedes_plan_id IS NULL OR supersedes_plan_id <> id)
    )`);
  // At most one plan in force and one being drafted per case.
  await run(
    sql`CREATE UNIQUE INDEX service_plans_one_active ON cases.service_plans (case_id) WHERE status = 'active'`,
  );
  await run(
    sql`CREATE UNIQUE INDEX service_plans_one_draft ON cases.service_plans (case_id) WHERE status = 'draft'`,
  );

  const itemColumns = sql.raw(`
      position integer NOT NULL CHECK (position >= 0),
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
      target_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()`);
  await run(sql`
    CREATE TABLE cases.plan_goals (
      id uuid PRIMARY KEY,
      plan_id uuid NOT NULL REFERENCES cases.service_plans (id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'achieved', 'discontinued')),
      ${itemColumns},
      UNIQUE (plan_id, position)
    )`);
  await run(sql`
    CREATE TABLE cases.plan_objectives (
      id uuid PRIMARY KEY,
      plan_id uuid NOT NULL REFERENCES cases.service_plans (id) ON DELETE CASCADE,
      goal_id uuid NOT NULL REFERENCES cases.plan_goals (id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('not_started', 'in_progress', 'achieved', 'discontinued')),
      ${itemColumns},
      UNIQUE (goal_id, position)
    )`);
  await run(sql`
    CREATE TABLE cases.plan_interventions (
      id uuid PRIMARY KEY,
      plan_id uuid NOT NULL REFERENCES cases.service_plans (id) ON DELETE CASCADE,
      objective_id uuid NOT NULL REFERENCES cases.plan_objectives (id) ON DELETE CASCADE,
      responsible_party text NOT NULL CHECK (length(responsible_party) BETWEEN 1 AND 200),
      frequency text NOT NULL CHECK (length(frequency) BETWEEN 1 AND 200),
      start_date date,
      status text NOT NULL CHECK (status IN ('planned', 'in_progress', 'completed', 'discontinued')),
      ${itemColumns},
      UNIQUE (objective_id, position)
    )`);
  // A discarded (unsigned) draft takes its content with it; a signed plan is never deleted.
  await run(sql`CREATE INDEX plan_objectives_plan ON cases.plan_objectives (plan_id)`);
  await run(sql`CREATE INDEX plan_interventions_plan ON cases.plan_interventions (plan_id)`);

  // The signed plan is the agreement the client signed: once anyone has signed, its content and
  // signatures never change (a change is a new version superseding it), whoever connects. Its
  // status still moves on (active, then completed or superseded), never back.
  await run(sql`
    CREATE FUNCTION cases.guard_service_plan() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      locked boolean := OLD.status <> 'draft' OR OLD.client_signed_on IS NOT NULL OR OLD.worker_signed_at IS NOT NULL;
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF locked THEN
          RAISE EXCEPTION 'service plan % is signed and cannot be deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
      END IF;
      IF locked AND (NEW.id, NEW.case_id, NEW.plan_number, NEW.effective_from, NEW.effective_to,
                     NEW.supersedes_plan_id, NEW.created_by, NEW.created_at)
         IS DISTINCT FROM (OLD.id, OLD.case_id, OLD.plan_number, OLD.effective_from, OLD.effective_to,
                     OLD.supersedes_plan_id, OLD.created_by, OLD.created_at) THEN
        RAISE EXCEPTION 'service plan % is signed: its content cannot change; revise it as a new version', OLD.id
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF OLD.client_signed_on IS NOT NULL AND (NEW.client_signer_name, NEW.client_signed_on, NEW.client_sign_method,
           NEW.client_witness_name, NEW.client_signature_recorded_by)
         IS DISTINCT FROM (OLD.client_signer_name, OLD.client_signed_on, OLD.client_sign_method,
           OLD.client_witness_name, OLD.client_signature_recorded_by) THEN
        RAISE EXCEPTION 'service plan % already carries the client''s signature', OLD.id
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF OLD.worker_signed_at IS NOT NULL
         AND (NEW.worker_signed_by, NEW.worker_signed_at) IS DISTINCT FROM (OLD.worker_signed_by, OLD.worker_signed_at) THEN
        RAISE EXCEPTION 'service plan % already carries the worker''s signature', OLD.id
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF OLD.activated_at IS NOT NULL AND NEW.activated_at IS DISTINCT FROM OLD.activated_at THEN
        RAISE EXCEPTION 'service plan % was activated at %; that does not change', OLD.id, OLD.activated_at
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'draft' AND NEW.status IN ('active', 'superseded')) OR
           (OLD.status = 'active' AND NEW.status IN ('completed', 'superseded'))) THEN
        RAISE EXCEPTION 'service plan % cannot go from % to %', OLD.id, OLD.status, NEW.status
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await run(sql`
    CREATE TRIGGER service_plans_signed_lock BEFORE UPDATE OR DELETE ON cases.service_plans
    FOR EACH ROW EXECUTE FUNCTION cases.guard_service_plan()`);

  // Goals, objectives and interventions belong to the plan's content: they are written only
  // while it is an unsigned draft. Afterwards only their status moves (at progress reviews).
  await run(sql`
    CREATE FUNCTION cases.guard_plan_item() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      target uuid;
      locked boolean;
    BEGIN
      IF TG_OP = 'DELETE' THEN target := OLD.plan_id; ELSE target := NEW.plan_id; END IF;
      SELECT p.status <> 'draft' OR p.client_signed_on IS NOT NULL OR p.worker_signed_at IS NOT NULL
        INTO locked FROM cases.service_plans p WHERE p.id = target;
      IF TG_OP = 'UPDATE' AND NOT locked THEN
        SELECT p.status <> 'draft' OR p.client_signed_on IS NOT NULL OR p.worker_signed_at IS NOT NULL
          INTO locked FROM cases.service_plans p WHERE p.id = OLD.plan_id;
      END IF;
      IF NOT coalesce(locked, false) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END IF;
      IF TG_OP = 'UPDATE'
         AND (to_jsonb(NEW) - 'status' - 'updated_at') = (to_jsonb(OLD) - 'status' - 'updated_at') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'service plan % is signed: % of %.% refused; revise it as a new version',
        target, TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
    END $$`);
  for (const table of ['plan_goals', 'plan_objectives', 'plan_interventions']) {
    await run(
      sql`CREATE TRIGGER ${sql.raw(`${table}_signed_lock`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.raw(
        `cases.${table}`,
      )} FOR EACH ROW EXECUTE FUNCTION cases.guard_plan_item()`,
    );
  }

  await run(sql`
    CREATE TABLE cases.plan_reviews (
      id uuid PRIMARY KEY,
      plan_id uuid NOT NULL REFERENCES cases.service_plans (id),
      reviewed_on date NOT NULL,
      summary text,
      reviewer_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await run(sql`CREATE INDEX plan_reviews_plan ON cases.plan_reviews (plan_id, reviewed_on DESC, id)`);
  await run(sql`
    CREATE TABLE cases.plan_review_goals (
      review_id uuid NOT NULL REFERENCES cases.plan_reviews (id),
      goal_id uuid NOT NULL REFERENCES cases.plan_goals (id),
      rating text NOT NULL CHECK (rating IN ('regressed', 'no_progress', 'some_progress', 'significant_progress', 'achieved')),
      note text,
      PRIMARY KEY (review_id, goal_id)
    )`);
  await appendOnly('plan_reviews');
  await appendOnly('plan_review_goals');
}

async function closureAndStatusHistory(run: Run, appendOnly: AppendOnly): Promise<void> {
  await run(sql`
    CREATE TABLE cases.closure_requests (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases.cases (id),
      reason text NOT NULL,
      closed_on date NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
      requested_by uuid NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid,
      decided_at timestamptz,
      decision_note text,
      version integer NOT NULL DEFAULT 1,
      CHECK ((status = 'pending') = (decided_at IS NULL)),
      CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
      -- Separation of duties: nobody approves the closure they asked for.
      CHECK (status <> 'approved' OR decided_by <> requested_by),
      CHECK (status <> 'withdrawn' OR decided_by = requested_by),
      CHECK (status <> 'rejected' OR decision_note IS NOT NULL)
    )`);
  await run(
    sql`CREATE UNIQUE INDEX closure_requests_one_pending ON cases.closure_requests (case_id) WHERE status = 'pending'`,
  );
  await run(sql`CREATE INDEX closure_requests_case ON cases.closure_requests (case_id, requested_at)`);

  await run(sql`
    CREATE TABLE cases.case_status_changes (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases.cases (id),
      kind text NOT NULL CHECK (kind IN ('closure_requested', 'closure_approved', 'closure_rejected', 'closure_withdrawn', 'reopened')),
      from_status text NOT NULL CHECK (from_status IN ('open', 'pending_closure', 'closed')),
      to_status text NOT NULL CHECK (to_status IN ('open', 'pending_closure', 'closed')),
      reason text NOT NULL,
      closure_request_id uuid REFERENCES cases.closure_requests (id),
      changed_by uuid NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`);
  await run(sql`CREATE INDEX case_status_changes_case ON cases.case_status_changes (case_id, changed_at)`);
  await appendOnly('case_status_changes');
}

async function referrals(run: Run): Promise<void> {
  await run(sql`
    CREATE TABLE cases.referrals (
      id uuid PRIMARY KEY,
      agency_id uuid NOT NULL,
      client_id uuid NOT NULL,
      from_case_id uuid NOT NULL REFERENCES cases.cases (id),
      from_program_id uuid NOT NULL,
      to_program_id uuid NOT NULL,
      reason text NOT NULL,
      urgency text NOT NULL CHECK (urgency IN ('routine', 'urgent', 'emergent')),
      part2 boolean NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
      referred_by uuid NOT NULL,
      referred_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid,
      decided_at timestamptz,
      decline_reason text,
      accepted_case_id uuid REFERENCES cases.cases (id),
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (to_program_id <> from_program_id),
      CHECK ((status = 'pending') = (decided_at IS NULL)),
      CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
      CHECK ((status = 'accepted') = (accepted_case_id IS NOT NULL)),
      CHECK ((status = 'declined') = (decline_reason IS NOT NULL))
    )`);
  await run(
    sql`CREATE INDEX referrals_incoming ON cases.referrals (agency_id, to_program_id, status, referred_at DESC, id DESC)`,
  );
  await run(sql`CREATE INDEX referrals_from_case ON cases.referrals (from_case_id, referred_at)`);
  // One open referral from a case to a program at a time.
  await run(
    sql`CREATE UNIQUE INDEX referrals_one_pending ON cases.referrals (from_case_id, to_program_id) WHERE status = 'pending'`,
  );
}

async function tasksAndContactPolicy(run: Run, appendOnly: AppendOnly): Promise<void> {
  await run(sql`
    CREATE TABLE cases.tasks (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases.cases (id),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
      type text NOT NULL CHECK (type IN ('contact', 'review', 'document', 'other')),
      source text NOT NULL DEFAULT 'manual' CHECK (source IN ('policy', 'manual')),
      due_on date NOT NULL,
      basis_on date,
      assigned_to uuid,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
      completed_at timestamptz,
      completed_by uuid,
      created_by uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'done') = (completed_at IS NOT NULL)),
      CHECK (completed_by IS NULL OR completed_at IS NOT NULL),
      CHECK (source = 'manual' OR (type = 'contact' AND basis_on IS NOT NULL AND created_by IS NULL)),
      CHECK (source = 'policy' OR created_by IS NOT NULL)
    )`);
  // The contact policy keeps one open contact task per case.
  await run(
    sql`CREATE UNIQUE INDEX tasks_one_policy_task ON cases.tasks (case_id) WHERE source = 'policy' AND status = 'open'`,
  );
  await run(sql`CREATE INDEX tasks_case ON cases.tasks (case_id, due_on, id)`);
  await run(
    sql`CREATE INDEX tasks_open_assignee ON cases.tasks (assigned_to, due_on, id) WHERE status = 'open'`,
  );
  await run(sql`CREATE INDEX tasks_open_due ON cases.tasks (due_on, id) WHERE status = 'open'`);

  await run(sql`
    CREATE TABLE cases.contact_policy (
      agency_id uuid,
      risk_level text NOT NULL CHECK (risk_level IN ('low', 'moderate', 'high', 'critical')),
      interval_days integer NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
      version integer NOT NULL DEFAULT 1,
      updated_by uuid,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await run(
    sql`CREATE UNIQUE INDEX contact_policy_agency ON cases.contact_policy (agency_id, risk_level) WHERE agency_id IS NOT NULL`,
  );
  await run(
    sql`CREATE UNIQUE INDEX contact_policy_default ON cases.contact_policy (risk_level) WHERE agency_id IS NULL`,
  );
  // The defaults every agency starts from, until it sets its own.
  await run(sql`
    INSERT INTO cases.contact_policy (agency_id, risk_level, interval_days)
    VALUES (NULL, 'low', 30), (NULL, 'moderate', 14), (NULL, 'high', 7), (NULL, 'critical', 2)`);

  await run(sql`
    CREATE TABLE cases.contact_policy_changes (
      id uuid PRIMARY KEY,
      agency_id uuid NOT NULL,
      risk_level text NOT NULL CHECK (risk_level IN ('low', 'moderate', 'high', 'critical')),
      from_days integer NOT NULL,
      to_days integer NOT NULL,
      reason text NOT NULL,
      changed_by uuid NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`);
  await run(
    sql`CREATE INDEX contact_policy_changes_agency ON cases.contact_policy_changes (agency_id, changed_at DESC)`,
  );
  await appendOnly('contact_policy_changes');
}
