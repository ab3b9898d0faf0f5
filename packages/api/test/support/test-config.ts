import { randomBytes } from 'node:crypto';
import { loadConfig, type AppConfig } from '../../src/platform/config/config.js';

/**
 * Config for tests: quiet logs, no demo banner; DATABASE_URL, REDIS_URL and AMQP_URL (if any)
 * come from the environment. Each app gets its own Redis key prefix and RabbitMQ namespace, so
 * test files running side by side on one Redis and one broker do not see each other's rate
 * limits or events (each has its own database); unused test queues expire on their own.
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const run = randomBytes(4).toString('hex');
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: '.test-tmp/data',
    OUTBOX_POLL_MS: '50',
    REDIS_KEY_PREFIX: `ehrms-test:${run}:`,
    AMQP_NAMESPACE: `ehrms-test-${run}`,
    AMQP_QUEUE_EXPIRES_SECONDS: '300',
    ...pick(process.env, ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL']),
    ...overrides,
  });
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = env[n];
    if (v) out[n] = v;
  }
  return out;
}
