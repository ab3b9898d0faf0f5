import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { parseBlindIndexKey, parseKeyRing } from './field-keys.js';

/** A ciphertext that cannot be opened: unknown key version, bad shape, or altered (GCM tag fails). */
export class FieldDecryptionError extends Error {
  constructor(reason: string) {
    super(`encrypted field cannot be decrypted: ${reason}`);
    this.name = 'FieldDecryptionError';
  }
}

/**
 * AES-256-GCM for PHI fields with a versioned key ring: the newest key encrypts, every key in the
 * ring decrypts, so rotation is adding a key and re-encrypting at leisure. Ciphertext looks like
 * `v2.<iv>.<ciphertext+tag>` (base64url); the key version is bound in as associated data, so a
 * ciphertext relabelled with another version fails authentication. The blind index is an HMAC of
 * the normalised value for exact-match search without storing the value.
 */
@Injectable()
export class FieldCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly current: string;
  private readonly currentKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.FIELD_ENCRYPTION_KEYS) throw new ConfigError('FIELD_ENCRYPTION_KEYS', 'no keys given');
    if (!config.BLIND_INDEX_KEY) throw new ConfigError('BLIND_INDEX_KEY', 'not set');
    this.keys = parseKeyRing(config.FIELD_ENCRYPTION_KEYS);
    const newest = [...this.keys.entries()].at(-1);
    if (!newest) throw new ConfigError('FIELD_ENCRYPTION_KEYS', 'no keys given');
    [this.current, this.currentKey] = newest;
    this.indexKey = parseBlindIndexKey(config.BLIND_INDEX_KEY);
  }

  /** The key version new ciphertexts are written with. */
  get currentVersion(): string {
    return this.current;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv);
    cipher.setAAD(Buffer.from(this.current));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${this.current}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(ciphertext: string): string {
    const parts = ciphertext.split('.');
    const [version, ivText, bodyText] = parts;
    if (parts.length !== 3 || !version || !ivText || !bodyText) throw new FieldDecryptionError('bad shape');
    const key = this.keys.get(version);
    if (!key) throw new FieldDecryptionError(`unknown key version ${version.slice(0, 12)}`);
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== 12 || body.length < 16) throw new FieldDecryptionError('bad shape');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(version));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new FieldDecryptionError('authentication failed (altered or wrong key)');
    }
  }

  /** True when the value was encrypted with an older key and should be re-encrypted. */
  needsRotation(ciphertext: string): boolean {
    return !ciphertext.startsWith(`${this.current}.`);
  }

  /** HMAC-SHA256 of the value after `normalise` (default: trim, lowercase, drop spaces and dashes). */
  blindIndex(value: string, normalise: (v: string) => string = defaultNormalise): string {
    return createHmac('sha256', this.indexKey).update(normalise(value)).digest('base64url');
  }
}

function defaultNormalise(v: string): string {
  return v.trim().toLowerCase().replace(/[\s-]/g, '');
}
