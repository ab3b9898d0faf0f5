import { ConfigError } from '../config/config-error.js';

/**
 * Parses FIELD_ENCRYPTION_KEYS (`v1:<base64 32 bytes>,v2:…`, oldest first) into a key ring.
 * The config loader calls it at start-up so a bad key stops the process with one clear line.
 */
export function parseKeyRing(text: string): Map<string, Buffer> {
  const ring = new Map<string, Buffer>();
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const [i, part] of entries.entries()) {
    const at = part.indexOf(':');
    const version = at > 0 ? part.slice(0, at) : '';
    if (!/^v\d{1,6}$/.test(version)) {
      throw new ConfigError(
        'FIELD_ENCRYPTION_KEYS',
        `entry ${i + 1} must look like v1:<32 bytes in base64> (key version missing or not vN)`,
      );
    }
    const key = decodeBase64(part.slice(at + 1));
    if (key?.length !== 32) {
      throw new ConfigError(
        'FIELD_ENCRYPTION_KEYS',
        `key ${version} must be exactly 32 bytes in base64 (AES-256)`,
      );
    }
    if (ring.has(version)) throw new ConfigError('FIELD_ENCRYPTION_KEYS', `key ${version} appears twice`);
    ring.set(version, key);
  }
  if (ring.size === 0) throw new ConfigError('FIELD_ENCRYPTION_KEYS', 'no keys given');
  return ring;
}

/** BLIND_INDEX_KEY: at least 32 random bytes in base64. */
export function parseBlindIndexKey(text: string): Buffer {
  const key = decodeBase64(text.trim());
  if (!key || key.length < 32)
    throw new ConfigError('BLIND_INDEX_KEY', 'must be at least 32 bytes in base64');
  return key;
}

function decodeBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  return Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64');
}
