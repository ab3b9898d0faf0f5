import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal, Scope } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientAccess } from './client-access.js';
import { ClientsDatabase } from './clients.database.js';
import type { ConsentListView, ConsentView, CreateConsentBody, RevokeConsentBody } from './consents.dto.js';
import { ConsentsRepository, type ConsentRow } from './consents.repository.js';
import { part2Disclosure } from './part2.js';
import { PrivacyTopics, type ConsentEvent } from './privacy.events.js';
import { toConsentView } from './privacy-views.js';

export const CONSENTS_READ = 'clients.consents.read';
export const CONSENTS_MANAGE = 'clients.consents.manage';

/**
 * A client's consents to disclose. A Part 2 consent itself tells that the client is in
 * substance use treatment, so it is shown only to those who may see the client's Part 2
 * information (ClientAccess.canSeePart2 for the disclosing program) or who hold the permission
 * agency-wide — the agency's privacy function, which has administrative control over its Part 2
 * programs (42 CFR 2.12(c)(3)). Only staff of the disclosing program (or agency-wide managers)
 * record or revoke one.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly consents: ConsentsRepository,
    private readonly access: ClientAccess,
    private readonly clock: AgencyClock,
  ) {}

  async list(principal: Principal, clientId: string): Promise<ConsentListView> {
    const { client } = await this.access.require(principal, clientId, CONSENTS_READ);
    const rows = await this.consents.consentsOf(client.id, this.clock.today());
    const shown: ConsentRow[] = [];
    for (const row of rows) {
      if (await this.maySee(principal, client.id, row)) shown.push(row);
    }
    return {
      items: shown.map(toConsentView),
      ...part2Disclosure(
        shown.some((row) => row.kind === 'part2'),
        rows.length - shown.length,
      ),
    };
  }

  async create(principal: Principal, clientId: string, body: CreateConsentBody): Promise<ConsentView> {
    const { client } = await this.access.require(principal, clientId, CONSENTS_MANAGE);
    if (body.kind === 'part2' && !mayManagePart2(principal, body.disclosingProgramId)) {
      throw Problems.forbidden('Only staff of the disclosing Part 2 program record its consents.');
    }
    const id = randomUUID();
    await this.database.transaction(async (trx) => {
      await this.consents.insertConsent(
        {
          id,
          client_id: client.id,
          kind: body.kind,
          recipient_type: body.recipient.type,
          recipient_id: body.recipient.id,
          recipient_name: body.recipient.name,
          purposes: body.purposes,
          categories: body.categories,
          disclosing_program_id: body.disclosingProgramId,
          effective_from: body.effectiveFrom,
          expires_on: body.expiresOn,
          signed_on: body.signedOn,
          signed_by_name: body.signedBy.name,
          signed_by_relationship: body.signedBy.relationship,
          document_id: body.documentId,
          created_by: principal.id,
        },
        trx,
      );
      await publishEvent(trx, PrivacyTopics.consentGranted, {
        consentId: id,
        clientId: client.id,
        kind: body.kind,
      } satisfies ConsentEvent);
    });
    return this.view(id);
  }

  async revoke(
    principal: Principal,
    clientId: string,
    consentId: string,
    version: number,
    body: RevokeConsentBody,
  ): Promise<ConsentView> {
    const { client } = await this.access.require(principal, clientId, CONSENTS_MANAGE);
    const consent = await this.consents.findConsent(consentId, this.clock.today());
    if (consent?.client_id !== client.id || !(await this.maySee(principal, client.id, consent))) {
      throw Problems.notFound('consent');
    }
    if (consent.kind === 'part2' && !mayManagePart2(principal, consent.disclosing_program_id)) {
      throw Problems.forbidden('Only staff of the disclosing Part 2 program revoke its consents.');
    }
    if (consent.revoked_at !== null) throw Problems.conflict('This consent has already been revoked.');
    if (consent.version !== version) throw Problems.preconditionFailed();
    await this.database.transaction(async (trx) => {
      if (!(await this.consents.revokeConsent(consentId, version, principal.id, body.reason, trx))) {
        throw Problems.preconditionFailed();
      }
      await publishEvent(trx, PrivacyTopics.consentRevoked, {
        consentId,
        clientId: client.id,
        kind: consent.kind,
      } satisfies ConsentEvent);
    });
    return this.view(consentId);
  }

  private async maySee(principal: Principal, clientId: string, consent: ConsentRow): Promise<boolean> {
    if (consent.kind !== 'part2' || agencyWide(principal.grants[CONSENTS_READ])) return true;
    return this.access.canSeePart2(principal, clientId, consent.disclosing_program_id);
  }

  private async view(id: string): Promise<ConsentView> {
    const row = await this.consents.findConsent(id, this.clock.today());
    if (!row) throw Problems.notFound('consent');
    return toConsentView(row);
  }
}

const agencyWide = (scope: Scope | undefined) => scope === 'agency' || scope === 'all';

function mayManagePart2(principal: Principal, programId: string | null): boolean {
  if (programId !== null && principal.programIds.includes(programId)) return true;
  return agencyWide(principal.grants[CONSENTS_MANAGE]);
}
