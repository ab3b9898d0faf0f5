import { hash, parseOptions, verify, type Options } from '@node-rs/argon2';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 passes, 1 lane. */
const STANDARD: Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** Tests only: hashes thousands of times faster; refused outside NODE_ENV=test. */
const LOW: Options = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
/** `Algorithm.Argon2id` (a const enum the isolated-modules build cannot import). */
const ARGON2ID = 2;

/**
 * argon2id hashing for passwords and client secrets. Verifying an unknown account still spends
 * one hash, so a wrong email takes as long as a wrong password.
 */
@Injectable()
export class PasswordHasher {
  private readonly options: Options;
  private dummy: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const cost = config.PASSWORD_HASH_COST ?? (config.NODE_ENV === 'test' ? 'low' : 'standard');
    if (cost === 'low' && config.NODE_ENV !== 'test') {
      throw new Error('Configuration error: PASSWORD_HASH_COST: "low" is allowed only when NODE_ENV=test');
    }
    this.options = { ...(cost === 'low' ? LOW : STANDARD), algorithm: ARGON2ID as Options['algorithm'] };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** Burns the time of one verification, for callers with no account to check against. */
  async verifyNothing(password: string): Promise<void> {
    this.dummy ??= this.hash('not-a-real-password-but-the-same-cost');
    await this.verify(await this.dummy, password);
  }

  /** True when the hash was made with other parameters than today's and should be redone. */
  needsRehash(passwordHash: string): boolean {
    try {
      const p = parseOptions(passwordHash);
      return (
        p.memoryCost !== this.options.memoryCost ||
        p.timeCost !== this.options.timeCost ||
        p.parallelism !== this.options.parallelism ||
        p.algorithm !== this.options.algorithm
      );
    } catch {
      return true;
    }
  }
}
