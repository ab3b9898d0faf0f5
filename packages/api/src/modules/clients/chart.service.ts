import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientAccess } from './client-access.js';
import { ClientsService, READ } from './clients.service.js';
import { CoveragesRepository } from './coverages.repository.js';
import type { ChartView } from './details.dto.js';
import { DetailsRepository } from './details.repository.js';
import {
  toAddressView,
  toAliasView,
  toContactView,
  toCoverageView,
  toEmailView,
  toPhoneView,
} from './details.views.js';
import { toClientView } from './views.js';

/**
 * The client's chart header in one call, as the staff workspace opens it: the record, other
 * names, today's addresses, phones, emails, current contacts and guardians, coverages in force or
 * to come, and enrolments (Part 2 ones only for those who may see them, as everywhere).
 */
@Injectable()
export class ChartService {
  constructor(
    private readonly access: ClientAccess,
    private readonly details: DetailsRepository,
    private readonly coverages: CoveragesRepository,
    private readonly clients: ClientsService,
    private readonly clock: AgencyClock,
  ) {}

  async chart(principal: Principal, clientId: string): Promise<ChartView> {
    const grant = await this.access.require(principal, clientId, READ);
    const id = grant.client.id;
    const day = this.clock.today();
    const [aliases, addresses, phones, emails, contacts, coverages, enrollments] = await Promise.all([
      this.details.aliasesOf(id),
      this.details.addressesOf(id, day),
      this.details.phonesOf(id),
      this.details.emailsOf(id),
      this.details.contactsOf(id, day),
      this.coverages.coveragesOf(id, day),
      this.clients.enrollments(principal, id),
    ]);
    return {
      client: toClientView(grant.client, grant.via),
      aliases: aliases.map(toAliasView),
      addresses: addresses.map((r) => toAddressView(r, day)),
      phones: phones.map(toPhoneView),
      emails: emails.map(toEmailView),
      contacts: contacts.map((r) => toContactView(r, day)),
      coverages: coverages.map((r) => toCoverageView(r, day)),
      enrollments,
    };
  }
}
