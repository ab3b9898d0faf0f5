import type { FastifyRequest } from 'fastify';
import { currentRequest } from '../http/request-context.js';

/** What a service may add to the audit row of the request it serves. Never PHI beyond the stated reason. */
export type AuditNote = NonNullable<FastifyRequest['auditNote']>;

/**
 * Adds a reason and/or purpose of use to the current request's audit row (allowed or failed):
 * e.g. access under break-the-glass records the stated reason and `ETREAT`. Later notes win
 * field by field. Outside a route handler (jobs, event consumers) there is no row and this
 * does nothing.
 */
export function annotateAudit(note: AuditNote): void {
  const req = currentRequest();
  if (!req) return;
  req.auditNote = { ...req.auditNote, ...note };
}
