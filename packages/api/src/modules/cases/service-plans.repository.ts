import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import type {
  GoalStatus,
  InterventionStatus,
  PlanGoalTable,
  PlanInterventionTable,
  PlanObjectiveTable,
  PlanReviewGoalTable,
  PlanReviewTable,
  ServicePlanTable,
  SignatureMethod,
} from './casework.schema.js';
import { isUuid } from '../../platform/database/ids.js';

export type PlanRow = Selectable<ServicePlanTable>;
export type NewPlan = Insertable<ServicePlanTable>;
export type GoalRow = Selectable<PlanGoalTable>;
export type ObjectiveRow = Selectable<PlanObjectiveTable>;
export type InterventionRow = Selectable<PlanInterventionTable>;
export type NewGoal = Insertable<PlanGoalTable>;
export type NewObjective = Insertable<PlanObjectiveTable>;
export type NewIntervention = Insertable<PlanInterventionTable>;
export type ReviewRow = Selectable<PlanReviewTable>;
export type NewReview = Insertable<PlanReviewTable>;
export type ReviewGoalRow = Selectable<PlanReviewGoalTable>;

/** A plan's content: its goals, their objectives and those objectives' interventions. */
export interface PlanItems {
  goals: GoalRow[];
  objectives: ObjectiveRow[];
  interventions: InterventionRow[];
}

export interface NewPlanItems {
  goals: NewGoal[];
  objectives: NewObjective[];
  interventions: NewIntervention[];
}

export interface ClientSignature {
  client_signer_name: string;
  client_signed_on: string;
  client_sign_method: SignatureMethod;
  client_witness_name: string | null;
  client_signature_recorded_by: string;
}

export interface WorkerSignature {
  worker_signed_by: string;
  worker_signed_at: Date;
}

/** Status changes a progress review records for the plan's items. */
export interface ItemStatuses {
  goals: { id: string; status: GoalStatus }[];
  objectives: { id: string; status: GoalStatus }[];
  interventions: { id: string; status: InterventionStatus }[];
}

const EXAMPLE_CASE = '0de70000-0000-4000-8000-0000000ca001';
const EXAMPLE_PLAN = '0de70000-0000-4000-8000-0000000ca201';
/** A plan the examples sign (none: the example plan stays an unsigned draft for the others). */
const EXAMPLE_SIGNED_PLAN = '0de70000-0000-4000-8000-0000000ca202';
const EXAMPLE_GOAL = '0de70000-0000-4000-8000-0000000ca211';
const EXAMPLE_OBJECTIVE = '0de70000-0000-4000-8000-0000000ca221';
const EXAMPLE_INTERVENTION = '0de70000-0000-4000-8000-0000000ca231';
const EXAMPLE_REVIEW = '0de70000-0000-4000-8000-0000000ca241';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';

/** Plan columns with dates as 'YYYY-MM-DD' text, the same on PGlite and node-postgres. */
const planColumns = [
  'p.id',
  'p.case_id',
  'p.plan_number',
  'p.status',
  sql<string>`p.effective_from::text`.as('effective_from'),
  sql<string | null>`p.effective_to::text`.as('effective_to'),
  'p.supersedes_plan_id',
  'p.client_signer_name',
  sql<string | null>`p.client_signed_on::text`.as('client_signed_on'),
  'p.client_sign_method',
  'p.client_witness_name',
  'p.client_signature_recorded_by',
  'p.worker_signed_by',
  'p.worker_signed_at',
  'p.activated_at',
  sql<string | null>`p.ended_on::text`.as('ended_on'),
  'p.created_by',
  'p.version',
  'p.created_at',
  'p.updated_at',
] as const;

/** Service plans, their goals, objectives, interventions and progress reviews. */
@Injectable()
export class ServicePlansRepository {
  constructor(private readonly database: CasesDatabase) {}

  private get db(): CasesDb {
    return this.database.db;
  }

