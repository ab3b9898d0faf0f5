import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { FEATURES, type Feature } from './modules/registry.js';
import { auditMigrations } from './platform/audit/audit.migrations.js';
import type { AppConfig } from './platform/config/config.js';
import { withDevSecrets } from './platform/crypto/dev-secrets.js';
import { openDatabase, type DatabaseHandle } from './platform/database/database.js';
import { migrateModules } from './platform/database/migrations.js';
import { platformMigrations } from './platform/database/migrations/platform.js';
import { sendProblem } from './platform/errors/problem.filter.js';
import { Problems } from './platform/errors/problem.js';
import { createLogger } from './platform/logging/logger.js';
import { Metrics } from './platform/metrics/metrics.js';
import { routeCatalog, undeclaredRoutes } from './platform/http/route-catalog.js';
import { openRedis } from './platform/redis/redis.js';
import { setAgencyTimeZone } from './platform/time/agency-today.js';
import './platform/http/request-context.js';

export interface CreateAppOptions {
  config: AppConfig;
  /** An already-open database (tests); otherwise opened from the config. */
  database?: DatabaseHandle;
  logger?: Logger;
  /** Keep generated dev secrets in memory only (tests). */
  ephemeralSecrets?: boolean;
  /** Skip migrations (the test harness hands over an already-migrated database). */
  skipMigrations?: boolean;
}

export interface RunningApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: DatabaseHandle;
  features: Feature[];
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the whole server — used by main.ts, the test harness and benchmarks alike. */
export async function createApp(options: CreateAppOptions): Promise<RunningApp> {
  const config = await withDevSecrets(options.config, !options.ephemeralSecrets);
  // Request parsing (zod refinements) knows the agency's today without injection.
  setAgencyTimeZone(config.AGENCY_TIME_ZONE);
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolMax: config.DATABASE_POOL_MAX,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    }));
  const features = FEATURES.filter((f) => config.EHRMS_SERVICES.includes(f.service));
  if (!options.skipMigrations) await migrateAll(database, features);
  const redis: Redis | null = openRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, logger });

  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: 'loopback, linklocal, uniquelocal',
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, database, redis, logger }, features),
    adapter,
    { logger: false, bufferLogs: false },
  );
  app.enableShutdownHooks();

  const undeclared = undeclaredRoutes(routeCatalog(app));
  if (undeclared.length > 0) {
    const names = undeclared.map((r) => `${r.method} ${r.path}`).join(', ');
    throw new Error(`Routes without @RequirePermission or @Public: ${names}`);
  }

  const fastify = app.getHttpAdapter().getInstance();
  // The API speaks JSON; a text body is refused with 415 instead of reaching a handler as a string.
  fastify.removeContentTypeParser('text/plain');
  const metrics = app.get(Metrics);
  // Defaults set before the handler runs, so a route (or the static files) can still override them.
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.headers({
      'x-request-id': String(req.id),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    done();
  });
  // The request line carries only these fixed, PHI-free fields (the route pattern, never the URL),
  // so it skips the redaction pass that every other log call pays for.
  const requestLog = logger.child({}, { redact: [] });
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, seconds);
    requestLog.info(
      {
        reqId: req.id,
        userId: req.principal?.id ?? null,
        method: req.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });
  await serveWeb(app, config);

  await app.init();
  for (const feature of features) await feature.onStart?.(app, config);

  return {
    app,
    config,
    database,
    features,
    async close() {
      await app.close();
      redis?.disconnect();
      if (!options.database) await database.close();
      // stdout is written asynchronously; make sure the last lines reach it before exit.
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    },
  };
}

export async function migrateAll(database: DatabaseHandle, features: Feature[]): Promise<void> {
  await migrateModules(database.db, [
    platformMigrations,
    auditMigrations,
    ...features.flatMap((f) => f.migrations),
  ]);
}

async function serveWeb(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(config.WEB_DIST_DIR ?? join(here, '../../web/dist'));
  const fastify = app.getHttpAdapter().getInstance();
  const hasWeb = existsSync(join(root, 'index.html'));
  if (hasWeb) {
    await fastify.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  if (!hasWeb) return;
  // Client-side routes of the single-page app all load index.html; API-looking paths still
  // fall through to a problem+json 404.
  fastify.get('/*', (req: FastifyRequest, reply: FastifyReply) => {
    if (/^\/(api|health|metrics|fhir|\.well-known)(\/|$)/.test(req.url)) {
      return sendProblem(reply, req, Problems.notFound('route'));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
