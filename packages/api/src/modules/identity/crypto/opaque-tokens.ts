import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer secrets handed to clients (refresh tokens, MFA challenges, reset links, client
 * secrets): 32 random bytes, base64url. Only their SHA-256 is stored; 256 bits of entropy need
 * no slow hash.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A recovery code a person can type: `XXXXX-XXXXX`, 50 bits, no look-alike characters. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => BASE32[b % 32] ?? 'A').join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
