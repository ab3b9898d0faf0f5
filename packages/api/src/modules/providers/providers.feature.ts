import type { INestApplication } from '@nestjs/common';
import { CredentialStatus } from './credential-status.js';

/** Start-up work of the providers service: the daily credential expiry job. */
export function startProvidersJobs(app: INestApplication): Promise<void> {
  app.get(CredentialStatus).startDailyJob();
  return Promise.resolve();
}
