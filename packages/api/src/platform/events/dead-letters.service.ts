import { Injectable } from '@nestjs/common';
import { scopeAllows, type Principal } from '../auth/principal.js';
import { Problems } from '../errors/problem.js';
import {
  decodeDeadLetterCursor,
  encodeDeadLetterCursor,
  type DeadLetter,
  type DeadLetterListQuery,
  type DeadLetterPage,
} from './dead-letters.dto.js';
import { OutboxRepository, type DeadLetterRow } from './outbox.repository.js';

export const MANAGE_EVENTS = 'platform.events.manage';

/**
 * Events no subscriber could take, for an operator to inspect and send again. Events cross
 * every agency, so this needs the permission at `all` scope.
 */
@Injectable()
export class DeadLetters {
  constructor(private readonly outbox: OutboxRepository) {}

  async list(principal: Principal, query: DeadLetterListQuery): Promise<DeadLetterPage> {
    assertSystemWide(principal);
    const rows = await this.outbox.listDeadLetters({
      status: query.status,
      limit: query.limit + 1,
      before: query.cursor ? (decodeDeadLetterCursor(query.cursor) ?? undefined) : undefined,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toDeadLetter),
      nextCursor: rows.length > query.limit && last ? encodeDeadLetterCursor(Number(last.id)) : null,
    };
  }

  /** Puts the event back into the outbox; consumers that already handled it skip it (inbox). */
  async replay(principal: Principal, id: number): Promise<DeadLetter> {
    assertSystemWide(principal);
    const result = await this.outbox.replay(id);
    if (!result) throw Problems.notFound('dead letter');
    if (result === 'replayed')
      throw Problems.conflict('This dead letter was already replayed.', 'dead-letter-replayed');
    return toDeadLetter(result);
  }
}

function assertSystemWide(principal: Principal): void {
  if (!scopeAllows(principal, MANAGE_EVENTS, {})) {
    throw Problems.forbidden(`Dead letters need the ${MANAGE_EVENTS} permission at "all" scope.`);
  }
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: String(row.id),
    eventId: row.event_id,
    topic: row.topic,
    payload: row.payload,
    consumer: row.consumer,
    occurredAt: iso(row.occurred_at),
    deadAt: iso(row.dead_at),
    attempts: row.attempts,
    lastError: row.last_error,
    replayedAt: row.replayed_at ? iso(row.replayed_at) : null,
  };
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
