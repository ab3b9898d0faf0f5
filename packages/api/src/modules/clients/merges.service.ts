import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientAccess } from './client-access.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import { ClientsTopics, type ClientMergeEvent } from './clients.events.js';
import { ClientsRepository } from './clients.repository.js';
import type { MergeBody, MergeView } from './merges.dto.js';
import {
  MergesRepository,
  type LockedClient,
  type MergeRow,
  type PrimaryTable,
} from './merges.repository.js';
import { MOVABLE_TABLES, type MovableTable } from './merges.schema.js';

export const MERGE = 'clients.clients.merge';
const PRIMARY_TABLES: PrimaryTable[] = ['phones', 'emails'];
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Merging a duplicate record into the one that survives, and undoing it. The survivor keeps its
 * id; the duplicate becomes `merged` (pointing at the survivor, so its id still answers) and
 * everything hanging off it — details, enrolments, care team, consents — moves across, each
 * moved row recorded so an un-merge (within CLIENT_UNMERGE_WINDOW_DAYS) moves exactly those
 * back and restores the duplicate's status. Other modules follow `clients.client.merged` /
 * `clients.client.unmerged`. Both records are locked (in id order) for the whole change, so
 * concurrent merges of the same records queue and the later one is refused.
 */
@Injectable()
export class MergesService {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly merges: MergesRepository,
    private readonly clients: ClientsRepository,
    private readonly access: ClientAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: AgencyClock,
  ) {}

  async merge(principal: Principal, survivorId: string, body: MergeBody): Promise<MergeView> {
    if (survivorId === body.duplicateId) {
      throw Problems.validation([
        { field: 'body.duplicateId', message: 'A record cannot be merged into itself.' },
      ]);
    }
    // The caller must reach both records with the merge permission.
    const survivor = await this.access.require(principal, survivorId, MERGE);
    const duplicate = await this.access.require(principal, body.duplicateId, MERGE);
    if (survivor.client.id !== survivorId) {
      throw Problems.conflict(
        `This record was merged into ${survivor.client.id}; merge into that record instead.`,
      );
    }
    if (duplicate.client.id !== body.duplicateId) {
      throw Problems.conflict(`That record was already merged into ${duplicate.client.id}.`);
    }
    if (survivor.client.agency_id !== duplicate.client.agency_id) {
      throw Problems.conflict('Records of different agencies cannot be merged.');
    }
    const mergeId = randomUUID();
    await this.database.transaction(async (trx) => {
      const [s, d] = await this.lockPair(survivorId, body.duplicateId, trx);
      if (s.status === 'merged' || d.status === 'merged') {
        throw Problems.conflict('One of these records was merged meanwhile; reload them and try again.');
      }
      await this.merges.insertMerge(
        {
          id: mergeId,
          agency_id: s.agency_id,
          survivor_id: s.id,
          merged_id: d.id,
          reason: body.reason,
          merged_prior_status: d.status,
          merged_by: principal.id,
        },
        trx,
      );
      const yielded = new Map<PrimaryTable, string[]>();
      for (const table of PRIMARY_TABLES)
        yielded.set(table, await this.merges.yieldPrimary(table, d.id, s.id, trx));
      for (const table of MOVABLE_TABLES) await this.merges.moveRows(mergeId, table, d.id, s.id, trx);
      for (const [table, ids] of yielded) {
        if (ids.length > 0) await this.merges.markYielded(mergeId, table, ids, trx);
      }
      if (!(await this.clients.update(d.id, { status: 'merged', merged_into_id: s.id }, d.version, trx))) {
        throw Problems.preconditionFailed();
      }
      await publishEvent(trx, ClientsTopics.clientMerged, {
        mergeId,
        survivorId: s.id,
        mergedId: d.id,
        agencyId: s.agency_id,
      } satisfies ClientMergeEvent);
    });
    return this.view(mergeId);
  }

  async unmerge(principal: Principal, mergeId: string, reason: string): Promise<MergeView> {
    const merge = await this.merges.findMerge(mergeId);
    if (!merge) throw Problems.notFound('merge');
    await this.access.require(principal, merge.survivor_id, MERGE);
    if (merge.unmerged_at !== null) throw Problems.conflict('This merge has already been undone.');
    if (Date.now() > this.deadline(merge).getTime()) {
      throw new ProblemError({
        status: 409,
        type: 'unmerge-window-passed',
        title: 'Too late to undo',
        detail: `A merge can be undone for ${this.config.CLIENT_UNMERGE_WINDOW_DAYS} days; this one was on ${this.clock.dayOf(merge.merged_at)}. Separate the records by hand.`,
      });
    }
    await this.database.transaction(async (trx) => {
      const [s, d] = await this.lockPair(merge.survivor_id, merge.merged_id, trx);
      if (s.status === 'merged') {
        throw Problems.conflict(
          'The surviving record has since been merged into another; undo that merge first.',
        );
      }
      if (d.status !== 'merged' || d.merged_into_id !== s.id) {
        throw Problems.conflict('The merged record is no longer merged into the survivor.');
      }
      for (const table of MOVABLE_TABLES) await this.merges.moveBack(merge.id, table, s.id, d.id, trx);
      for (const table of PRIMARY_TABLES) await this.merges.restorePrimary(merge.id, table, d.id, trx);
      const restored = { status: merge.merged_prior_status, merged_into_id: null };
      if (!(await this.clients.update(d.id, restored, d.version, trx))) throw Problems.preconditionFailed();
      await this.merges.markUnmerged(merge.id, principal.id, reason, trx);
      await publishEvent(trx, ClientsTopics.clientUnmerged, {
        mergeId: merge.id,
        survivorId: s.id,
        mergedId: d.id,
        agencyId: merge.agency_id,
      } satisfies ClientMergeEvent);
    });
    return this.view(merge.id);
  }

  /** Merges the client took part in (as survivor or as the merged record), newest first. */
  async history(principal: Principal, clientId: string): Promise<MergeView[]> {
    const grant = await this.access.require(principal, clientId, 'clients.clients.read');
    const ids = [...new Set([grant.client.id, grant.requestedId])];
    return this.views(await this.merges.mergesOf(ids));
  }

  private async lockPair(
    survivorId: string,
    mergedId: string,
    trx: ClientsDb,
  ): Promise<[LockedClient, LockedClient]> {
    const ordered: [string, string] = survivorId < mergedId ? [survivorId, mergedId] : [mergedId, survivorId];
    const rows = await this.merges.lockClients(ordered, trx);
    const s = rows.find((r) => r.id === survivorId);
    const d = rows.find((r) => r.id === mergedId);
    if (!s || !d) throw Problems.notFound('client');
    return [s, d];
  }

  private deadline(merge: MergeRow): Date {
    return new Date(merge.merged_at.getTime() + this.config.CLIENT_UNMERGE_WINDOW_DAYS * DAY_MS);
  }

  private async view(mergeId: string): Promise<MergeView> {
    const merge = await this.merges.findMerge(mergeId);
    if (!merge) throw Problems.notFound('merge');
    const [view] = await this.views([merge]);
    if (!view) throw Problems.notFound('merge');
    return view;
  }

  private async views(merges: MergeRow[]): Promise<MergeView[]> {
    if (merges.length === 0) return [];
    const counts = await this.merges.movedCounts(merges.map((m) => m.id));
    return merges.map((m) => {
      const moved = Object.fromEntries(MOVABLE_TABLES.map((t) => [t, 0])) as Record<MovableTable, number>;
      for (const c of counts) if (c.merge_id === m.id) moved[c.table_name] = Number(c.rows);
      return {
        id: m.id,
        agencyId: m.agency_id,
        survivorId: m.survivor_id,
        mergedId: m.merged_id,
        reason: m.reason,
        mergedBy: m.merged_by,
        mergedAt: m.merged_at.toISOString(),
        unmergeableUntil: this.deadline(m).toISOString(),
        unmergedAt: m.unmerged_at?.toISOString() ?? null,
        unmergedBy: m.unmerged_by,
        unmergeReason: m.unmerge_reason,
        moved,
      };
    });
  }
}
