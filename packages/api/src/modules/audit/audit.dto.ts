import { z } from 'zod';
import { decodeAuditCursor } from './audit-cursor.js';

export const MAX_PAGE_SIZE = 500;

const isoDateTime = z.iso.datetime({
  offset: true,
  message: 'Use an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z.',
});
const text = z.string().trim().min(1).max(200);

/**
 * Filters shared by the list and the export. Unknown parameters are refused: a misspelt filter
 * silently widening an auditor's result is worse than an error.
 */
const filterShape = {
  userId: text.describe('Rows whose actor is this user or service account.').optional(),
  resourceType: text.describe('Rows about this kind of resource, e.g. `clients.clients`.').optional(),
  resourceId: text.describe('Rows about this one record.').optional(),
  action: text.describe('Rows for this permission, e.g. `clients.clients.read`.').optional(),
  outcome: z.enum(['allowed', 'denied', 'error']).optional(),
  from: isoDateTime.describe('Rows that occurred at or after this instant.').optional(),
  to: isoDateTime.describe('Rows that occurred before this instant.').optional(),
};

const fromNotAfterTo = (q: { from?: string | undefined; to?: string | undefined }) =>
  !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to);
const fromNotAfterToIssue = { message: '`from` must not be after `to`.', path: ['from'] };

export const AuditLogFilterQuery = z.strictObject(filterShape).refine(fromNotAfterTo, fromNotAfterToIssue);
export type AuditLogFilterQuery = z.output<typeof AuditLogFilterQuery>;

export const AuditLogListQuery = z
  .strictObject({
    ...filterShape,
    cursor: z
      .string()
      .max(100)
      .refine((c) => decodeAuditCursor(c) !== null, 'Not a cursor returned by this API.')
      .describe('`nextCursor` of the previous page.')
      .optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50).describe('Rows per page.'),
  })
  .refine(fromNotAfterTo, fromNotAfterToIssue);
export type AuditLogListQuery = z.output<typeof AuditLogListQuery>;

export const AuditLogItem = z
  .object({
    seq: z.number().int(),
    id: z.uuid(),
    occurredAt: z.iso.datetime(),
    actorId: z.string().nullable(),
    actorKind: z.enum(['user', 'service', 'anonymous']),
    actorRoles: z.array(z.string()),
    actorAgencyId: z.string().nullable(),
    onBehalfOf: z.string().nullable(),
    sessionId: z.string().nullable(),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string().nullable(),
    fields: z.array(z.string()),
    purposeOfUse: z.string(),
    outcome: z.enum(['allowed', 'denied', 'error']),
    reason: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditLogItem' });
export type AuditLogItem = z.output<typeof AuditLogItem>;

export const AuditLogPage = z
  .object({
    items: z.array(AuditLogItem),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AuditLogPage' });
export type AuditLogPage = z.output<typeof AuditLogPage>;

export const ChainVerification = z
  .discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      rowsChecked: z.number().int(),
      /** The last sequence number verified; 0 when the trail is empty. */
      lastSeq: z.number().int(),
    }),
    z.object({
      ok: z.literal(false),
      /** Rows examined, the broken one included. */
      rowsChecked: z.number().int(),
      /** The first row that fails its check (for a gap: the first row after the missing ones). */
      firstBrokenSeq: z.number().int(),
      firstBrokenId: z.uuid(),
      reason: z.enum(['hash-mismatch', 'prev-hash-mismatch', 'sequence-gap']),
      /** For a sequence gap: the sequence numbers that are missing. */
      missingSeqs: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
    }),
  ])
  .meta({ id: 'AuditChainVerification' });
export type ChainVerification = z.output<typeof ChainVerification>;
