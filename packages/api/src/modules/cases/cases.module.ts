import { Module } from '@nestjs/common';
import { ClientAccessModule } from '../clients/client-access.module.js';
import { CaseAccess } from './case-access.js';
import { CaseClosureController } from './case-closure.controller.js';
import { CaseClosureRepository } from './case-closure.repository.js';
import { CaseClosureService } from './case-closure.service.js';
import { CaseNotesController } from './case-notes.controller.js';
import { CaseNotesRepository } from './case-notes.repository.js';
import { CaseNotesService } from './case-notes.service.js';
import { CasesController } from './cases.controller.js';
import { CasesDatabase } from './cases.database.js';
import { CasesRepository } from './cases.repository.js';
import { CasesSeeder } from './cases.seed.js';
import { CasesService } from './cases.service.js';
import { ClientMergeSync } from './client-merge-sync.js';
import { ContactPolicyRepository } from './contact-policy.repository.js';
import { ContactPolicyService } from './contact-policy.service.js';
import { ContactSchedule } from './contact-schedule.js';
import { ReferralsController } from './referrals.controller.js';
import { ReferralsRepository } from './referrals.repository.js';
import { ReferralsService } from './referrals.service.js';
import { ServicePlansController } from './service-plans.controller.js';
import { ServicePlansRepository } from './service-plans.repository.js';
import { ServicePlansService } from './service-plans.service.js';
import { CaseTasksController } from './tasks.controller.js';
import { CaseTasksRepository } from './tasks.repository.js';
import { CaseTasksService } from './tasks.service.js';

/**
 * Case Management: cases, their assignment history and case notes, service plans, closure with
 * supervisor approval, referrals between programs, tasks and the contact policy (seed service
 * port 3003). Reaches clients only through ClientAccess. Exports CaseAccess, the one decision
 * on who may reach a case, for other modules.
 */
@Module({
  imports: [ClientAccessModule],
  controllers: [
    CasesController,
    CaseNotesController,
    ServicePlansController,
    CaseClosureController,
    ReferralsController,
    CaseTasksController,
  ],
  providers: [
    CasesDatabase,
    CasesRepository,
    CaseNotesRepository,
    ServicePlansRepository,
    CaseClosureRepository,
    ReferralsRepository,
    CaseTasksRepository,
    ContactPolicyRepository,
    CaseAccess,
    CasesService,
    CaseNotesService,
    ServicePlansService,
    CaseClosureService,
    ReferralsService,
    CaseTasksService,
    ContactPolicyService,
    ClientMergeSync,
    ContactSchedule,
    CasesSeeder,
  ],
  exports: [CaseAccess, CasesDatabase, CasesRepository],
})
export class CasesModule {}
