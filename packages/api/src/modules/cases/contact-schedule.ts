import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { DomainEvent } from '../../platform/events/events.js';
import { OutboxDispatcher } from '../../platform/events/outbox-dispatcher.js';
import { CasesDatabase } from './cases.database.js';
import { CasesTopics } from './cases.events.js';
import { contactPolicyOf, contactTaskTitle, latestDate, nextContactDue } from './contact-policy.js';
import { ContactPolicyRepository } from './contact-policy.repository.js';
import { CaseTasksRepository } from './tasks.repository.js';
import { isUuid } from '../../platform/database/ids.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';

/** Events after which a case's next required contact may fall on another day. */
const RESCHEDULING_TOPICS: ReadonlySet<string> = new Set([
  CasesTopics.caseOpened,
  CasesTopics.caseAssigned,
  CasesTopics.caseRiskChanged,
  CasesTopics.caseReopened,
  CasesTopics.caseClosed,
  CasesTopics.noteSigned,
]);

/**
 * Keeps each case's contact task in step with the contact policy: one open task per case
 * (source `policy`, type `contact`), assigned to the case's worker and due the policy's
 * interval for the case's risk level after the last documented contact (or the day the case
 * opened or reopened, when none since) — the agency's days (AgencyClock), not UTC's. Recomputed from the case's current state whenever a
 * case opens, reopens, is reassigned, changes risk level or has a contact note signed; a newer
 * contact completes the task and starts the next one; a closed case's task is cancelled.
 * Working from current state rather than the event makes it idempotent and order-free.
 */
@Injectable()
export class ContactSchedule implements OnModuleInit {
  constructor(
    private readonly database: CasesDatabase,
    private readonly tasks: CaseTasksRepository,
    private readonly policy: ContactPolicyRepository,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: AgencyClock,
  ) {}

  onModuleInit(): void {
    this.dispatcher.subscribe('cases.contact-schedule', 'cases.#', (event) => this.handle(event));
  }

  async handle(event: DomainEvent): Promise<void> {
    if (!RESCHEDULING_TOPICS.has(event.topic)) return;
    const caseId = (event.payload as { caseId?: unknown }).caseId;
    if (typeof caseId === 'string' && isUuid(caseId)) await this.recompute(caseId);
  }

  async recompute(caseId: string): Promise<void> {
    await this.database.transaction(async (trx) => {
      const kase = await this.tasks.caseForUpdate(caseId, trx);
      if (!kase) return;
      if (kase.status === 'closed') {
        await this.tasks.cancelOpenOfCase(kase.id, trx);
        return;
      }
      const policy = contactPolicyOf(await this.policy.effective(kase.agency_id, trx));
      const facts = await this.tasks.contactFacts(kase.id, this.clock.timeZone, trx);
      const basis = latestDate(kase.opened_on, facts.lastReopenedOn, facts.lastContactOn) ?? kase.opened_on;
      const schedule = {
        title: contactTaskTitle(kase.risk_level, policy[kase.risk_level]),
        due_on: nextContactDue(kase.risk_level, basis, policy),
        basis_on: basis,
        assigned_to: kase.assigned_worker_id,
      };
      let open = await this.tasks.openPolicyTask(kase.id, trx);
      // A contact documented after the task's count began is the contact it asked for.
      if (open?.basis_on && facts.lastContactOn !== null && facts.lastContactOn > open.basis_on) {
        await this.tasks.completeBySystem(open.id, trx);
        open = undefined;
      }
      if (!open) {
        await this.tasks.insert(
          {
            id: randomUUID(),
            case_id: kase.id,
            type: 'contact',
            source: 'policy',
            created_by: null,
            ...schedule,
          },
          trx,
        );
      } else if (
        open.title !== schedule.title ||
        open.due_on !== schedule.due_on ||
        open.basis_on !== schedule.basis_on ||
        open.assigned_to !== schedule.assigned_to
      ) {
        await this.tasks.reschedule(open.id, schedule, trx);
      }
    });
  }
}
