import { Injectable, type INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../platform/config/config.js';
import { DEMO_AGENCY } from '../identity/demo.js';
import { DEMO_PROVIDERS } from './demo.js';
import { ProvidersDatabase } from './providers.database.js';
import { ProvidersRepository } from './providers.repository.js';

/** Loads the demo providers (SEED_DEMO_DATA) once, on a database without them. */
export async function seedProvidersDemo(app: INestApplication, config: AppConfig): Promise<void> {
  if (config.SEED_DEMO_DATA) await app.get(ProvidersSeeder).run();
}

@Injectable()
export class ProvidersSeeder {
  constructor(
    private readonly database: ProvidersDatabase,
    private readonly providers: ProvidersRepository,
  ) {}

  async run(): Promise<void> {
    const first = DEMO_PROVIDERS[0];
    if (await this.providers.findById(first.id)) return;
    await this.database.transaction(async (trx) => {
      for (const demo of DEMO_PROVIDERS) {
        await this.providers.insert(
          {
            id: demo.id,
            agency_id: DEMO_AGENCY.id,
            kind: 'individual',
            name: demo.name,
            npi: demo.npi,
            taxonomy_code: demo.taxonomyCode,
          },
          trx,
        );
        await this.providers.insertCredential(
          {
            id: demo.licence.id,
            provider_id: demo.id,
            type: 'license',
            number: demo.licence.number,
            issuer: demo.licence.issuer,
            issued_on: null,
            expires_on: demo.licence.expiresOn,
            verification_status: 'verified',
          },
          trx,
        );
      }
    });
  }
}
