import { z } from 'zod';
import { parseBlindIndexKey, parseKeyRing } from '../crypto/field-keys.js';
import { ConfigError } from './config-error.js';

export { ConfigError } from './config-error.js';

/**
 * The one configuration loader. Every setting the server reads comes from here, parsed once at
 * start-up; a bad or missing value stops the process with one line naming the variable (and
 * never echoing its value, which may be a secret).
 */
const bool = z
  .enum(['true', 'false', '1', '0'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1');

/** A whole number in [min, max], given as decimal digits. */
function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
  const message = `must be a whole number ${range}`;
  return z
    .string()
    .regex(/^\s*\d{1,15}\s*$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
}

const duration = integer(1);

/** AGENCY_TIME_ZONE when it is not set. */
export const DEFAULT_AGENCY_TIME_ZONE = 'America/Chicago';

/** An IANA time zone name the runtime knows, such as America/Chicago (not an offset). */
const timeZone = z.string().refine((zone) => {
  if (zone !== 'UTC' && !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/Chicago');

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, `must be one of ${values.join(', ')}`);
}

export const SERVICE_NAMES = [
  'identity',
  'clients',
  'cases',
  'scheduling',
  'billing',
  'providers',
  'documents',
  'reporting',
  'integration',
  'notifications',
  'audit',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const envSchema = z.object({
  NODE_ENV: oneOf(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: integer(0, 65535).default(3000),
  PUBLIC_URL: z.url('must be an absolute URL such as https://ehrms.example.org').optional(),
  EHRMS_SERVICES: z
    .string()
    .default('all')
    .transform((v, ctx) => {
      if (v === 'all') return [...SERVICE_NAMES];
      const names = v.split(',').map((s) => s.trim());
      for (const n of names) {
        if (!(SERVICE_NAMES as readonly string[]).includes(n)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown service "${n.slice(0, 40)}" (known: all, ${SERVICE_NAMES.join(', ')})`,
          });
        }
      }
      return names as ServiceName[];
    }),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/./, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: integer(1, 1000).default(20),
  /** Named prepared statements (planned once per connection); turn off behind a transaction pooler that cannot keep them. */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/./, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Prefix of every Redis key this process writes, so several deployments (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -')
    .default('ehrms:'),
  AMQP_URL: z
    .string()
    .regex(/^amqps?:\/\/./, 'must be an amqp:// or amqps:// URL')
    .optional(),
  /** Names on the broker: exchange `<ns>.events`, queues `<ns>.<consumer>`. */
  AMQP_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, _ or -')
    .default('ehrms'),
  /** When set, the broker deletes consumer queues left unused this long (preview and test environments). */
  AMQP_QUEUE_EXPIRES_SECONDS: integer(1).optional(),
  /** Where file bytes (documents) live: `local` (files under DATA_DIR/blobs) or `s3` (an S3-compatible bucket). */
  BLOB_STORE: oneOf(['local', 's3']).default('local'),
  /** An S3-compatible service (MinIO, Ceph, ...); unset means AWS S3 in S3_REGION. */
  S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://minio.example.org:9000' })
    .optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, 'must be a region name such as us-east-1')
    .default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name: 3-63 lowercase letters, digits, . or -',
    )
    .optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Address the bucket as endpoint/bucket rather than bucket.endpoint (MinIO and most self-hosted stores). */
  S3_FORCE_PATH_STYLE: bool.default(false),
  /** Largest document file accepted, in bytes (default 25 MiB); one byte more is refused with 413. */
  DOCUMENT_MAX_BYTES: integer(1, 1024 * 1024 * 1024).default(25 * 1024 * 1024),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Load the demo agency on first start; defaults to true except in production. */
  SEED_DEMO_DATA: bool.optional(),
  WEB_DIST_DIR: z.string().optional(),
  BODY_LIMIT_BYTES: integer(1).default(1_048_576),
  /** How long /health/ready waits for each dependency before calling it down. */
  HEALTH_CHECK_TIMEOUT_MS: integer(1, 60_000).default(2000),

  ACCESS_TOKEN_TTL_SECONDS: duration.default(900),
  REFRESH_TOKEN_TTL_SECONDS: duration.default(60 * 60 * 12),
  LOGIN_LOCKOUT_THRESHOLD: integer(1).default(5),
  LOGIN_LOCKOUT_WINDOW_SECONDS: duration.default(15 * 60),
  PASSWORD_RESET_TTL_SECONDS: duration.default(30 * 60),
  /** argon2id cost: `standard` (OWASP: 19 MiB, 2 passes) by default, `low` under NODE_ENV=test; `low` is refused elsewhere. */
  PASSWORD_HASH_COST: z.enum(['standard', 'low']).optional(),
  RATE_LIMIT_PER_USER_PER_MINUTE: integer(1).default(1200),
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: integer(1).default(20),
  /** Comma-separated `kid:base64-PKCS8-PEM`; the last is used for signing. Generated into DATA_DIR when absent outside production. */
  JWT_SIGNING_KEYS: z.string().optional(),
  /**
   * Identity's published key set (e.g. http://identity:3001/.well-known/jwks.json). A process that
   * does not run identity then verifies tokens with it and needs no JWT_SIGNING_KEYS.
   */
  JWKS_URL: z.url().optional(),
  /** Comma-separated `version:base64-32-bytes`; the last encrypts, all decrypt. */
  FIELD_ENCRYPTION_KEYS: z.string().optional(),
  BLIND_INDEX_KEY: z.string().optional(),
  AUDIT_MAX_BATCH: integer(1).default(500),
  /** Deliveries of one event to a consumer before it goes to platform.dead_letters. */
  OUTBOX_MAX_ATTEMPTS: integer(1, 100).default(8),
  OUTBOX_POLL_MS: integer(1).default(500),
  /** First retry delay; each further attempt doubles it (capped at 10 minutes). */
  OUTBOX_RETRY_BASE_MS: integer(1).default(500),
  /** How long a break-the-glass grant lets its user read a client outside their scope. */
  BREAK_GLASS_MINUTES: integer(1, 24 * 60).default(60),
  /** How long after a merge of two client records it may still be undone. */
  CLIENT_UNMERGE_WINDOW_DAYS: integer(1, 3650).default(30),
  /** A case note signed more than this many hours after the contact it documents is marked a late entry. */
  CASE_NOTE_LATE_ENTRY_HOURS: integer(1, 24 * 90).default(24),
  /** The agency's zone: instants are stored in UTC; working hours and every "today" and day are read in it. */
  AGENCY_TIME_ZONE: timeZone.default(DEFAULT_AGENCY_TIME_ZONE),
  /** How long a bed hold lasts when the request names no duration. */
  BED_HOLD_DEFAULT_MINUTES: integer(1, 3 * 24 * 60).default(120),
  /** How often the scheduling service ends bed holds whose time is up (reads treat them as ended anyway). */
  BED_HOLD_EXPIRY_INTERVAL_SECONDS: integer(1, 3600).default(60),
  /** How long a freed appointment slot is offered to a waitlisted client before it goes to the next. */
  WAITLIST_OFFER_MINUTES: integer(1, 7 * 24 * 60).default(120),
  /** How often the scheduling service ends waitlist offers whose time is up and offers the slot on. */
  WAITLIST_EXPIRY_INTERVAL_SECONDS: integer(1, 3600).default(60),
  /** How often the scheduling service publishes appointment reminders that have come due. */
  REMINDER_INTERVAL_SECONDS: integer(1, 3600).default(60),
});

export type AppConfig = Omit<z.output<typeof envSchema>, 'SEED_DEMO_DATA'> & { SEED_DEMO_DATA: boolean };

/** Every environment variable the server reads (the deployment manifests are checked against it). */
export const CONFIG_KEYS = Object.keys(envSchema.shape) as readonly (keyof typeof envSchema.shape)[];

const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'JWT_SIGNING_KEYS',
  'FIELD_ENCRYPTION_KEYS',
  'BLIND_INDEX_KEY',
] as const;

/** Parses the environment; throws ConfigError whose message is the one line to print. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k]?.trim() === '' ? undefined : env[k]]),
  );
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const name = first?.path.map(String).join('.') || 'environment';
    const more =
      rest.length > 0 ? ` (and ${rest.length} more: ${rest.map((i) => i.path.join('.')).join(', ')})` : '';
    throw new ConfigError(name, `${first?.message ?? 'invalid'}${more}`);
  }
  const config: AppConfig = {
    ...parsed.data,
    SEED_DEMO_DATA: parsed.data.SEED_DEMO_DATA ?? parsed.data.NODE_ENV !== 'production',
  };
  if (config.NODE_ENV === 'production') {
    const remoteKeys = !!config.JWKS_URL && !config.EHRMS_SERVICES.includes('identity');
    const missing = REQUIRED_IN_PRODUCTION.filter(
      (name) => !config[name] && !(name === 'JWT_SIGNING_KEYS' && remoteKeys),
    );
    const [first, ...others] = missing;
    if (first) {
      const also = others.length > 0 ? ` (also missing: ${others.join(', ')})` : '';
      throw new ConfigError(first, `required in production${also}`);
    }
  }
  if (config.BLOB_STORE === 's3') checkS3Settings(config);
  if (config.FIELD_ENCRYPTION_KEYS) parseKeyRing(config.FIELD_ENCRYPTION_KEYS);
  if (config.BLIND_INDEX_KEY) parseBlindIndexKey(config.BLIND_INDEX_KEY);
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** BLOB_STORE=s3 needs a bucket, and keys in pairs; production needs the keys themselves. */
function checkS3Settings(config: AppConfig): void {
  if (!config.S3_BUCKET) throw new ConfigError('S3_BUCKET', 'required when BLOB_STORE=s3');
  const id = !!config.S3_ACCESS_KEY_ID;
  const secret = !!config.S3_SECRET_ACCESS_KEY;
  if (id && !secret) throw new ConfigError('S3_SECRET_ACCESS_KEY', 'required with S3_ACCESS_KEY_ID');
  if (secret && !id) throw new ConfigError('S3_ACCESS_KEY_ID', 'required with S3_SECRET_ACCESS_KEY');
  if (!id && config.NODE_ENV === 'production') {
    throw new ConfigError(
      'S3_ACCESS_KEY_ID',
      'required in production when BLOB_STORE=s3 (also missing: S3_SECRET_ACCESS_KEY)',
    );
  }
}
