import type { Kysely, Selectable } from 'kysely';
import { AUDIT_SINK, type AuditEntry, type AuditSink } from '../../src/platform/audit/audit-sink.js';
import type { AuditLogTable, AuditTables } from '../../src/platform/audit/audit.schema.js';
import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import type { TestApp, TokenSpec } from '../support/test-app.js';

export type AuditRow = Selectable<AuditLogTable>;

/** The audit table as the test sees it: straight from the database, no API in between. */
export function auditTable(t: TestApp): Kysely<PlatformTables & AuditTables> {
  return t.database.db.withTables<AuditTables>();
}

export function rowsWhere(t: TestApp, column: 'request_id' | 'actor_id', value: string): Promise<AuditRow[]> {
  return auditTable(t)
    .selectFrom('audit.audit_logs')
    .selectAll()
    .where(column, '=', value)
    .orderBy('seq')
    .execute();
}

/**
 * Appends rows the way every process does, through the platform's audit writer, so searches can
 * be tested against known actors, resources and times.
 */
export async function recordAccesses(t: TestApp, entries: Partial<AuditEntry>[]): Promise<void> {
  const sink = t.app.get<AuditSink>(AUDIT_SINK);
  await Promise.all(entries.map((e) => sink.record(access(e))));
}

/** Appends one at a time, so sequence order is the order given. */
export async function recordInOrder(t: TestApp, entries: Partial<AuditEntry>[]): Promise<void> {
  const sink = t.app.get<AuditSink>(AUDIT_SINK);
  for (const e of entries) await sink.record(access(e));
}

function access(over: Partial<AuditEntry>): AuditEntry {
  return {
    occurredAt: new Date(),
    actorId: 'someone',
    actorKind: 'user',
    actorRoles: ['case_manager'],
    actorAgencyId: 'agency-a',
    onBehalfOf: null,
    sessionId: null,
    action: 'clients.clients.read',
    resourceType: 'clients.clients',
    resourceId: null,
    fields: [],
    purposeOfUse: 'TREAT',
    outcome: 'allowed',
    reason: null,
    requestId: null,
    ip: '10.0.0.7',
    userAgent: 'ehrms-web',
    ...over,
  };
}

export const AUDITOR: TokenSpec = {
  sub: 'auditor-ada',
  agency: 'agency-a',
  roles: ['auditor'],
  grants: {
    'audit.logs.read': 'agency',
    'audit.logs.export': 'agency',
    'audit.logs.verify': 'agency',
  },
};
