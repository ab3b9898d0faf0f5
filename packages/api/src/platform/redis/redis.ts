import { Redis } from 'ioredis';

export const REDIS = Symbol('REDIS');

/** A Redis connection when REDIS_URL is set; null means in-memory fallbacks are used. */
export function openRedis(url: string | undefined): Redis | null {
  if (!url) return null;
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
}
