import { Inject, Injectable } from '@nestjs/common';
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, AuditTables } from '../../platform/audit/audit.schema.js';
import { DATABASE, type DatabaseHandle } from '../../platform/database/database.js';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import type { PlatformTables } from '../../platform/database/platform.schema.js';

export type AuditLogRow = Selectable<AuditLogTable>;

/** What an auditor can narrow the trail by; every field is optional and they combine with AND. */
export interface AuditLogFilter {
  /** Set by the service from the caller's scope, never from the query: an agency's trail only. */
  actorAgencyId?: string;
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  outcome?: 'allowed' | 'denied' | 'error';
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/**
 * Reads of `audit.audit_logs` — the only SQL of the audit module. The table is written solely by
 * the platform's AuditWriter; nothing here updates or deletes (the table's triggers refuse it).
 * Every read is keyset-paginated on `seq`, so cost per page stays flat however long the trail.
 * `@GenerateSql` examples make `queries/audit.repository.sql` show the exact SQL.
 */
@Injectable()
export class AuditLogRepository {
  private readonly db: Kysely<PlatformTables & AuditTables>;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db.withTables<AuditTables>();
  }

  /** Matching rows newest first, strictly below `beforeSeq` when given. */
  @GenerateSql({ name: 'no filter, first page', params: [{}, null, 51] })
  @GenerateSql({
    name: 'every filter, after a cursor',
    params: [
      {
        actorAgencyId: '0de70000-0000-4000-8000-000000000001',
        actorId: '0de70000-0000-4000-8000-00000000c004',
        resourceType: 'clients.clients',
        resourceId: 'client-1',
        action: 'clients.clients.read',
        outcome: 'denied',
        from: new Date('2025-03-01T00:00:00Z'),
        to: new Date('2025-04-01T00:00:00Z'),
      },
      42,
      51,
    ],
  })
  page(filter: AuditLogFilter, beforeSeq: number | null, limit: number): Promise<AuditLogRow[]> {
    let q = this.db.selectFrom('audit.audit_logs').selectAll();
    if (filter.actorAgencyId !== undefined) q = q.where('actor_agency_id', '=', filter.actorAgencyId);
    if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
    if (filter.resourceType !== undefined) q = q.where('resource_type', '=', filter.resourceType);
    if (filter.resourceId !== undefined) q = q.where('resource_id', '=', filter.resourceId);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
    if (filter.from !== undefined) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('occurred_at', '<', filter.to);
    if (beforeSeq !== null) q = q.where('seq', '<', beforeSeq);
    return q.orderBy('seq', 'desc').limit(limit).execute();
  }

  /** Rows in chain order with `afterSeq < seq <= upToSeq`. */
  @GenerateSql({ params: [0, 42, 1000] })
  chainSlice(afterSeq: number, upToSeq: number, limit: number): Promise<AuditLogRow[]> {
    return this.db
      .selectFrom('audit.audit_logs')
      .selectAll()
      .where('seq', '>', afterSeq)
      .where('seq', '<=', upToSeq)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
  }

  /** The newest sequence number, 0 when the trail is empty. */
  @GenerateSql({ params: [] })
  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('audit.audit_logs')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.seq) : 0;
  }
}
