import { Inject, Injectable } from '@nestjs/common';
import { sql, type Kysely, type Selectable } from 'kysely';
import { DATABASE, type DatabaseHandle } from '../database/database.js';
import type { DeadLetterTable, OutboxTable, PlatformTables } from '../database/platform.schema.js';
import type { DomainEvent } from './events.js';

export type OutboxRow = Selectable<OutboxTable>;
export type DeadLetterRow = Selectable<DeadLetterTable>;

/** How long a claimed row is reserved for the dispatcher that claimed it before others may retry it. */
const CLAIM_LEASE_MS = 60_000;

export interface DeadLetterFilter {
  status: 'pending' | 'replayed' | 'all';
  limit: number;
  /** Only ids below this one (the page cursor). */
  before?: number | undefined;
}

/** Every SQL statement of the event outbox, inbox and dead letters (schema `platform`). */
@Injectable()
export class OutboxRepository {
  private readonly db: Kysely<PlatformTables>;

  constructor(@Inject(DATABASE) database: DatabaseHandle) {
    this.db = database.db;
  }

  /**
   * Reserves up to `limit` due rows for this dispatcher, oldest first. Rows locked by another
   * dispatcher are skipped, and the lease (next_attempt_at pushed forward) keeps a second process
   * from sending the same row while this one works on it; if this process dies, the lease runs
   * out and another picks the row up.
   */
  async claimDue(limit: number): Promise<OutboxRow[]> {
    const rows = await this.db
      .updateTable('platform.outbox')
      .set({ next_attempt_at: sql<Date>`now() + ${CLAIM_LEASE_MS} * interval '1 millisecond'` })
      .where('id', 'in', (qb) =>
        qb
          .selectFrom('platform.outbox')
          .select('id')
          .where('published_at', 'is', null)
          .where('next_attempt_at', '<=', sql<Date>`now()`)
          .orderBy('occurred_at')
          .orderBy('seq')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
    return rows.sort(
      (a, b) =>
        new Date(a.occurred_at).getTime() - new Date(b.occurred_at).getTime() ||
        Number(a.seq) - Number(b.seq),
    );
  }

  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('platform.outbox')
      .set({ published_at: sql<Date>`now()`, last_attempt_at: sql<Date>`now()`, last_error: null })
      .where('id', 'in', ids)
      .execute();
  }

  /** Gives claimed rows back untouched (the broker went away): they go out as soon as it is back. */
  async release(ids: readonly string[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('platform.outbox')
      .set({ next_attempt_at: sql<Date>`now()`, last_error: reason.slice(0, 1000) })
      .where('id', 'in', ids)
      .where('published_at', 'is', null)
      .execute();
  }

  async scheduleRetry(id: string, attempts: number, error: string, delayMs: number): Promise<void> {
    await this.db
      .updateTable('platform.outbox')
      .set({
        attempts,
        last_error: error,
        last_attempt_at: sql<Date>`now()`,
        next_attempt_at: sql<Date>`now() + ${delayMs} * interval '1 millisecond'`,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Moves an outbox row that no subscriber could take to the dead letters, in one transaction. */
  async moveToDeadLetters(id: string, attempts: number, error: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('platform.outbox').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return;
      await trx
        .insertInto('platform.dead_letters')
        .values({
          event_id: row.id,
          topic: row.topic,
          payload: JSON.stringify(row.payload),
          occurred_at: row.occurred_at,
          attempts,
          last_error: error,
          consumer: null,
        })
        .execute();
      await trx.deleteFrom('platform.outbox').where('id', '=', id).execute();
    });
  }

  /** Records that one consumer gave up on an event that came through the broker. */
  async addDeadLetter(event: DomainEvent, consumer: string, attempts: number, error: string): Promise<void> {
    await this.db
      .insertInto('platform.dead_letters')
      .values({
        event_id: event.id,
        topic: event.topic,
        payload: JSON.stringify(event.payload),
        occurred_at: event.occurredAt,
        attempts,
        last_error: error,
        consumer,
      })
      .execute();
  }

  async hasProcessed(consumer: string, eventId: string): Promise<boolean> {
    const seen = await this.db
      .selectFrom('platform.inbox')
      .select('event_id')
      .where('consumer', '=', consumer)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return !!seen;
  }

  async markProcessed(consumer: string, eventId: string): Promise<void> {
    await this.db
      .insertInto('platform.inbox')
      .values({ consumer, event_id: eventId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Age in seconds of the oldest event not yet delivered (published to the broker or handled in-process). */
  async lagSeconds(): Promise<number> {
    const row = await this.db
      .selectFrom('platform.outbox')
      .select(sql<number>`coalesce(extract(epoch from now() - min(occurred_at)), 0)`.as('lag'))
      .where('published_at', 'is', null)
      .executeTakeFirst();
    return Math.max(0, Number(row?.lag ?? 0));
  }

  /** Deletes delivered outbox rows and inbox entries older than the retention. */
  async prune(outboxDays: number, inboxDays: number): Promise<void> {
    await this.db
      .deleteFrom('platform.outbox')
      .where('published_at', '<', sql<Date>`now() - ${outboxDays} * interval '1 day'`)
      .execute();
    await this.db
      .deleteFrom('platform.inbox')
      .where('processed_at', '<', sql<Date>`now() - ${inboxDays} * interval '1 day'`)
      .execute();
  }

  async listDeadLetters(filter: DeadLetterFilter): Promise<DeadLetterRow[]> {
    let query = this.db
      .selectFrom('platform.dead_letters')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.status === 'pending') query = query.where('replayed_at', 'is', null);
    if (filter.status === 'replayed') query = query.where('replayed_at', 'is not', null);
    if (filter.before !== undefined) query = query.where('id', '<', filter.before);
    return query.execute();
  }

  async findDeadLetter(id: number): Promise<DeadLetterRow | undefined> {
    return this.db.selectFrom('platform.dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Puts a dead letter's event back into the outbox (same event id, attempts reset) and marks
   * the letter replayed, in one transaction. Consumers that had already handled the event skip
   * it through the inbox, so replay reaches only the ones that had not. Returns the updated
   * letter, `'replayed'` when it was replayed before, or undefined when there is no such letter.
   */
  async replay(id: number): Promise<DeadLetterRow | 'replayed' | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const letter = await trx
        .selectFrom('platform.dead_letters')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!letter) return undefined;
      if (letter.replayed_at) return 'replayed';
      await trx
        .insertInto('platform.outbox')
        .values({
          id: letter.event_id,
          topic: letter.topic,
          payload: JSON.stringify(letter.payload),
          occurred_at: letter.occurred_at,
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            attempts: 0,
            next_attempt_at: sql<Date>`now()`,
            published_at: null,
            last_error: null,
          }),
        )
        .execute();
      return trx
        .updateTable('platform.dead_letters')
        .set({ replayed_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }
}
