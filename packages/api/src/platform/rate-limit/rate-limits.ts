import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Problems } from '../errors/problem.js';
import { REDIS } from '../redis/redis.js';

/**
 * Two limits: a generous per-user limit on every authenticated call, and a strict per-IP limit
 * on login and other credential endpoints. In memory by default; in Redis when REDIS_URL is set,
 * so the limit holds across processes.
 */
@Injectable()
export class RateLimits {
  private readonly perUser: RateLimiterAbstract | RateLimiterStoreAbstract;
  private readonly loginPerIp: RateLimiterAbstract | RateLimiterStoreAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    const make = (keyPrefix: string, points: number) =>
      redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `ehrms:rl:${keyPrefix}`,
            points,
            duration: 60,
          })
        : new RateLimiterMemory({ keyPrefix, points, duration: 60 });
    this.perUser = make('user', config.RATE_LIMIT_PER_USER_PER_MINUTE);
    this.loginPerIp = make('login-ip', config.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE);
  }

  consumeUser(userId: string): Promise<void> {
    return consume(this.perUser, userId);
  }

  consumeLoginAttempt(ip: string): Promise<void> {
    return consume(this.loginPerIp, ip);
  }
}

async function consume(limiter: RateLimiterAbstract | RateLimiterStoreAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (res instanceof RateLimiterRes)
      throw Problems.rateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
    throw res;
  }
}
