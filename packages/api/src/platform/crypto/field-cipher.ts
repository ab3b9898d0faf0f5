import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * AES-256-GCM for PHI fields with a versioned key ring: the newest key encrypts, every key in the
 * ring decrypts, so rotation is adding a key and re-encrypting at leisure. Ciphertext looks like
 * `v2.<iv>.<ciphertext+tag>` (base64url). The blind index is an HMAC of the normalised value for
 * exact-match search without storing the value.
 */
@Injectable()
export class FieldCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly current: string;
  private readonly currentKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const ring = parseKeyRing(config.FIELD_ENCRYPTION_KEYS ?? '');
    if (ring.size === 0) throw new Error('Configuration error: FIELD_ENCRYPTION_KEYS: no keys');
    this.keys = ring;
    const [current, currentKey] = [...ring.entries()][ring.size - 1] ?? [];
    if (!current || !currentKey) throw new Error('Configuration error: FIELD_ENCRYPTION_KEYS: no keys');
    this.current = current;
    this.currentKey = currentKey;
    const index = Buffer.from(config.BLIND_INDEX_KEY ?? '', 'base64');
    if (index.length < 32)
      throw new Error('Configuration error: BLIND_INDEX_KEY: needs at least 32 bytes (base64)');
    this.indexKey = index;
  }

  encrypt(plaintext: string): string {
    const key = this.currentKey;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(this.current));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${this.current}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(ciphertext: string): string {
    const [version, ivText, bodyText] = ciphertext.split('.');
    const key = version ? this.keys.get(version) : undefined;
    if (!version || !key || !ivText || !bodyText)
      throw new Error('ciphertext has an unknown key version or bad shape');
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(version));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      'utf8',
    );
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

export function parseKeyRing(text: string): Map<string, Buffer> {
  const ring = new Map<string, Buffer>();
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = part.indexOf(':');
    const version = part.slice(0, at);
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (at <= 0 || !/^v\d+$/.test(version) || key.length !== 32) {
      throw new Error(
        `Configuration error: FIELD_ENCRYPTION_KEYS: entry "${version || '?'}" must be vN:<32 bytes base64>`,
      );
    }
    ring.set(version, key);
  }
  return ring;
}
