import { Injectable } from '@nestjs/common';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { DEMO_CASES } from '../cases/demo.js';
import { ClientsDatabase } from './clients.database.js';
import { ClientsRepository } from './clients.repository.js';
import { ConsentsRepository } from './consents.repository.js';
import { CoveragesRepository } from './coverages.repository.js';
import { memberIdIndex } from './coverages.service.js';
import { demoCareTeamId, DEMO_CLIENT_DETAILS } from './demo-details.js';
import { DEMO_REGISTRAR } from './demo.js';
import { DetailsRepository } from './details.repository.js';

/**
 * Loads the demo clients' details (demo-details.ts) once, on a database without them: addresses,
 * phones, emails, contacts, coverages (member ids sealed as CoveragesService seals them) and
 * consents. It also gives the demo cases' workers and teams the care-team rows CareTeamSync
 * would have added on their `cases.case.assigned` events (the cases seed publishes none), so
 * the demo case manager reaches her clients through her cases as through any other.
 */
@Injectable()
export class ClientDetailsSeeder {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly clients: ClientsRepository,
    private readonly details: DetailsRepository,
    private readonly coverages: CoveragesRepository,
    private readonly consents: ConsentsRepository,
    private readonly cipher: FieldCipher,
  ) {}

  /** After ClientsSeeder: the demo clients are on file. */
  async run(): Promise<void> {
    const first = DEMO_CLIENT_DETAILS[0]?.addresses[0];
    if (!first || (await this.details.findAddress(first.id))) return;
    const by = { created_by: DEMO_REGISTRAR };
    await this.database.transaction(async (trx) => {
      for (const demo of DEMO_CLIENT_DETAILS) {
        const owned = { client_id: demo.clientId, ...by };
        for (const address of demo.addresses) await this.details.insertAddress({ ...address, ...owned }, trx);
        for (const phone of demo.phones) await this.details.insertPhone({ ...phone, ...owned }, trx);
        for (const email of demo.emails) await this.details.insertEmail({ ...email, ...owned }, trx);
        for (const contact of demo.contacts) await this.details.insertContact({ ...contact, ...owned }, trx);
        for (const { memberId, ...coverage } of demo.coverages) {
          await this.coverages.insertCoverage(
            {
              ...coverage,
              ...owned,
              member_id_ciphertext: this.cipher.encrypt(memberId),
              member_id_index: memberIdIndex(this.cipher, coverage.payer, memberId),
              member_id_last4: memberId.slice(-4),
            },
            trx,
          );
        }
        for (const consent of demo.consents) await this.consents.insertConsent({ ...consent, ...owned }, trx);
      }
      let n = 0;
      for (const kase of DEMO_CASES) {
        const base = { client_id: kase.clientId, source: 'case' as const, source_id: kase.id };
        await this.clients.addCareTeamMember({ ...base, id: demoCareTeamId(++n), team_id: kase.teamId }, trx);
        if (kase.workerId) {
          await this.clients.addCareTeamMember(
            { ...base, id: demoCareTeamId(++n), user_id: kase.workerId },
            trx,
          );
        }
      }
    });
  }
}
