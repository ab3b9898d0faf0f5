import type { INestApplication, Type } from '@nestjs/common';
import type { AppConfig, ServiceName } from '../platform/config/config.js';
import type { ModuleMigrations } from '../platform/database/migrations.js';
import { AuditModule } from './audit/audit.module.js';
import { CasesModule } from './cases/cases.module.js';
import { casesMigrations } from './cases/migrations/index.js';
import { seedCasesDemo } from './cases/cases.seed.js';
import { ClientsModule } from './clients/clients.module.js';
import { clientsMigrations } from './clients/migrations/index.js';
import { DocumentsModule } from './documents/documents.module.js';
import { documentsMigrations } from './documents/migrations/index.js';
import { seedClientsDemo } from './clients/clients.seed.js';
import { IdentityModule } from './identity/identity.module.js';
import { identityMigrations } from './identity/migrations/index.js';
import { identityBanner, seedIdentityDemo } from './identity/identity.seed.js';
import { providersMigrations } from './providers/migrations/index.js';
import { startProvidersJobs } from './providers/providers.feature.js';
import { ProvidersModule } from './providers/providers.module.js';
import { schedulingMigrations } from './scheduling/migrations/index.js';
import { startSchedulingJobs } from './scheduling/scheduling.feature.js';
import { SchedulingModule } from './scheduling/scheduling.module.js';

/** A seed service as the app assembles it: its Nest module, its migrations, and start-up work. */
export interface Feature {
  service: ServiceName;
  module: Type;
  migrations: ModuleMigrations[];
  /** Runs after the app is initialised (demo seed on first start, background jobs). */
  onStart?: (app: INestApplication, config: AppConfig) => Promise<void>;
  /** Lines `npm start` prints (the demo logins). */
  banner?: (config: AppConfig) => string[];
}

export const FEATURES: Feature[] = [
  {
    service: 'identity',
    module: IdentityModule,
    migrations: identityMigrations,
    onStart: seedIdentityDemo,
    banner: identityBanner,
  },
  { service: 'audit', module: AuditModule, migrations: [] },
  { service: 'clients', module: ClientsModule, migrations: clientsMigrations, onStart: seedClientsDemo },
  { service: 'cases', module: CasesModule, migrations: casesMigrations, onStart: seedCasesDemo },
  {
    service: 'providers',
    module: ProvidersModule,
    migrations: providersMigrations,
    onStart: startProvidersJobs,
  },
  { service: 'documents', module: DocumentsModule, migrations: documentsMigrations },
  {
    service: 'scheduling',
    module: SchedulingModule,
    migrations: schedulingMigrations,
    onStart: startSchedulingJobs,
  },
];
