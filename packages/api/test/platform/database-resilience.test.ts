import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/platform/database/database.js';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('the PostgreSQL pool when a connection dies', () => {
  let database: DatabaseHandle | undefined;
  afterEach(async () => {
    await database?.close();
  });

  it('drops an idle connection the server ended and carries on with a new one', async () => {
    database = await openDatabase({ databaseUrl: url, poolMax: 1 });
    const before = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
    const pid = before.rows[0]?.pid;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
    expect(after.rows[0]?.pid).toEqual(expect.any(Number));
    expect(after.rows[0]?.pid).not.toBe(pid);
  });
});
