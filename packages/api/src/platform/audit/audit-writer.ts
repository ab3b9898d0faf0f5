import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
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

/**
 * Group commit: rows recorded while a write is in flight wait and go together in the next
 * single INSERT. Each caller's promise resolves only after the statement holding its row has
 * committed. Writers in several processes keep one unbroken chain through the unique sequence
 * number (see `write`).
 */
@Injectable()
export class AuditWriter implements AuditSink {
  private queue: Pending[] = [];
  private writing = false;
  private readonly db: Kysely<PlatformTables & AuditTables>;
  private readonly maxBatch: number;
  /** The last row this process wrote; null when unknown (start-up, or another writer won a race). */
  private head: ChainHead | null = null;

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

  /**
   * One statement per batch: the rows, already sequenced and hashed from the chain head this
   * process last wrote or read, go in as one JSON parameter in an autocommit INSERT. The primary
   * key on `seq` is the cross-process guard: if another process appended first, the INSERT fails
   * whole on a duplicate seq, and the batch is re-chained from the new head and retried.
   */
  private async write(entries: AuditEntry[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const head = this.head ?? (await this.readHead());
      const rows = chainRows(entries, head);
      try {
        await sql`
          INSERT INTO audit.audit_logs
          SELECT * FROM jsonb_populate_recordset(NULL::audit.audit_logs, ${JSON.stringify(rows)}::jsonb)
        `.execute(this.db);
        const last = rows[rows.length - 1];
        this.head = last ? { seq: last.seq, hash: last.hash } : head;
        return;
      } catch (err) {
        this.head = null;
        if (!isDuplicateKey(err) || attempt >= MAX_CHAIN_RACES) throw err;
      }
    }
  }

  private async readHead(): Promise<ChainHead> {
    const last = await this.db
      .selectFrom('audit.audit_logs')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }
}

interface ChainHead {
  seq: number;
  hash: string;
}

/** Writers racing for the same sequence numbers; each loss costs one re-read of the head. */
const MAX_CHAIN_RACES = 50;

type ChainedRow = Omit<AuditLogTable, 'occurred_at'> & { occurred_at: Date };

function chainRows(entries: AuditEntry[], head: ChainHead): ChainedRow[] {
  let seq = head.seq;
  let prev = head.hash;
  return entries.map((e) => {
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
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === '23505';
}
