import { z } from 'zod';
import { Grants, NewPassword, UserResponse } from '../users/users.dto.js';

const TotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code.');

export const MeResponse = UserResponse.extend({ grants: Grants });
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: NewPassword,
});
export const CodeBody = z.strictObject({ code: TotpCode });
export const RecoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()) });
export const SessionIdParams = z.strictObject({ id: z.uuid() });
