import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/platform/database/database.js';

const url = process.env.DATABASE_URL;

/** On PostgreSQL, parameterised queries are planned once per connection unless turned off. */
describe.skipIf(!url)('prepared statements on PostgreSQL', () => {
  let database: DatabaseHandle | undefined;
  afterEach(async () => {
    await database?.close();
  });

  const preparedAfterOneQuery = async (preparedStatements: boolean) => {
    database = await openDatabase({ databaseUrl: url, poolMax: 1, preparedStatements });
    return database.db.transaction().execute(async (trx) => {
      await sql`select ${1}::int as one`.execute(trx);
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
        trx,
      );
      return rows.map((r) => r.statement);
    });
  };

  it('keeps a parameterised query as a named prepared statement on its connection', async () => {
    expect(await preparedAfterOneQuery(true)).toContain('select $1::int as one');
  });

  it('prepares nothing when DATABASE_PREPARED_STATEMENTS is off (for transaction poolers)', async () => {
    expect(await preparedAfterOneQuery(false)).toEqual([]);
  });
});
