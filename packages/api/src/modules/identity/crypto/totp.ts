import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_ISSUER = 'EHRMS';

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

export function newTotpEnrolment(email: string): TotpEnrolment {
  const secret = generateSecret();
  return { secret, otpauthUrl: generateURI({ issuer: TOTP_ISSUER, label: email, secret }) };
}

/**
 * Checks a 6-digit code with one 30-second step of clock drift either way. Returns the time
 * step it matched so the caller can refuse that step (and earlier ones) next time: a code
 * works once.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  afterTimeStep: number | null,
): Promise<{ timeStep: number } | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epochTolerance: 30,
      ...(afterTimeStep !== null ? { afterTimeStep } : {}),
    });
    return result.valid && 'timeStep' in result ? { timeStep: result.timeStep } : null;
  } catch {
    // Malformed secret or a stored step ahead of the clock: treat as a wrong code.
    return null;
  }
}
