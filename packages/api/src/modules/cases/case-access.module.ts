import { Module } from '@nestjs/common';
import { ClientAccessModule } from '../clients/client-access.module.js';
import { CaseAccess } from './case-access.js';
import { CasesDatabase } from './cases.database.js';
import { CasesRepository } from './cases.repository.js';

/**
 * What other modules (documents, scheduling) import to decide access to a case: CaseAccess and
 * what it reads, without the cases routes — so a service running on its own (`EHRMS_SERVICES`)
 * gets the same decisions without serving the cases API.
 */
@Module({
  imports: [ClientAccessModule],
  providers: [CasesDatabase, CasesRepository, CaseAccess],
  exports: [CaseAccess],
})
export class CaseAccessModule {}
