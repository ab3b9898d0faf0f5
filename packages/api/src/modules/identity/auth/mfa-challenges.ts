import { Injectable } from '@nestjs/common';
import { newOpaqueToken, tokenHash } from '../crypto/opaque-tokens.js';
import { IdentityProblems } from '../identity.problems.js';
import { CredentialsRepository, type MfaChallengeRow } from '../repositories/credentials.repository.js';

/** How long the second sign-in step may take after the password was accepted. */
export const MFA_CHALLENGE_TTL_SECONDS = 300;

export interface MfaStepBody {
  status: 'mfa_required' | 'mfa_enrollment_required';
  mfaToken: string;
  expiresIn: number;
}

/**
 * The proof that a password was accepted, held between the two sign-in steps. Opaque, stored
 * hashed, single use, five minutes.
 */
@Injectable()
export class MfaChallenges {
  constructor(private readonly credentials: CredentialsRepository) {}

  async open(userId: string, purpose: 'verify' | 'enroll'): Promise<MfaStepBody> {
    const mfaToken = newOpaqueToken();
    await this.credentials.createChallenge({
      token_hash: tokenHash(mfaToken),
      user_id: userId,
      purpose,
      expires_at: new Date(Date.now() + MFA_CHALLENGE_TTL_SECONDS * 1000),
    });
    return {
      status: purpose === 'verify' ? 'mfa_required' : 'mfa_enrollment_required',
      mfaToken,
      expiresIn: MFA_CHALLENGE_TTL_SECONDS,
    };
  }

  /** The open challenge for this token and purpose, or 401. */
  async find(mfaToken: string, purpose: 'verify' | 'enroll'): Promise<MfaChallengeRow> {
    const challenge = await this.credentials.findOpenChallenge(tokenHash(mfaToken));
    if (!challenge || challenge.purpose !== purpose) throw IdentityProblems.mfaChallengeInvalid();
    return challenge;
  }

  setPendingSecret(challenge: MfaChallengeRow, ciphertext: string): Promise<void> {
    return this.credentials.setChallengeSecret(challenge.token_hash, ciphertext);
  }

  /** Spends the challenge; 401 when a concurrent request already did. */
  async consume(challenge: MfaChallengeRow): Promise<void> {
    if (!(await this.credentials.consumeChallenge(challenge.token_hash))) {
      throw IdentityProblems.mfaChallengeInvalid();
    }
  }
}
