import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../../platform/config/config.js';
import { BedsSeeder } from './beds.seed.js';
import { BedHoldExpiry } from './hold-expiry.js';

/** Start-up work of the bed board: the demo facility (SEED_DEMO_DATA) and the hold expiry job. */
export async function startBedBoard(app: INestApplication, config: AppConfig): Promise<void> {
  if (config.SEED_DEMO_DATA) await app.get(BedsSeeder).run();
  app.get(BedHoldExpiry).start();
}
