import type { FastifyReply } from 'fastify';
import { ProblemError, Problems } from '../errors/problem.js';

/**
 * Optimistic concurrency for every mutable record: GET answers `ETag: "<version>"`, and a write
 * must send it back as `If-Match` (428 without it, 412 when stale).
 */
export function withEtag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  void reply.header('etag', `"${record.version}"`);
  return record;
}

/** `If-Match: "3"` (or `W/"3"`) → 3. */
export function versionFromIfMatch(ifMatch: string | undefined): number {
  if (!ifMatch) {
    throw new ProblemError({
      status: 428,
      type: 'precondition-required',
      title: 'If-Match required',
      detail: 'Send If-Match with the ETag you read, so a concurrent change is not overwritten.',
    });
  }
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(ifMatch.trim());
  if (!match?.[1]) throw Problems.preconditionFailed();
  return Number(match[1]);
}
