import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogRepository } from '../../src/modules/audit/audit.repository.js';
import { CredentialsRepository } from '../../src/modules/identity/repositories/credentials.repository.js';
import { DirectoryRepository } from '../../src/modules/identity/repositories/directory.repository.js';
import { LoginAttemptsRepository } from '../../src/modules/identity/repositories/login-attempts.repository.js';
import { ServiceAccountsRepository } from '../../src/modules/identity/repositories/service-accounts.repository.js';
import { SessionsRepository } from '../../src/modules/identity/repositories/sessions.repository.js';
import { UsersRepository } from '../../src/modules/identity/repositories/users.repository.js';
import { ClientsRepository } from '../../src/modules/clients/clients.repository.js';
import { ContractsRepository } from '../../src/modules/providers/contracts.repository.js';
import { LocationsRepository } from '../../src/modules/providers/locations.repository.js';
import { OfferingsRepository } from '../../src/modules/providers/offerings.repository.js';
import { ProvidersRepository } from '../../src/modules/providers/providers.repository.js';
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
