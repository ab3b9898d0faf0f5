import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../platform/config/config.js';
import { CredentialStatus } from './credential-status.js';
import { seedProvidersDemo } from './providers.seed.js';

/** Start-up work of the providers service: the demo providers, and the daily credential expiry job. */
export async function startProvidersJobs(app: INestApplication, config: AppConfig): Promise<void> {
  await seedProvidersDemo(app, config);
  app.get(CredentialStatus).startDailyJob();
}
