import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

const CHANNEL = 'ehrms:session-revoked';

/**
 * Revoked login sessions, checked on every request. Access tokens are verified without a
 * database round trip, so revocation (logout, refresh-token theft, deactivation) is pushed here;
 * entries live as long as an access token can, after which the token itself has expired.
 * With Redis, revocations reach every process through a pub/sub channel.
 */
@Injectable()
export class SessionRevocations implements OnModuleDestroy {
  private readonly revoked = new Map<string, number>();
  private readonly ttlMs: number;
  private subscriber: Redis | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000;
    if (redis) {
      // A subscriber waits for Redis however long it is away (the main connection reports it).
      this.subscriber = redis.duplicate({ maxRetriesPerRequest: null });
      this.subscriber.on('error', () => undefined);
      this.subscriber.subscribe(CHANNEL).catch(() => undefined);
      this.subscriber.on('message', (_channel: string, sessionId: string) => this.remember(sessionId));
    }
  }

  async revoke(sessionIds: readonly string[]): Promise<void> {
    for (const id of sessionIds) this.remember(id);
    if (this.redis) {
      for (const id of sessionIds) await this.redis.publish(CHANNEL, id);
    }
  }

  isRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    if (until === undefined) return false;
    if (until < Date.now()) {
      this.revoked.delete(sessionId);
      return false;
    }
    return true;
  }

  private remember(sessionId: string): void {
    this.revoked.set(sessionId, Date.now() + this.ttlMs);
    if (this.revoked.size > 100_000) {
      const now = Date.now();
      for (const [id, until] of this.revoked) if (until < now) this.revoked.delete(id);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.subscriber) this.subscriber.disconnect();
  }
}
