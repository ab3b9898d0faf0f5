import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogRepository } from '../../src/modules/audit/audit.repository.js';
import { CredentialsRepository } from '../../src/modules/identity/repositories/credentials.repository.js';
import { DirectoryRepository } from '../../src/modules/identity/repositories/directory.repository.js';
import { LoginAttemptsRepository } from '../../src/modules/identity/repositories/login-attempts.repository.js';
import { ServiceAccountsRepository } from '../../src/modules/identity/repositories/service-accounts.repository.js';
import { SessionsRepository } from '../../src/modules/identity/repositories/sessions.repository.js';
import { UsersRepository } from '../../src/modules/identity/repositories/users.repository.js';
import { CaseNotesRepository } from '../../src/modules/cases/case-notes.repository.js';
import { CasesRepository } from '../../src/modules/cases/cases.repository.js';
import { CaseClosureRepository } from '../../src/modules/cases/case-closure.repository.js';
import { CaseTasksRepository } from '../../src/modules/cases/tasks.repository.js';
import { ContactPolicyRepository } from '../../src/modules/cases/contact-policy.repository.js';
import { ReferralsRepository } from '../../src/modules/cases/referrals.repository.js';
import { ServicePlansRepository } from '../../src/modules/cases/service-plans.repository.js';
import { BreakGlassRepository } from '../../src/modules/clients/break-glass.repository.js';
import { ClientsRepository } from '../../src/modules/clients/clients.repository.js';
import { ConsentsRepository } from '../../src/modules/clients/consents.repository.js';
import { CoveragesRepository } from '../../src/modules/clients/coverages.repository.js';
import { DetailsRepository } from '../../src/modules/clients/details.repository.js';
import { MergesRepository } from '../../src/modules/clients/merges.repository.js';
import { DocumentsRepository } from '../../src/modules/documents/documents.repository.js';
import { ClientSearchRepository } from '../../src/modules/clients/search.repository.js';
import { ContractsRepository } from '../../src/modules/providers/contracts.repository.js';
import { LocationsRepository } from '../../src/modules/providers/locations.repository.js';
import { OfferingsRepository } from '../../src/modules/providers/offerings.repository.js';
import { ProvidersRepository } from '../../src/modules/providers/providers.repository.js';
import { AppointmentsRepository } from '../../src/modules/scheduling/appointments/appointments.repository.js';
import { ResourcesRepository } from '../../src/modules/scheduling/appointments/resources.repository.js';
import { RemindersRepository } from '../../src/modules/scheduling/appointments/reminders.repository.js';
import { SeriesRepository } from '../../src/modules/scheduling/appointments/series.repository.js';
import { WaitlistRepository } from '../../src/modules/scheduling/appointments/waitlist.repository.js';
import { BedBoardRepository } from '../../src/modules/scheduling/beds/bed-board.repository.js';
import { FacilitiesRepository } from '../../src/modules/scheduling/beds/facilities.repository.js';
import { DATABASE, type DatabaseHandle } from '../../src/platform/database/database.js';
import { generateSqlFor, SqlCapture, undecoratedMethods } from '../../src/platform/database/generate-sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const repository = (type: new (...args: never[]) => object, file: string) => [type.name, type, file] as const;

/** Each repository and the checked-in file (relative to this test) that shows its SQL. */
const REPOSITORIES = [
  repository(AuditLogRepository, '../../src/modules/audit/queries/audit.repository.sql'),
  repository(CredentialsRepository, '../../src/modules/identity/queries/credentials.repository.sql'),
  repository(DirectoryRepository, '../../src/modules/identity/queries/directory.repository.sql'),
  repository(LoginAttemptsRepository, '../../src/modules/identity/queries/login-attempts.repository.sql'),
  repository(ServiceAccountsRepository, '../../src/modules/identity/queries/service-accounts.repository.sql'),
  repository(SessionsRepository, '../../src/modules/identity/queries/sessions.repository.sql'),
  repository(UsersRepository, '../../src/modules/identity/queries/users.repository.sql'),
  repository(ProvidersRepository, '../../src/modules/providers/queries/providers.repository.sql'),
  repository(LocationsRepository, '../../src/modules/providers/queries/locations.repository.sql'),
  repository(OfferingsRepository, '../../src/modules/providers/queries/offerings.repository.sql'),
  repository(ContractsRepository, '../../src/modules/providers/queries/contracts.repository.sql'),
  repository(ClientsRepository, '../../src/modules/clients/queries/clients.repository.sql'),
  repository(ConsentsRepository, '../../src/modules/clients/queries/consents.repository.sql'),
  repository(BreakGlassRepository, '../../src/modules/clients/queries/break-glass.repository.sql'),
  repository(DetailsRepository, '../../src/modules/clients/queries/details.repository.sql'),
  repository(CoveragesRepository, '../../src/modules/clients/queries/coverages.repository.sql'),
  repository(ClientSearchRepository, '../../src/modules/clients/queries/search.repository.sql'),
  repository(MergesRepository, '../../src/modules/clients/queries/merges.repository.sql'),
  repository(CasesRepository, '../../src/modules/cases/queries/cases.repository.sql'),
  repository(CaseNotesRepository, '../../src/modules/cases/queries/case-notes.repository.sql'),
  repository(ServicePlansRepository, '../../src/modules/cases/queries/service-plans.repository.sql'),
  repository(CaseClosureRepository, '../../src/modules/cases/queries/case-closure.repository.sql'),
  repository(ReferralsRepository, '../../src/modules/cases/queries/referrals.repository.sql'),
  repository(CaseTasksRepository, '../../src/modules/cases/queries/tasks.repository.sql'),
  repository(ContactPolicyRepository, '../../src/modules/cases/queries/contact-policy.repository.sql'),
  repository(DocumentsRepository, '../../src/modules/documents/queries/documents.repository.sql'),
  repository(
    ResourcesRepository,
    '../../src/modules/scheduling/appointments/queries/resources.repository.sql',
  ),
  repository(
    AppointmentsRepository,
    '../../src/modules/scheduling/appointments/queries/appointments.repository.sql',
  ),
  repository(SeriesRepository, '../../src/modules/scheduling/appointments/queries/series.repository.sql'),
  repository(WaitlistRepository, '../../src/modules/scheduling/appointments/queries/waitlist.repository.sql'),
  repository(
    RemindersRepository,
    '../../src/modules/scheduling/appointments/queries/reminders.repository.sql',
  ),
  repository(FacilitiesRepository, '../../src/modules/scheduling/beds/queries/facilities.repository.sql'),
  repository(BedBoardRepository, '../../src/modules/scheduling/beds/queries/bed-board.repository.sql'),
];

describe('every repository query is reviewable in a checked-in SQL file', () => {
  let t: TestApp;
  const capture = new SqlCapture();

  beforeAll(async () => {
    // One connection: statements a method runs concurrently are recorded in the order it issued them.
    t = await startTestApp({}, { database: { onQuery: capture.onQuery, poolMax: 1 } });
    capture.db = t.app.get<DatabaseHandle>(DATABASE).db;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(REPOSITORIES)('%s has an example for every public method', (_, type) => {
    expect(undecoratedMethods(t.app.get(type))).toEqual([]);
  });

  it.each(REPOSITORIES)('%s matches %s', async (_, type, file) => {
    await expect(await generateSqlFor(t.app.get(type), capture)).toMatchFileSnapshot(file);
  });
});
