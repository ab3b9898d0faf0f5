import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { GenerateSql } from '../../../platform/database/generate-sql.js';
import { IdentityDatabase, type IdentityDb } from '../identity.database.js';
import type { MfaChallengeTable, PasswordResetTokenTable } from '../identity.schema.js';

export type MfaChallengeRow = Selectable<MfaChallengeTable>;
export type PasswordResetRow = Selectable<PasswordResetTokenTable>;

/** Short-lived and one-time secrets: MFA challenges, recovery codes, password reset tokens. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly database: IdentityDatabase) {}

  private get db(): IdentityDb {
    return this.database.db;
  }

  @GenerateSql({
    params: [
      {
        token_hash: 'challenge-hash',
        user_id: '0de70000-0000-4000-8000-00000000c004',
        purpose: 'verify',
        expires_at: new Date('2030-01-01T00:00:00Z'),
      },
    ],
  })
  async createChallenge(challenge: {
    token_hash: string;
    user_id: string;
    purpose: 'verify' | 'enroll';
    expires_at: Date;
  }): Promise<void> {
    await this.db.insertInto('identity.mfa_challenges').values(challenge).execute();
  }

  /** A challenge still open: not consumed, not expired. */
  @GenerateSql({ params: ['challenge-hash'] })
  findOpenChallenge(tokenHash: string): Promise<MfaChallengeRow | undefined> {
    return this.db
      .selectFrom('identity.mfa_challenges')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
  }

  @GenerateSql({ params: ['challenge-hash', 'pending-secret-ciphertext'] })
  async setChallengeSecret(tokenHash: string, pendingSecret: string): Promise<void> {
    await this.db
      .updateTable('identity.mfa_challenges')
      .set({ pending_secret: pendingSecret })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  /** Spends a challenge once; false when another request already did. */
  @GenerateSql({ params: ['challenge-hash'] })
  async consumeChallenge(tokenHash: string, db: IdentityDb = this.db): Promise<boolean> {
    const row = await db
      .updateTable('identity.mfa_challenges')
      .set({ consumed_at: sql<Date>`now()` })
      .where('token_hash', '=', tokenHash)
      .where('consumed_at', 'is', null)
      .returning('token_hash')
      .executeTakeFirst();
    return !!row;
  }

  @GenerateSql({
    params: ['0de70000-0000-4000-8000-00000000c004', ['code-hash-1', 'code-hash-2'], GenerateSql.db],
  })
  async replaceRecoveryCodes(userId: string, codeHashes: readonly string[], db: IdentityDb): Promise<void> {
    await db.deleteFrom('identity.recovery_codes').where('user_id', '=', userId).execute();
    if (codeHashes.length === 0) return;
    await db
      .insertInto('identity.recovery_codes')
      .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
      .execute();
  }

  /** Spends a recovery code once; false when it is unknown or already used. */
  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004', 'code-hash-1'] })
  async useRecoveryCode(userId: string, codeHash: string, db: IdentityDb = this.db): Promise<boolean> {
    const row = await db
      .updateTable('identity.recovery_codes')
      .set({ used_at: sql<Date>`now()` })
      .where('user_id', '=', userId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return !!row;
  }

  @GenerateSql({
    params: [
      {
        token_hash: 'reset-hash',
        user_id: '0de70000-0000-4000-8000-00000000c004',
        expires_at: new Date('2030-01-01T00:00:00Z'),
      },
      GenerateSql.db,
    ],
  })
  async createResetToken(
    token: { token_hash: string; user_id: string; expires_at: Date },
    db: IdentityDb,
  ): Promise<void> {
    await db.insertInto('identity.password_reset_tokens').values(token).execute();
  }

  /** Spends a reset token once, if it is unused and unexpired; returns whose it was. */
  @GenerateSql({ params: ['reset-hash', GenerateSql.db] })
  useResetToken(tokenHash: string, db: IdentityDb): Promise<{ user_id: string } | undefined> {
    return db
      .updateTable('identity.password_reset_tokens')
      .set({ used_at: sql<Date>`now()` })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('user_id')
      .executeTakeFirst();
  }

  /** A new reset link makes the older ones useless. */
  @GenerateSql({ params: ['0de70000-0000-4000-8000-00000000c004', GenerateSql.db] })
  async expireResetTokens(userId: string, db: IdentityDb): Promise<void> {
    await db
      .updateTable('identity.password_reset_tokens')
      .set({ used_at: sql<Date>`now()` })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
  }
}
