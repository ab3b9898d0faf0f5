import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { isUniqueViolation } from '../../platform/database/pg-errors.js';
import { publishEvent } from '../../platform/events/events.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { actorId, CASE_READ, CASE_WRITE, CaseAccess } from './case-access.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import { CasesTopics, type PlanActivatedEvent } from './cases.events.js';
import type { CaseRow } from './cases.repository.js';
import { toPlanSummaryView, toPlanView, toReviewView } from './casework.views.js';
import type {
  ClientSignatureBody,
  CompletePlanBody,
  PlanBody,
  PlanSummaryView,
  PlanView,
  ReviewBody,
  ReviewView,
  ReviseBody,
} from './service-plans.dto.js';
import {
  ServicePlansRepository,
  type NewPlanItems,
  type PlanItems,
  type PlanRow,
} from './service-plans.repository.js';

/**
 * Service plans: a case's plan is drafted as one document (goals → objectives →
 * interventions), signed by the client (as recorded by staff) and by a worker, and is in force
 * once both have signed. From the first signature on its content is locked (the database
 * refuses changes too); a change is a new version that supersedes it when signed in turn.
 * Progress reviews rate each goal and move item statuses on the plan in force.
 */
@Injectable()
export class ServicePlansService {
  constructor(
    private readonly database: CasesDatabase,
    private readonly plans: ServicePlansRepository,
    private readonly access: CaseAccess,
    private readonly clock: AgencyClock,
  ) {}

