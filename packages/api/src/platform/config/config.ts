import { z } from 'zod';

/**
 * The one configuration loader. Every setting the server reads comes from here, parsed once at
 * start-up; a bad or missing value stops the process with one line naming the variable.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const duration = z.coerce.number().int().positive();

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
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  EHRMS_SERVICES: z
    .string()
    .default('all')
    .transform((v, ctx) => {
      if (v === 'all') return [...SERVICE_NAMES];
      const names = v.split(',').map((s) => s.trim());
      for (const n of names) {
        if (!(SERVICE_NAMES as readonly string[]).includes(n)) {
          ctx.addIssue({ code: 'custom', message: `unknown service "${n}"` });
        }
      }
      return names as ServiceName[];
    }),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(20),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  AMQP_URL: z
    .string()
    .regex(/^amqps?:\/\//, 'must be an amqp:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO_DATA: bool.default(true),
  WEB_DIST_DIR: z.string().optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),

  ACCESS_TOKEN_TTL_SECONDS: duration.default(900),
  REFRESH_TOKEN_TTL_SECONDS: duration.default(60 * 60 * 12),
  LOGIN_LOCKOUT_THRESHOLD: z.coerce.number().int().positive().default(5),
  LOGIN_LOCKOUT_WINDOW_SECONDS: duration.default(15 * 60),
  PASSWORD_RESET_TTL_SECONDS: duration.default(30 * 60),
  RATE_LIMIT_PER_USER_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Comma-separated `kid:base64-PKCS8-PEM`; the last is used for signing. Generated into DATA_DIR when absent outside production. */
  JWT_SIGNING_KEYS: z.string().optional(),
  /** Comma-separated `version:base64-32-bytes`; the last encrypts, all decrypt. */
  FIELD_ENCRYPTION_KEYS: z.string().optional(),
  BLIND_INDEX_KEY: z.string().optional(),
  AUDIT_MAX_BATCH: z.coerce.number().int().positive().default(500),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(500),
});

export type AppConfig = z.output<typeof envSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Configuration error: ${name}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production') {
    for (const name of [
      'DATABASE_URL',
      'JWT_SIGNING_KEYS',
      'FIELD_ENCRYPTION_KEYS',
      'BLIND_INDEX_KEY',
    ] as const) {
      if (!config[name]) throw new ConfigError(`Configuration error: ${name}: required in production`);
    }
  }
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
