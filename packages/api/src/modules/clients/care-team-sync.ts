import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { DomainEvent } from '../../platform/events/events.js';
import { OutboxDispatcher } from '../../platform/events/outbox-dispatcher.js';
import { ClientAccess } from './client-access.js';
import { ClientsDatabase } from './clients.database.js';
import { CaseCareTeamTopics, type CaseAssignedEvent, type CaseClosedEvent } from './clients.events.js';
import { ClientsRepository } from './clients.repository.js';

/**
 * Keeps each client's care team in step with their cases: when a case is opened, reassigned or
 * transferred, its worker and team serve the client (replacing what that case added before);
 * when it closes, they no longer do through it. Idempotent per event (the dispatcher's inbox).
 */
@Injectable()
export class CareTeamSync implements OnModuleInit {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly clients: ClientsRepository,
    private readonly access: ClientAccess,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  onModuleInit(): void {
    this.dispatcher.subscribe('clients.care-team', 'cases.case.*', (event) => this.handle(event));
  }

  async handle(event: DomainEvent): Promise<void> {
    if (event.topic === CaseCareTeamTopics.caseAssigned) {
      const payload = event.payload as CaseAssignedEvent;
      await this.database.transaction(async (trx) => {
        const client = await this.access.resolve(payload.clientId, trx);
        if (!client) return;
        await this.clients.endCareTeamOf(payload.caseId, trx);
        const base = { client_id: client.id, source: 'case' as const, source_id: payload.caseId };
        if (payload.teamId) {
          await this.clients.addCareTeamMember({ ...base, id: randomUUID(), team_id: payload.teamId }, trx);
        }
        if (payload.workerId) {
          await this.clients.addCareTeamMember({ ...base, id: randomUUID(), user_id: payload.workerId }, trx);
        }
      });
    } else if (event.topic === CaseCareTeamTopics.caseClosed) {
      const payload = event.payload as CaseClosedEvent;
      await this.clients.endCareTeamOf(payload.caseId);
    }
  }
}
