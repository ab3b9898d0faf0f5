import type { PlatformTables } from '../../src/platform/database/platform.schema.js';
import type { TestApp } from './test-app.js';

/**
 * The payloads published on one topic, in the order they were written. Rows in the outbox are
 * updated as they are dispatched, so without an ORDER BY their order on disk is not the order of
 * publication — a test that compares a sequence must ask for it.
 */
export async function outboxPayloads<T = Record<string, unknown>>(t: TestApp, topic: string): Promise<T[]> {
  const rows = await t.database.db
    .withTables<PlatformTables>()
    .selectFrom('platform.outbox')
    .select('payload')
    .where('topic', '=', topic)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.payload as T);
}
