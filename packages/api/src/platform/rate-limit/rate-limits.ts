import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Problems } from '../errors/problem.js';
import { REDIS } from '../redis/redis.js';

/**
 * Two limits: a generous per-user limit on every authenticated call, and a strict per-IP limit
 * on login and other credential endpoints. In memory by default; in Redis when REDIS_URL is set,
 * so the limit holds across processes (keys under REDIS_KEY_PREFIX). While Redis is unreachable
 * each process falls back to its own in-memory limit rather than refusing everyone.
 */
@Injectable()
export class RateLimits {
  private readonly perUser: RateLimiterAbstract;
  private readonly loginPerIp: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis | null) {
    const make = (keyPrefix: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration: 60 });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `rl:${keyPrefix}`,
        points,
        duration: 60,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.perUser = make('user', config.RATE_LIMIT_PER_USER_PER_MINUTE);
    this.loginPerIp = make('login-ip', config.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE);
  }

  /** Counts one authenticated call; throws a 429 problem with Retry-After past the limit. */
  consumeUser(userId: string): Promise<void> {
    return consume(this.perUser, userId);
  }

  /** Counts one login (or other credential) attempt from an IP; throws 429 past the limit. */
  consumeLoginAttempt(ip: string): Promise<void> {
    return consume(this.loginPerIp, ip);
  }
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (res instanceof RateLimiterRes)
      throw Problems.rateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
    throw res;
  }
}
