import type { ColumnType, Generated } from 'kysely';

/** Tables of the `identity` schema, as Kysely sees them. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type AgencyTable = {
  id: string;
  name: string;
  created_at: CreatedAt;
};

export type ProgramTable = {
  id: string;
  agency_id: string;
  code: string;
  name: string;
  created_at: CreatedAt;
};

export type TeamTable = {
  id: string;
  agency_id: string;
  program_id: string;
  name: string;
  created_at: CreatedAt;
};

export type RoleTable = {
  name: string;
  description: string;
  requires_mfa: boolean;
};

export type RolePermissionTable = {
  role: string;
  permission: string;
  scope: string;
};

export type UserTable = {
  id: string;
  agency_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  status: ColumnType<
    'active' | 'deactivated',
    'active' | 'deactivated' | undefined,
    'active' | 'deactivated'
  >;
  /** TOTP secret, FieldCipher ciphertext. */
  mfa_secret: string | null;
  mfa_enabled_at: NullableTimestamp;
  /** Secret offered by /me/mfa/enroll until confirmed, FieldCipher ciphertext. */
  mfa_pending_secret: string | null;
  /** Last TOTP time step accepted, so a code cannot be replayed. */
  mfa_last_time_step: number | null;
  locked_until: NullableTimestamp;
  /** Failed sign-ins are counted from here (moved on success, lockout and password reset). */
  failures_counted_from: NullableTimestamp;
  last_login_at: NullableTimestamp;
  password_changed_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
};

export type UserRoleTable = { user_id: string; role: string };

export type UserTeamTable = { user_id: string; team_id: string };

export type LoginAttemptTable = {
  id: Generated<number>;
  user_id: string | null;
  ip: string | null;
  succeeded: boolean;
  reason: string | null;
  attempted_at: CreatedAt;
};

export type SessionTable = {
  id: string;
  user_id: string;
  created_at: CreatedAt;
  last_used_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  amr: string[];
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
};

export type RefreshTokenTable = {
  /** SHA-256 of the token (base64url); the token itself is never stored. */
  token_hash: string;
  session_id: string;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, never>;
  used_at: NullableTimestamp;
};

export type MfaChallengeTable = {
  token_hash: string;
  user_id: string;
  purpose: 'verify' | 'enroll';
  /** For enrolment: the secret offered, FieldCipher ciphertext. */
  pending_secret: string | null;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, never>;
  consumed_at: NullableTimestamp;
};

export type RecoveryCodeTable = {
  id: Generated<number>;
  user_id: string;
  /** Keyed HMAC of the normalised code (FieldCipher blind index). */
  code_hash: string;
  created_at: CreatedAt;
  used_at: NullableTimestamp;
};

export type PasswordResetTokenTable = {
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, never>;
  used_at: NullableTimestamp;
};

export type ServiceAccountTable = {
  id: string;
  agency_id: string;
  name: string;
  client_id: string;
  /** argon2id hash of the client secret. */
  secret_hash: string;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined, 'active' | 'disabled'>;
  created_by: string | null;
  created_at: CreatedAt;
  disabled_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
};

export type ServiceAccountRoleTable = { service_account_id: string; role: string };

export type IdentityTables = {
  'identity.agencies': AgencyTable;
  'identity.programs': ProgramTable;
  'identity.teams': TeamTable;
  'identity.roles': RoleTable;
  'identity.role_permissions': RolePermissionTable;
  'identity.users': UserTable;
  'identity.user_roles': UserRoleTable;
  'identity.user_teams': UserTeamTable;
  'identity.login_attempts': LoginAttemptTable;
  'identity.sessions': SessionTable;
  'identity.refresh_tokens': RefreshTokenTable;
  'identity.mfa_challenges': MfaChallengeTable;
  'identity.recovery_codes': RecoveryCodeTable;
  'identity.password_reset_tokens': PasswordResetTokenTable;
  'identity.service_accounts': ServiceAccountTable;
  'identity.service_account_roles': ServiceAccountRoleTable;
};
