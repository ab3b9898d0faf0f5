import { Inject, Injectable, type INestApplication } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { DEMO_AGENCY } from '../identity/demo.js';
import { isLateEntry, noteContentHash } from './case-note-signature.js';
import { CaseNotesRepository } from './case-notes.repository.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import { CasesRepository } from './cases.repository.js';
import { ContactSchedule } from './contact-schedule.js';
import { DEMO_CASES, DEMO_NOTES, DEMO_PLANS, DEMO_TASKS, type DemoNote, type DemoPlan } from './demo.js';
import { ServicePlansRepository, type NewPlanItems } from './service-plans.repository.js';
import { CaseTasksRepository } from './tasks.repository.js';

/** Loads the demo casework (SEED_DEMO_DATA) once, on a database without it. */
export async function seedCasesDemo(app: INestApplication, config: AppConfig): Promise<void> {
  if (config.SEED_DEMO_DATA) await app.get(CasesSeeder).run();
}

/**
 * Writes the demo cases (demo.ts) the way the services would have over the year: each case with
 * its `opened` assignment, notes drafted then signed (content hash, late-entry rule), the plan
 * drafted, signed by client and worker, then reviewed; tasks people made; and finally each
 * case's contact task from the contact policy (ContactSchedule, the real rule). No events are
 * published: the clients seed gives the cases' workers and teams their care-team rows.
 */
