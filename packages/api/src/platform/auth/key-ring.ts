import { createPublicKey, type KeyObject, type webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  importPKCS8,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { JwtKeySource } from './access-tokens.js';

/**
 * The ES256 keys from JWT_SIGNING_KEYS (`kid:base64-PEM`, comma-separated). The last signs; all
 * verify and are published at /.well-known/jwks.json, so a rotated-out key keeps verifying the
 * tokens it signed until they expire. A process that does not run the identity module and has
 * JWKS_URL set verifies against identity's published key set instead and can sign nothing.
 */
@Injectable()
export class JwtKeyRing implements JwtKeySource, OnModuleInit {
  private signing: { kid: string; key: CryptoKey | KeyObject } | null = null;
  private jwks: JSONWebKeySet = { keys: [] };
  private localSet: JWTVerifyGetKey | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    if (verifiesRemotely(this.config)) {
      // A service without identity holds no private key: it trusts identity's published keys.
      this.localSet = createRemoteJWKSet(new URL(this.config.JWKS_URL ?? ''), { cooldownDuration: 30_000 });
      return;
    }
    const entries = (this.config.JWT_SIGNING_KEYS ?? '').split(',').filter(Boolean);
    if (entries.length === 0) throw new Error('Configuration error: JWT_SIGNING_KEYS: no keys');
    const keys: JWK[] = [];
    for (const entry of entries) {
      const at = entry.indexOf(':');
      const kid = entry.slice(0, at);
      const pem = Buffer.from(entry.slice(at + 1), 'base64').toString('utf8');
      if (at <= 0 || !pem.includes('PRIVATE KEY')) {
        throw new Error(
          `Configuration error: JWT_SIGNING_KEYS: entry "${kid || '?'}" must be kid:<base64 PKCS8 PEM>`,
        );
      }
      const privateKey = await importPKCS8(pem, 'ES256', { extractable: true });
      const jwk = await exportJWK(createPublicKey(pem));
      keys.push({ ...jwk, kid, alg: 'ES256', use: 'sig' });
      this.signing = { kid, key: privateKey };
    }
    this.jwks = { keys };
    this.localSet = createLocalJWKSet(this.jwks);
  }

  readonly getKey: JWTVerifyGetKey = (header, token) => {
    if (!this.localSet) throw new Error('key ring not initialised');
    return this.localSet(header, token);
  };

  signingKey(): { kid: string; key: CryptoKey | KeyObject } {
    if (!this.signing)
      throw new Error('this process holds no signing key (JWKS_URL mode) or is not initialised');
    return this.signing;
  }

  publicJwks(): JSONWebKeySet {
    return this.jwks;
  }
}

/** True when tokens are verified against identity's JWKS instead of local keys. */
export function verifiesRemotely(config: AppConfig): boolean {
  return !!config.JWKS_URL && !config.EHRMS_SERVICES.includes('identity');
}
