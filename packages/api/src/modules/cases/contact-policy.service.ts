import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { actorId } from './case-access.js';
import { CasesDatabase } from './cases.database.js';
import { CasesTopics, type ContactPolicyChangedEvent } from './cases.events.js';
import type { RiskLevel } from './cases.schema.js';
import { toContactPolicyChangeView, toContactPolicyEntryView } from './casework.views.js';
import { contactTaskTitle } from './contact-policy.js';
import { ContactPolicyRepository } from './contact-policy.repository.js';
import type {
  ChangeContactPolicyBody,
  ContactPolicyChangeView,
  ContactPolicyEntryView,
} from './tasks.dto.js';
import { CaseTasksRepository } from './tasks.repository.js';
import { isUuid } from '../../platform/database/ids.js';

export const CONTACT_POLICY_MANAGE = 'cases.contact_policy.manage';

/**
 * The contact policy of the caller's agency: per risk level, how many days may pass between
 * contacts. A change needs `cases.contact_policy.manage` reaching the agency, states a reason,
 * is recorded (old and new value, who, when, why) and re-dates at once the open contact tasks
 * of the agency's cases at that level.
 */
@Injectable()
export class ContactPolicyService {
  constructor(
    private readonly database: CasesDatabase,
    private readonly policy: ContactPolicyRepository,
    private readonly tasks: CaseTasksRepository,
  ) {}

  async get(principal: Principal): Promise<ContactPolicyEntryView[]> {
    const agencyId = isUuid(principal.agencyId) ? principal.agencyId : null;
    return (await this.policy.effective(agencyId)).map(toContactPolicyEntryView);
  }

  async changes(principal: Principal): Promise<ContactPolicyChangeView[]> {
    const agencyId = this.requireManager(principal);
    return (await this.policy.changesOf(agencyId, 200)).map(toContactPolicyChangeView);
  }

  /** Sets the agency's interval for a risk level (If-Match: the entry's version, 0 while the default applies). */
  async change(
    principal: Principal,
    riskLevel: RiskLevel,
    version: number,
    body: ChangeContactPolicyBody,
  ): Promise<ContactPolicyEntryView> {
    const agencyId = this.requireManager(principal);
    const actor = actorId(principal);
    await this.database.transaction(async (trx) => {
      const own = await this.policy.agencyEntryForUpdate(agencyId, riskLevel, trx);
      const current = own ?? (await this.policy.effective(null, trx)).find((r) => r.risk_level === riskLevel);
      if (!current) throw Problems.notFound('contact policy entry');
      if ((own?.version ?? 0) !== version) throw Problems.preconditionFailed();
      if (current.interval_days === body.intervalDays) {
        throw Problems.conflict(`The interval for ${riskLevel} risk is already ${body.intervalDays} days.`);
      }
      const written = own
        ? await this.policy.updateAgencyEntry(agencyId, riskLevel, body.intervalDays, version, actor, trx)
        : await this.policy.insertAgencyEntry(agencyId, riskLevel, body.intervalDays, actor, trx);
      if (!written) throw Problems.preconditionFailed();
      await this.policy.insertChange(
        {
          id: randomUUID(),
          agency_id: agencyId,
          risk_level: riskLevel,
          from_days: current.interval_days,
          to_days: body.intervalDays,
          reason: body.reason,
          changed_by: actor,
        },
        trx,
      );
      await this.tasks.redateForPolicy(
        agencyId,
        riskLevel,
        body.intervalDays,
        contactTaskTitle(riskLevel, body.intervalDays),
        trx,
      );
      await publishEvent(trx, CasesTopics.contactPolicyChanged, {
        agencyId,
        riskLevel,
        fromDays: current.interval_days,
        toDays: body.intervalDays,
        changedBy: actor,
      } satisfies ContactPolicyChangedEvent);
    });
    const entry = (await this.policy.effective(agencyId)).find((r) => r.risk_level === riskLevel);
    if (!entry) throw Problems.notFound('contact policy entry');
    return toContactPolicyEntryView(entry);
  }

  /** The caller's agency, when their grant to manage the policy reaches it. */
  private requireManager(principal: Principal): string {
    const agencyId = principal.agencyId;
    if (!isUuid(agencyId) || !scopeAllows(principal, CONTACT_POLICY_MANAGE, { agencyId })) {
      throw Problems.forbidden('Changing the contact policy needs that permission for the whole agency.');
    }
    return agencyId;
  }
}
