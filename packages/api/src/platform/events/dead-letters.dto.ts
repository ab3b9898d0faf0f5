import { z } from 'zod';

/** Opaque cursor: the id the next page starts below. */
export function encodeDeadLetterCursor(id: number): string {
  return Buffer.from(`dl:${id}`, 'utf8').toString('base64url');
}

export function decodeDeadLetterCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return null;
  const match = /^dl:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match?.[1] ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) ? id : null;
}

export const DeadLetterListQuery = z.strictObject({
  /** `pending` (default): not replayed yet; `replayed`; or `all`. */
  status: z.enum(['pending', 'replayed', 'all']).default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(40)
    .refine((c) => decodeDeadLetterCursor(c) !== null, 'Not a cursor returned by this API.')
    .optional(),
});
export type DeadLetterListQuery = z.output<typeof DeadLetterListQuery>;

export const DeadLetterParams = z.strictObject({
  id: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Must be a dead letter id.'),
});
export type DeadLetterParams = z.output<typeof DeadLetterParams>;

export const DeadLetter = z.object({
  id: z.string(),
  eventId: z.uuid(),
  topic: z.string(),
  /** Ids and codes only: events never carry PHI. */
  payload: z.unknown(),
  /** The consumer that gave up (RabbitMQ delivery), or null when in-process delivery gave up. */
  consumer: z.string().nullable(),
  occurredAt: z.iso.datetime(),
  deadAt: z.iso.datetime(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  replayedAt: z.iso.datetime().nullable(),
});
export type DeadLetter = z.output<typeof DeadLetter>;

export const DeadLetterPage = z.object({
  items: z.array(DeadLetter),
  nextCursor: z.string().nullable(),
});
export type DeadLetterPage = z.output<typeof DeadLetterPage>;
