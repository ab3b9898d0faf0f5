import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';

/** The one line start-up would print for this environment (or null when it starts). */
function refusal(env: Record<string, string>): string | null {
  try {
    loadConfig(env);
    return null;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
}

const productionKeys = {
  DATABASE_URL: 'postgres://ehrms@db.internal:5432/ehrms',
  JWT_SIGNING_KEYS: 'k1:LS0tLS1CRUdJTg==',
  FIELD_ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
  BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
};

describe('configuration', () => {
  it('starts with no settings at all, on the single-process defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      AMQP_URL: undefined,
      AMQP_NAMESPACE: 'ehrms',
      REDIS_KEY_PREFIX: 'ehrms:',
      OUTBOX_MAX_ATTEMPTS: 8,
      SEED_DEMO_DATA: true,
    });
    expect(config.EHRMS_SERVICES).toContain('identity');
  });

  it('reads the distributed settings', () => {
    const config = loadConfig({
      PORT: '3002',
      EHRMS_SERVICES: 'identity, audit',
      DATABASE_URL: 'postgresql://u@h/db',
      REDIS_URL: 'rediss://cache:6380',
      AMQP_URL: 'amqps://mq.internal',
      SEED_DEMO_DATA: 'false',
      OUTBOX_RETRY_BASE_MS: '250',
    });
    expect(config).toMatchObject({
      PORT: 3002,
      EHRMS_SERVICES: ['identity', 'audit'],
      SEED_DEMO_DATA: false,
      OUTBOX_RETRY_BASE_MS: 250,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', AMQP_URL: ' ' })).toMatchObject({ PORT: 3000, AMQP_URL: undefined });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /must be a whole number between 0 and 65535/],
    [{ PORT: '70000' }, 'PORT', /must be a whole number between 0 and 65535/],
    [{ PORT: '-1' }, 'PORT', /whole number/],
    [
      { DATABASE_URL: 'mysql://root@localhost/ehrms' },
      'DATABASE_URL',
      /must be a postgres:\/\/ or postgresql:\/\/ URL/,
    ],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL', /redis:\/\//],
    [{ AMQP_URL: 'http://mq' }, 'AMQP_URL', /amqp:\/\//],
    [{ EHRMS_SERVICES: 'foo' }, 'EHRMS_SERVICES', /unknown service "foo" \(known: all, identity, /],
    [{ EHRMS_SERVICES: 'identity,biling' }, 'EHRMS_SERVICES', /unknown service "biling"/],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV', /production/],
    [{ SEED_DEMO_DATA: 'yes' }, 'SEED_DEMO_DATA', /must be true or false/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /info/],
    [{ OUTBOX_MAX_ATTEMPTS: '0' }, 'OUTBOX_MAX_ATTEMPTS', /between 1 and 100/],
    [{ PUBLIC_URL: 'ehrms.example.org' }, 'PUBLIC_URL', /absolute URL/],
  ])('refuses %o with one line naming the variable', (env, name, problem) => {
    const line = refusal(env);
    expect(line).toMatch(new RegExp(`^Configuration error: ${name}: `));
    expect(line).toMatch(problem);
    expect(line).not.toContain('\n');
  });

  it('names the first bad variable and counts the rest, still on one line', () => {
    const line = refusal({ PORT: 'abc', DATABASE_URL: 'mysql://x', EHRMS_SERVICES: 'foo' });
    expect(line).toMatch(/^Configuration error: PORT: .*\(and 2 more: EHRMS_SERVICES, DATABASE_URL\)$/);
  });

  it('does not echo a bad value that might be a secret', () => {
    const line = refusal({ DATABASE_URL: 'mysql://admin:hunter2-secret@db/ehrms' });
    expect(line).not.toContain('hunter2');
  });

  it('refuses production without its keys, naming the first missing one and listing the others', () => {
    expect(refusal({ NODE_ENV: 'production' })).toBe(
      'Configuration error: DATABASE_URL: required in production (also missing: JWT_SIGNING_KEYS, FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY)',
    );
    expect(refusal({ NODE_ENV: 'production', ...productionKeys, BLIND_INDEX_KEY: '' })).toBe(
      'Configuration error: BLIND_INDEX_KEY: required in production',
    );
    expect(refusal({ NODE_ENV: 'production', ...productionKeys })).toBeNull();
  });

  it('lets a production service without identity verify with JWKS_URL instead of holding the private key', () => {
    const jwks = { JWKS_URL: 'http://identity:3001/.well-known/jwks.json' };
    expect(
      refusal({
        NODE_ENV: 'production',
        ...productionKeys,
        JWT_SIGNING_KEYS: '',
        EHRMS_SERVICES: 'clients',
        ...jwks,
      }),
    ).toBeNull();
    // identity signs, so it still needs the key
    expect(
      refusal({
        NODE_ENV: 'production',
        ...productionKeys,
        JWT_SIGNING_KEYS: '',
        EHRMS_SERVICES: 'identity',
        ...jwks,
      }),
    ).toBe('Configuration error: JWT_SIGNING_KEYS: required in production');
  });

  it('loads demo data by default everywhere but production', () => {
    expect(loadConfig({}).SEED_DEMO_DATA).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ...productionKeys }).SEED_DEMO_DATA).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', ...productionKeys, SEED_DEMO_DATA: 'true' }).SEED_DEMO_DATA,
    ).toBe(true);
  });
});
