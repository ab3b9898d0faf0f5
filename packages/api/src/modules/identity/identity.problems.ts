import { ProblemError } from '../../platform/errors/problem.js';

/** The refusals specific to identity; clients switch on `type`. */
export const IdentityProblems = {
  invalidCredentials: () =>
    new ProblemError({
      status: 401,
      type: 'invalid-credentials',
      title: 'Invalid email or password',
      detail: 'The email or password is not correct.',
    }),
  accountLocked: (retryAfterSeconds: number) =>
    new ProblemError({
      status: 401,
      type: 'account-locked',
      title: 'Account locked',
      detail: `Too many failed sign-ins. Try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minutes or reset your password.`,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    }),
  mfaChallengeInvalid: () =>
    new ProblemError({
      status: 401,
      type: 'mfa-challenge-invalid',
      title: 'Sign-in step expired',
      detail: 'This sign-in step is no longer valid; sign in again.',
    }),
  invalidMfaCode: () =>
    new ProblemError({
      status: 401,
      type: 'invalid-mfa-code',
      title: 'Invalid code',
      detail: 'The authentication code or recovery code is not correct.',
    }),
  refreshTokenInvalid: () =>
    new ProblemError({
      status: 401,
      type: 'refresh-token-invalid',
      title: 'Refresh token not valid',
      detail: 'The refresh token is unknown, expired or its session has ended; sign in again.',
    }),
  refreshTokenReused: () =>
    new ProblemError({
      status: 401,
      type: 'refresh-token-reused',
      title: 'Refresh token reused',
      detail: 'This refresh token was already used, so the session has been ended for safety; sign in again.',
    }),
  resetTokenInvalid: () =>
    new ProblemError({
      status: 400,
      type: 'reset-token-invalid',
      title: 'Reset link not valid',
      detail: 'The password reset link is unknown, used or expired; request a new one.',
    }),
  mfaRequiredByRole: () =>
    new ProblemError({
      status: 409,
      type: 'mfa-required-by-role',
      title: 'MFA is required',
      detail: 'One of your roles requires multi-factor authentication, so it cannot be turned off.',
    }),
  mfaAlreadyEnabled: () =>
    new ProblemError({
      status: 409,
      type: 'mfa-already-enabled',
      title: 'MFA already enabled',
      detail: 'Turn multi-factor authentication off before enrolling a new authenticator.',
    }),
  mfaNotPending: () =>
    new ProblemError({
      status: 409,
      type: 'mfa-not-pending',
      title: 'No enrolment in progress',
      detail: 'Start enrolment first.',
    }),
  emailTaken: () =>
    new ProblemError({
      status: 409,
      type: 'email-taken',
      title: 'Email already in use',
      detail: 'Another account already uses this email address.',
    }),
  grantTooWide: (role: string) =>
    new ProblemError({
      status: 403,
      type: 'grant-exceeds-own-scope',
      title: 'Role wider than your own access',
      detail: `You cannot grant or manage the role ${role}: it reaches further than your own access.`,
    }),
  cannotDeactivateSelf: () =>
    new ProblemError({
      status: 409,
      type: 'cannot-deactivate-self',
      title: 'Cannot deactivate yourself',
      detail: 'Another administrator must deactivate your account.',
    }),
  invalidClient: () =>
    new ProblemError({
      status: 401,
      type: 'invalid-client',
      title: 'Client authentication failed',
      detail: 'The client id or secret is not correct, or the client is disabled.',
      extensions: { error: 'invalid_client' },
      headers: { 'www-authenticate': 'Basic realm="ehrms"' },
    }),
  invalidGrant: () =>
    new ProblemError({
      status: 400,
      type: 'invalid-grant',
      title: 'Grant not valid',
      detail: 'The refresh token is unknown, used, expired or its session has ended.',
      extensions: { error: 'invalid_grant' },
    }),
};
