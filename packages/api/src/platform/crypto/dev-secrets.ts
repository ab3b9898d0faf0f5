import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import type { AppConfig } from '../config/config.js';

type DevSecrets = {
  JWT_SIGNING_KEYS: string;
  FIELD_ENCRYPTION_KEYS: string;
  BLIND_INDEX_KEY: string;
};

/**
 * Outside production, missing keys are generated once and kept in DATA_DIR/secrets.json (mode
 * 0600) so a restart can still read what it encrypted. Production must supply them (the config
 * loader refuses to start otherwise). `persist: false` keeps them in memory (tests).
 */
export async function withDevSecrets(config: AppConfig, persist = true): Promise<AppConfig> {
  // Production supplies its own keys (the loader insists); nothing is generated or written there.
  if (config.NODE_ENV === 'production') return config;
  if (config.JWT_SIGNING_KEYS && config.FIELD_ENCRYPTION_KEYS && config.BLIND_INDEX_KEY) return config;
  const file = join(config.DATA_DIR, 'secrets.json');
  let secrets: DevSecrets;
  if (persist && existsSync(file)) {
    secrets = JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  } else {
    secrets = await generateSecrets();
    if (persist) {
      mkdirSync(config.DATA_DIR, { recursive: true });
      writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    }
  }
  return {
    ...config,
    JWT_SIGNING_KEYS: config.JWT_SIGNING_KEYS ?? secrets.JWT_SIGNING_KEYS,
    FIELD_ENCRYPTION_KEYS: config.FIELD_ENCRYPTION_KEYS ?? secrets.FIELD_ENCRYPTION_KEYS,
    BLIND_INDEX_KEY: config.BLIND_INDEX_KEY ?? secrets.BLIND_INDEX_KEY,
  };
}

export async function generateSecrets(): Promise<DevSecrets> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pem = await exportPKCS8(privateKey);
  const kid = `k${Date.now().toString(36)}`;
  return {
    JWT_SIGNING_KEYS: `${kid}:${Buffer.from(pem).toString('base64')}`,
    FIELD_ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
}
