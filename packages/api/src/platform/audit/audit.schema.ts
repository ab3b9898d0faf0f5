import type { ColumnType } from 'kysely';

/** `audit.audit_logs`: append-only, hash-chained. Written by AuditWriter, read by the audit module. */
export interface AuditLogTable {
  seq: number;
  id: string;
  occurred_at: ColumnType<Date, Date, never>;
  actor_id: string | null;
  actor_kind: string;
  actor_roles: string[];
  actor_agency_id: string | null;
  on_behalf_of: string | null;
  session_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  fields: string[];
  purpose_of_use: string;
  outcome: string;
  reason: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  prev_hash: string;
  hash: string;
}

export type AuditTables = {
  'audit.audit_logs': AuditLogTable;
};
