import { createHash } from 'node:crypto';
import type { AuditLogTable } from './audit.schema.js';

export const GENESIS_HASH = '0'.repeat(64);

type Chained = Omit<AuditLogTable, 'occurred_at' | 'hash'> & { occurred_at: Date };

/**
 * The hash of one audit row: SHA-256 over the previous row's hash and every column of this row
 * in a fixed order. Changing any column, or removing or reordering rows, breaks the chain.
 */
export function auditRowHash(row: Chained): string {
  const canonical = JSON.stringify([
    row.seq,
    row.id,
    row.occurred_at.toISOString(),
    row.actor_id,
    row.actor_kind,
    row.actor_roles,
    row.actor_agency_id,
    row.on_behalf_of,
    row.session_id,
    row.action,
    row.resource_type,
    row.resource_id,
    row.fields,
    row.purpose_of_use,
    row.outcome,
    row.reason,
    row.request_id,
    row.ip,
    row.user_agent,
  ]);
  return createHash('sha256').update(row.prev_hash).update('\n').update(canonical).digest('hex');
}
