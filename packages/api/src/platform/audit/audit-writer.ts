import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sql, type Insertable, type Kysely } from 'kysely';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DATABASE, type DatabaseHandle } from '../database/database.js';
import { auditRowHash, GENESIS_HASH } from './audit-chain.js';
import type { AuditEntry, AuditSink } from './audit-sink.js';
import type { AuditLogTable, AuditTables } from './audit.schema.js';
import type { PlatformTables } from '../database/platform.schema.js';

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Any constant works; it only has to be the same in every process writing the chain. */
const CHAIN_LOCK_KEY = 0x4548524d; // "EHRM"

/**
 * Group commit: rows recorded while a write is in flight wait and go together in the next
 * single INSERT. Each caller's promise resolves only after the transaction holding its row has
 * committed. The chain lock serialises writers across processes, so sequence and hashes stay
 * a single unbroken line.
 */
@Injectable()
export class AuditWriter implements AuditSink {
  private queue: Pending[] = [];
  private writing = false;
  private readonly db: Kysely<PlatformTables & AuditTables>;
  private readonly maxBatch: number;

  constructor(@Inject(DATABASE) database: DatabaseHandle, @Inject(APP_CONFIG) config: AppConfig) {
    this.db = database.db.withTables<AuditTables>();
    this.maxBatch = config.AUDIT_MAX_BATCH;
  }

  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.write(batch.map((p) => p.entry));
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(entries: AuditEntry[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx);
      const last = await trx
        .selectFrom('audit.audit_logs')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      let seq = last ? Number(last.seq) : 0;
      let prev = last?.hash ?? GENESIS_HASH;
      const rows: Insertable<AuditLogTable>[] = entries.map((e) => {
        seq += 1;
        const row = {
          seq,
          id: randomUUID(),
          occurred_at: e.occurredAt,
          actor_id: e.actorId,
          actor_kind: e.actorKind,
          actor_roles: [...e.actorRoles],
          actor_agency_id: e.actorAgencyId,
          on_behalf_of: e.onBehalfOf,
          session_id: e.sessionId,
          action: e.action,
          resource_type: e.resourceType,
          resource_id: e.resourceId,
          fields: [...e.fields],
          purpose_of_use: e.purposeOfUse,
          outcome: e.outcome,
          reason: e.reason,
          request_id: e.requestId,
          ip: e.ip,
          user_agent: e.userAgent,
          prev_hash: prev,
        };
        const hash = auditRowHash(row);
        prev = hash;
        return { ...row, hash };
      });
      await trx.insertInto('audit.audit_logs').values(rows).execute();
    });
  }
}
