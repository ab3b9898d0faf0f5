import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type LogEvent,
  type PostgresPool,
  type PostgresPoolClient,
} from 'kysely';
import pg from 'pg';
import type { PlatformTables } from './platform.schema.js';

/**
 * One database handle for the whole process: Kysely over `pg` when DATABASE_URL is set, over
 * embedded PGlite otherwise. The same SQL runs on both.
 */
export interface DatabaseHandle {
  readonly db: Kysely<PlatformTables>;
  readonly engine: 'postgres' | 'pglite';
  /** Pool statistics for /metrics; PGlite has a single connection. */
  poolStats(): { total: number; idle: number; waiting: number };
  /** The embedded engine, when that is what runs (the test harness dumps it as a template). */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export const DATABASE = Symbol('DATABASE');

// int8 and numeric come back as strings from pg by default; the app keeps counts and cents in
// JS numbers (safe well past any amount a county will bill), so parse them once here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  poolMax?: number;
  /** Run parameterised DML as named prepared statements (default true; PostgreSQL only). */
  preparedStatements?: boolean;
  /** Start PGlite from a dumped data directory (the test harness's migrated template). */
  pgliteLoadFrom?: Blob;
  /** Called with the text of every statement sent, refused ones too (the SQL review files are made from it). */
  onQuery?: (sql: string) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    return openPostgres(
      options.databaseUrl,
      options.poolMax ?? 20,
      options.preparedStatements ?? true,
      options.onQuery,
    );
  }
  return openPglite(options);
}

function queryLog(onQuery: ((sql: string) => void) | undefined): { log?: (event: LogEvent) => void } {
  return onQuery
    ? {
        // A statement the database refused still shows what the code sends (an example's SQL does
        // not depend on which rows earlier examples happened to leave behind).
        log(event) {
          onQuery(event.query.sql);
        },
      }
    : {};
}

function openPostgres(
  url: string,
  max: number,
  prepared: boolean,
  onQuery?: (sql: string) => void,
): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'ehrms' });
  // An idle connection can die under us (server restart, failover, an administrator ending it).
  // The pool drops it and connects afresh on the next checkout; without a listener, pg would
  // raise the error on the process and take the server down.
  pool.on('error', () => undefined);
  const db = new Kysely<PlatformTables>({
    dialect: new PostgresDialect({ pool: prepared ? withPreparedStatements(pool) : pool }),
    ...queryLog(onQuery),
  });
  return {
    db,
    engine: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

async function openPglite(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = resolve(join(options.dataDir, 'pglite'));
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.pgliteLoadFrom ? { loadDataDir: options.pgliteLoadFrom } : {}),
    extensions: { btree_gist, citext, pg_trgm },
    parsers: { 20: (v: string) => Number(v) },
  });
  const db = new Kysely<PlatformTables>({
    dialect: new PGliteDialect({ pglite }),
    ...queryLog(options.onQuery),
  });
  return {
    db,
    engine: 'pglite',
    pglite,
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: () => db.destroy(),
  };
}

/** Distinct statements named per process; past this, statements run unnamed (parsed each time). */
const MAX_NAMED_STATEMENTS = 2000;

/**
 * Runs parameterised DML as named prepared statements, so PostgreSQL parses and plans each
 * distinct query once per connection instead of on every call: on the hot read path, parsing
 * and planning cost more server CPU than executing. The query builder produces a bounded set of
 * texts; the name is a hash of the text. Statements without parameters (migrations' DDL) stay
 * unnamed, so a schema change never meets a stale cached plan.
 */
function withPreparedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const nameFor = (text: string): string | undefined => {
    let name = names.get(text);
    if (
      name === undefined &&
      names.size < MAX_NAMED_STATEMENTS &&
      /^\s*(select|insert|update|delete|with)\b/i.test(text)
    ) {
      name = `ehrms_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    options: pool.options,
    end: () => pool.end(),
    connect: async (): Promise<PostgresPoolClient> => {
      const client = await pool.connect();
      // One wrapper per pooled connection: the driver keys its per-connection state on it.
      let wrapped = wrappers.get(client);
      if (!wrapped) {
        const query = client.query.bind(client) as (config: unknown, values?: unknown[]) => Promise<never>;
        wrapped = {
          query: ((text: unknown, values?: unknown[]) => {
            const name = typeof text === 'string' && values && values.length > 0 ? nameFor(text) : undefined;
            return name ? query({ name, text, values }) : query(text, values);
          }) as unknown as PostgresPoolClient['query'],
          release: (destroy?: boolean) => client.release(destroy),
        };
        wrappers.set(client, wrapped);
      }
      return wrapped;
    },
  };
}
