import { Injectable, type OnModuleInit } from '@nestjs/common';
import { publishEvent, type DomainEvent } from '../../platform/events/events.js';
import { OutboxDispatcher } from '../../platform/events/outbox-dispatcher.js';
import { readClientMergeEvent, type ClientMergeEvent } from '../clients/clients.events.js';
import { DocumentsDatabase, type DocumentsDb } from './documents.database.js';
import { DocumentsTopics, type DocumentMovedEvent } from './documents.events.js';
import { DocumentsRepository } from './documents.repository.js';

/**
 * Keeps documents with the right client record across merges: the merged record's documents
 * (its cases' too, which move with the cases) are re-linked to the survivor, and which ones moved
 * is recorded per merge, so undoing the merge moves exactly those back — not a document filed on
 * the survivor since. Idempotent: the dispatcher's inbox drops repeats, and a replayed move
 * finds nothing left to move.
 */
@Injectable()
export class DocumentMergeSync implements OnModuleInit {
  constructor(
    private readonly database: DocumentsDatabase,
    private readonly documents: DocumentsRepository,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  onModuleInit(): void {
    this.dispatcher.subscribe('documents.client-merges', 'clients.client.*', (event) => this.handle(event));
  }

  async handle(event: DomainEvent): Promise<void> {
    const read = readClientMergeEvent(event);
    if (read?.kind === 'merged') await this.merged(read.merge);
    else if (read?.kind === 'unmerged') await this.unmerged(read.merge);
  }

  private async merged(merge: ClientMergeEvent): Promise<void> {
    await this.database.transaction(async (trx) => {
      const ids = await this.documents.documentsOfClientForUpdate(merge.mergedId, merge.agencyId, trx);
      const moved = await this.documents.moveToClient(ids, merge.mergedId, merge.survivorId, trx);
      await this.documents.recordMergeMoves(
        merge.mergeId,
        moved.map((d) => d.id),
        merge.mergedId,
        merge.survivorId,
        trx,
      );
      await announce(trx, merge.mergeId, moved, merge.mergedId, merge.survivorId);
    });
  }

  private async unmerged(merge: Pick<ClientMergeEvent, 'mergeId'>): Promise<void> {
    await this.database.transaction(async (trx) => {
      // Back from the record each document was moved to, onto the one it was moved from.
      const groups = new Map<string, { from: string; to: string; documentIds: string[] }>();
      for (const move of await this.documents.pendingMergeMoves(merge.mergeId, trx)) {
        const key = `${move.to_client_id}>${move.from_client_id}`;
        const group = groups.get(key) ?? {
          from: move.to_client_id,
          to: move.from_client_id,
          documentIds: [],
        };
        group.documentIds.push(move.document_id);
        groups.set(key, group);
      }
      for (const { from, to, documentIds } of groups.values()) {
        const moved = await this.documents.moveToClient(documentIds, from, to, trx);
        await this.documents.markMergeMovesRestored(
          merge.mergeId,
          moved.map((d) => d.id),
          trx,
        );
        await announce(trx, merge.mergeId, moved, from, to);
      }
    });
  }
}

async function announce(
  trx: DocumentsDb,
  mergeId: string,
  moved: { id: string; agency_id: string }[],
  fromClientId: string,
  toClientId: string,
): Promise<void> {
  for (const document of moved) {
    await publishEvent(trx, DocumentsTopics.moved, {
      documentId: document.id,
      agencyId: document.agency_id,
      fromClientId,
      toClientId,
      mergeId,
    } satisfies DocumentMovedEvent);
  }
}