  async list(principal: Principal, caseId: string): Promise<PlanSummaryView[]> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    return (await this.plans.listOfCase(row.id)).map(toPlanSummaryView);
  }

  async get(principal: Principal, caseId: string, planId: string): Promise<PlanView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    return this.view(await this.planOf(row, planId));
  }

  async create(principal: Principal, caseId: string, body: PlanBody): Promise<PlanView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    requireOpenCase(row);
    const id = randomUUID();
    await this.database
      .transaction(async (trx) => {
        await this.refuseSecondDraft(row.id, trx);
        await this.plans.insert(
          {
            id,
            case_id: row.id,
            plan_number: await this.plans.nextPlanNumber(row.id, trx),
            effective_from: body.effectiveFrom,
            effective_to: body.effectiveTo,
            supersedes_plan_id: null,
            created_by: actorId(principal),
          },
          trx,
        );
        await this.plans.replaceItems(id, itemsFromBody(id, body), trx);
      })
      .catch(refuseConcurrentDraft);
    return this.view(await this.row(id));
  }

  /** Replaces an unsigned draft's dates and content (If-Match). */
  async replace(
    principal: Principal,
    caseId: string,
    planId: string,
    version: number,
    body: PlanBody,
  ): Promise<PlanView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    requireOpenCase(row);
    const plan = await this.planOf(row, planId);
    requireEditable(plan);
    if (plan.version !== version) throw Problems.preconditionFailed();
    await this.database.transaction(async (trx) => {
      const changes = { effective_from: body.effectiveFrom, effective_to: body.effectiveTo };
      if (!(await this.plans.updateDraft(plan.id, changes, version, trx))) await this.refuseStale(plan.id);
      await this.plans.replaceItems(plan.id, itemsFromBody(plan.id, body), trx);
    });
    return this.view(await this.row(plan.id));
  }

  /** Discards an unsigned draft (If-Match); a signed plan is part of the record. */
  async discard(principal: Principal, caseId: string, planId: string, version: number): Promise<void> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    const plan = await this.planOf(row, planId);
    requireEditable(plan);
    if (plan.version !== version) throw Problems.preconditionFailed();
    const deleted = await this.database.transaction((trx) => this.plans.deleteDraft(plan.id, version, trx));
    if (!deleted) await this.refuseStale(plan.id);
  }

  /**
   * Records the client's signature (If-Match): the name of who signed, when and how. Staff
   * record it; the plan's content is locked from here on.
   */
  async signByClient(
    principal: Principal,
    caseId: string,
    planId: string,
    version: number,
    body: ClientSignatureBody,
  ): Promise<PlanView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    requireOpenCase(row);
    const plan = await this.planOf(row, planId);
    requireSignable(plan, await this.plans.itemsOf(plan.id));
    if (plan.client_signed_on !== null) throw Problems.conflict('The client has already signed this plan.');
    if (plan.version !== version) throw Problems.preconditionFailed();
    const signature = {
      client_signer_name: body.signerName,
      client_signed_on: body.signedOn,
      client_sign_method: body.method,
      client_witness_name: body.witnessName ?? null,
      client_signature_recorded_by: actorId(principal),
    };
    await this.database.transaction(async (trx) => {
      const previous = plan.worker_signed_at !== null ? await this.supersedeInForce(row, trx) : undefined;
      if (!(await this.plans.recordClientSignature(plan.id, signature, version, trx))) {
        throw Problems.preconditionFailed();
      }
      if (previous !== undefined) await this.announceActivation(row, plan, previous, trx);
    });
    return this.view(await this.row(plan.id));
  }

  /** The worker's signature (If-Match): the caller, now. */
  async signByWorker(
    principal: Principal,
    caseId: string,
    planId: string,
    version: number,
  ): Promise<PlanView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    requireOpenCase(row);
    const plan = await this.planOf(row, planId);
    requireSignable(plan, await this.plans.itemsOf(plan.id));
    if (plan.worker_signed_at !== null) throw Problems.conflict('A worker has already signed this plan.');
    if (plan.version !== version) throw Problems.preconditionFailed();
    const signature = { worker_signed_by: actorId(principal), worker_signed_at: new Date() };
    await this.database.transaction(async (trx) => {
      const previous = plan.client_signed_on !== null ? await this.supersedeInForce(row, trx) : undefined;
      if (!(await this.plans.recordWorkerSignature(plan.id, signature, version, trx))) {
        throw Problems.preconditionFailed();
      }
      if (previous !== undefined) await this.announceActivation(row, plan, previous, trx);
    });
    return this.view(await this.row(plan.id));
  }

  /**
   * A new draft version with the content of a signed plan, to change what was agreed. The plan
   * in force stays in force until the new version is signed by both; a draft that carries only
   * one signature is superseded at once (it never took effect).
   */
  async revise(principal: Principal, caseId: string, planId: string, body: ReviseBody): Promise<PlanView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    requireOpenCase(row);
    const source = await this.planOf(row, planId);
    if (source.status === 'draft' && !isLocked(source)) {
      throw Problems.conflict('This draft is not signed yet: edit it instead of revising it.', 'plan-draft');
    }
    if (source.status === 'completed' || source.status === 'superseded') {
      throw Problems.conflict(`This plan is ${source.status}: revise the case's current plan.`);
    }
    const id = randomUUID();
    const today = this.clock.today();
    const effectiveFrom = body.effectiveFrom ?? today;
    // The new version keeps the old one's end date unless it would start after it.
    const effectiveTo =
      source.effective_to !== null && source.effective_to >= effectiveFrom ? source.effective_to : null;
    await this.database
      .transaction(async (trx) => {
        if (source.status === 'draft' && !(await this.plans.end(source.id, 'superseded', today, trx))) {
          throw Problems.preconditionFailed();
        }
        await this.refuseSecondDraft(row.id, trx);
        await this.plans.insert(
          {
            id,
            case_id: row.id,
            plan_number: await this.plans.nextPlanNumber(row.id, trx),
            effective_from: effectiveFrom,
            effective_to: effectiveTo,
            supersedes_plan_id: source.id,
            created_by: actorId(principal),
          },
          trx,
        );
        await this.plans.replaceItems(id, copyItems(id, await this.plans.itemsOf(source.id, trx)), trx);
      })
      .catch(refuseConcurrentDraft);
    return this.view(await this.row(id));
  }

  /** The plan in force has run its course (If-Match). */
  async complete(
    principal: Principal,
    caseId: string,
    planId: string,
    version: number,
    body: CompletePlanBody,
  ): Promise<PlanView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    const plan = await this.planOf(row, planId);
    if (plan.status !== 'active') throw Problems.conflict('Only the plan in force can be completed.');
    if (plan.version !== version) throw Problems.preconditionFailed();
    if (body.endedOn < plan.effective_from) {
      throw Problems.validation([{ field: 'body.endedOn', message: 'A plan cannot end before it starts.' }]);
    }
    if (!(await this.plans.end(plan.id, 'completed', body.endedOn))) throw Problems.preconditionFailed();
    return this.view(await this.row(plan.id));
  }

  async reviews(principal: Principal, caseId: string, planId: string): Promise<ReviewView[]> {
    const { case: row } = await this.access.require(principal, caseId, CASE_READ);
    const plan = await this.planOf(row, planId);
    const { reviews, goals } = await this.plans.reviewsOf(plan.id);
    return reviews.map((review) =>
      toReviewView(
        review,
        goals.filter((g) => g.review_id === review.id),
      ),
    );
  }

  /**
   * A progress review of the plan in force: a rating (and note) per goal reviewed, by the
   * caller, with the status changes of goals, objectives and interventions it records.
   */
  async review(principal: Principal, caseId: string, planId: string, body: ReviewBody): Promise<ReviewView> {
    const { case: row } = await this.access.require(principal, caseId, CASE_WRITE);
    requireOpenCase(row);
    const plan = await this.planOf(row, planId);
    if (plan.status !== 'active') {
      throw Problems.conflict('Progress is reviewed on the plan in force (both signatures recorded).');
    }
    const items = await this.plans.itemsOf(plan.id);
    requireItemsOf(items, body);
    if (body.reviewedOn < plan.effective_from) {
      throw Problems.validation([
        { field: 'body.reviewedOn', message: 'The review cannot predate the plan taking effect.' },
      ]);
    }
    const id = randomUUID();
    const goals = body.goals.map((g) => ({
      review_id: id,
      goal_id: g.goalId,
      rating: g.rating,
      note: g.note ?? null,
    }));
    await this.database.transaction(async (trx) => {
      await this.plans.saveReview(
        {
          id,
          plan_id: plan.id,
          reviewed_on: body.reviewedOn,
          summary: body.summary ?? null,
          reviewer_id: actorId(principal),
        },
        goals,
        trx,
      );
      await this.plans.setItemStatuses(
        plan.id,
        {
          goals: body.goals.flatMap((g) => (g.status ? [{ id: g.goalId, status: g.status }] : [])),
          objectives: body.objectives.map((o) => ({ id: o.objectiveId, status: o.status })),
          interventions: body.interventions.map((i) => ({ id: i.interventionId, status: i.status })),
        },
        trx,
      );
    });
    const { reviews, goals: ratings } = await this.plans.reviewsOf(plan.id);
    const created = reviews.find((r) => r.id === id);
    if (!created) throw Problems.notFound('review');
    return toReviewView(
      created,
      ratings.filter((g) => g.review_id === id),
    );
  }

  /**
   * The second signature is about to put a plan in force: the case's plan in force until now is
   * superseded first (one plan in force per case). Returns its id, null when there was none.
   */
  private async supersedeInForce(row: CaseRow, trx: CasesDb): Promise<string | null> {
    const previous = await this.plans.activeOfCaseForUpdate(row.id, trx);
    if (!previous) return null;
    if (!(await this.plans.end(previous.id, 'superseded', this.clock.today(), trx)))
      throw Problems.preconditionFailed();
    return previous.id;
  }

  private async announceActivation(
    row: CaseRow,
    plan: PlanRow,
    supersededPlanId: string | null,
    trx: CasesDb,
  ): Promise<void> {
    await publishEvent(trx, CasesTopics.planActivated, {
      planId: plan.id,
      caseId: row.id,
      agencyId: row.agency_id,
      planNumber: plan.plan_number,
      supersededPlanId,
    } satisfies PlanActivatedEvent);
  }

  private async refuseSecondDraft(caseId: string, trx: CasesDb): Promise<void> {
    const plans = await this.plans.listOfCase(caseId, trx);
    if (plans.some((p) => p.status === 'draft')) throw draftExists();
  }

  private async planOf(row: CaseRow, planId: string): Promise<PlanRow> {
    const plan = await this.plans.findById(planId);
    if (plan?.case_id !== row.id) throw Problems.notFound('service plan');
    return plan;
  }

  private async view(plan: PlanRow): Promise<PlanView> {
    return toPlanView(plan, await this.plans.itemsOf(plan.id));
  }

  /** A conditional write matched nothing: the plan was signed or changed meanwhile. */
  private async refuseStale(planId: string): Promise<never> {
    const now = await this.plans.findById(planId);
    if (now && isLocked(now)) throw planLocked();
    throw Problems.preconditionFailed();
  }

  private async row(id: string): Promise<PlanRow> {
    const plan = await this.plans.findById(id);
    if (!plan) throw Problems.notFound('service plan');
    return plan;
  }
}

