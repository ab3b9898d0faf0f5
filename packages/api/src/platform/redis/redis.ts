import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export const REDIS = Symbol('REDIS');

export interface OpenRedisOptions {
  /** Prefix of every key (REDIS_KEY_PREFIX); pub/sub channel names are not prefixed. */
  keyPrefix?: string;
  logger?: Logger;
}

/**
 * A Redis connection when REDIS_URL is set; null means in-memory fallbacks are used. Commands
 * fail fast while Redis is unreachable (two reconnect attempts) instead of queueing forever, so
 * callers can fall back and /health/ready can say so; the client keeps reconnecting meanwhile.
 */
export function openRedis(url: string | undefined, options: OpenRedisOptions = {}): Redis | null {
  if (!url) return null;
  const redis = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5000,
    keyPrefix: options.keyPrefix ?? '',
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), 5000),
  });
  let lastLogged = 0;
  // Without a listener ioredis prints every failed reconnect; log at most one line a minute.
  redis.on('error', (err: Error) => {
    if (Date.now() - lastLogged < 60_000) return;
    lastLogged = Date.now();
    options.logger?.warn({ error: err.message }, 'redis unavailable');
  });
  return redis;
}