@Injectable()
export class CasesSeeder {
  constructor(
    private readonly database: CasesDatabase,
    private readonly cases: CasesRepository,
    private readonly notes: CaseNotesRepository,
    private readonly plans: ServicePlansRepository,
    private readonly tasks: CaseTasksRepository,
    private readonly schedule: ContactSchedule,
    private readonly clock: AgencyClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<void> {
    const first = DEMO_CASES[0];
    if (!first || (await this.cases.findById(first.id))) return;
    await this.database.transaction(async (trx) => {
      for (const demo of DEMO_CASES) {
        const openedAt = this.clock.at(demo.openedOn, '09:00');
        await this.cases.insert(
          {
            id: demo.id,
            agency_id: DEMO_AGENCY.id,
            client_id: demo.clientId,
            program_id: demo.programId,
            type: demo.type,
            risk_level: demo.riskLevel,
            opened_on: demo.openedOn,
            assigned_worker_id: demo.workerId,
            team_id: demo.teamId,
            part2: false,
            created_by: demo.openedBy,
            created_at: openedAt,
            updated_at: openedAt,
          },
          trx,
        );
        await this.cases.insertAssignment(
          {
            id: demo.assignmentId,
            case_id: demo.id,
            kind: 'opened',
            to_worker_id: demo.workerId,
            to_team_id: demo.teamId,
            to_program_id: demo.programId,
            reason: 'Case opened',
            assigned_by: demo.openedBy,
            assigned_at: openedAt,
          },
          trx,
        );
      }
      for (const note of DEMO_NOTES) await this.writeNote(note, trx);
      for (const plan of DEMO_PLANS) await this.writePlan(plan, trx);
      for (const task of DEMO_TASKS) {
        await this.tasks.insert(
          {
            id: task.id,
            case_id: task.caseId,
            title: task.title,
            type: task.type,
            source: 'manual',
            due_on: task.dueOn,
            assigned_to: task.assignedTo,
            created_by: task.createdBy,
          },
          trx,
        );
      }
    });
    for (const demo of DEMO_CASES) await this.schedule.recompute(demo.id);
  }

  /** Drafted, then (unless it stays a draft) signed as CaseNotesService.sign signs. */
  private async writeNote(demo: DemoNote, trx: CasesDb): Promise<void> {
    const contactAt = this.clock.at(demo.contactDay, demo.contactTime);
    await this.notes.insert(
      {
        id: demo.id,
        case_id: demo.caseId,
        author_id: demo.authorId,
        note_type: demo.type,
        contact_at: contactAt,
        duration_minutes: demo.durationMinutes,
        body: demo.body,
        part2: false,
        cosign_required: false,
        late_entry: false,
        parent_note_id: demo.parentNoteId,
        created_at: contactAt,
      },
      trx,
    );
    if (!demo.signedAt) return;
    const draft = await this.notes.findById(demo.id, trx);
    if (!draft) throw new Error(`demo note ${demo.id} was not written`);
    const signedAt = this.clock.at(demo.signedAt.day, demo.signedAt.time);
    const lateEntry =
      draft.parent_note_id === null &&
      isLateEntry(draft.contact_at, signedAt, this.config.CASE_NOTE_LATE_ENTRY_HOURS);
    const signature = { signed_at: signedAt, signed_by: demo.authorId, late_entry: lateEntry };
    const contentHash = noteContentHash({ ...draft, ...signature });
    if (!(await this.notes.sign(demo.id, { ...signature, content_hash: contentHash }, draft.version, trx))) {
      throw new Error(`demo note ${demo.id} could not be signed`);
    }
  }

  /** Drafted with its goals, objectives and interventions; signed by both; then reviewed. */
  private async writePlan(demo: DemoPlan, trx: CasesDb): Promise<void> {
    const kase = DEMO_CASES.find((c) => c.id === demo.caseId);
    const worker = kase?.workerId;
    if (!worker) throw new Error(`demo plan ${demo.id} needs a case with a worker`);
    await this.plans.insert(
      {
        id: demo.id,
        case_id: demo.caseId,
        plan_number: 1,
        effective_from: demo.effectiveFrom,
        effective_to: demo.effectiveTo,
        supersedes_plan_id: null,
        created_by: worker,
        created_at: this.clock.at(demo.effectiveFrom, '09:00'),
      },
      trx,
    );
    await this.plans.replaceItems(demo.id, planItems(demo), trx);
    if (!demo.signed) return;
    const signed = demo.signed;
    const recorded = await this.plans.recordClientSignature(
      demo.id,
      {
        client_signer_name: signed.clientSigner,
        client_signed_on: signed.on,
        client_sign_method: 'wet',
        client_witness_name: null,
        client_signature_recorded_by: worker,
      },
      1,
      trx,
    );
    const workerSigned = await this.plans.recordWorkerSignature(
      demo.id,
      { worker_signed_by: worker, worker_signed_at: this.clock.at(signed.on, signed.workerSignedTime) },
      2,
      trx,
    );
    if (!recorded || !workerSigned) throw new Error(`demo plan ${demo.id} could not be signed`);
    if (!demo.review) return;
    const review = demo.review;
    await this.plans.saveReview(
      {
        id: review.id,
        plan_id: demo.id,
        reviewed_on: review.on,
        summary: review.summary,
        reviewer_id: worker,
      },
      review.ratings.map((r) => ({
        review_id: review.id,
        goal_id: r.goalId,
        rating: r.rating,
        note: r.note,
      })),
      trx,
    );
    await this.plans.setItemStatuses(
      demo.id,
      {
        goals: [],
        objectives: review.achieved.map((id) => ({ id, status: 'achieved' as const })),
        interventions: [],
      },
      trx,
    );
  }
}

/** The plan's content as rows, in the order the demo lists it. */
function planItems(plan: DemoPlan): NewPlanItems {
  const items: NewPlanItems = { goals: [], objectives: [], interventions: [] };
  plan.goals.forEach((goal, g) => {
    items.goals.push({
      id: goal.id,
      plan_id: plan.id,
      position: g,
      description: goal.description,
      target_date: goal.targetDate,
      status: goal.status,
    });
    goal.objectives.forEach((objective, o) => {
      items.objectives.push({
        id: objective.id,
        plan_id: plan.id,
        goal_id: goal.id,
        position: o,
        description: objective.description,
        target_date: objective.targetDate,
        status: objective.status,
      });
      objective.interventions.forEach((intervention, i) => {
        items.interventions.push({
          id: intervention.id,
          plan_id: plan.id,
          objective_id: objective.id,
          position: i,
          description: intervention.description,
          responsible_party: intervention.responsibleParty,
          frequency: intervention.frequency,
          start_date: plan.effectiveFrom,
          target_date: objective.targetDate,
          status: intervention.status,
        });
      });
    });
  });
  return items;
}