  @GenerateSql({ params: [EXAMPLE_PLAN, GenerateSql.db] })
  async findById(id: string, db: CasesDb = this.db): Promise<PlanRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db
      .selectFrom('cases.service_plans as p')
      .select(planColumns)
      .where('p.id', '=', id)
      .executeTakeFirst();
  }

  /** A case's plans, newest version first. */
  @GenerateSql({ params: [EXAMPLE_CASE] })
  listOfCase(caseId: string, db: CasesDb = this.db): Promise<PlanRow[]> {
    return db
      .selectFrom('cases.service_plans as p')
      .select(planColumns)
      .where('p.case_id', '=', caseId)
      .orderBy('p.plan_number', 'desc')
      .execute();
  }

  /** The number the case's next plan version takes. */
  @GenerateSql({ params: [EXAMPLE_CASE, GenerateSql.db] })
  async nextPlanNumber(caseId: string, db: CasesDb = this.db): Promise<number> {
    const row = await db
      .selectFrom('cases.service_plans')
      .select(sql<number>`coalesce(max(plan_number), 0) + 1`.as('next'))
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    return Number(row.next);
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_PLAN,
        case_id: EXAMPLE_CASE,
        plan_number: 1,
        effective_from: '2026-01-05',
        effective_to: '2026-07-05',
        supersedes_plan_id: null,
        created_by: EXAMPLE_USER,
      },
      GenerateSql.db,
    ],
  })
  async insert(row: NewPlan, db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.service_plans').values(row).execute();
  }

  /** Changes an unsigned draft still at `version`; false when it moved on or was signed. */
  @GenerateSql({
    params: [EXAMPLE_PLAN, { effective_from: '2026-01-06', effective_to: null }, 1, GenerateSql.db],
  })
  async updateDraft(
    id: string,
    changes: Pick<PlanRow, 'effective_from' | 'effective_to'>,
    version: number,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases.service_plans')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('client_signed_on', 'is', null)
      .where('worker_signed_at', 'is', null)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The goals, objectives and interventions of a plan, each in plan order. */
  @GenerateSql({ params: [EXAMPLE_PLAN, GenerateSql.db] })
  async itemsOf(planId: string, db: CasesDb = this.db): Promise<PlanItems> {
    const goals = await db
      .selectFrom('cases.plan_goals')
      .select([
        'id',
        'plan_id',
        'position',
        'description',
        sql<string | null>`target_date::text`.as('target_date'),
        'status',
        'created_at',
        'updated_at',
      ])
      .where('plan_id', '=', planId)
      .orderBy('position')
      .execute();
    const objectives = await db
      .selectFrom('cases.plan_objectives')
      .select([
        'id',
        'plan_id',
        'goal_id',
        'position',
        'description',
        sql<string | null>`target_date::text`.as('target_date'),
        'status',
        'created_at',
        'updated_at',
      ])
      .where('plan_id', '=', planId)
      .orderBy('goal_id')
      .orderBy('position')
      .execute();
    const interventions = await db
      .selectFrom('cases.plan_interventions')
      .select([
        'id',
        'plan_id',
        'objective_id',
        'position',
        'description',
        'responsible_party',
        'frequency',
        sql<string | null>`start_date::text`.as('start_date'),
        sql<string | null>`target_date::text`.as('target_date'),
        'status',
        'created_at',
        'updated_at',
      ])
      .where('plan_id', '=', planId)
      .orderBy('objective_id')
      .orderBy('position')
      .execute();
    return { goals, objectives, interventions };
  }

  /** Replaces a draft's content (the trigger refuses it once the plan is signed). */
  @GenerateSql({
    params: [
      EXAMPLE_PLAN,
      {
        goals: [
          {
            id: EXAMPLE_GOAL,
            plan_id: EXAMPLE_PLAN,
            position: 0,
            description: 'Stable housing',
            target_date: '2026-06-30',
            status: 'in_progress',
          },
        ],
        objectives: [
          {
            id: EXAMPLE_OBJECTIVE,
            plan_id: EXAMPLE_PLAN,
            goal_id: EXAMPLE_GOAL,
            position: 0,
            description: 'Apply for two housing programs',
            target_date: '2026-03-31',
            status: 'not_started',
          },
        ],
        interventions: [
          {
            id: EXAMPLE_INTERVENTION,
            plan_id: EXAMPLE_PLAN,
            objective_id: EXAMPLE_OBJECTIVE,
            position: 0,
            description: 'Help complete applications',
            responsible_party: 'Case manager',
            frequency: 'Weekly',
            start_date: '2026-01-12',
            target_date: '2026-03-31',
            status: 'planned',
          },
        ],
      },
      GenerateSql.db,
    ],
  })
  async replaceItems(planId: string, items: NewPlanItems, db: CasesDb = this.db): Promise<void> {
    await db.deleteFrom('cases.plan_goals').where('plan_id', '=', planId).execute();
    if (items.goals.length > 0) await db.insertInto('cases.plan_goals').values(items.goals).execute();
    if (items.objectives.length > 0)
      await db.insertInto('cases.plan_objectives').values(items.objectives).execute();
    if (items.interventions.length > 0)
      await db.insertInto('cases.plan_interventions').values(items.interventions).execute();
  }

  /**
   * Records the client's signature on a draft still at `version` that has none yet; with the
   * worker's already there, the plan is in force from this statement on.
   */
  @GenerateSql({
    params: [
      EXAMPLE_SIGNED_PLAN,
      {
        client_signer_name: 'Ana Garcia',
        client_signed_on: '2026-01-05',
        client_sign_method: 'wet',
        client_witness_name: null,
        client_signature_recorded_by: EXAMPLE_USER,
      },
      1,
      GenerateSql.db,
    ],
  })
  async recordClientSignature(
    id: string,
    signature: ClientSignature,
    version: number,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases.service_plans')
      .set({
        ...signature,
        // The second signature puts the plan in force in the same statement.
        status: sql`CASE WHEN worker_signed_at IS NOT NULL THEN 'active' ELSE status END`,
        activated_at: sql`CASE WHEN worker_signed_at IS NOT NULL THEN now() END`,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('client_signed_on', 'is', null)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records the worker's signature likewise (in force when the client's is there). */
  @GenerateSql({
    params: [
      EXAMPLE_SIGNED_PLAN,
      { worker_signed_by: EXAMPLE_USER, worker_signed_at: new Date('2026-01-05T16:00:00.000Z') },
      1,
      GenerateSql.db,
    ],
  })
  async recordWorkerSignature(
    id: string,
    signature: WorkerSignature,
    version: number,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('cases.service_plans')
      .set({
        ...signature,
        status: sql`CASE WHEN client_signed_on IS NOT NULL THEN 'active' ELSE status END`,
        activated_at: sql`CASE WHEN client_signed_on IS NOT NULL THEN now() END`,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('worker_signed_at', 'is', null)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The case's plan in force, locked while a new version replaces it. */
  @GenerateSql({ params: [EXAMPLE_CASE, GenerateSql.db] })
  activeOfCaseForUpdate(caseId: string, db: CasesDb = this.db): Promise<PlanRow | undefined> {
    return db
      .selectFrom('cases.service_plans as p')
      .select(planColumns)
      .where('p.case_id', '=', caseId)
      .where('p.status', '=', 'active')
      .forUpdate()
      .executeTakeFirst();
  }

  /**
   * Ends a plan: `completed` (an active plan ran its course) or `superseded` (a newer version
   * took its place). Only from the statuses the trigger allows; false when it was not in one.
   */
  @GenerateSql({ params: [EXAMPLE_PLAN, 'superseded', '2026-02-01', GenerateSql.db] })
  async end(
    id: string,
    status: 'completed' | 'superseded',
    endedOn: string,
    db: CasesDb = this.db,
  ): Promise<boolean> {
    const from = status === 'completed' ? (['active'] as const) : (['active', 'draft'] as const);
    const result = await db
      .updateTable('cases.service_plans')
      .set({ status, ended_on: endedOn, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Discards an unsigned draft still at `version` with its content (cascade); false when it moved on. */
  @GenerateSql({ params: [EXAMPLE_PLAN, 1, GenerateSql.db] })
  async deleteDraft(id: string, version: number, db: CasesDb = this.db): Promise<boolean> {
    const result = await db
      .deleteFrom('cases.service_plans')
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('client_signed_on', 'is', null)
      .where('worker_signed_at', 'is', null)
      .where('version', '=', version)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Sets the status of goals, objectives and interventions of the plan (a progress review's). */
  @GenerateSql({
    params: [
      EXAMPLE_PLAN,
      {
        goals: [{ id: EXAMPLE_GOAL, status: 'achieved' }],
        objectives: [{ id: EXAMPLE_OBJECTIVE, status: 'achieved' }],
        interventions: [{ id: EXAMPLE_INTERVENTION, status: 'completed' }],
      },
      GenerateSql.db,
    ],
  })
  async setItemStatuses(planId: string, statuses: ItemStatuses, db: CasesDb = this.db): Promise<void> {
    for (const goal of statuses.goals) {
      await db
        .updateTable('cases.plan_goals')
        .set({ status: goal.status, updated_at: sql`now()` })
        .where('id', '=', goal.id)
        .where('plan_id', '=', planId)
        .execute();
    }
    for (const objective of statuses.objectives) {
      await db
        .updateTable('cases.plan_objectives')
        .set({ status: objective.status, updated_at: sql`now()` })
        .where('id', '=', objective.id)
        .where('plan_id', '=', planId)
        .execute();
    }
    for (const intervention of statuses.interventions) {
      await db
        .updateTable('cases.plan_interventions')
        .set({ status: intervention.status, updated_at: sql`now()` })
        .where('id', '=', intervention.id)
        .where('plan_id', '=', planId)
        .execute();
    }
  }

  @GenerateSql({
    params: [
      {
        id: EXAMPLE_REVIEW,
        plan_id: EXAMPLE_PLAN,
        reviewed_on: '2026-02-05',
        summary: 'Two applications submitted.',
        reviewer_id: EXAMPLE_USER,
      },
      [{ review_id: EXAMPLE_REVIEW, goal_id: EXAMPLE_GOAL, rating: 'some_progress', note: 'On track.' }],
      GenerateSql.db,
    ],
  })
  async saveReview(review: NewReview, goals: ReviewGoalRow[], db: CasesDb = this.db): Promise<void> {
    await db.insertInto('cases.plan_reviews').values(review).execute();
    if (goals.length > 0) await db.insertInto('cases.plan_review_goals').values(goals).execute();
  }

  /** A plan's progress reviews, latest first, with their per-goal ratings. */
  @GenerateSql({ params: [EXAMPLE_PLAN] })
  async reviewsOf(
    planId: string,
    db: CasesDb = this.db,
  ): Promise<{ reviews: ReviewRow[]; goals: ReviewGoalRow[] }> {
    const rows = await db
      .selectFrom('cases.plan_reviews as r')
      .leftJoin('cases.plan_review_goals as g', 'g.review_id', 'r.id')
      .select([
        'r.id',
        'r.plan_id',
        sql<string>`r.reviewed_on::text`.as('reviewed_on'),
        'r.summary',
        'r.reviewer_id',
        'r.created_at',
        'g.goal_id',
        'g.rating',
        'g.note',
      ])
      .where('r.plan_id', '=', planId)
      .orderBy('r.reviewed_on', 'desc')
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
      .execute();
    const reviews = new Map<string, ReviewRow>();
    const goals: ReviewGoalRow[] = [];
    for (const row of rows) {
      const { goal_id, rating, note, ...review } = row;
      if (!reviews.has(review.id)) reviews.set(review.id, review);
      if (goal_id !== null && rating !== null) goals.push({ review_id: review.id, goal_id, rating, note });
    }
    return { reviews: [...reviews.values()], goals };
  }
}
