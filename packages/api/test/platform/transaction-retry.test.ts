import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryableConflict, retryingConflicts } from '../../src/platform/database/pg-errors.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const failure = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe('retrying a transaction the database aborted for a deadlock', () => {
  it('runs it again after a deadlock or serialization failure, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      retryingConflicts(() => {
        calls++;
        return calls < 3 ? Promise.reject(failure('40P01')) : Promise.resolve('done');
      }),
    ).resolves.toBe('done');
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      retryingConflicts(() => {
        calls++;
        return Promise.reject(failure('40001'));
      }, 3),
    ).rejects.toMatchObject({ code: '40001' });
    expect(calls).toBe(3);
  });

  it('never retries anything else: a conflict the caller must answer goes straight through', async () => {
    for (const code of ['23P01', '23505', '22P02']) {
      let calls = 0;
      await expect(
        retryingConflicts(() => {
          calls++;
          return Promise.reject(failure(code));
        }),
      ).rejects.toMatchObject({ code });
      expect(calls).toBe(1);
    }
    expect(isRetryableConflict(new Error('40P01'))).toBe(false);
  });

  // A real deadlock needs two connections: PostgreSQL only (PGlite has one).
  describe.skipIf(!process.env.DATABASE_URL)('on PostgreSQL', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
      await sql`CREATE TABLE public.retry_probe (id int PRIMARY KEY, n int NOT NULL)`.execute(t.database.db);
      await sql`INSERT INTO public.retry_probe VALUES (1, 0), (2, 0)`.execute(t.database.db);
    });
    afterAll(async () => {
      await t.close();
    });

    it('two transactions locking two rows in opposite orders both commit: the one PostgreSQL aborts is run again', async () => {
      let attempts = 0;
      let arrived = 0;
      let release!: () => void;
      const bothHoldTheirFirstRow = new Promise<void>((resolve) => (release = resolve));
      const crossing = (first: number, second: number) =>
        retryingConflicts(() =>
          t.database.db.transaction().execute(async (trx) => {
            attempts++;
            await sql`UPDATE public.retry_probe SET n = n + 1 WHERE id = ${first}`.execute(trx);
            if (++arrived === 2) release();
            await bothHoldTheirFirstRow;
            await sql`UPDATE public.retry_probe SET n = n + 1 WHERE id = ${second}`.execute(trx);
          }),
        );
      await Promise.all([crossing(1, 2), crossing(2, 1)]);
      expect(attempts).toBe(3);
      const rows = await sql<{
        id: number;
        n: number;
      }>`SELECT id, n FROM public.retry_probe ORDER BY id`.execute(t.database.db);
      expect(rows.rows).toEqual([
        { id: 1, n: 2 },
        { id: 2, n: 2 },
      ]);
    });
  });
});
