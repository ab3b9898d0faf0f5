import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../platform/config/config.js';
import { AppointmentsSeeder } from './appointments/appointments.seed.js';
import { AppointmentJobs } from './appointments/scheduling-jobs.js';
import { startBedBoard } from './beds/beds.feature.js';

/** Start-up work of the scheduling service (demo data; background jobs: reminders, waitlist offers, bed holds). */
export async function startSchedulingJobs(app: INestApplication, config: AppConfig): Promise<void> {
  if (config.SEED_DEMO_DATA) await app.get(AppointmentsSeeder).run();
  app.get(AppointmentJobs).start();
  await startBedBoard(app, config);
}
