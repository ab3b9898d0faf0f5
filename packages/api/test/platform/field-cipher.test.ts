import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type AppConfig } from '../../src/platform/config/config.js';
import { FieldCipher, FieldDecryptionError } from '../../src/platform/crypto/field-cipher.js';

const key = () => randomBytes(32).toString('base64');
const V1 = `v1:${key()}`;
const V2 = `v2:${key()}`;
const INDEX_KEY = key();

function cipher(keys: string, indexKey = INDEX_KEY): FieldCipher {
  return new FieldCipher({ FIELD_ENCRYPTION_KEYS: keys, BLIND_INDEX_KEY: indexKey } as AppConfig);
}

describe('field encryption for PHI identifiers', () => {
  it('round-trips a value, and never produces the same ciphertext twice', () => {
    const c = cipher(V1);
    const ssn = '123-45-6789';
    const first = c.encrypt(ssn);
    const second = c.encrypt(ssn);
    expect(first).not.toContain(ssn);
    expect(first).not.toEqual(second);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(c.decrypt(first)).toBe(ssn);
    expect(c.decrypt(second)).toBe(ssn);
    expect(c.decrypt(c.encrypt('Medicaid Ω 9988'))).toBe('Medicaid Ω 9988');
    expect(c.decrypt(c.encrypt(''))).toBe('');
  });

  it('detects a ciphertext that was altered, truncated or relabelled', () => {
    const c = cipher(`${V1},${V2}`);
    const sealed = c.encrypt('123-45-6789');
    const [version, iv, body] = sealed.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    const flipped = `${version}.${iv}.${bytes.toString('base64url')}`;
    expect(() => c.decrypt(flipped)).toThrow(FieldDecryptionError);
    expect(() => c.decrypt(flipped)).toThrow(/authentication failed/);
    expect(() => c.decrypt(`${version}.${iv}.${body.slice(0, -4)}`)).toThrow(FieldDecryptionError);
    // The key version is authenticated too: claiming v1 for a v2 ciphertext fails.
    expect(() => c.decrypt(`v1.${iv}.${body}`)).toThrow(FieldDecryptionError);
    expect(() => c.decrypt('not a ciphertext')).toThrow(/bad shape/);
    expect(() => c.decrypt(`v9.${iv}.${body}`)).toThrow(/unknown key version v9/);
  });

  it('rotates keys: old ciphertext still opens, new values use the newest key, old ones are flagged', () => {
    const before = cipher(V1);
    const old = before.encrypt('MA-0001');
    expect(before.needsRotation(old)).toBe(false);

    const after = cipher(`${V1},${V2}`);
    expect(after.currentVersion).toBe('v2');
    expect(after.decrypt(old)).toBe('MA-0001');
    expect(after.needsRotation(old)).toBe(true);
    const fresh = after.encrypt('MA-0001');
    expect(fresh.startsWith('v2.')).toBe(true);
    expect(after.needsRotation(fresh)).toBe(false);
    // Re-encrypting at leisure: what needsRotation flags becomes a v2 ciphertext of the same value.
    const rotated = after.encrypt(after.decrypt(old));
    expect(after.decrypt(rotated)).toBe('MA-0001');

    // A process that only knows v1 cannot read v2 ciphertext.
    expect(() => before.decrypt(fresh)).toThrow(/unknown key version v2/);
  });

  it('gives a blind index that is stable for the same normalised value and differs across keys', () => {
    const c = cipher(V1);
    const same = c.blindIndex('123-45-6789');
    expect(c.blindIndex(' 123 45 6789 ')).toBe(same);
    expect(c.blindIndex('123456789')).toBe(same);
    expect(cipher(`${V1},${V2}`).blindIndex('123-45-6789')).toBe(same); // independent of the encryption keys
    expect(c.blindIndex('123-45-6780')).not.toBe(same);
    expect(cipher(V1, key()).blindIndex('123-45-6789')).not.toBe(same);
    expect(same).not.toContain('6789');
    expect(c.blindIndex('AbC-1', (v) => v)).not.toBe(c.blindIndex('abc1', (v) => v));
  });

  it('refuses bad key configuration with one line naming the variable, never the key', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [
        { FIELD_ENCRYPTION_KEYS: `v1:${randomBytes(16).toString('base64')}` },
        /FIELD_ENCRYPTION_KEYS: key v1 must be exactly 32 bytes/,
      ],
      [{ FIELD_ENCRYPTION_KEYS: key() }, /FIELD_ENCRYPTION_KEYS: entry 1 must look like v1:/],
      [{ FIELD_ENCRYPTION_KEYS: `one:${key()}` }, /FIELD_ENCRYPTION_KEYS: entry 1 must look like v1:/],
      [{ FIELD_ENCRYPTION_KEYS: `${V1},${V1}` }, /FIELD_ENCRYPTION_KEYS: key v1 appears twice/],
      [
        { FIELD_ENCRYPTION_KEYS: `v1:not base64!!` },
        /FIELD_ENCRYPTION_KEYS: key v1 must be exactly 32 bytes/,
      ],
      [{ BLIND_INDEX_KEY: randomBytes(8).toString('base64') }, /BLIND_INDEX_KEY: must be at least 32 bytes/],
    ];
    for (const [env, message] of bad) {
      let thrown: unknown;
      try {
        loadConfig(env);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, JSON.stringify(Object.keys(env))).toBeInstanceOf(ConfigError);
      const text = (thrown as Error).message;
      expect(text).toMatch(message);
      expect(text).toMatch(/^Configuration error: /);
      expect(text).not.toContain('\n');
      for (const value of Object.values(env)) expect(text).not.toContain(value);
    }
    // The cipher itself says the same when built from unchecked settings.
    expect(() => cipher('v1:short')).toThrow(ConfigError);
    expect(() => cipher(V1, 'c2hvcnQ=')).toThrow(/BLIND_INDEX_KEY/);
  });
});
