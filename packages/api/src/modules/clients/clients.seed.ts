import { randomUUID } from 'node:crypto';
import { Injectable, type INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../platform/config/config.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { ClientsDatabase } from './clients.database.js';
import { ClientsRepository } from './clients.repository.js';
import { DEMO_AGENCY } from '../identity/demo.js';
import { DEMO_CLIENTS, DEMO_REGISTRAR } from './demo.js';
import { ClientDetailsSeeder } from './details.seed.js';
import { sealMedicaidId, sealSsn } from './identifiers.js';

/** Loads the demo clients (SEED_DEMO_DATA), then their details, each once, on a database without them. */
export async function seedClientsDemo(app: INestApplication, config: AppConfig): Promise<void> {
  if (!config.SEED_DEMO_DATA) return;
  await app.get(ClientsSeeder).run();
  await app.get(ClientDetailsSeeder).run();
}

@Injectable()
export class ClientsSeeder {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly clients: ClientsRepository,
    private readonly cipher: FieldCipher,
  ) {}

  async run(): Promise<void> {
    const first = DEMO_CLIENTS[0];
    if (!first || (await this.clients.findById(first.id))) return;
    await this.database.transaction(async (trx) => {
      for (const demo of DEMO_CLIENTS) {
        await this.clients.insert(
          {
            id: demo.id,
            agency_id: DEMO_AGENCY.id,
            given_name: demo.givenName,
            family_name: demo.familyName,
            birth_date: demo.birthDate,
            sex_at_birth: demo.sexAtBirth,
            primary_language: demo.primaryLanguage,
            interpreter_needed: demo.interpreterNeeded,
            ...sealSsn(this.cipher, demo.ssn),
            ...sealMedicaidId(this.cipher, demo.medicaidId),
            created_by: DEMO_REGISTRAR,
          },
          trx,
        );
        await this.clients.addCareTeamMember(
          { id: randomUUID(), client_id: demo.id, team_id: demo.teamId, source: 'registration' },
          trx,
        );
        await this.clients.insertEnrollment(
          {
            id: randomUUID(),
            client_id: demo.id,
            program_id: demo.programId,
            start_date: '2026-01-05',
            reason: 'Demo intake',
            created_by: DEMO_REGISTRAR,
          },
          trx,
        );
      }
    });
  }
}