export function isLocked(plan: PlanRow): boolean {
  return plan.status !== 'draft' || plan.client_signed_on !== null || plan.worker_signed_at !== null;
}

function requireOpenCase(row: CaseRow): void {
  if (row.status === 'closed') throw Problems.conflict('The case is closed: its plans no longer change.');
}

function requireEditable(plan: PlanRow): void {
  if (isLocked(plan)) throw planLocked();
}

/** Only a draft with content to agree to can be signed: goals, each with objectives and interventions. */
function requireSignable(plan: PlanRow, items: PlanItems): void {
  if (plan.status !== 'draft')
    throw Problems.conflict(`This plan is ${plan.status}; it takes no signatures.`);
  const incomplete =
    items.goals.length === 0 ||
    items.goals.some((g) => !items.objectives.some((o) => o.goal_id === g.id)) ||
    items.objectives.some((o) => !items.interventions.some((i) => i.objective_id === o.id));
  if (incomplete) {
    throw Problems.conflict(
      'A plan is signed once it has at least one goal, every goal an objective and every objective an intervention.',
      'plan-incomplete',
    );
  }
}

/** Every goal, objective and intervention a review names must be this plan's. */
function requireItemsOf(items: PlanItems, body: ReviewBody): void {
  const errors: { field: string; message: string }[] = [];
  const check = (ids: string[], known: { id: string }[], field: string) => {
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (!known.some((k) => k.id === id))
        errors.push({ field: `${field}[${index}]`, message: 'Not part of this plan.' });
      else if (seen.has(id)) errors.push({ field: `${field}[${index}]`, message: 'Listed twice.' });
      seen.add(id);
    });
  };
  check(
    body.goals.map((g) => g.goalId),
    items.goals,
    'body.goals',
  );
  check(
    body.objectives.map((o) => o.objectiveId),
    items.objectives,
    'body.objectives',
  );
  check(
    body.interventions.map((i) => i.interventionId),
    items.interventions,
    'body.interventions',
  );
  if (errors.length > 0) throw Problems.validation(errors);
}

