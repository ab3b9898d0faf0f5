import { z } from 'zod';
import { NewPassword, UserResponse } from '../users/users.dto.js';

const Email = z.string().trim().min(1).max(320);
const OpaqueToken = z.string().min(20).max(200);
const TotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code.');

export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(1024) });

export const MfaVerifyBody = z.union([
  z.strictObject({ mfaToken: OpaqueToken, code: TotpCode }),
  z.strictObject({ mfaToken: OpaqueToken, recoveryCode: z.string().trim().min(8).max(32) }),
]);
export type MfaVerifyBody = z.output<typeof MfaVerifyBody>;

export const MfaEnrollBody = z.strictObject({ mfaToken: OpaqueToken });
export const MfaEnrollConfirmBody = z.strictObject({ mfaToken: OpaqueToken, code: TotpCode });
export const RefreshBody = z.strictObject({ refreshToken: OpaqueToken });
export const ResetRequestBody = z.strictObject({ email: Email });
export const ResetConfirmBody = z.strictObject({ token: OpaqueToken, newPassword: NewPassword });

export const AuthenticatedResponse = z
  .object({
    status: z.literal('authenticated'),
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    user: UserResponse,
  })
  .meta({ id: 'Authenticated' });

export const MfaStepResponse = z
  .object({
    status: z.enum(['mfa_required', 'mfa_enrollment_required']),
    mfaToken: z.string(),
    expiresIn: z.number().int(),
  })
  .meta({ id: 'MfaStep' });

export const LoginResponse = z.union([AuthenticatedResponse, MfaStepResponse]);

export const EnrolmentResponse = z.object({ secret: z.string(), otpauthUrl: z.string() });

export const EnrolmentConfirmedResponse = AuthenticatedResponse.extend({
  recoveryCodes: z.array(z.string()),
});

// OAuth 2.1 token endpoint. Not strict: OAuth clients may send parameters we do not use
// (`scope`, `resource`), and the spec says to ignore unknown ones.
export const OAuthTokenBody = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('client_credentials'),
    client_id: z.string().min(1).max(200).optional(),
    client_secret: z.string().min(1).max(500).optional(),
  }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: OpaqueToken }),
]);
export type OAuthTokenBody = z.output<typeof OAuthTokenBody>;

export const OAuthTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
  refresh_token: z.string().optional(),
});

export const DiscoveryResponse = z.object({
  issuer: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  grant_types_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  scopes_supported: z.array(z.string()),
  code_challenge_methods_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()),
});
