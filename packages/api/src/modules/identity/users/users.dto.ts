import { z } from 'zod';
import { SCOPES } from '../../../platform/auth/principal.js';

/** The password rule for every new password: long enough to resist guessing; no composition rules (NIST 800-63B). */
export const NewPassword = z
  .string()
  .min(12, 'Use at least 12 characters.')
  .max(256, 'Use at most 256 characters.');

const RoleName = z.string().min(1).max(64);
const TeamIds = z.array(z.uuid()).max(50);

export const UserResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    agencyId: z.uuid(),
    roles: z.array(z.string()),
    teamIds: z.array(z.uuid()),
    programIds: z.array(z.uuid()),
    mfaEnabled: z.boolean(),
    status: z.enum(['active', 'deactivated']),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });

export const UserListQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  status: z.enum(['active', 'deactivated']).optional(),
  role: RoleName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type UserListQuery = z.output<typeof UserListQuery>;

export const UserListResponse = z.object({ items: z.array(UserResponse), nextCursor: z.string().nullable() });

export const CreateUserBody = z.strictObject({
  email: z.email().max(320),
  displayName: z.string().trim().min(1).max(200),
  password: NewPassword,
  roles: z.array(RoleName).min(1).max(20),
  teamIds: TeamIds.default([]),
});
export type CreateUserBody = z.output<typeof CreateUserBody>;

export const PatchUserBody = z
  .strictObject({
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(RoleName).min(1).max(20).optional(),
    teamIds: TeamIds.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field.' });
export type PatchUserBody = z.output<typeof PatchUserBody>;

export const UserIdParams = z.strictObject({ id: z.uuid() });

export const SessionResponse = z
  .object({
    id: z.uuid(),
    createdAt: z.string(),
    lastUsedAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'Session' });
export const SessionListResponse = z.object({ items: z.array(SessionResponse) });

export const Grants = z.record(z.string(), z.enum(SCOPES));

export const RoleListResponse = z.object({
  items: z.array(
    z.object({ name: z.string(), description: z.string(), requiresMfa: z.boolean(), grants: Grants }),
  ),
});

export const TeamListResponse = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), programId: z.uuid(), programName: z.string() })),
});