function planLocked(): ProblemError {
  return Problems.conflict(
    'This plan has been signed and can no longer change; revise it as a new version.',
    'plan-locked',
  );
}

/** The rows of a plan document, with new ids, in the order given. */
function itemsFromBody(planId: string, body: PlanBody): NewPlanItems {
  const items: NewPlanItems = { goals: [], objectives: [], interventions: [] };
  body.goals.forEach((goal, g) => {
    const goalId = randomUUID();
    items.goals.push({
      id: goalId,
      plan_id: planId,
      position: g,
      description: goal.description,
      target_date: goal.targetDate,
      status: goal.status,
    });
    goal.objectives.forEach((objective, o) => {
      const objectiveId = randomUUID();
      items.objectives.push({
        id: objectiveId,
        plan_id: planId,
        goal_id: goalId,
        position: o,
        description: objective.description,
        target_date: objective.targetDate,
        status: objective.status,
      });
      objective.interventions.forEach((intervention, i) => {
        items.interventions.push({
          id: randomUUID(),
          plan_id: planId,
          objective_id: objectiveId,
          position: i,
          description: intervention.description,
          responsible_party: intervention.responsibleParty,
          frequency: intervention.frequency,
          start_date: intervention.startDate,
          target_date: intervention.targetDate,
          status: intervention.status,
        });
      });
    });
  });
  return items;
}

/** A signed plan's content for its next version: the same items and statuses, new ids. */
function copyItems(planId: string, items: PlanItems): NewPlanItems {
  const goalIds = new Map(items.goals.map((g) => [g.id, randomUUID()]));
  const objectiveIds = new Map(items.objectives.map((o) => [o.id, randomUUID()]));
  return {
    goals: items.goals.map((g) => ({
      id: mapped(goalIds, g.id),
      plan_id: planId,
      position: g.position,
      description: g.description,
      target_date: g.target_date,
      status: g.status,
    })),
    objectives: items.objectives.map((o) => ({
      id: mapped(objectiveIds, o.id),
      plan_id: planId,
      goal_id: mapped(goalIds, o.goal_id),
      position: o.position,
      description: o.description,
      target_date: o.target_date,
      status: o.status,
    })),
    interventions: items.interventions.map((i) => ({
      id: randomUUID(),
      plan_id: planId,
      objective_id: mapped(objectiveIds, i.objective_id),
      position: i.position,
      description: i.description,
      responsible_party: i.responsible_party,
      frequency: i.frequency,
      start_date: i.start_date,
      target_date: i.target_date,
      status: i.status,
    })),
  };
}

function mapped(ids: Map<string, string>, id: string): string {
  const to = ids.get(id);
  if (!to) throw new Error(`plan item ${id} refers to an item outside its plan`);
  return to;
}

function draftExists(): ProblemError {
  return Problems.conflict(
    'The case already has a plan in draft: finish or discard it first.',
    'plan-draft-exists',
  );
}

/**
 * Two drafts begun at the same moment both pass refuseSecondDraft; the database then refuses the
 * second (one draft per case, one plan number per case) — the same answer as the check gives.
 */
function refuseConcurrentDraft(err: unknown): never {
  if (
    isUniqueViolation(err, 'service_plans_one_draft') ||
    isUniqueViolation(err, 'service_plans_case_id_plan_number_key')
  )
    throw draftExists();
  throw err;
}
