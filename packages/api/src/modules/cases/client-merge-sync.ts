import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { DomainEvent } from '../../platform/events/events.js';
import { publishEvent } from '../../platform/events/events.js';
import { OutboxDispatcher } from '../../platform/events/outbox-dispatcher.js';
import { readClientMergeEvent, type ClientMergeEvent } from '../clients/clients.events.js';
import { CasesDatabase, type CasesDb } from './cases.database.js';
import { CasesTopics, type CaseAssignedEvent, type CaseMovedEvent } from './cases.events.js';
import { CasesRepository, type CaseRow } from './cases.repository.js';

/**
 * Keeps cases with the right client record across merges: when a duplicate record is merged
 * into a survivor, the duplicate's cases move to the survivor, and which ones moved is recorded
 * per merge, so undoing the merge moves exactly those back. Each move re-announces the case's
 * assignment so the care team follows the case to the record it now belongs to. Idempotent:
 * the dispatcher's inbox drops repeats, and a replayed move finds nothing left to move.
 */
@Injectable()
export class ClientMergeSync implements OnModuleInit {
  constructor(
    private readonly database: CasesDatabase,
    private readonly cases: CasesRepository,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  onModuleInit(): void {
    this.dispatcher.subscribe('cases.client-merges', 'clients.client.*', (event) => this.handle(event));
  }

  async handle(event: DomainEvent): Promise<void> {
    const read = readClientMergeEvent(event);
    if (read?.kind === 'merged') await this.merged(read.merge);
    else if (read?.kind === 'unmerged') await this.unmerged(read.merge);
  }

  private async merged(merge: ClientMergeEvent): Promise<void> {
    await this.database.transaction(async (trx) => {
      const rows = await this.cases.casesOfClientForUpdate(merge.mergedId, merge.agencyId, trx);
      const ids = rows.map((r) => r.id);
      const moved = await this.cases.moveToClient(ids, merge.mergedId, merge.survivorId, trx);
      await this.cases.recordMergeMoves(merge.mergeId, moved, merge.mergedId, merge.survivorId, trx);
      await announce(
        trx,
        merge,
        rows.filter((r) => moved.includes(r.id)),
        merge.mergedId,
        merge.survivorId,
      );
    });
  }

  private async unmerged(merge: Pick<ClientMergeEvent, 'mergeId'>): Promise<void> {
    await this.database.transaction(async (trx) => {
      // Back from the record each case was moved to, onto the one it was moved from.
      const groups = new Map<string, { from: string; to: string; caseIds: string[] }>();
      for (const move of await this.cases.pendingMergeMoves(merge.mergeId, trx)) {
        const key = `${move.to_client_id}>${move.from_client_id}`;
        const group = groups.get(key) ?? { from: move.to_client_id, to: move.from_client_id, caseIds: [] };
        group.caseIds.push(move.case_id);
        groups.set(key, group);
      }
      for (const { from, to, caseIds } of groups.values()) {
        const moved = await this.cases.moveToClient(caseIds, from, to, trx);
        await this.cases.markMergeMovesRestored(merge.mergeId, moved, trx);
        const rows = await Promise.all(moved.map((id) => this.cases.findById(id, trx)));
        await announce(
          trx,
          merge,
          rows.filter((r): r is CaseRow => r !== undefined),
          from,
          to,
        );
      }
    });
  }
}

/** Publishes the move of each case and, for cases still worked, its assignment on the new record. */
async function announce(
  trx: CasesDb,
  merge: Pick<ClientMergeEvent, 'mergeId'>,
  rows: CaseRow[],
  fromClientId: string,
  toClientId: string,
): Promise<void> {
  for (const row of rows) {
    await publishEvent(trx, CasesTopics.caseMoved, {
      caseId: row.id,
      agencyId: row.agency_id,
      fromClientId,
      toClientId,
      mergeId: merge.mergeId,
    } satisfies CaseMovedEvent);
    if (row.status === 'closed') continue;
    await publishEvent(trx, CasesTopics.caseAssigned, {
      caseId: row.id,
      clientId: toClientId,
      agencyId: row.agency_id,
      teamId: row.team_id,
      workerId: row.assigned_worker_id,
    } satisfies CaseAssignedEvent);
  }
}
