import { loadConfig, type AppConfig } from '../../src/platform/config/config.js';

/** Config for tests: quiet logs, no demo banner; DATABASE_URL (if any) comes from the environment. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: '.test-tmp/data',
    OUTBOX_POLL_MS: '50',
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
