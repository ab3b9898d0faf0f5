import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { auditRowHash, GENESIS_HASH } from '../../platform/audit/audit-chain.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { LOGGER } from '../../platform/logging/logger.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import type {
  AuditLogFilterQuery,
  AuditLogItem,
  AuditLogListQuery,
  AuditLogPage,
  ChainVerification,
} from './audit.dto.js';
import { AuditLogRepository, type AuditLogFilter, type AuditLogRow } from './audit.repository.js';

/** Rows fetched per round trip by the export and the chain walk; memory stays at one batch. */
export const AUDIT_BATCH_SIZE = 1000;

/**
 * Reading and checking the audit trail. Each row carries the actor's agency: a grant at `agency`
 * scope reads that agency's rows only, `all` reads everything (including anonymous attempts);
 * narrower grants are refused, since a trail cannot be cut by team or program.
 */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly repository: AuditLogRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(principal: Principal, query: AuditLogListQuery): Promise<AuditLogPage> {
    const scope = trailScope(principal, 'audit.logs.read');
    const before = query.cursor === undefined ? null : decodeAuditCursor(query.cursor);
    if (query.cursor !== undefined && before === null) {
      throw Problems.validation([{ field: 'query.cursor', message: 'Not a cursor returned by this API.' }]);
    }
    const rows = await this.repository.page(filterOf(query, scope), before, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toItem),
      nextCursor: rows.length > query.limit && last ? encodeAuditCursor(last.seq) : null,
    };
  }

  /**
   * Matching rows newest first as NDJSON, fetched a batch at a time as the client reads. The first
   * batch is read before answering, so a failing database still gets a proper error response.
   */
  async export(principal: Principal, query: AuditLogFilterQuery): Promise<Readable> {
    const filter = filterOf(query, trailScope(principal, 'audit.logs.export'));
    const first = await this.repository.page(filter, null, AUDIT_BATCH_SIZE);
    return Readable.from(this.ndjson(filter, first), { objectMode: false });
  }

  /**
   * Walks the chain from the first row to the newest one present when the walk starts: each row
   * must follow its predecessor's sequence number, name its predecessor's hash, and hash to the
   * value it stores. Reports the first row that does not.
   */
  async verify(principal: Principal): Promise<ChainVerification> {
    // Verification walks the whole chain (it is one chain) but reveals only sequence numbers and ids.
    trailScope(principal, 'audit.logs.verify');
    const upTo = await this.repository.lastSeq();
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let rowsChecked = 0;
    let after = Number.MIN_SAFE_INTEGER; // rows slipped in below seq 1 are breaks too
    for (;;) {
      const batch = await this.repository.chainSlice(after, upTo, AUDIT_BATCH_SIZE);
      for (const row of batch) {
        rowsChecked += 1;
        const broken = chainBreak(row, expectedSeq, prevHash);
        if (broken)
          return { ok: false, rowsChecked, firstBrokenSeq: row.seq, firstBrokenId: row.id, ...broken };
        expectedSeq = row.seq + 1;
        prevHash = row.hash;
        after = row.seq;
      }
      if (batch.length < AUDIT_BATCH_SIZE) break;
    }
    return { ok: true, rowsChecked, lastSeq: expectedSeq - 1 };
  }

  private async *ndjson(filter: AuditLogFilter, first: AuditLogRow[]): AsyncGenerator<string> {
    let batch = first;
    try {
      for (;;) {
        if (batch.length > 0) yield batch.map((row) => JSON.stringify(toItem(row)) + '\n').join('');
        const last = batch.at(-1);
        if (batch.length < AUDIT_BATCH_SIZE || !last) return;
        batch = await this.repository.page(filter, last.seq, AUDIT_BATCH_SIZE);
      }
    } catch (err) {
      // Headers are gone; the connection is cut so the client sees an incomplete download
      // rather than a short file that looks whole.
      this.logger.error({ err }, 'audit export failed mid-stream');
      throw err;
    }
  }
}

type Break = Pick<Extract<ChainVerification, { ok: false }>, 'reason' | 'missingSeqs'>;

function chainBreak(row: AuditLogRow, expectedSeq: number, prevHash: string): Break | null {
  if (row.seq !== expectedSeq) {
    return row.seq > expectedSeq
      ? { reason: 'sequence-gap', missingSeqs: { from: expectedSeq, to: row.seq - 1 } }
      : { reason: 'sequence-gap' };
  }
  if (row.prev_hash !== prevHash) return { reason: 'prev-hash-mismatch' };
  if (auditRowHash(row) !== row.hash) return { reason: 'hash-mismatch' };
  return null;
}

/** The agency whose rows the caller may read; null for `all`. */
function trailScope(principal: Principal, permission: string): { agencyId: string | null } {
  const scope = principal.grants[permission];
  if (scope === 'all') return { agencyId: null };
  if (scope === 'agency') return { agencyId: principal.agencyId };
  throw Problems.forbidden(`Reading the audit trail requires ${permission} at agency or all scope.`);
}

function filterOf(query: AuditLogFilterQuery, scope: { agencyId: string | null }): AuditLogFilter {
  const filter: AuditLogFilter = {};
  if (scope.agencyId !== null) filter.actorAgencyId = scope.agencyId;
  if (query.userId !== undefined) filter.actorId = query.userId;
  if (query.resourceType !== undefined) filter.resourceType = query.resourceType;
  if (query.resourceId !== undefined) filter.resourceId = query.resourceId;
  if (query.action !== undefined) filter.action = query.action;
  if (query.outcome !== undefined) filter.outcome = query.outcome;
  if (query.from !== undefined) filter.from = new Date(query.from);
  if (query.to !== undefined) filter.to = new Date(query.to);
  return filter;
}

function toItem(row: AuditLogRow): AuditLogItem {
  return {
    seq: row.seq,
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    actorId: row.actor_id,
    actorKind: row.actor_kind as AuditLogItem['actorKind'],
    actorRoles: row.actor_roles,
    actorAgencyId: row.actor_agency_id,
    onBehalfOf: row.on_behalf_of,
    sessionId: row.session_id,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    fields: row.fields,
    purposeOfUse: row.purpose_of_use,
    outcome: row.outcome as AuditLogItem['outcome'],
    reason: row.reason,
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
