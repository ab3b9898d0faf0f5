import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { Public } from '../auth/decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DATABASE, type DatabaseHandle } from '../database/database.js';
import { REDIS } from '../redis/redis.js';
import { EventBroker } from '../events/event-broker.js';
import { Metrics } from '../metrics/metrics.js';
import { BLOB_STORE, type BlobStore } from '../storage/blob-store.js';
import { BLOB_STORE_SERVICES } from '../storage/storage.module.js';

type Check = { status: 'up' | 'down'; detail?: string };

@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly database: DatabaseHandle,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly broker: EventBroker,
    private readonly metrics: Metrics,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  @Get('health/live')
  @Public({ reason: 'liveness probe' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every configured dependency answers; 503 naming the one that does not. */
  @Get('health/ready')
  @Public({ reason: 'readiness probe' })
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; checks: Record<string, Check> }> {
    const checks: Record<string, Check> = {
      database: await this.check(() => sql`select 1`.execute(this.database.db)),
    };
    const redis = this.redis;
    if (redis) checks.redis = await this.check(() => redis.ping());
    if (this.broker.enabled)
      checks.rabbitmq = this.broker.connected
        ? { status: 'up' }
        : { status: 'down', detail: 'not connected; events wait in the outbox' };
    if (BLOB_STORE_SERVICES.some((s) => this.config.EHRMS_SERVICES.includes(s)))
      checks.blobStore = await this.check(() => this.blobs.checkHealth());
    const ok = Object.values(checks).every((c) => c.status === 'up');
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  @Get('metrics')
  @Public({ reason: 'Prometheus scrape; not routed by the gateway' })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  private async check(probe: () => Promise<unknown>): Promise<Check> {
    try {
      await withTimeout(probe(), this.config.HEALTH_CHECK_TIMEOUT_MS);
      return { status: 'up' };
    } catch (err) {
      // A public probe: say what is down, not where it lives or what it answered.
      const timedOut = err instanceof Error && err.message === 'timed out';
      return { status: 'down', detail: timedOut ? 'timed out' : 'not answering' };
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref()),
  ]);
}
