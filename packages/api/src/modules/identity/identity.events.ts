/**
 * Events identity publishes through the outbox. Payloads carry ids, never secrets in the clear
 * or personal details beyond what a consumer needs to act.
 */
export const IdentityTopics = {
  userCreated: 'identity.user.created',
  userUpdated: 'identity.user.updated',
  userDeactivated: 'identity.user.deactivated',
  passwordResetRequested: 'identity.password_reset.requested',
} as const;

export interface UserCreatedEvent {
  userId: string;
  agencyId: string;
  roles: string[];
  teamIds: string[];
}

export interface UserUpdatedEvent {
  userId: string;
  agencyId: string;
  /** Which fields changed: displayName, roles, teamIds, status. */
  changed: string[];
}

export interface UserDeactivatedEvent {
  userId: string;
  agencyId: string;
}

/**
 * The notification module decrypts `tokenCiphertext` (FieldCipher) and emails the reset link to
 * the user's address; the token never sits in the outbox in the clear.
 */
export interface PasswordResetRequestedEvent {
  userId: string;
  tokenCiphertext: string;
  expiresAt: string;
}
