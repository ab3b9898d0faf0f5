import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import pg from 'pg';
import type { Logger } from 'pino';
import { inject } from 'vitest';
import { createApp, type RunningApp } from '../../src/app.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/platform/auth/access-tokens.js';
import { JwtKeyRing } from '../../src/platform/auth/key-ring.js';
import { encodeGrants, type Scope } from '../../src/platform/auth/principal.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import {
  openDatabase,
  type DatabaseHandle,
  type OpenDatabaseOptions,
} from '../../src/platform/database/database.js';
import { withDatabase } from './global-setup.js';
import { testConfig } from './test-config.js';

declare module 'vitest' {
  export interface ProvidedContext {
    secrets: string;
    pgTemplate: string;
    pgliteTemplate: string;
  }
}

export interface TestApp extends RunningApp {
  http: HttpClient;
  /** Mints an access token directly (bypassing login) for authorization tests. */
  token(spec: TokenSpec): Promise<string>;
}

export interface TokenSpec {
  sub?: string;
  sid?: string;
  agency?: string;
  teams?: string[];
  programs?: string[];
  roles?: string[];
  grants?: Record<string, Scope>;
  amr?: string[];
  expiresIn?: string;
  kind?: 'user' | 'service';
}

export interface HttpClient {
  request(opts: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
    url: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
  }): Promise<LightMyRequestResponse>;
}

export interface StartOptions {
  /** Where the app logs (default: a silent logger at LOG_LEVEL). */
  logger?: Logger;
  /** Wait for RabbitMQ (when AMQP_URL is set) before returning; default true. */
  waitForBroker?: boolean;
  /** Passed to `openDatabase` (the SQL review files record statements with `onQuery`). */
  database?: Pick<OpenDatabaseOptions, 'onQuery' | 'poolMax'>;
}

/**
 * A whole EHRMS app on a fresh copy of the migrated, demo-seeded test database — real PostgreSQL
 * when DATABASE_URL is set, PGlite otherwise. Call in `beforeAll`, close in `afterAll`.
 */
export async function startTestApp(
  overrides: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestApp> {
  const secrets = JSON.parse(inject('secrets')) as Record<string, string>;
  const template = inject('pgTemplate');
  const { database, drop } = await freshDatabase(template, options.database);
  const running = await createApp({
    config: testConfig({ ...secrets, SEED_DEMO_DATA: 'false', ...overrides }),
    database,
    ephemeralSecrets: true,
    skipMigrations: true,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const fastify = running.app.getHttpAdapter().getInstance();
  await fastify.ready();
  // With AMQP_URL: connected, with every subscriber's queue bound, before the test starts.
  if (options.waitForBroker !== false) await running.app.get(OutboxDispatcher).ready();
  const keyRing = running.app.get(JwtKeyRing);
  return {
    ...running,
    http: {
      request: ({ method, url, token, body, headers }) =>
        fastify.inject({
          method,
          url,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        }),
    },
    token: async (spec) => {
      const { kid, key } = keyRing.signingKey();
      return new SignJWT({
        sid: spec.sid,
        kind: spec.kind ?? 'user',
        agency: spec.agency ?? 'test-agency',
        teams: spec.teams ?? [],
        programs: spec.programs ?? [],
        roles: spec.roles ?? [],
        scope: encodeGrants(spec.grants ?? {}),
        amr: spec.amr ?? ['pwd'],
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .setSubject(spec.sub ?? 'test-user')
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(spec.expiresIn ?? '5m')
        .sign(key);
    },
    async close() {
      await running.close();
      await database.close();
      await drop();
    },
  };
}

async function freshDatabase(
  template: string,
  options: Pick<OpenDatabaseOptions, 'onQuery' | 'poolMax'> = {},
): Promise<{ database: DatabaseHandle; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url && template) {
    const name = `ehrms_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        // Two files copying the template at the same moment: wait and retry.
        if (attempt > 20 || !String(err).includes('being accessed by other users')) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    const database = await openDatabase({ databaseUrl: withDatabase(url, name), poolMax: 10, ...options });
    return {
      database,
      drop: async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        // pool.end() resolves before its sockets have closed; FORCE would cut those mid-goodbye
        // and they surface as uncaught "terminating connection" errors. Let them finish first.
        for (let i = 0; i < 100; i++) {
          const open = await c.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name]);
          if (open.rowCount === 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const blob = new Blob([readFileSync(inject('pgliteTemplate'))]);
  const database = await openDatabase({ pgliteLoadFrom: blob, ...options });
  return { database, drop: async () => {} };
}
